import { evaluateExpression } from '@sluice/expression';
import { validateProcessor } from '@sluice/flow-api';
import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { applyUpdates, coerceLiteral, compileUpdates, LITERAL_VALUE, RECORD_EXPRESSION, REPLACEMENT_STRATEGY, UpdateRecord } from './update-record.processor.js';

describe('UpdateRecord configuration', () => {
  it('accepts record paths with record expressions', () => {
    expect(validateProcessor(UpdateRecord, { '/stock': 'row.qty > 0 ? row.qty : 0', '/sku': 'row.sku|toUpper' })).toEqual([]);
  });
  it('names bad paths, bad expressions and missing updates', () => {
    expect(validateProcessor(UpdateRecord, {})[0]?.message).toContain('add at least one update');
    const r = validateProcessor(UpdateRecord, { stock: 'row.qty', '/a': 'row.qty +' });
    expect(r.find((x) => x.property === 'stock')?.message).toContain("must start with '/'");
    expect(r.find((x) => x.property === '/a')?.message).toMatch(/^\/a: /);
  });
  it('checks Expression Language for the literal strategy', () => {
    expect(validateProcessor(UpdateRecord, { [REPLACEMENT_STRATEGY]: LITERAL_VALUE, '/sku': '${field.value:toUpper()}' })).toEqual([]);
    const r = validateProcessor(UpdateRecord, { [REPLACEMENT_STRATEGY]: LITERAL_VALUE, '/sku': '${field.value:toUpperr()}' });
    expect(r[0]).toMatchObject({ property: '/sku', code: 'invalid' });
    expect(r[0]?.message).toContain("did you mean 'toUpper'");
  });
  it('keeps number and boolean types for literal values', () => {
    expect(coerceLiteral('12', 3)).toBe(12);
    expect(coerceLiteral('x', 3)).toBe('x');
    expect(coerceLiteral('false', true)).toBe(false);
    expect(coerceLiteral('7', 'a')).toBe('7');
  });
});

describe('applyUpdates', () => {
  const literal = (attributes: Record<string, string>) => (text: string, extra: Readonly<Record<string, string>>) =>
    evaluateExpression(text, { attributes: { ...attributes, ...extra } });

  it('applies record expressions in order, each seeing the previous ones', () => {
    const rows: unknown[] = [{ sku: 'a1', qty: 3 }, { sku: 'b2', qty: -1 }];
    const updates = compileUpdates({ '/qty': 'row.qty > 0 ? row.qty : 0', '/sku': 'row.sku|toUpper', '/meta/available': 'row.qty > 0', '/warehouse': 'attr("wh")' }, RECORD_EXPRESSION);
    applyUpdates(rows, updates, { wh: 'IST' }, literal({}));
    expect(rows).toEqual([
      { sku: 'A1', qty: 3, meta: { available: true }, warehouse: 'IST' },
      { sku: 'B2', qty: 0, meta: { available: false }, warehouse: 'IST' },
    ]);
  });

  it('writes null for a missing result', () => {
    const rows: unknown[] = [{ sku: 'a' }];
    applyUpdates(rows, compileUpdates({ '/price': 'row.list.price' }, RECORD_EXPRESSION), {}, literal({}));
    expect(rows).toEqual([{ sku: 'a', price: null }]);
  });

  it('evaluates literal values with field.name, field.value and field.type, keeping numbers numeric', () => {
    const rows: unknown[] = [{ sku: 'a1', stock: 4 }];
    const updates = compileUpdates({ '/sku': '${prefix}-${field.value:toUpper()}', '/stock': '${field.value:plus(1)}', '/kind': '${field.name}:${field.type}', '/t': '${field.type}' }, LITERAL_VALUE);
    applyUpdates(rows, updates, {}, literal({ prefix: 'M' }));
    // NiFi's RecordFieldType names; a field that is not there yet reads as STRING.
    expect(rows).toEqual([{ sku: 'M-A1', stock: 5, kind: 'kind:STRING', t: 'STRING' }]);
    const typed: unknown[] = [{ n: 1, big: 2 ** 40, d: 1.5, b: true, r: {}, a: [] }];
    applyUpdates(typed, compileUpdates({ '/n': '${field.type}', '/big': '${field.type}', '/d': '${field.type}', '/b': '${field.type}', '/r': '${field.type}', '/a': '${field.type}' }, LITERAL_VALUE), {}, literal({}));
    expect(typed).toEqual([{ n: 'INT', big: 'LONG', d: 'DOUBLE', b: 'BOOLEAN', r: 'RECORD', a: 'ARRAY' }]);
  });

  it('names the path and the record when an update fails', () => {
    const rows: unknown[] = [{ sku: 'a' }, { sku: { code: 1 } }, 'text'];
    const updates = compileUpdates({ '/sku/code': '1' }, RECORD_EXPRESSION);
    expect(() => applyUpdates(rows, updates, {}, literal({}))).toThrow('/sku/code failed on record 0: /sku is a string, so /sku/code cannot be set');
    expect(() => applyUpdates([{}, 'text'], updates, {}, literal({}))).toThrow('/sku/code failed on record 1: the record is a string, not an object');
  });
});

describe('UpdateRecord onTrigger', () => {
  it('updates every record and keeps the shape of the content', async () => {
    const h = new TestRunner(UpdateRecord).setProperties({ '/stock': 'row.stock < 0 ? 0 : row.stock', '/sku': 'row.sku|toUpper' });
    h.enqueue([{ sku: 'a1', stock: -2 }, { sku: 'b1', stock: 4 }]);
    h.enqueue({ sku: 'c1', stock: 1 });
    await h.run(h.queueSize());
    expect(h.flowFilesFor('success').map((f) => f.contentJson())).toEqual([
      [{ sku: 'A1', stock: 0 }, { sku: 'B1', stock: 4 }],
      { sku: 'C1', stock: 1 },
    ]);
    expect(h.flowFilesFor('success')[0]!.attributes).toMatchObject({ 'record.count': '2', 'mime.type': 'application/json' });
  });

  it('evaluates literal values against attributes and parameters', async () => {
    const h = new TestRunner(UpdateRecord, { parameters: { warehouse: 'W1' } }).setProperties({ [REPLACEMENT_STRATEGY]: LITERAL_VALUE, '/warehouse': '#{warehouse}', '/file': '${filename}', '/stock': '${field.value:multiply(2)}' });
    h.enqueue([{ stock: 3 }], { filename: 'f.json' });
    await h.run(h.queueSize());
    expect(h.flowFilesFor('success')[0]!.contentJson()).toEqual([{ stock: 6, warehouse: 'W1', file: 'f.json' }]);
  });

  it('routes a failing update to failure naming the path and record', async () => {
    const h = new TestRunner(UpdateRecord).setProperties({ '/price/amount': 'row.price * 2' });
    h.enqueue([{ price: { amount: 1 } }, { price: 5 }]);
    await h.run(h.queueSize());
    expect(h.flowFilesFor('failure')[0]!.attributes['record.error']).toBe('/price/amount failed on record 1: /price is a number, so /price/amount cannot be set');
  });
});
