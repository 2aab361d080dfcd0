import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionDto, FlowDocument, FlowDto, Page, RowLogDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

/** The Stock Flow seed's dynamic URL, verbatim except for the ERP host it names. */
const SEED_DYNAMIC_URL = readFileSync(new URL('../../libs/expression/fixtures/seed-dynamic-url.el', import.meta.url), 'utf8');

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;


function connection(templateId: string): Record<string, string> {
  const omnitronSettings = { 'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' };
  if (templateId.endsWith('-outbound')) return omnitronSettings;
  return { ...omnitronSettings, 'erp.url': erp.url, 'erp.username': erp.credentials.username, 'erp.password': erp.credentials.password };
}

/** A flow from a template, pointed at the simulators, optionally edited, then started. */
async function flowFrom(templateId: string, name: string, edit?: (doc: FlowDocument) => void): Promise<FlowDto> {
  let flow = await json<FlowDto>(await api.request('/api/flows/from-template', { method: 'POST', json: { templateId, name, parameters: connection(templateId) } }));
  if (edit) {
    const document = structuredClone(flow.document);
    edit(document);
    flow = await json<FlowDto>(await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document } }));
    expect(flow.validation).toEqual([]);
  }
  expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
  return flow;
}

const processor = (doc: FlowDocument, id: string) => doc.processors.find((p) => p.id === id)!;

async function trigger(flowId: string, query = ''): Promise<string> {
  const res = await api.request(`/api/flows/${flowId}/trigger${query}`, { method: 'POST' });
  return (await json<{ executionId: string }>(res)).executionId;
}

