import { validateConfig } from '@sluice/flow-api';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { FetchHttpClient, integratorServices } from '../integrator-shared/integrator-services.testing.js';
import { IntegratorLogin } from '../integrator-login/integrator-login.processor.js';
import { toStockRow, WriteOmnitronStock } from './write-omnitron-stock.processor.js';

let omni: OmnitronSimHandle;
let http: FetchHttpClient;
beforeAll(async () => {
  omni = await startOmnitronSim({ generatedProducts: 3000, stockLists: ['1', '34'] });
});
afterAll(() => omni.close());
beforeEach(() => {
  omni.resetFaults();
  http = new FetchHttpClient();
});

const loggedIn = () => ({ 'token.omnitron': omni.issueToken(), 'omnitron.domain': omni.url });

async function write(rows: string | object, attributes: Record<string, string> = loggedIn(), config: Record<string, string> = {}, services = integratorServices(http)) {
  const h = new TestRunner(WriteOmnitronStock, { services }).setProperties({ 'Retry Backoff': '0 ms', ...config });
  h.enqueue(rows, attributes);
  await h.run();
  return { h, services };
}

describe('toStockRow', () => {
  const d = { stockList: '34', unitType: 'qty', batchId: 'b' };
  it('maps to the documented shape and key order', () => {
    const r = toStockRow({ product_sku: '12345', stock: '7', stock_list: '1', unit_type: 'qty', updated_date: 'x' }, d);
    expect('row' in r && JSON.stringify(r.row)).toBe('{"stock_list":"1","unit_type":"qty","product_sku":"12345","stock":7,"batch_id":"b"}');
    expect(toStockRow({ sku: 99, stock: 1 }, d)).toEqual({ row: { stock_list: '34', unit_type: 'qty', product_sku: '99', stock: 1, batch_id: 'b' } });
  });
  it('explains rows that cannot be sent', () => {
    expect(toStockRow({ stock: 1 }, d)).toEqual({ sku: null, error: 'missing product_sku' });
    expect(toStockRow({ product_sku: 'a', stock: 'abc' }, d)).toEqual({ sku: 'a', error: 'stock "abc" is not a number' });
    expect(toStockRow({ product_sku: 'a', stock: 1 }, { ...d, stockList: undefined })).toEqual({ sku: 'a', error: 'missing stock_list (set Stock List ID)' });
    expect(toStockRow([1], d)).toEqual({ sku: null, error: 'row is not a JSON object' });
  });
});

