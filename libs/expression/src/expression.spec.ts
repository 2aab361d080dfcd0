import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkExpression, compileExpression, evaluateExpression, ExpressionError, functionCatalogue, tokenizeExpression } from './index.js';

export const SEED_URL = readFileSync(new URL('../fixtures/seed-dynamic-url.el', import.meta.url), 'utf8');

const base = "http://127.0.0.1:12345/(S(tok))/service/run?{'name': 'Akinon', 'Parameters': [{'Name': ";

describe('seed dynamic URL', () => {
  it('builds the SKU URL', () => {
    const attributes = { 'http.query.string': 'sku=A1', 'http.query.param.sku': 'A1', 'token.erp': 'tok' };
    expect(evaluateExpression(SEED_URL, { attributes })).toBe(`${base}'Barcodes', 'Value': 'A1'}]}`);
  });
  it('builds the date URL, dropping fractional seconds and Z', () => {
    const attributes = { 'http.query.string': 'x', 'http.query.param.modified_date__gt': '2024-01-02T03:04:05.678Z', 'token.erp': 'tok' };
    expect(evaluateExpression(SEED_URL, { attributes })).toBe(`${base}'Date', 'Value': '2024-01-02T03:04:05'}]}`);
  });
  it('falls back to last.request without a query string', () => {
    const attributes = { 'last.request': '2024-05-06T07:08:09Z', 'token.erp': 'tok' };
    expect(evaluateExpression(SEED_URL, { attributes })).toBe(`${base}'Date', 'Value': '2024-05-06T07:08:09'}]}`);
  });
  it('fails when the taken branch needs a missing attribute', () => {
    expect(() => evaluateExpression(SEED_URL, { attributes: { 'last.request': 'x' } })).toThrow(ExpressionError);
  });
});

describe('compile errors', () => {
  it('reports unknown functions with line, column and a suggestion', () => {
    const err = checkExpression('a\n${x:toUpper()\n  :replce("a", "b")}');
    expect(err).toEqual({ message: "unknown function 'replce' at 3:4; did you mean 'replace'?", line: 3, column: 4 });
  });
  it('throws ExpressionError with phase compile', () => {
    try {
      compileExpression('${a:substring(}');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ExpressionError);
      expect((e as ExpressionError).phase).toBe('compile');
    }
  });
  it('names the function on evaluation errors', () => {
    try {
      evaluateExpression('${a:divide(0)}', { attributes: { a: '4' } });
      expect.unreachable();
    } catch (e) {
      expect((e as ExpressionError).phase).toBe('evaluate');
      expect((e as ExpressionError).functionName).toBe('divide');
    }
  });
});

describe('compiled expression', () => {
  it('marks literal text and lists referenced attributes', () => {
    expect(compileExpression('plain $$ text').isLiteral).toBe(true);
    const c = compileExpression('${a:append(${b})} ${"c d"}');
    expect(c.isLiteral).toBe(false);
    expect([...c.referencedAttributes].sort()).toEqual(['a', 'b', 'c d']);
  });
  it("knows the result type without evaluating, as NiFi's validators do", () => {
    expect(compileExpression("${a:equals('b')}").resultType).toBe('Boolean');
    expect(compileExpression('${a:length()}').resultType).toBe('Whole Number');
    expect(compileExpression('${a}').resultType).toBe('String');
    expect(compileExpression("${a:isEmpty():ifElse('x', 'y')}").resultType).toBe('String');
    expect(compileExpression(' ${a:isEmpty()}').resultType).toBe('String');
    expect(compileExpression('plain').resultType).toBe('String');
  });

  it('returns the same compiled object from the cache', () => {
    expect(compileExpression('${x:toUpper()}')).toBe(compileExpression('${x:toUpper()}'));
  });
});

