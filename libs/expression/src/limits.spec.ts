import { describe, expect, it } from 'vitest';
import { EXPRESSION_LIMITS, ExpressionError, checkExpression, evaluateExpression } from './index.js';

const env = { attributes: { a: 'aaaa', big: 'x'.repeat(2 * EXPRESSION_LIMITS.maxResultLength) } };
const fails = (text: string): ExpressionError => {
  try {
    evaluateExpression(text, env);
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error(`expected ${text.slice(0, 60)} to fail`);
};

describe('expression limits', () => {
  it('refuses nesting deeper than the limit at compile time, quickly, naming the limit', () => {
    const deep = '${a:equals('.repeat(50_000) + "'x'" + ')}'.repeat(50_000);
    const started = performance.now();
    const problem = checkExpression(deep);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(problem?.message).toContain(`limit of ${EXPRESSION_LIMITS.maxDepth} levels`);
    const ok = '${a:equals('.repeat(20) + "'x'" + ')}'.repeat(20);
    expect(checkExpression(ok)).toBeNull();
  });

  it('counts chained calls as depth', () => {
    expect(checkExpression('${a' + ':toUpper()'.repeat(EXPRESSION_LIMITS.maxDepth + 5) + '}')?.message).toContain('levels');
    expect(evaluateExpression('${a' + ':toUpper()'.repeat(50) + '}', env)).toBe('AAAA');
  });

  it('bounds the parts of one value', () => {
    const wide = '${a}'.repeat(EXPRESSION_LIMITS.maxNodes + 1);
    expect(checkExpression(wide)).toBeNull();
    const args = '${a:in(' + Array.from({ length: EXPRESSION_LIMITS.maxNodes + 1 }, () => "'x'").join(',') + ')}';
    expect(checkExpression(args)?.message).toContain(`limit of ${EXPRESSION_LIMITS.maxNodes} parts`);
  });

  it('refuses string growth past the limit before building the string', () => {
    const started = performance.now();
    expect(fails("${literal('aaaaaaaaaa'):repeat(40000000)}").message).toMatch(/repeat: result of 400000000 characters would exceed the limit of 1048576/);
    expect(fails("${a:padLeft(2000000000)}").message).toMatch(/padLeft: .*exceed the limit/);
    expect(fails("${literal('ab'):repeat(500000):replace('a', 'aaaaaaaaaa')}").message).toMatch(/replace: .*exceed the limit/);
    expect(fails("${literal('ab'):repeat(500000):replaceAll('a', 'xxxxxxxxxx')}").message).toMatch(/replaceAll: .*exceed the limit/);
    expect(fails("${literal('ab'):repeat(100000):replaceAll('(.)', '$1$1$1$1$1$1$1$1$1$1')}").message).toMatch(/replaceAll: .*exceed the limit/);
    expect(fails("${literal('<'):repeat(200000):escapeXml():escapeXml()}").message).toMatch(/exceeds the limit/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('lets values at the limit through and leaves existing long attributes alone', () => {
    expect(evaluateExpression(`\${literal('a'):repeat(${EXPRESSION_LIMITS.maxResultLength})}`, env)).toHaveLength(EXPRESSION_LIMITS.maxResultLength);
    expect(evaluateExpression('${big:toUpper()}', env)).toHaveLength(env.attributes.big.length);
    expect(evaluateExpression("${a:replaceAll('(a)', '$1$1')}", env)).toBe('aaaaaaaa');
  });
});
