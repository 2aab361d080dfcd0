import { describe, expect, it } from 'vitest';
import { readJsonPath } from './index.js';

describe('readJsonPath', () => {
  const doc = { a: { b: [{ c: 1 }, { 'odd key': 'x' }] }, next: null };

  it('reads dotted, indexed and quoted steps, with or without the leading $', () => {
    expect(readJsonPath(doc, '$.a.b[0].c')).toBe(1);
    expect(readJsonPath(doc, "a.b[1]['odd key']")).toBe('x');
    expect(readJsonPath(doc, 'a.b.1')).toEqual({ 'odd key': 'x' });
    expect(readJsonPath(doc, '$')).toBe(doc);
    expect(readJsonPath(doc, '')).toBe(doc);
    expect(readJsonPath([{ id: 7 }], '[0].id')).toBe(7);
  });

  it('is undefined where the path leads nowhere', () => {
    expect(readJsonPath(doc, '$.next.page')).toBeUndefined();
    expect(readJsonPath(doc, '$.missing.deeper')).toBeUndefined();
    expect(readJsonPath(doc, '$.a.b[5]')).toBeUndefined();
  });

  it('names a malformed path', () => {
    expect(() => readJsonPath(doc, '$.a[0')).toThrow(/\$\.a\[0/);
  });
});
