import { afterAll, describe, expect, it } from 'vitest';
import { queryIssues } from './query-checks.js';
import { queryRunner, resultOf } from './query-record.testing.js';
import { SQLJS_ENGINE } from './sqljs-query.engine.js';

const stock = 'sku,stock,warehouse\nA-1,0,IST\nA-2,5,IST\nA-3,12,ANK\n';
afterAll(() => SQLJS_ENGINE.close());

describe('QueryRecord relationships', () => {
  it('each user-added property is a query whose result goes to the relationship of its name; the original to original', async () => {
    const r = queryRunner({ 'in stock': 'SELECT sku, stock FROM FLOWFILE WHERE stock > 0', empty: 'SELECT sku FROM FLOWFILE WHERE stock = 0' });
    r.enqueue(stock, { filename: 'stock.csv' });
    await r.run();
    expect(resultOf(r, 'in stock')).toEqual([[{ sku: 'A-2', stock: 5 }, { sku: 'A-3', stock: 12 }]]);
    expect(resultOf(r, 'empty')).toEqual([[{ sku: 'A-1' }]]);
    const out = r.flowFilesFor('in stock')[0]!;
    out.assertAttributeEquals('record.count', '2');
    out.assertAttributeEquals('mime.type', 'application/json');
    out.assertAttributeEquals('QueryRecord.Route', 'in stock');
    out.assertAttributeEquals('filename', 'stock.csv');
    r.flowFilesFor('original')[0]!.assertAttributeEquals('QueryRecord.Route', 'original');
    expect(r.counter('Records Read')).toBe(3);
    expect(r.counter('Records Written')).toBe(3);
  });

  it('failure: a column the records lack fails the FlowFile, naming the query; no result is sent', async () => {
    const r = queryRunner({ ok: 'SELECT sku FROM FLOWFILE', bad: 'SELECT price FROM FLOWFILE' });
    r.enqueue(stock);
    await r.run();
    r.assertAllTransferred('failure', 1);
    r.flowFilesFor('failure')[0]!.assertAttributeEquals('QueryRecord.Route', 'failure');
    expect(r.logs('error')[0]!.message).toMatch(/bad: no such column: price/);
  });

  it('failure: content the reader cannot read', async () => {
    const r = queryRunner({ all: 'SELECT * FROM FLOWFILE' }, {}, 'JsonTreeReader');
    r.enqueue('{not json');
    await r.run();
    r.assertAllTransferred('failure', 1);
  });
});

describe('QueryRecord properties', () => {
  it('Include Zero Record FlowFiles: an empty result sends a FlowFile only when true', async () => {
    for (const [include, count] of [['true', 1], ['false', 0]] as const) {
      const r = queryRunner({ none: "SELECT * FROM FLOWFILE WHERE sku = 'Z'" }, { 'Include Zero Record FlowFiles': include });
      r.enqueue(stock);
      await r.run();
      r.assertTransferCount('none', count);
      r.assertTransferCount('original', 1);
    }
  });

  it('queries take Expression Language against the FlowFile', async () => {
    const r = queryRunner({ mine: "SELECT sku FROM FLOWFILE WHERE warehouse = '${warehouse}'" });
    r.enqueue(stock, { warehouse: 'ANK' });
    await r.run();
    expect(resultOf(r, 'mine')).toEqual([[{ sku: 'A-3' }]]);
  });

  it('JSON records: nested values are JSON text, booleans 1 and 0', async () => {
    const r = queryRunner({ q: 'SELECT sku, active, json_extract(dims, \'$.w\') AS w FROM FLOWFILE WHERE active' }, {}, 'JsonTreeReader');
    r.enqueue(JSON.stringify([{ sku: 'A', active: true, dims: { w: 3 } }, { sku: 'B', active: false, dims: { w: 4 } }]));
    await r.run();
    expect(resultOf(r, 'q')).toEqual([[{ sku: 'A', active: 1, w: 3 }]]);
  });

  it('migrates NiFi 1 keys', () => {
    const r = queryRunner({});
    r.removeProperty('Record Reader').setProperty('record-reader', 'in').setProperty('include-zero-record-flowfiles', 'false');
    r.migrateProperties();
    expect(r.configuredProperties).toMatchObject({ 'Record Reader': 'in', 'Include Zero Record FlowFiles': 'false' });
  });
});

describe('QueryRecord query validation (on save, by the engine)', () => {
  const doc = (properties: Record<string, string>) => ({ processors: [{ id: 'q', type: 'QueryRecord', properties }], parameters: { min: '3' } }) as never;

  it('a query SQLite cannot parse, a statement that is not a query or another table is a problem of its property', async () => {
    const issues = await queryIssues(doc({ 'Record Reader': 'in', good: 'SELECT a FROM FLOWFILE WHERE b > #{min}', broken: 'SELECT a FROM FLOWFILE WHERE', write: 'DELETE FROM FLOWFILE', other: 'SELECT * FROM orders', later: 'SELECT ${col} FROM FLOWFILE' }));
    expect(issues.map((i) => i.property).sort()).toEqual(['broken', 'other', 'write']);
    expect(issues.find((i) => i.property === 'broken')!.message).toMatch(/^broken: .*syntax error|incomplete input/);
    expect(issues.find((i) => i.property === 'write')!.message).toMatch(/only a query/);
    expect(issues.find((i) => i.property === 'other')!.message).toMatch(/no such table: orders/);
  });
});
