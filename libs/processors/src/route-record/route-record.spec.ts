import { compileRecordExpression } from '@sluice/expression';
import { relationshipsFor, validateProcessor } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { partitionRecords, RouteRecord } from './route-record.processor.js';

const rules = [
  { name: 'inStock', rule: compileRecordExpression('row.stock > 0') },
  { name: 'aSkus', rule: compileRecordExpression('row.sku|startsWith("A")') },
];
const rows = [
  { sku: 'A1', stock: 2 },
  { sku: 'B1', stock: 0 },
  { sku: 'A2', stock: 0 },
  { sku: 'C1', stock: 5 },
];

describe('partitionRecords', () => {
  it('sends a row to every rule it matches, and the rest to unmatched', () => {
    const out = partitionRecords(rows, rules, false, {});
    expect(out.get('inStock')).toEqual([rows[0], rows[3]]);
    expect(out.get('aSkus')).toEqual([rows[0], rows[2]]);
    expect(out.get('unmatched')).toEqual([rows[1]]);
  });
  it('stops at the first matching rule when asked', () => {
    const out = partitionRecords(rows, rules, true, {});
    expect(out.get('aSkus')).toEqual([rows[2]]);
  });
});

describe('RouteRecord configuration', () => {
  it('turns rules into relationships', () => {
    expect(relationshipsFor(RouteRecord.descriptor, { inStock: 'row.stock > 0' }).map((r) => r.name).sort()).toEqual(['failure', 'inStock', 'original', 'unmatched']);
  });
  it('names missing rules, reserved names and syntax errors', () => {
    expect(validateProcessor(RouteRecord, {})[0]?.message).toContain('add at least one rule');
    const r = validateProcessor(RouteRecord, { original: 'true', bad: 'row.stock >' });
    expect(r.find((x) => x.property === 'original')?.message).toContain('built-in relationship');
    expect(r.find((x) => x.property === 'bad')?.message).toMatch(/^rule 'bad': /);
  });
  it('has a JSON-serializable descriptor', () => {
    expect(JSON.parse(JSON.stringify(RouteRecord.descriptor))).toEqual(RouteRecord.descriptor);
  });
});
