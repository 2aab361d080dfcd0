import { describe, expect, it } from 'vitest';
import { compileChain } from './index.js';

// The Stock Flow mapping example and its expected Omnitron payload, unchanged.
const seedChain = [
  {
    operation: 'shift',
    spec: {
      '*': {
        sku: '[&1].product_sku',
        stock: '[&1].stock',
        stock_list: '[&1].stock_list',
        unit_type: '[&1].unit_type',
        updated_date: '[&1].updated_date',
      },
    },
  },
];

const erpRows = [
  { sku: '12345', stock: 123, stock_list: '1', unit_type: 'qty' },
  { sku: '12346', stock: 0, stock_list: '1', unit_type: 'qty' },
  { sku: '12347', stock: 9, stock_list: '1', unit_type: 'qty' },
];

const expected = [
  { stock_list: '1', unit_type: 'qty', product_sku: '12345', stock: 123 },
  { stock_list: '1', unit_type: 'qty', product_sku: '12346', stock: 0 },
  { stock_list: '1', unit_type: 'qty', product_sku: '12347', stock: 9 },
];

describe('seed Stock Flow mapping', () => {
  it('maps ERP rows to the Omnitron stock payload', () => {
    expect(compileChain(seedChain).transform(structuredClone(erpRows))).toStrictEqual(expected);
  });

  it('reports the ERP fields the mapping drops and the spec lines that matched nothing', () => {
    const rows = [{ sku: '1', stock: 2, stock_list: '1', unit_type: 'qty', warehouse: 'W1' }];
    const { output, warnings } = compileChain(seedChain).transformWithReport(rows);
    expect(output).toStrictEqual([{ product_sku: '1', stock: 2, stock_list: '1', unit_type: 'qty' }]);
    expect(warnings).toEqual([
      expect.objectContaining({ kind: 'unmatched-input', operationIndex: 0, path: '[0].warehouse' }),
      expect.objectContaining({ kind: 'unmatched-spec', operationIndex: 0, path: '[0].spec.*.updated_date' }),
    ]);
  });
});
