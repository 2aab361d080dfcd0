import { validateProcessor } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { coerceLiteral, LITERAL_VALUE, REPLACEMENT_STRATEGY, UpdateRecord } from './update-record.processor.js';

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
