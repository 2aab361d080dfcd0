import { describe, expect, it } from 'vitest';
import { elCompletions, tokenizeElLine, TOKEN_CLASS } from './el-tokens.js';

const scopesOf = (line: string, depth = 0) => {
  const { tokens } = tokenizeElLine(line, depth);
  return tokens.map((t, i) => [line.slice(t.startIndex, tokens[i + 1]?.startIndex ?? line.length), t.scopes]);
};

describe('EL tokens for Monaco', () => {
  it('colours attributes, functions, strings and delimiters from tokenizeExpression', () => {
    const s = scopesOf("id=${filename:toUpper():append('.json')}");
    expect(s).toContainEqual(['id=', '']);
    expect(s).toContainEqual(['${', TOKEN_CLASS.delimiter]);
    expect(s).toContainEqual(['filename', TOKEN_CLASS.attribute]);
    expect(s.some(([text, scope]) => text.startsWith('toUpper') && scope === TOKEN_CLASS.function)).toBe(true);
    expect(s).toContainEqual(["'.json'", TOKEN_CLASS.string]);
  });

  it('carries an open expression across lines', () => {
    const first = tokenizeElLine('${http.query.param.sku:isEmpty():not()', 0);
    expect(first.endDepth).toBe(1);
    const second = tokenizeElLine("  :ifElse('a', 'b')}", first.endDepth);
    expect(second.endDepth).toBe(0);
    const text = "  :ifElse('a', 'b')}";
    const scopes = second.tokens.map((t, i) => [text.slice(t.startIndex, second.tokens[i + 1]?.startIndex ?? text.length), t.scopes]);
    expect(scopes).toContainEqual(["'a'", TOKEN_CLASS.string]);
    expect(scopes[scopes.length - 1]).toEqual(['}', TOKEN_CLASS.delimiter]);
  });

  it('starts every line with a token at index 0 and marks an unclosed string invalid', () => {
    const { tokens } = tokenizeElLine("${a:equals('x)", 0);
    expect(tokens[0]!.startIndex).toBe(0);
    expect(tokens.some((t) => t.scopes === TOKEN_CLASS.invalid)).toBe(true);
  });

  it('treats parameters and plain text outside expressions', () => {
    expect(scopesOf('#{erp.base.url}/stock')).toEqual([
      ['#{erp.base.url}', TOKEN_CLASS.parameter],
      ['/stock', ''],
    ]);
  });
});

describe('EL completion', () => {
  it('offers chainable functions after a colon', () => {
    const text = '${filename:to';
    const { items, replaceFrom } = elCompletions(text, text.length, []);
    expect(replaceFrom).toBe(text.length - 2);
    const names = items.map((i) => i.label);
    expect(names).toContain('toUpper');
    expect(names).not.toContain('now');
    expect(items.every((i) => i.kind === 'function')).toBe(true);
  });

  it('offers flow attributes and subjectless functions at the start of an expression', () => {
    const text = 'x ${';
    const { items } = elCompletions(text, text.length, ['token.erp', 'http.query.param.sku']);
    const names = items.map((i) => i.label);
    expect(names).toContain('token.erp');
    expect(names).toContain('filename');
    expect(names).toContain('now');
    expect(names).not.toContain('toUpper');
  });

  it('offers nothing outside an expression', () => {
    expect(elCompletions('plain text', 5, ['a']).items).toEqual([]);
  });
});
