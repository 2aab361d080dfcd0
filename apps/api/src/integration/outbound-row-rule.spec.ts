import { FlowDocumentSchema, type FlowDocument } from '@sluice/contracts';
import { describe, expect, it } from 'vitest';
import { findTemplate } from '../templates/flow-templates.js';
import { decodeBatch } from './outbound-batch.js';
import { rowRule } from './integration.service.js';

const doc = (template: string, change: (d: FlowDocument) => void = () => undefined): FlowDocument => {
  const d = FlowDocumentSchema.parse(findTemplate(template)!.build());
  change(d);
  return d;
};
const rows = (value: unknown) => ({ bytes: new TextEncoder().encode(JSON.stringify(value)), charset: 'utf-8', text: false });
const check = (d: FlowDocument, value: unknown) => decodeBatch(rows(value), rowRule(d)).rowError;
const writer = (d: FlowDocument) => d.processors.find((p) => p.id === 'write')!;

describe('outbound rows are checked by the flow row writer’s own rule', () => {
  it('takes what the stock writer takes (`sku` for `product_sku`) and names what it refuses', () => {
    const stock = doc('stock-outbound', (d) => (d.processors = d.processors.filter((p) => p.type !== 'JoltTransformJSON' && p.type !== 'ExecuteScript')));
    expect(check(stock, [{ sku: '1234', stock: 4 }, { product_sku: '12', stock: '5' }])).toBeNull();
    const refused = check(stock, [{ product_sku: '1', stock: 1 }, { stock: 3 }, { sku: '2', stock: 'many' }, 7]);
    expect(refused?.errors).toEqual([
      { field: '[1].product_sku', message: 'missing product_sku' },
      { field: '[2].stock', message: 'stock "many" is not a number' },
      { field: '[3]', message: 'row is not a JSON object' },
    ]);
  });

  it("reads the images writer's Filename Template through the writer, not by its property name here", () => {
    const images = (template: string) =>
      doc('image-outbound', (d) => {
        d.processors = d.processors.filter((p) => p.type !== 'JoltTransformJSON' && p.type !== 'ExecuteScript');
        writer(d).properties['Filename Template'] = template;
      });
    const byBaseCode = [{ base_code: 'B-1', images: [{ url: 'https://img/1.jpg' }] }];
    expect(check(images('{base_code}'), byBaseCode)).toBeNull();
    expect(check(images('{sku}'), byBaseCode)?.errors).toEqual([{ field: '[0].product_sku', message: 'missing product_sku' }]);
    expect(check(images('{sku}'), [{ sku: 'S-1', images: [] }])?.errors).toEqual([{ field: '[0].images', message: 'images must be a non-empty array' }]);
  });

  it('finds the writer by its role whatever the flow says its kind is, and leaves rows a script reshapes alone', () => {
    const generic = doc('stock-outbound', (d) => {
      d.processors = d.processors.filter((p) => p.type !== 'JoltTransformJSON' && p.type !== 'ExecuteScript');
      d.integration = { ...d.integration!, kind: 'generic' };
    });
    expect(rowRule(generic)).toMatchObject({ type: 'WriteOmnitronStock' });
    expect(check(generic, [{ stock: 1 }])?.errors).toHaveLength(1);
    const scripted = doc('stock-outbound', (d) => d.processors.push({ ...writer(d), id: 'script', type: 'ExecuteScript', properties: {} }));
    expect(rowRule(scripted)).toBeNull();
    const none = doc('stock-outbound', (d) => (d.processors = d.processors.filter((p) => p.id !== 'write')));
    expect(rowRule(none)).toBeNull();
  });
});
