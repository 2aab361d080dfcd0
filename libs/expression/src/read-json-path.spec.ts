import { describe, expect, it } from 'vitest';
import { jsonPathSteps, readJsonPath } from './index.js';

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

describe('jsonPathSteps', () => {
  it('gives the steps readJsonPath follows, indices as numbers', () => {
    expect(jsonPathSteps('$.data.token')).toEqual(['data', 'token']);
    expect(jsonPathSteps("a.b[1]['odd key']")).toEqual(['a', 'b', 1, 'odd key']);
    expect(jsonPathSteps('[0].id')).toEqual([0, 'id']);
    expect(jsonPathSteps('$')).toEqual([]);
  });

  it('is null for a path that names no single place or is malformed', () => {
    expect(jsonPathSteps('$..token')).toBeNull();
    expect(jsonPathSteps('$.rows[*]')).toBeNull();
    expect(jsonPathSteps('$.a[0')).toBeNull();
  });
});
