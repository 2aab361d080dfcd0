import { describe, expect, it } from 'vitest';
import { IntegratorHarness } from '../integrator-shared/integrator-harness.testing.js';
import { FetchHttpClient, integratorServices } from '../integrator-shared/integrator-services.testing.js';
import { JoltTransformJSON } from './jolt-transform-json.processor.js';

const seedSpec = JSON.stringify([
  {
    operation: 'shift',
    spec: { '*': { sku: '[&1].product_sku', stock: '[&1].stock', stock_list: '[&1].stock_list', unit_type: '[&1].unit_type', updated_date: '[&1].updated_date' } },
  },
]);

function harness(config: Record<string, string>) {
  return new IntegratorHarness(JoltTransformJSON, config, integratorServices(new FetchHttpClient()));
}

describe('JoltTransformJSON', () => {
  it('maps the seed ERP rows to the Omnitron stock payload, reporting unused spec paths when asked', async () => {
    const h = harness({ 'Jolt Specification': seedSpec, 'Report Unused Paths': 'true' });
    h.enqueue([
      { sku: '12345', stock: 123, stock_list: '1', unit_type: 'qty' },
      { sku: '12346', stock: 0, stock_list: '1', unit_type: 'qty' },
    ]);
    await h.run();
    const [out] = h.transferred('success');
    expect(out!.json()).toStrictEqual([
      { product_sku: '12345', stock: 123, stock_list: '1', unit_type: 'qty' },
      { product_sku: '12346', stock: 0, stock_list: '1', unit_type: 'qty' },
    ]);
    expect(out!.attributes['mime.type']).toBe('application/json');
    // updated_date is in the spec but not in the rows.
    expect(out!.attributes['jolt.warnings']).toBe('1');
  });

  it('skips the unused-path report by default, with the same output', async () => {
    const h = harness({ 'Jolt Specification': seedSpec });
    h.enqueue([{ sku: '1', stock: 2, extra: 'x' }]);
    await h.run();
    const [out] = h.transferred('success');
    expect(out!.json()).toStrictEqual([{ product_sku: '1', stock: 2 }]);
    expect(out!.attributes['jolt.warnings']).toBeUndefined();
  });

  it('passes the custom context to modify steps and keeps Java double text', async () => {
    const h = harness({
      'Jolt Specification': JSON.stringify([{ operation: 'modify-overwrite-beta', spec: { list: '^list', ratio: '=divide(@(1,a),2)' } }]),
      'Custom Context': '{"list": "34"}',
    });
    h.enqueue('{"a": 8}');
    await h.run();
    const [out] = h.transferred('success');
    expect(out!.text).toBe('{"a":8,"list":"34","ratio":4.0}');
  });

  it('routes content that is not JSON to failure with the position', async () => {
    const h = harness({ 'Jolt Specification': seedSpec });
    h.enqueue('[{"sku": 1,}]');
    await h.run();
    const [out] = h.transferred('failure');
    expect(out!.attributes['jolt.error']).toMatch(/content is not JSON: Invalid JSON at line 1, column 12/);
  });

  it('applies the empty output policy when the chain yields null', async () => {
    const spec = JSON.stringify([{ operation: 'shift', spec: { missing: 'x' } }]);
    const fail = harness({ 'Jolt Specification': spec });
    fail.enqueue('{"a": 1}');
    await fail.run();
    expect(fail.transferred('failure')[0]!.attributes['jolt.error']).toMatch(/no output/);

    const pass = harness({ 'Jolt Specification': spec, 'Empty Output Policy': 'pass through' });
    pass.enqueue('{"a": 1}');
    await pass.run();
    expect(pass.transferred('success')[0]!.text).toBe('{"a": 1}');
  });

  it('routes transform errors to failure', async () => {
    const h = harness({ 'Jolt Specification': JSON.stringify([{ operation: 'shift', spec: { a: 'out.&5' } }]) });
    h.enqueue('{"a": 1}');
    await h.run();
    expect(h.transferred('failure')[0]!.attributes['jolt.error']).toMatch(/transform failed: .*levels up/);
  });

  it('reports a bad spec in validation with its path inside the chain', () => {
    const bad = JoltTransformJSON.validate!({ 'Jolt Specification': JSON.stringify([{ operation: 'shift', spec: { a: 5 } }]) });
    expect(bad).toEqual([expect.objectContaining({ property: 'Jolt Specification', code: 'invalid', message: expect.stringContaining('[0].spec.a') })]);
    expect(JoltTransformJSON.validate!({ 'Jolt Specification': seedSpec, 'Custom Context': '{' })).toEqual([
      expect.objectContaining({ property: 'Custom Context' }),
    ]);
    expect(JoltTransformJSON.validate!({ 'Jolt Specification': seedSpec })).toEqual([]);
  });
});
