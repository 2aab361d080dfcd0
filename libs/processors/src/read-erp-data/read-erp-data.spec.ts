import { readFileSync } from 'node:fs';
import { validateConfig } from '@sluice/flow-api';
import { TestRunner } from '@sluice/flow-testing';
import { formatErpDate, startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FetchHttpClient, integratorServices } from '../integrator-shared/integrator-services.testing.js';
import { IntegratorLogin } from '../integrator-login/integrator-login.processor.js';
import { ReadErpData } from './read-erp-data.processor.js';

// The Stock Flow document's dynamic URL, verbatim.
const SEED_URL = readFileSync(new URL('../../../expression/fixtures/seed-dynamic-url.el', import.meta.url), 'utf8');

const NOW = Date.parse('2025-06-15T12:00:00Z');
let erp: ErpSimHandle;
let http: FetchHttpClient;

beforeAll(async () => {
  erp = await startErpSim({ generatedRows: 20, now: NOW });
});
afterAll(() => erp.close());
beforeEach(() => {
  erp.resetFaults();
  http = new FetchHttpClient({ 'http://127.0.0.1:12345': erp.url });
});

/** Requests the client gave up on are still sleeping in the simulator and would take the next test's faults. */
const abandonedRequestsDone = () => new Promise((resolve) => setTimeout(resolve, 200));

const bearer = () => ({ 'erp.auth.header.name': 'Authorization', 'erp.auth.header.value': `Bearer ${erp.issueToken()}` });

async function read(config: Record<string, string>, attributes: Record<string, string> = bearer(), services = integratorServices(http)) {
  const h = new TestRunner(ReadErpData, { services }).setProperties({ 'Retry Backoff': '0 ms', ...config });
  h.enqueue('', attributes);
  await h.run();
  return h;
}
const ids = (h: TestRunner) => h.flowFilesFor('success')[0]!.contentJson<{ id: number }[]>().map((r: { id: number }) => r.id);
const all = Array.from({ length: 25 }, (_, i) => i + 1);

describe('ReadErpData pagination against the ERP simulator', () => {
  it('offset: reads every page into one FlowFile and stops on the short page', async () => {
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock`, Pagination: 'offset', 'Page Size': '10' });
    expect(h.flowFilesFor('success')).toHaveLength(1);
    expect(ids(h)).toEqual(all);
    const a = h.flowFilesFor('success')[0]!.attributes;
    expect([a['erp.rows.read'], a['erp.pages.read'], a['mime.type']]).toEqual(['25', '3', 'application/json']);
    expect((h.services as ReturnType<typeof integratorServices>).recorded.reports).toEqual([{ read: 10 }, { read: 20 }, { read: 25 }]);
    expect(http.sent.map((r) => new URL(r.url).search)).toEqual(['?limit=10&offset=0', '?limit=10&offset=10', '?limit=10&offset=20']);
  });

  it('offset: an exact multiple ends on the empty page', async () => {
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock`, Pagination: 'offset', 'Page Size': '5' });
    expect(ids(h)).toEqual(all);
    expect(h.flowFilesFor('success')[0]!.attributes['erp.pages.read']).toBe('6');
  });

  it('seek: sends the id of the last row', async () => {
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock`, Pagination: 'seek', 'Page Size': '10', 'Seek Marker Field': 'id', 'Seek Parameter': 'after' });
    expect(ids(h)).toEqual(all);
    expect(http.sent.map((r) => new URL(r.url).searchParams.get('after'))).toEqual([null, '10', '20']);
  });

  it('next: follows next URLs and reads rows under results', async () => {
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock?pagination=next`, Pagination: 'next', 'Page Size': '7', 'Results Path': '$.results' });
    expect(ids(h)).toEqual(all);
    expect(h.flowFilesFor('success')[0]!.attributes['erp.pages.read']).toBe('4');
  });

  it('next: sends a next token in the token parameter', async () => {
    const h = await read({
      'Endpoint URL': `${erp.url}/api/images`,
      'Extra Params': '{"pagination": "next", "next_format": "token"}',
      Pagination: 'next',
      'Page Size': '10',
      'Next Token Parameter': 'cursor',
    });
    expect(ids(h)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(new URL(http.sent[1]!.url).searchParams.get('cursor')).toBeTruthy();
  });

  it('none: one request; rows found under results when the reply is an object', async () => {
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock?envelope=results` });
    expect(ids(h)).toEqual(all);
    expect(http.sent).toHaveLength(1);
  });

  it('stops at Max Pages and says so', async () => {
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock`, Pagination: 'offset', 'Page Size': '5', 'Max Pages': '2' });
    const a = h.flowFilesFor('success')[0]!.attributes;
    expect([a['erp.rows.read'], a['erp.max.pages.reached']]).toEqual(['10', 'true']);
  });
});

