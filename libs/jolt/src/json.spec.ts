import { describe, expect, it } from 'vitest';
import { JavaDouble, javaDouble, javaString, parseJson, stripJsonComments, toPlainJson } from './json.js';
import { stringifyJson } from './json-writer.js';

describe('parseJson', () => {
  it('parses JSON with // comments outside strings', () => {
    expect(parseJson('{ "a": "http://x" // note\n, "b": 1 }')).toEqual({ a: 'http://x', b: 1 });
  });

  it('names line and column of a syntax error', () => {
    expect(() => parseJson('{\n  "a": 1,\n  }')).toThrow(/line 3, column 3/);
  });

  it('reports truncated input', () => {
    expect(() => parseJson('[1, 2')).toThrow(/Invalid JSON/);
  });

  it('keeps string content with slashes intact', () => {
    expect(stripJsonComments('"a//b" // c')).toBe('"a//b"     ');
  });
});

describe('Java text', () => {
  it('renders doubles, maps and lists as Java does', () => {
    expect(javaDouble(2)).toBe('2.0');
    expect(javaDouble(2.5)).toBe('2.5');
    expect(javaDouble(1e10)).toBe('1.0E10');
    expect(javaDouble(1.5e-5)).toBe('1.5E-5');
    expect(javaString({ a: 1, b: [true, null] })).toBe('{a=1, b=[true, null]}');
  });
});

describe('Java double typing', () => {
  it('keeps integral double literals apart from ints and writes them back as Java does', () => {
    const v = parseJson('{"a": 10.0, "b": 3, "c": [1e3, 2.5], "s": "1.0"}', { javaDoubles: true });
    expect(toPlainJson(v)).toStrictEqual({ a: 10, b: 3, c: [1000, 2.5], s: '1.0' });
    expect((v as { a: unknown }).a).toBeInstanceOf(JavaDouble);
    expect(stringifyJson(v)).toBe('{"a":10.0,"b":3,"c":[1000.0,2.5],"s":"1.0"}');
    expect(stringifyJson(new JavaDouble(4))).toBe('4.0');
  });
});
