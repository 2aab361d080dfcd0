import { compileRecordExpression } from '@sluice/expression';
import { relationshipsFor, validateProcessor } from '@sluice/flow-api';
import { TestRunner } from '@sluice/flow-testing';
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
});

describe('RouteRecord onTrigger', () => {
  const config = { inStock: 'row.stock > 0', aSkus: 'row.sku|startsWith("A")' };

  it('emits one FlowFile per relationship with records, inheriting attributes, and the original', async () => {
    const h = new TestRunner(RouteRecord).setProperties(config);
    h.enqueue(rows, { filename: 'stock.json' });
    await h.run(h.queueSize());
    expect(h.transferredRelationships()).toEqual(['aSkus', 'inStock', 'original', 'unmatched']);
    const inStock = h.flowFilesFor('inStock')[0]!;
    expect(inStock.contentJson()).toEqual([rows[0], rows[3]]);
    expect(inStock.attributes).toMatchObject({ filename: 'stock.json', 'record.count': '2', 'RouteRecord.Route': 'inStock', 'mime.type': 'application/json' });
    expect(inStock.flowFile.parentUuids).toEqual([h.flowFilesFor('original')[0]!.flowFile.uuid]);
    expect(h.flowFilesFor('unmatched')[0]!.contentJson()).toEqual([rows[1]]);
    expect(h.flowFilesFor('original')[0]!.contentJson()).toEqual(rows);
  });

  it('skips empty relationships unless asked, and honours first-match', async () => {
    const h = new TestRunner(RouteRecord).setProperties({ ...config, 'Routing Strategy': 'first-match', 'Include Zero Record FlowFiles': 'true' });
    h.enqueue([{ sku: 'A1', stock: 1 }]);
    await h.run(h.queueSize());
    expect(h.flowFilesFor('inStock')[0]!.contentJson()).toEqual([{ sku: 'A1', stock: 1 }]);
    expect(h.flowFilesFor('aSkus')[0]!.contentJson()).toEqual([]);
    expect(h.flowFilesFor('unmatched')[0]!.attributes['record.count']).toBe('0');

    const lean = new TestRunner(RouteRecord).setProperties(config);
    lean.enqueue([{ sku: 'B1', stock: 0 }]);
    await lean.run(lean.queueSize());
    expect(lean.transferredRelationships()).toEqual(['original', 'unmatched']);
  });

  it('routes bad content and failing rules to failure with record.error', async () => {
    const h = new TestRunner(RouteRecord).setProperties({ stock: 'row.stock' });
    h.enqueue('not json');
    h.enqueue([{ stock: 5 }]);
    await h.run(h.queueSize());
    expect(h.transferredRelationships()).toEqual(['failure']);
    expect(h.flowFilesFor('failure').map((f) => f.attributes['record.error'])).toEqual([
      expect.stringContaining('content is not JSON'),
      "rule 'stock' must return true or false, but returned number 5 on record 0",
    ]);
  });
});