describe("ReadErpData with the document's dynamic URL", () => {
  const token = () => erp.issueToken();

  it('queries by SKU when the trigger carries one', async () => {
    const h = await read({ 'Endpoint URL': SEED_URL }, { 'http.query.string': 'sku=12345,12347', 'http.query.param.sku': '12345,12347', 'token.erp': token() });
    expect(h.flowFilesFor('success')[0]!.contentJson<{ sku: string; stock: number }[]>().map((r: { sku: string; stock: number }) => [r.sku, r.stock])).toEqual([['12345', 123], ['12347', 9]]);
    expect(h.flowFilesFor('success')[0]!.attributes['erp.request.url']).toContain("'Name': 'Barcodes', 'Value': '12345,12347'");
  });

  it('queries by modified date, cutting the fraction and Z', async () => {
    const since = new Date(NOW - 2.5 * 60_000).toISOString().replace('.000Z', '.678Z');
    const h = await read({ 'Endpoint URL': SEED_URL }, { 'http.query.string': `modified_date__gt=${since}`, 'http.query.param.modified_date__gt': since, 'token.erp': token() });
    expect(h.flowFilesFor('success')[0]!.attributes['erp.request.url']).toContain(`'Value': '${since.slice(0, 19)}'`);
    expect(ids(h)).toEqual([24, 25]);
  });

  it('falls back to last.request on a scheduled run', async () => {
    const last = formatErpDate(NOW - 3.5 * 60_000);
    const h = await read({ 'Endpoint URL': SEED_URL }, { 'last.request': last, 'token.erp': token() });
    expect(ids(h)).toEqual([23, 24, 25]);
  });
});

describe("ReadErpData with the Image Flow's dynamic URL", () => {
  it('reads image rows from an ERP whose service answers images', async () => {
    const images = await startErpSim({ generatedRows: 0, serviceResource: 'images' });
    try {
      const client = new FetchHttpClient({ 'http://127.0.0.1:12345': images.url });
      const h = await read({ 'Endpoint URL': SEED_URL }, { 'http.query.string': 'sku=1234', 'http.query.param.sku': '1234', 'token.erp': images.issueToken() }, integratorServices(client));
      const [row] = h.flowFilesFor('success')[0]!.contentJson<Record<string, unknown>[]>();
      expect(row).toMatchObject({ sku: '1234', base_code: 'test_template', images: [{ url: 'https://test.project.com.tr/test_template-1.jpg', order: 1 }, {}, {}] });
    } finally {
      await images.close();
    }
  });
});

