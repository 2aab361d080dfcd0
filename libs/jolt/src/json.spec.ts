import { describe, expect, it } from 'vitest';
import { javaDouble, javaString, parseJson, stripJsonComments } from './json.js';

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