describe('WriteOmnitronStock against the Omnitron simulator', () => {
  it('writes the documented rows with one batch_id and logs every row', async () => {
    const rows = [
      { stock_list: '1', unit_type: 'qty', product_sku: '1234', stock: 0 },
      { stock_list: '1', unit_type: 'qty', product_sku: '12345', stock: 1 },
      { stock_list: '1', unit_type: 'qty', product_sku: '12344', stock: 26 },
      { stock_list: '1', unit_type: 'qty', product_sku: 'UNKNOWN-1', stock: 5 },
      { stock_list: '1', unit_type: 'qty', product_sku: '12346', stock: 'abc' },
      { stock_list: '1', unit_type: 'qty', stock: 3 },
    ];
    const { h, services } = await write(rows, { ...loggedIn(), 'execution.id': '123a-123a-123a-123a-123123a' });
    const out = h.flowFilesFor('success')[0]!;
    expect([out.attributes['rows.written'], out.attributes['rows.failed'], out.attributes['batch.id']]).toEqual(['3', '3', '123a-123a-123a-123a-123123a']);
    expect(out.contentJson()).toEqual(rows);
    expect(http.sent).toHaveLength(1);
    expect(JSON.parse(http.sent[0]!.body as string)).toEqual([
      { stock_list: '1', unit_type: 'qty', product_sku: '1234', stock: 0, batch_id: '123a-123a-123a-123a-123123a' },
      { stock_list: '1', unit_type: 'qty', product_sku: '12345', stock: 1, batch_id: '123a-123a-123a-123a-123123a' },
      { stock_list: '1', unit_type: 'qty', product_sku: '12344', stock: 26, batch_id: '123a-123a-123a-123a-123123a' },
      { stock_list: '1', unit_type: 'qty', product_sku: 'UNKNOWN-1', stock: 5, batch_id: '123a-123a-123a-123a-123123a' },
    ]);
    expect(omni.state.stock.get('1')!.get('12344')).toEqual({ stock: 26, unit_type: 'qty', batch_id: '123a-123a-123a-123a-123123a' });
    const logs = Object.fromEntries(services.recorded.lines.map((r) => [r.sku ?? '(none)', `${r.status}: ${r.message}`]));
    expect(logs).toEqual({
      '12346': 'failed: stock "abc" is not a number',
      '(none)': 'failed: missing product_sku',
      '1234': 'success: stock 0 written to stock list 1',
      '12345': 'success: stock 1 written to stock list 1',
      '12344': 'success: stock 26 written to stock list 1',
      'UNKNOWN-1': 'failed: product not found in Omnitron',
    });
    // Every row is keyed by its index in the content, so a retry cannot log it twice.
    expect(services.recorded.lines.map((r) => r.key).sort()).toEqual(['0', '1', '2', '3', '4', '5']);
  });

  it('chunks by Batch Size, fills the stock list from the property and makes a batch_id per FlowFile', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => ({ product_sku: `SKU-${String(i + 1).padStart(6, '0')}`, stock: i % 9 }));
    const { h } = await write(rows, loggedIn(), { 'Batch Size': '1000', 'Stock List ID': '34' });
    expect(http.sent.map((r) => JSON.parse(r.body as string).length)).toEqual([1000, 1000, 500]);
    const out = h.flowFilesFor('success')[0]!.attributes;
    expect([out['rows.written'], out['rows.failed']]).toEqual(['2500', '0']);
    expect(out['batch.id']).toMatch(/^00000000-0000-4000-8000-/);
    expect(omni.state.stock.get('34')!.get('SKU-002500')!.stock).toBe(2499 % 9);
  });

  it('retries 500s with backoff and then writes', async () => {
    omni.faults({ failNext: 2 });
    const { h } = await write([{ product_sku: '12347', stock: 9, stock_list: '1' }], loggedIn(), { 'Retry Count': '3' });
    expect(h.flowFilesFor('success')[0]!.attributes['rows.written']).toBe('1');
    expect(http.sent).toHaveLength(3);
  });

  it('keeps the FlowFile to try again later when Omnitron keeps failing, logging nothing for its rows', async () => {
    omni.faults({ failNext: 10 });
    const { h, services } = await write([{ product_sku: '12347', stock: 9, stock_list: '1' }], loggedIn(), { 'Retry Count': '1', 'Retry Backoff': '2 sec' });
    expect(h.transferredRelationships().length).toBe(0);
    const [again] = h.queued();
    expect(again!.flowFile.attributes['omnitron.error']).toBe('Omnitron answered 500: injected failure');
    expect(again!.flowFile.attributes['omnitron.retry.count']).toBe('1');
    // Continues the request retries' doubling: 2 s, then 4 s.
    expect(again!.flowFile.penaltyExpiration - h.clock.now()).toBe(4_000);
    expect(services.recorded.lines).toEqual([]);
    expect(h.logs('error').map((l) => l.message)).toEqual([]);
  });

  it('fails the rows that failed for a transient reason when Transient Failures is failure', async () => {
    omni.faults({ failNext: 10 });
    const { h, services } = await write([{ product_sku: '12347', stock: 9, stock_list: '1' }], loggedIn(), { 'Retry Count': '1', 'Transient Failures': 'failure' });
    const out = h.flowFilesFor('failure')[0]!.attributes;
    expect(out['omnitron.error']).toBe('Omnitron answered 500: injected failure');
    expect(services.recorded.lines).toEqual([{ sku: '12347', status: 'failed', message: 'Omnitron answered 500: injected failure', step: 'Write Data to Omnitron', key: '0' }]);
  });

  it('resumes after a transient failure with the rows that have no outcome, logging every row once', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ product_sku: `SKU-${String(i + 1).padStart(6, '0')}`, stock: i, stock_list: '1' }));
    const services = integratorServices(http);
    const h = new TestRunner(WriteOmnitronStock, { services }).setProperties({ 'Retry Backoff': '0 ms', 'Retry Count': '0', 'Batch Size': '10' });
    h.enqueue(rows, { ...loggedIn(), 'execution.id': 'e-1' });
    let calls = 0;
    const real = http.request.bind(http);
    http.request = (req) => (req.url.endsWith('/bulk_upsert/') && ++calls === 2 ? Promise.resolve({ status: 503, statusText: '', headers: {}, body: new Uint8Array(), durationMs: 0 }) : real(req));
    await h.run();
    expect(h.queued()).toHaveLength(1);
    expect(services.recorded.lines.map((r) => r.sku)).toEqual(rows.slice(0, 10).map((r) => r.product_sku));
    // Penalized for the minimum back-off, so a step without one does not retry in a tight loop.
    expect(h.queued()[0]!.flowFile.penaltyExpiration - h.clock.now()).toBe(100);
    await h.run();
    expect(calls).toBe(2);
    await h.clock.advance(100);
    await h.run();
    const sent = http.sent.filter((r) => r.url.endsWith('/bulk_upsert/')).map((r) => (JSON.parse(r.body as string) as { product_sku: string }[]).map((x) => x.product_sku));
    // The second chunk was refused with 503 once (not sent on the wire here) and went again on the next try.
    expect(calls).toBe(4);
    expect(sent).toEqual([0, 10, 20].map((from) => rows.slice(from, from + 10).map((r) => r.product_sku)));
    const out = h.flowFilesFor('success')[0]!.attributes;
    expect([out['rows.written'], out['rows.failed'], out['batch.id'], out['omnitron.retry.count'], out['omnitron.error']]).toEqual(['25', '0', 'e-1', undefined, undefined]);
    expect(services.recorded.lines.map((r) => r.sku)).toEqual(rows.map((r) => r.product_sku));
  });

  it('sends only the rows without an outcome when the FlowFile comes back after a restart', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ product_sku: `SKU-${String(i + 1).padStart(6, '0')}`, stock: i, stock_list: '1' }));
    const services = integratorServices(http);
    const h = new TestRunner(WriteOmnitronStock, { services }).setProperties({ 'Retry Backoff': '0 ms', 'Batch Size': '10' });
    h.enqueue(rows, loggedIn());
    // What the host kept from the interrupted try: the first chunk, logged before the crash.
    const uuid = h.queued()[0]!.uuid;
    services.recorded.keys.set(uuid, new Map(Array.from({ length: 10 }, (_, i) => [String(i), i === 3 ? 'failed' : 'success'] as const)));
    await h.run();
    const sent = http.sent.map((r) => (JSON.parse(r.body as string) as { product_sku: string }[]).map((x) => x.product_sku));
    expect(sent).toEqual([rows.slice(10, 20).map((r) => r.product_sku), rows.slice(20).map((r) => r.product_sku)]);
    const out = h.flowFilesFor('success')[0]!.attributes;
    expect([out['rows.written'], out['rows.failed']]).toEqual(['29', '1']);
    expect(services.recorded.lines).toHaveLength(20);
  });

  it('fails on content that is not JSON and without a domain', async () => {
    const bad = await write('not json');
    expect(bad.h.flowFilesFor('failure')[0]!.attributes['omnitron.error']).toMatch(/^content is not JSON/);
    const noDomain = await write([{ product_sku: '1', stock: 1 }], { 'token.omnitron': 'x' });
    expect(noDomain.h.flowFilesFor('failure')[0]!.attributes['omnitron.error']).toContain('is not an http(s) URL');
  });

  it('logs in again after a 401 with the configured credentials', async () => {
    omni.faults({ unauthorizedOnce: true });
    const { h } = await write([{ product_sku: '12347', stock: 4, stock_list: '1' }], loggedIn(), { 'Omnitron Username': 'integrator', 'Omnitron Password': 'integrator-pass' });
    expect(h.flowFilesFor('success')[0]!.attributes['rows.written']).toBe('1');
    expect(omni.state.stock.get('1')!.get('12347')!.stock).toBe(4);
  });

  it('logs in again after a 401 with the credentials the login step cached', async () => {
    const services = integratorServices(http);
    const login = new TestRunner(IntegratorLogin, { services, hasIncomingConnection: false }).setProperties({ 'Omnitron Domain URL': omni.url, 'Omnitron Username': 'integrator', 'Omnitron Password': 'integrator-pass' });
    await login.run();
    const attrs = login.flowFilesFor('success')[0]!.attributes as Record<string, string>;
    omni.expireTokens();
    const { h } = await write([{ product_sku: '12346', stock: 2, stock_list: '1' }], attrs, {}, services);
    expect(h.flowFilesFor('success')[0]!.attributes['rows.written']).toBe('1');
    omni.expireTokens();
    const without = await write([{ product_sku: '12346', stock: 2, stock_list: '1' }], { 'token.omnitron': 'stale', 'omnitron.domain': omni.url });
    expect(without.h.flowFilesFor('failure')[0]!.attributes['omnitron.error']).toContain('no Omnitron credentials are configured');
  });

  it('validates its configuration', () => {
    expect(validateConfig(WriteOmnitronStock.descriptor, {})).toEqual([]);
    expect(validateConfig(WriteOmnitronStock.descriptor, { 'Batch Size': '0' })[0]!.property).toBe('Batch Size');
  });
});
