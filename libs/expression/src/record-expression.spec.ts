import { describe, expect, it } from 'vitest';
import { compileRecordExpression, ExpressionError } from './index.js';

describe('compileRecordExpression', () => {
  it('filters rows with NiFi functions as transforms', () => {
    const e = compileRecordExpression('row.stock > 0 && row.sku|startsWith("A")');
    expect(e.evaluate({ stock: 3, sku: 'A1' })).toBe(true);
    expect(e.evaluate({ stock: 0, sku: 'A1' })).toBe(false);
    expect(e.evaluate({ stock: 3, sku: 'B1' })).toBe(false);
  });
  it('computes values with EL semantics', () => {
    expect(compileRecordExpression('row.sku|toUpper|append("-X")').evaluate({ sku: 'ab' })).toBe('AB-X');
    expect(compileRecordExpression('row.qty|plus(2)').evaluate({ qty: 40 })).toBe(42);
    expect(compileRecordExpression('row.price|multiply(1.5)').evaluate({ price: 3 })).toBe(4.5);
    expect(compileRecordExpression('row.d|replaceAll("(\\.\\d*)?Z?$", "")').evaluate({ d: '2024-01-02T03:04:05.6Z' })).toBe('2024-01-02T03:04:05');
  });
  it('reads FlowFile attributes', () => {
    const e = compileRecordExpression('attr("warehouse") == row.wh && attributes.tenant == "t1"');
    expect(e.evaluate({ wh: 'W1' }, { warehouse: 'W1', tenant: 't1' })).toBe(true);
    expect(e.evaluate({ wh: 'W2' }, { warehouse: 'W1', tenant: 't1' })).toBe(false);
  });
  it('supports parenthesised negation', () => {
    expect(compileRecordExpression('(row.name|isEmpty|not) ? "named" : "anonymous"').evaluate({ name: ' ' })).toBe('anonymous');
  });
  it('rejects syntax errors at compile time and reports evaluation errors', () => {
    expect(() => compileRecordExpression('row.a ==')).toThrow(ExpressionError);
    expect(() => compileRecordExpression('row.a|divide(0)').evaluate({ a: 1 })).toThrow(/divide/);
  });
});