async function finished(executionId: string, timeoutMs = 90_000): Promise<ExecutionDto> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const e = await json<ExecutionDto>(await api.request(`/api/executions/${executionId}`));
    if (e.state === 'finished') {
      if (e.status === 'failed') console.log(`execution ${executionId} failed: ${e.error}`);
      return e;
    }
    if (Date.now() > end) throw new Error(`execution ${executionId} still ${e.state}: ${JSON.stringify(e)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every row log of an execution, read page by page (the API serves at most 1000 per page). */
async function rows(executionId: string, query = ''): Promise<{ total: number; items: RowLogDto[] }> {
  const items: RowLogDto[] = [];
  for (;;) {
    const page = await json<Page<RowLogDto>>(await api.request(`/api/executions/${executionId}/rows?limit=1000&offset=${items.length}${query}`));
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return { total: page.total, items };
  }
}

/** ERP requests made since `from` (an index into the simulator's request log). */
const erpRequests = (from: number, path?: string) => erp.state.requests.slice(from).filter((r) => path === undefined || r.path === path);
const stockOf = (sku: string) => omnitron.state.stock.get('1')?.get(sku);

describe('Integrator flows against the ERP and Omnitron simulators', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([
      startErpSim({ generatedRows: 1200 }),
      startOmnitronSim({ generatedProducts: 6000 }),
      startApi({ web: false }),
    ]);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  const pagination: [string, Record<string, string>, number][] = [
    ['offset', { Pagination: 'offset', 'Page Size': '500' }, 3],
    ['seek', { Pagination: 'seek', 'Page Size': '400', 'Seek Marker Field': 'id', 'Seek Parameter': 'after' }, 4],
    ['next', { Pagination: 'next', 'Page Size': '500', 'Next Field Path': '$.next', 'Results Path': '$.results', 'Extra Params': '{"pagination": "next"}' }, 3],
  ];

  it.each(pagination)('reads every %s page, runs the seed script and mapping, and writes every row to Omnitron', async (style, properties, pages) => {
    const flow = await flowFrom('stock-inbound', `Stock ${style}`, (doc) => {
      Object.assign(processor(doc, 'read').properties, properties);
    });
    const before = erp.state.requests.length;
    const id = await trigger(flow.id);
    const e = await finished(id);
    const total = erp.state.stockRows.length;
    expect(e).toMatchObject({ status: 'success', trigger: 'manual', counts: { read: total, written: total, failed: 0 } });
    expect(erpRequests(before, '/api/stock')).toHaveLength(pages);
    for (const row of erp.state.stockRows) expect(stockOf(row.sku)?.stock, row.sku).toBe(Number(row.stock));
    const logged = await rows(id, '&status=success');
    expect(logged.total).toBe(total);
    expect(new Set(logged.items.map((r) => r.sku))).toEqual(new Set(erp.state.stockRows.map((r) => r.sku)));
    const steps = await json<{ processorId: string; error: string | null }[]>(await api.request(`/api/executions/${id}/steps`));
    expect(steps.map((s) => s.processorId)).toEqual(expect.arrayContaining(['login', 'read', 'script', 'mapping', 'write']));
    expect(steps.every((s) => s.error === null)).toBe(true);
  });

  it("runs the seed's dynamic URL unchanged: ?sku= asks for barcodes, a scheduled-style run for the last date", async () => {
    const flow = await flowFrom('stock-inbound', 'Stock dynamic URL', (doc) => {
      const read = processor(doc, 'read').properties;
      read['Endpoint URL'] = SEED_DYNAMIC_URL.replaceAll('http://127.0.0.1:12345', erp.url);
      // The URL carries the whole query, so no parameter is added to it.
      read['Pagination'] = 'none';
      for (const key of ['Page Size', 'SKU Key', 'Modified Date Key', 'Stock List Key', 'Stock List ID']) delete read[key];
    });
    omnitron.state.stock.get('1')!.delete('12345');
    let from = erp.state.requests.length;
    const bySku = await finished(await trigger(flow.id, '?sku=12345'));
    expect(bySku).toMatchObject({ status: 'success', counts: { read: 1, written: 1, failed: 0 } });
    const [service] = erpRequests(from).filter((r) => r.path.endsWith('/service/run'));
    expect(decodeURIComponent(service!.query)).toContain("{'Name': 'Barcodes', 'Value': '12345'}");
    expect(stockOf('12345')?.stock).toBe(Number(erp.state.stockRows.find((r) => r.sku === '12345')!.stock));

    from = erp.state.requests.length;
    const byDate = await finished(await trigger(flow.id));
    expect(byDate.status).toBe('success');
    const [dated] = erpRequests(from).filter((r) => r.path.endsWith('/service/run'));
    // First run: last.request is the epoch, written without fraction or zone as the seed's replaceAll leaves it.
    expect(decodeURIComponent(dated!.query)).toContain("{'Name': 'Date', 'Value': '1970-01-01T00:00:00'}");
    expect(byDate.counts.read).toBe(erp.state.stockRows.length);
  });

  it('keeps last.request where it was when the ERP fails, and moves it after a success', async () => {
    const flow = await flowFrom('stock-inbound', 'Stock with a failing ERP', (doc) => {
      Object.assign(processor(doc, 'read').properties, { 'Retry Count': '1', 'Retry Backoff': '100 millis', 'Transient Failures': 'failure' });
    });
    const dateOf = (from: number) => new URLSearchParams(erpRequests(from, '/api/stock')[0]!.query).get('modified_date__gt');

    let from = erp.state.requests.length;
    const first = await finished(await trigger(flow.id));
    expect(first.status).toBe('success');
    expect(dateOf(from)).toBe('1970-01-01T00:00:00.000000');

    erp.faults({ failNext: 2, failStatus: 503, failPath: '/api/stock' });
    from = erp.state.requests.length;
    const failed = await finished(await trigger(flow.id));
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/503/);
    const afterSuccess = dateOf(from);
    // The first run's start, in the flow's time zone with Integrator's pattern.
    expect(afterSuccess).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(afterSuccess).not.toBe('1970-01-01T00:00:00.000000');
    erp.resetFaults();

    from = erp.state.requests.length;
    const third = await finished(await trigger(flow.id));
    expect(third.status).toBe('empty');
    expect(dateOf(from)).toBe(afterSuccess);
  });

  it('retries a read the ERP refuses for a while: every row arrives once, last.request moves once, to the start of that run', async () => {
    const flow = await flowFrom('stock-inbound', 'Stock with a flaky ERP', (doc) => {
      Object.assign(processor(doc, 'read').properties, { 'Retry Count': '1', 'Retry Backoff': '100 millis', 'Max Retry Back Off': '2 sec' });
    });
    const total = erp.state.stockRows.length;
    // Five refusals of the first page: the request's own retry, then two tries later with a growing back-off.
    erp.faults({ failNext: 5, failStatus: 503, failPath: '/api/stock' });
    let from = erp.state.requests.length;
    const triggeredFrom = Date.now();
    const id = await trigger(flow.id);
    const triggeredBy = Date.now();
    const e = await finished(id);
    expect(erp.faults({}).failNext).toBe(0);
    erp.resetFaults();
    expect(e).toMatchObject({ status: 'success', counts: { read: total, written: total, failed: 0 } });
    const reads = erpRequests(from, '/api/stock');
    expect(reads.map((r) => r.status)).toEqual([503, 503, 503, 503, 503, 200, 200, 200]);
    // Every try asked for the same rows: last.request did not move while the read was failing.
    expect(new Set(reads.map((r) => new URLSearchParams(r.query).get('modified_date__gt')))).toEqual(new Set(['1970-01-01T00:00:00.000000']));
    for (const row of erp.state.stockRows) expect(stockOf(row.sku)?.stock, row.sku).toBe(Number(row.stock));
    const logged = await rows(id);
    expect(logged.total).toBe(total);
    expect(new Set(logged.items.map((r) => r.sku)).size).toBe(total);
    expect(logged.items.every((r) => r.status === 'success')).toBe(true);

    // The next run asks from the start of the retried run (not from when its read finally succeeded).
    from = erp.state.requests.length;
    const next = await finished(await trigger(flow.id));
    expect(next.status).toBe('empty');
    const asked = new URLSearchParams(erpRequests(from, '/api/stock')[0]!.query).get('modified_date__gt')!;
    const askedMs = Date.parse(`${asked.slice(0, 23)}Z`);
    expect(askedMs).toBeGreaterThanOrEqual(triggeredFrom);
    expect(askedMs).toBeLessThanOrEqual(triggeredBy);
    // The refused tries waited 200 ms and 400 ms before the read that succeeded, all after that start.
    expect(Date.parse(e.finishedAt!) - askedMs).toBeGreaterThanOrEqual(600);
  });

  it('refuses an unknown trigger key with a 400 naming it, and a trigger of a stopped flow with a 409', async () => {
    const flow = await flowFrom('stock-inbound', 'Stock trigger keys');
    const res = await api.request(`/api/flows/${flow.id}/trigger?colour=red`, { method: 'POST' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; errors: { field: string }[] };
    expect(body.message).toContain("unknown trigger parameter 'colour'");
    expect(body.errors[0]!.field).toBe('colour');
    await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
    expect((await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' })).status).toBe(409);
  });

  it('writes a 5000-row outbound batch in chunks with one batch_id, and logs every row', async () => {
    const flow = await flowFrom('stock-outbound', 'Stock outbound 5000');
    const batch = Array.from({ length: 5000 }, (_, i) => ({ stock_list: '1', unit_type: 'qty', product_sku: `SKU-${String(i + 1).padStart(6, '0')}`, stock: 1000 + i }));
    const before = omnitron.state.requests.length;
    const token = await api.login('admin', api.adminPassword);
    const res = await fetch(`${api.url}/api/outbound/${flow.id}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    expect(res.status).toBe(202);
    const { executionId } = (await res.json()) as { executionId: string };
    const e = await finished(executionId);
    expect(e).toMatchObject({ status: 'success', trigger: 'outbound', counts: { read: 5000, written: 5000, failed: 0 } });
    const upserts = omnitron.state.requests.slice(before).filter((r) => r.path === '/api/i1/product_stock/bulk_upsert/');
    expect(upserts.length).toBe(5);
    expect(upserts.reduce((n, r) => n + r.rows, 0)).toBe(5000);
    const batchIds = new Set(batch.map((r) => stockOf(r.product_sku)?.batch_id));
    expect(batchIds.size).toBe(1);
    expect([...batchIds][0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(stockOf('SKU-004999')?.stock).toBe(5998);
    expect((await rows(executionId)).total).toBe(5000);
  });

  it('shows which SKUs Omnitron rejected and why', async () => {
    const flow = await flowFrom('stock-outbound', 'Stock outbound with unknown SKUs');
    const res = await api.request(`/api/outbound/${flow.id}`, {
      method: 'POST',
      json: [
        { stock_list: '1', unit_type: 'qty', product_sku: '12346', stock: 4 },
        { stock_list: '1', unit_type: 'qty', product_sku: 'NOT-IN-OMNITRON-1', stock: 1 },
        { stock_list: '1', unit_type: 'qty', product_sku: 'NOT-IN-OMNITRON-2', stock: 2 },
      ],
    });
    expect(res.status).toBe(202);
    const { executionId } = (await res.json()) as { executionId: string };
    const e = await finished(executionId);
    expect(e.counts).toEqual({ read: 3, written: 1, failed: 2 });
    expect(e.status).toBe('partial');
    const failed = await rows(executionId, '&status=failed');
    expect(failed.items.map((r) => r.sku).sort()).toEqual(['NOT-IN-OMNITRON-1', 'NOT-IN-OMNITRON-2']);
    for (const r of failed.items) expect(r.message).toContain('product not found');
    const bySku = await rows(executionId, '&sku=12346');
    expect(bySku.items).toHaveLength(1);
    expect(bySku.items[0]!.status).toBe('success');
    // A case-insensitive substring on SQLite and Postgres alike; LIKE wildcards in the query are literal.
    expect((await rows(executionId, '&sku=not-in-omni')).items.map((r) => r.sku).sort()).toEqual(['NOT-IN-OMNITRON-1', 'NOT-IN-OMNITRON-2']);
    expect((await rows(executionId, '&sku=NOT_IN')).total).toBe(0);
    expect((await rows(executionId, `&sku=${encodeURIComponent('%')}`)).total).toBe(0);
  });

  it('refuses malformed batches with a 4xx naming the problem and queues nothing', async () => {
    const flow = await flowFrom('stock-outbound', 'Stock outbound validation');
    const post = (body: string) => api.request(`/api/outbound/${flow.id}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const broken = await post('[{"product_sku": "1234", "stock": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toMatch(/JSON/);
    const bad = await post(JSON.stringify([{ product_sku: '1234', stock: 3 }, { stock: 3 }, { product_sku: '12344', stock: 'many' }]));
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('1');
    expect(text).toMatch(/product_sku/);
    expect(text).toMatch(/stock/);
    const list = await json<Page<ExecutionDto>>(await api.request(`/api/executions?flowId=${flow.id}`));
    expect(list.total).toBe(0);
    const unauthenticated = await fetch(`${api.url}/api/outbound/${flow.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(unauthenticated.status).toBe(401);
    // The writer's rules decide: it takes `sku` for `product_sku`, so the API does too.
    const bySku = await post(JSON.stringify([{ sku: '1234', stock: 4, stock_list: '1' }]));
    expect(bySku.status).toBe(202);
    expect((await finished(((await bySku.json()) as { executionId: string }).executionId)).status).toBe('success');
    expect(stockOf('1234')?.stock).toBe(4);
  });

  it('answers the 6th concurrent batch with 429 and processes none of it', async () => {
    const flow = await flowFrom('stock-outbound', 'Stock outbound concurrency');
    omnitron.faults({ delayMs: 1500 });
    try {
      // Five at once are all within the limit.
      const replies = await Promise.all(
        Array.from({ length: 5 }, (_, i) => api.request(`/api/outbound/${flow.id}`, { method: 'POST', json: [{ stock_list: '1', unit_type: 'qty', product_sku: '12344', stock: i }] })),
      );
      expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
      const ids = await Promise.all(replies.map(async (r) => ((await r.json()) as { executionId: string }).executionId));
      const sixth = await api.request(`/api/outbound/${flow.id}`, { method: 'POST', json: [{ stock_list: '1', unit_type: 'qty', product_sku: '12347', stock: 777 }] });
      expect(sixth.status).toBe(429);
      expect(((await sixth.json()) as { message: string }).message).toContain('already has 5 executions processing');
      omnitron.resetFaults();
      for (const id of ids) expect((await finished(id)).status).toBe('success');
      expect(stockOf('12347')?.stock).not.toBe(777);
      const list = await json<Page<ExecutionDto>>(await api.request(`/api/executions?flowId=${flow.id}`));
      expect(list.total).toBe(5);
      const again = await api.request(`/api/outbound/${flow.id}`, { method: 'POST', json: [{ stock_list: '1', unit_type: 'qty', product_sku: '12347', stock: 778 }] });
      expect(again.status).toBe(202);
      expect((await finished(((await again.json()) as { executionId: string }).executionId)).status).toBe('success');
      expect(stockOf('12347')?.stock).toBe(778);
    } finally {
      omnitron.resetFaults();
    }
  });

  it("writes every product's images from the ERP through the image mapping", async () => {
    const flow = await flowFrom('image-inbound', 'Images');
    const e = await finished(await trigger(flow.id));
    const total = erp.state.imageRows.length;
    expect(e).toMatchObject({ status: 'success', counts: { read: total, written: total, failed: 0 } });
    for (const row of erp.state.imageRows.slice(0, 20)) {
      expect(omnitron.state.images.get(row.sku)?.map((i) => i.url), row.sku).toEqual(row.images.map((i) => i.url));
    }
  });

  it('fetches missing stock: asks Omnitron for recent products without stock and runs the flow for those SKUs', async () => {
    const flow = await flowFrom('stock-inbound', 'Stock fetch missing', (doc) => {
      doc.integration = { ...doc.integration!, fetchMissing: { enabled: true, interval: '4 hours', productizationDateLimitDays: 3, omnitronIdentifierPath: 'sku' } };
    });
    const since = Date.now() - 3 * 86_400_000;
    const list = omnitron.state.stock.get('1')!;
    // Earlier runs wrote stock for every ERP row: take it away from a few recent products again.
    for (const sku of ['1234', '12344', 'SKU-000001', 'SKU-000003', 'SKU-000002']) list.delete(sku);
    const expected = [...omnitron.state.products.values()].filter((p) => Date.parse(p.productized_date) >= since && !list.has(p.sku)).map((p) => p.sku);
    expect(expected.length).toBeGreaterThan(0);
    const from = erp.state.requests.length;
    const res = await json<{ executionId: string | null; skus: string[] }>(await api.request(`/api/flows/${flow.id}/fetch-missing`, { method: 'POST' }));
    expect(res.skus.sort()).toEqual(expected.sort());
    const e = await finished(res.executionId!);
    expect(e).toMatchObject({ status: 'success', trigger: 'fetch-missing' });
    const asked = new URLSearchParams(erpRequests(from, '/api/stock')[0]!.query).get('sku')!.split(',');
    expect(asked.sort()).toEqual(expected.sort());
    const inErp = expected.filter((sku) => erp.state.stockRows.some((r) => r.sku === sku));
    expect(e.counts.written).toBe(inErp.length);
    for (const sku of inErp) expect(list.has(sku), sku).toBe(true);

    const outbound = await flowFrom('stock-outbound', 'Outbound has no fetch missing');
    const refused = await api.request(`/api/flows/${outbound.id}/fetch-missing`, { method: 'POST' });
    expect(refused.status).toBe(400);
  });

  it('runs a chained flow after the flow it is triggered by succeeds', async () => {
    const first = await flowFrom('stock-inbound', 'Chain head');
    const second = await flowFrom('image-inbound', 'Chain tail', (doc) => {
      doc.integration = { ...doc.integration!, triggeredBy: first.id };
    });
    const head = await finished(await trigger(first.id));
    expect(head.status).toBe('success');
    let tail: ExecutionDto | undefined;
    const end = Date.now() + 30_000;
    while (!tail && Date.now() < end) {
      tail = (await json<Page<ExecutionDto>>(await api.request(`/api/executions?flowId=${second.id}`))).items[0];
      if (!tail) await new Promise((r) => setTimeout(r, 100));
    }
    expect(tail).toMatchObject({ trigger: 'chained', triggeredBy: first.id });
    expect((await finished(tail!.id)).status).toBe('success');
  });

  it('runs a cron-scheduled flow at its fire times, with the seconds field of a six-field expression', async () => {
    const flow = await flowFrom('image-inbound', 'Every two seconds', (doc) => {
      doc.integration = { ...doc.integration!, schedule: { type: 'cron', value: '*/2 * * * * *' } };
    });
    const scheduled = async () => (await json<Page<ExecutionDto>>(await api.request(`/api/executions?flowId=${flow.id}`))).items.filter((e) => e.trigger === 'schedule');
    const end = Date.now() + 30_000;
    let runs = await scheduled();
    while (runs.length < 2 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 200));
      runs = await scheduled();
    }
    expect(runs.length).toBeGreaterThanOrEqual(2);
    // Stopping the flow stops its schedule (a run still under way keeps its FlowFiles queued, as a stop does).
    expect((await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' })).status).toBe(200);
    const after = (await scheduled()).length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await scheduled()).length).toBe(after);
  });
});