describe('ReadErpData parameters', () => {
  it('adds SKU, modified-date and stock-list parameters from trigger attributes', async () => {
    const config = { 'Endpoint URL': `${erp.url}/api/stock`, 'SKU Key': 'sku', 'Modified Date Key': 'modified_date__gt', 'Stock List Key': 'stock_list', 'Stock List ID': '1' };
    const bySku = await read(config, { ...bearer(), 'http.query.param.sku': '1234' });
    expect(new URL(http.sent[0]!.url).search).toBe('?sku=1234&stock_list=1');
    expect(ids(bySku)).toEqual([4]);
    http.sent.length = 0;
    const byLast = await read({ ...config, Timezone: 'Europe/Istanbul' }, { ...bearer(), 'last.request': '2025-06-15T11:56:30.000Z' });
    expect(new URL(http.sent[0]!.url).searchParams.get('modified_date__gt')).toBe('2025-06-15T14:56:30.000000');
    // 14:56:30 in Istanbul is 11:56:30 UTC, but the ERP reads a zoneless date as UTC: no rows are newer,
    // and by default an empty read ends the run rather than feeding an empty array to the next steps.
    expect(byLast.flowFilesFor('success')).toEqual([]);
    expect(byLast.flowFilesFor('failure')).toEqual([]);
    const passOn = await read({ ...config, Timezone: 'Europe/Istanbul', 'When Nothing Is Read': 'pass on' }, { ...bearer(), 'last.request': '2025-06-15T11:56:30.000Z' });
    expect(ids(passOn)).toEqual([]);
  });

  it('sends extra params as a JSON body on POST, with extra headers', async () => {
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock`, 'HTTP Method': 'POST', 'Extra Params': '{"sku": "${wanted}"}', 'Extra Headers': '{"X-Flow": "stock"}' }, { ...bearer(), wanted: '12346' });
    expect(ids(h)).toEqual([2]);
    const req = erp.state.requests.at(-1)!;
    expect(JSON.parse(req.body)).toEqual({ sku: '12346' });
    expect(req.headers['x-flow']).toBe('stock');
  });

  it('validates pagination settings only for the chosen style', () => {
    expect(validateConfig(ReadErpData.descriptor, { 'Endpoint URL': SEED_URL })).toEqual([]);
    expect(validateConfig(ReadErpData.descriptor, { 'Endpoint URL': 'x', Pagination: 'seek', 'Seek Parameter': '' }).map((r) => r.property)).toEqual(['Seek Parameter']);
  });
});

describe('ReadErpData failures, retries and re-login', () => {
  it('retries 500s and succeeds', async () => {
    erp.faults({ failNext: 2 });
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock`, 'Retry Count': '2' });
    expect(ids(h)).toEqual(all);
  });

  it('routes to failure with erp.error when retries run out and Transient Failures is failure', async () => {
    erp.faults({ failNext: 5 });
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock`, 'Retry Count': '1', 'Transient Failures': 'failure' });
    const a = h.flowFilesFor('failure')[0]!.attributes;
    expect(a['erp.error']).toBe('ERP answered 500 for page 1: injected failure');
    expect(a['erp.http.status']).toBe('500');
  });

  it('retries a timed-out request and names the timeout when retries run out', async () => {
    erp.faults({ delayMs: 150 });
    const h = await read({ 'Endpoint URL': `${erp.url}/api/stock`, 'Retry Count': '1', 'Request Timeout': '30 millis', 'Transient Failures': 'failure' });
    erp.resetFaults();
    await abandonedRequestsDone();
    expect(h.flowFilesFor('failure')[0]!.attributes['erp.error']).toBe(`GET ${erp.url}/api/stock failed after 2 attempts: timed out after 30 ms`);
    expect(http.sent).toHaveLength(2);
  });

  it('routes a 401 without a cached login, a bad results path and a bad expression to failure', async () => {
    const denied = await read({ 'Endpoint URL': `${erp.url}/api/stock` }, {});
    expect(denied.flowFilesFor('failure')[0]!.attributes['erp.error']).toContain('ERP answered 401');
    const path = await read({ 'Endpoint URL': `${erp.url}/api/stock`, 'Results Path': '$.data' });
    expect(path.flowFilesFor('failure')[0]!.attributes['erp.error']).toMatch(/^the ERP reply has no row array at '\$\.data'/);
    const el = await read({ 'Endpoint URL': '${http.query.param.sku:noSuchFunction()}' });
    expect(el.flowFilesFor('failure')[0]!.attributes['erp.error']).toMatch(/^Endpoint URL: /);
  });

  it('logs in again through the login step cache after a 401 and re-evaluates the URL with the new token', async () => {
    const services = integratorServices(http);
    const login = new TestRunner(IntegratorLogin, { services, hasIncomingConnection: false }).setProperties({ 'Omnitron Domain URL': 'http://omnitron.invalid', 'Omnitron Username': 'u', 'Omnitron Password': 'p', 'ERP Auth Type': 'jwt', 'ERP Login URL': `${erp.url}/auth/token`, 'ERP Username': 'erp-user', 'ERP Password': 'erp-pass' });
    // No Omnitron here: put a token in the cache so only the ERP is contacted.
    services.tokens.set('omnitron|http://omnitron.invalid|u', 'omni-token', null);
    await login.run();
    const attrs = login.flowFilesFor('success')[0]!.attributes;
    const logins = erp.state.counters.logins;
    erp.expireTokens();
    const h = await read({ 'Endpoint URL': SEED_URL }, { ...attrs, 'http.query.string': 'sku=1234', 'http.query.param.sku': '1234' }, services);
    const out = h.flowFilesFor('success')[0]!;
    expect(out.contentJson<{ sku: string }[]>().map((r: { sku: string }) => r.sku)).toEqual(['1234']);
    expect(erp.state.counters.logins).toBe(logins + 1);
    expect(out.attributes['token.erp']).not.toBe(attrs['token.erp']);
    expect(out.attributes['erp.auth.header.value']).toBe(`Bearer ${out.attributes['token.erp']}`);

    erp.faults({ unauthorizedOnce: true });
    const header = await read({ 'Endpoint URL': `${erp.url}/api/stock`, Pagination: 'offset', 'Page Size': '10' }, out.attributes as Record<string, string>, services);
    expect(ids(header)).toEqual(all);
    expect(erp.state.counters.logins).toBe(logins + 2);
  });
});

describe('ReadErpData transient failures: retried later, with back-off', () => {
  /** A runner on the real session; its manual clock decides when a penalized FlowFile is due again. */
  function runner(config: Record<string, string>) {
    const { clock: _real, ...services } = integratorServices(http);
    const r = new TestRunner(ReadErpData, { services });
    for (const [k, v] of Object.entries({ 'Retry Backoff': '0 ms', 'Retry Count': '1', 'Modified Date Key': 'modified_date__gt', ...config })) r.setProperty(k, v);
    r.enqueue('', { ...bearer(), 'last.request': '2025-06-01T00:00:00.000000', 'execution.id': 'e-1' });
    return r;
  }
  const dates = (from: number) => erp.state.requests.slice(from).filter((q) => q.path === '/api/stock').map((q) => new URLSearchParams(q.query).get('modified_date__gt'));

  it('keeps the FlowFile penalized while the ERP answers 503, then reads every row once with the same last.request', async () => {
    erp.faults({ failNext: 4, failStatus: 503 });
    const from = erp.state.requests.length;
    const r = runner({ 'Endpoint URL': `${erp.url}/api/stock`, 'Max Retry Back Off': '1 sec' });
    await r.run();
    expect(r.flowFilesFor('success')).toEqual([]);
    expect(r.flowFilesFor('failure')).toEqual([]);
    let [waiting] = r.queued();
    expect(waiting!.getAttribute('erp.error')).toBe('ERP answered 503 for page 1: injected failure');
    expect(waiting!.getAttribute('erp.retry.count')).toBe('1');
    // The back-off continues the request retries' doubling from at least 100 ms: 200 ms, then 400 ms.
    expect(waiting!.isPenalized(r.clock.now() + 199)).toBe(true);
    expect(waiting!.isPenalized(r.clock.now() + 200)).toBe(false);
    await r.run();
    expect(erp.state.requests.length - from).toBe(2);
    await r.clock.advance(200);
    await r.run();
    [waiting] = r.queued();
    expect(waiting!.getAttribute('erp.retry.count')).toBe('2');
    expect(waiting!.isPenalized(r.clock.now() + 399)).toBe(true);
    await r.clock.advance(400);
    await r.run();
    expect(r.queueSize()).toBe(0);
    const [out] = r.flowFilesFor('success');
    expect(out!.getAttribute('erp.rows.read')).toBe('25');
    expect(out!.getAttribute('erp.retry.count')).toBeUndefined();
    expect(out!.getAttribute('erp.error')).toBeUndefined();
    expect(out!.getAttribute('last.request')).toBe('2025-06-01T00:00:00.000000');
    expect((JSON.parse(out!.contentText()) as { id: number }[]).map((row) => row.id)).toEqual(all);
    // Four refused requests and the one that read; each asked from the same last.request.
    expect(dates(from)).toEqual(Array(5).fill('2025-06-01T00:00:00.000000'));
    expect(erp.state.counters.faultsInjected).toBeGreaterThanOrEqual(4);
  });

  it('retries 429, a refused connection and a timeout later too, never waiting longer than Max Retry Back Off', async () => {
    erp.faults({ failNext: 2, failStatus: 429 });
    const throttled = runner({ 'Endpoint URL': `${erp.url}/api/stock`, 'Max Retry Back Off': '150 millis' });
    await throttled.run();
    const [waiting] = throttled.queued();
    expect(waiting!.getAttribute('erp.error')).toBe('ERP answered 429 for page 1: injected failure');
    expect(waiting!.isPenalized(throttled.clock.now() + 150)).toBe(false);
    await throttled.clock.advance(150);
    await throttled.run();
    expect(throttled.flowFilesFor('success')[0]!.getAttribute('erp.rows.read')).toBe('25');

    const refused = runner({ 'Endpoint URL': 'http://127.0.0.1:1/api/stock' });
    await refused.run();
    expect(refused.flowFilesFor('failure')).toEqual([]);
    expect(refused.queued()[0]!.getAttribute('erp.error')).toMatch(/^GET http:\/\/127\.0\.0\.1:1\/api\/stock\?modified_date__gt=.* failed after 2 attempts: connection failed/);

    erp.faults({ delayMs: 150 });
    const slow = runner({ 'Endpoint URL': `${erp.url}/api/stock`, 'Request Timeout': '30 millis' });
    await slow.run();
    erp.resetFaults();
    await abandonedRequestsDone();
    expect(slow.queued()[0]!.getAttribute('erp.error')).toMatch(/failed after 2 attempts: timed out after 30 ms$/);
  });

  it('routes permanent failures (a 4xx other than 429) to failure at once', async () => {
    for (const status of [400, 403, 404]) {
      erp.faults({ failNext: 1, failStatus: status });
      const r = runner({ 'Endpoint URL': `${erp.url}/api/stock` });
      await r.run();
      expect(r.queueSize(), String(status)).toBe(0);
      const [failed] = r.flowFilesFor('failure');
      expect(failed!.getAttribute('erp.error')).toBe(`ERP answered ${status} for page 1: injected failure`);
      expect(failed!.getAttribute('erp.http.status')).toBe(String(status));
      expect(failed!.getAttribute('erp.retry.count')).toBeUndefined();
    }
  });
});
