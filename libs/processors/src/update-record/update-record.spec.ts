import { evaluateExpression } from '@sluice/expression';
import { validateProcessor } from '@sluice/flow-api';
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
  it('has a JSON-serializable descriptor', () => {
    expect(JSON.parse(JSON.stringify(UpdateRecord.descriptor))).toEqual(UpdateRecord.descriptor);
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
    const updates = compileUpdates({ '/sku': '${prefix}-${field.value:toUpper()}', '/stock': '${field.value:plus(1)}', '/kind': '${field.name}:${field.type}' }, LITERAL_VALUE);
    applyUpdates(rows, updates, {}, literal({ prefix: 'M' }));
    expect(rows).toEqual([{ sku: 'M-A1', stock: 5, kind: 'kind:null' }]);
  });

  it('names the path and the record when an update fails', () => {
    const rows: unknown[] = [{ sku: 'a' }, { sku: { code: 1 } }, 'text'];
    const updates = compileUpdates({ '/sku/code': '1' }, RECORD_EXPRESSION);
    expect(() => applyUpdates(rows, updates, {}, literal({}))).toThrow('/sku/code failed on record 0: /sku is a string, so /sku/code cannot be set');
    expect(() => applyUpdates([{}, 'text'], updates, {}, literal({}))).toThrow('/sku/code failed on record 1: the record is a string, not an object');
  });
});
