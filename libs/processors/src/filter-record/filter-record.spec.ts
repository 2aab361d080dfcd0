import { validateProcessor } from '@sluice/flow-api';
import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { FILTER_EXPRESSION, FILTER_STRATEGY, FilterRecord } from './filter-record.processor.js';

describe('FilterRecord configuration', () => {
  it('requires a filter expression that compiles', () => {
    expect(validateProcessor(FilterRecord, {})[0]).toMatchObject({ property: FILTER_EXPRESSION, code: 'required' });
    expect(validateProcessor(FilterRecord, { [FILTER_EXPRESSION]: 'row.stock > 0 &&' })[0]?.message).toMatch(/^Filter Expression: /);
    expect(validateProcessor(FilterRecord, { [FILTER_EXPRESSION]: 'row.stock > 0' })).toEqual([]);
    expect(validateProcessor(FilterRecord, { [FILTER_EXPRESSION]: 'row.stock > 0', [FILTER_STRATEGY]: 'drop' })[0]?.message).toContain("'drop' is not one of");
  });
});

describe('FilterRecord onTrigger', () => {
  const rows = [
    { sku: 'A1', stock: 3 },
    { sku: 'B1', stock: 0 },
    { sku: 'A2', stock: 0 },
  ];

  it('keeps matching records and counts the rest', async () => {
    const h = new TestRunner(FilterRecord).setProperties({ [FILTER_EXPRESSION]: 'row.stock > 0 || row.sku == attr("keep")' });
    h.enqueue(rows, { keep: 'A2' });
    await h.run(h.queueSize());
    const out = h.flowFilesFor('success')[0]!;
    expect(out.contentJson()).toEqual([rows[0], rows[2]]);
    expect(out.attributes).toMatchObject({ 'record.count': '2', 'record.filtered.count': '1', 'mime.type': 'application/json' });
  });

  it('removes matching records with the remove strategy; a single object stays an object or becomes []', async () => {
    const h = new TestRunner(FilterRecord).setProperties({ [FILTER_EXPRESSION]: 'row.sku|startsWith("A")', [FILTER_STRATEGY]: 'remove-matching' });
    h.enqueue(rows);
    h.enqueue({ sku: 'B9' });
    h.enqueue({ sku: 'A9' });
    await h.run(h.queueSize());
    expect(h.flowFilesFor('success').map((f) => f.contentJson())).toEqual([[rows[1]], { sku: 'B9' }, []]);
  });

  it('sends content that is not records, or a failing expression, to failure', async () => {
    const h = new TestRunner(FilterRecord).setProperties({ [FILTER_EXPRESSION]: 'row.stock' });
    h.enqueue('"text"');
    h.enqueue([{ stock: 'many' }]);
    await h.run(h.queueSize());
    const errors = h.flowFilesFor('failure').map((f) => f.attributes['record.error']);
    expect(errors[0]).toBe('content must be a JSON array of records or one JSON object, not the text "text"');
    expect(errors[1]).toBe('Filter Expression must return true or false, but returned the text "many" on record 0');
  });
});
