import { describe, expect, it } from 'vitest';
import { getAtPath, parseRecordPath, setAtPath } from './record-path.util.js';

describe('record paths', () => {
  it('parses fields and indexes', () => {
    expect(parseRecordPath('/images[0]/url')).toEqual([{ field: 'images' }, { index: 0 }, { field: 'url' }]);
    expect(parseRecordPath('/stock')).toEqual([{ field: 'stock' }]);
  });
  it('rejects what it cannot express, saying why', () => {
    expect(() => parseRecordPath('stock')).toThrow("must start with '/'");
    expect(() => parseRecordPath('//stock')).toThrow('descendant paths');
    expect(() => parseRecordPath('/a//b')).toThrow('empty field name');
    expect(() => parseRecordPath("/a[./b = 'x']")).toThrow('predicates, functions and wildcards');
    expect(() => parseRecordPath('/*')).toThrow('wildcards');
  });
  it('reads and sets, creating missing objects and arrays', () => {
    const row: Record<string, unknown> = { sku: 'A', price: { amount: 1 } };
    setAtPath(row, parseRecordPath('/price/amount'), 2);
    setAtPath(row, parseRecordPath('/meta/source'), 'erp');
    setAtPath(row, parseRecordPath('/images[1]/url'), 'u');
    expect(row).toEqual({ sku: 'A', price: { amount: 2 }, meta: { source: 'erp' }, images: [undefined, { url: 'u' }] });
    expect(getAtPath(row, parseRecordPath('/images[1]/url'))).toBe('u');
    expect(getAtPath(row, parseRecordPath('/nope/x'))).toBeUndefined();
  });
  it('refuses to walk through scalars', () => {
    expect(() => setAtPath({ sku: 'A' }, parseRecordPath('/sku/x'), 1)).toThrow('/sku is a string, so /sku/x cannot be set');
    expect(() => setAtPath([1], parseRecordPath('/x'), 1)).toThrow('the record is an array, not an object');
  });
});