describe('catalogue and tokens', () => {
  it('lists functions with signatures', () => {
    const names = functionCatalogue.map((f) => f.name);
    expect(names).toContain('replaceAll');
    expect(functionCatalogue.find((f) => f.name === 'literal')?.subjectless).toBe(true);
  });
  it('tokenizes without throwing on broken text', () => {
    expect(tokenizeExpression('a ${b:toUpper(\'x)')).not.toHaveLength(0);
    const kinds = tokenizeExpression("x ${attr:replace('a', 1)}").map((t) => t.kind);
    expect(kinds).toEqual(['text', 'delimiter', 'attribute', 'operator', 'function', 'operator', 'string', 'operator', 'number', 'operator', 'delimiter']);
  });
});

describe('compile-time work on replace chains', () => {
  const run = (text: string, attributes: Record<string, string>) => compileExpression(text).evaluate({ attributes });

  it('fuses replaces on a literal and still replaces inside inserted values, as one string would', () => {
    const url = '${literal("a/{SKU}/{TOKEN}/{SKU}"):replace("{SKU}", ${sku}):replace("{TOKEN}", ${token})}';
    expect(run(url, { sku: 'x', token: 't' })).toBe('a/x/t/x');
    // The SKU itself holds the later search text: replaced too, as NiFi does on the whole string.
    expect(run(url, { sku: '{TOKEN}', token: 't' })).toBe('a/t/t/t');
    expect(() => run(url, { sku: 'x' })).toThrow(/replacement argument is null/);
  });

  it('falls back where a match could span literal text and an inserted value', () => {
    // "{TO" + value "KEN}" forms the search across the boundary.
    const text = '${literal("{TO{V}"):replace("{V}", ${v}):replace("{TOKEN}", "!")}';
    expect(run(text, { v: 'KEN}' })).toBe('!');
    const adjacent = '${literal("{A}{B}"):replace("{A}", ${a}):replace("{B}", ${b}):replace("xy", "!")}';
    expect(run(adjacent, { a: 'x', b: 'y' })).toBe('!');
  });

  it('evaluates a replacement once however often it is inserted', () => {
    const [a, b] = run('${literal("{U}|{U}"):replace("{U}", ${UUID()})}', {}).split('|');
    expect(a).toBe(b);
  });

  it('deletes with an end-anchored replaceAll like Java, including before a final line terminator', () => {
    const strip = '${d:replaceAll("(\\\\.\\\\d*)?Z?$", "")}';
    expect(run(strip, { d: '2024-03-01T10:20:30.123Z' })).toBe('2024-03-01T10:20:30');
    expect(run(strip, { d: '2024-03-01T10:20:30.123Z\n' })).toBe('2024-03-01T10:20:30\n');
    expect(run('${d:replaceAll("Z?$", "X")}', { d: 'abcZ' })).toBe('abcXX');
    expect(run('${d:replaceAll("a|b$", "")}', { d: 'abab' })).toBe('b');
  });
});

describe('explaining a run-time error', () => {
  it('names the missing attribute once, with the line and column of the reference that failed', async () => {
    const { explainEvaluationError } = await import('./explain-error.js');
    const { ExpressionError } = await import('./expression-error.js');
    const text = '${http.query.param.sku:isEmpty():not():ifElse(\n  ${literal("a/{SKU}"):replace("{SKU}", ${http.query.param.sku})},\n  ${literal("b/{T}"):replace("{T}", ${token.erp})}\n)}';
    const env = { attributes: {} };
    let error: InstanceType<typeof ExpressionError> | null = null;
    try {
      compileExpression(text).evaluate(env);
    } catch (e) {
      error = e as InstanceType<typeof ExpressionError>;
    }
    const explained = explainEvaluationError(text, env, error!);
    expect(explained.message).toBe("attribute 'token.erp' is not set (line 3, column 37); replace: replacement argument is null");
    expect([explained.line, explained.column]).toEqual([3, 37]);
    expect(explained.message.match(/replacement argument is null/g)).toHaveLength(1);
  });
});
