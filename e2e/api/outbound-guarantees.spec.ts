import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionDto, FlowDocument, FlowDto, HourlyMetricDto, Page, RowLogDto } from '@sluice/contracts';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

let api: StartedApi;
let omnitron: OmnitronSimHandle;

async function outboundFlow(name: string, edit?: (doc: FlowDocument) => void): Promise<FlowDto> {
  let flow = await json<FlowDto>(
    await api.request('/api/flows/from-template', {
      method: 'POST',
      json: { templateId: 'stock-outbound', name, parameters: { 'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' } },
    }),
  );
  if (edit) {
    const document = structuredClone(flow.document);
    edit(document);
    flow = await json<FlowDto>(await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document } }));
    expect(flow.validation).toEqual([]);
  }
  expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
  return flow;
}

const rowsOf = (skus: string[]) => skus.map((product_sku, i) => ({ product_sku, stock: i, stock_list: '1', unit_type: 'qty' }));
const post = (flowId: string, body: unknown, key?: string) =>
  api.request(`/api/outbound/${flowId}`, { method: 'POST', json: body, headers: key === undefined ? {} : { 'Idempotency-Key': key } });

async function finished(executionId: string, timeoutMs = 60_000): Promise<ExecutionDto> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const e = await json<ExecutionDto>(await api.request(`/api/executions/${executionId}`));
    if (e.state === 'finished') return e;
    if (Date.now() > end) throw new Error(`execution ${executionId} still ${e.state}: ${JSON.stringify(e)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const executionsOf = async (flowId: string) => json<Page<ExecutionDto>>(await api.request(`/api/executions?flowId=${flowId}&limit=100`));
const rowLogs = async (id: string) => json<Page<RowLogDto>>(await api.request(`/api/executions/${id}/rows?limit=1000`));

describe('outbound guarantees', () => {
  beforeAll(async () => {
    [omnitron, api] = await Promise.all([startOmnitronSim({ generatedProducts: 3000 }), startApi({ web: false })]);
  });
  afterAll(async () => {
    await api?.close();
    await omnitron?.close();
  });

  it('answers a repeated Idempotency-Key with the first execution and creates nothing', async () => {
    const flow = await outboundFlow('Idempotent outbound');
    const batch = rowsOf(['12345', '12344', 'SKU-000007']);
    const received = omnitron.state.counters.stockRowsReceived;
    const first = await post(flow.id, batch, 'batch-2024-12-31-0001');
    expect(first.status).toBe(202);
    const { executionId } = (await first.json()) as { executionId: string };
    // While it runs, right after it finished, and concurrently: always the same execution.
    const again = await Promise.all([post(flow.id, batch, 'batch-2024-12-31-0001'), post(flow.id, batch, 'batch-2024-12-31-0001')]);
    for (const r of again) {
      expect(r.status).toBe(202);
      expect(((await r.json()) as { executionId: string }).executionId).toBe(executionId);
    }
    expect((await finished(executionId)).status).toBe('success');
    const late = await post(flow.id, batch, 'batch-2024-12-31-0001');
    expect(((await late.json()) as { executionId: string }).executionId).toBe(executionId);
    expect((await executionsOf(flow.id)).total).toBe(1);
    expect(omnitron.state.counters.stockRowsReceived - received).toBe(3);
    expect((await rowLogs(executionId)).total).toBe(3);

    // The key belongs to the flow: another flow's request with it is a new batch.
    const other = await outboundFlow('Idempotent outbound, second flow');
    const elsewhere = await post(other.id, batch, 'batch-2024-12-31-0001');
    expect(((await elsewhere.json()) as { executionId: string }).executionId).not.toBe(executionId);
    await finished(((await (await post(other.id, batch, 'batch-2024-12-31-0001')).json()) as { executionId: string }).executionId);
    // Without a key every request is a new execution.
    await finished(((await (await post(flow.id, batch)).json()) as { executionId: string }).executionId);
    expect((await executionsOf(flow.id)).total).toBe(2);
  });

  it('refuses a key reused with another body (422) and a malformed key (400), naming the header', async () => {
    const flow = await outboundFlow('Idempotent outbound, bad keys');
    const first = await post(flow.id, rowsOf(['12345']), 'k-1');
    await finished(((await first.json()) as { executionId: string }).executionId);
    const changed = await post(flow.id, rowsOf(['12344']), 'k-1');
    expect(changed.status).toBe(422);
    const body = (await changed.json()) as { message: string; errors: { field: string }[] };
    expect(body.message).toContain('already used with a different body');
    expect(body.errors[0]!.field).toBe('Idempotency-Key');
    const malformed = await post(flow.id, rowsOf(['12345']), 'has spaces in it');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('Idempotency-Key');
    expect((await executionsOf(flow.id)).total).toBe(1);
  });

  it('marks an execution failed when every row failed and partial when some did, and counts them per hour', async () => {
    const flow = await outboundFlow('Outbound statuses');
    const unknown = Array.from({ length: 2000 }, (_, i) => `NOT-IN-OMNITRON-${i}`);
    const allBad = ((await (await post(flow.id, rowsOf(unknown))).json()) as { executionId: string }).executionId;
    const someBad = ((await (await post(flow.id, rowsOf(['12345', ...unknown.slice(0, 3)]))).json()) as { executionId: string }).executionId;
    const good = ((await (await post(flow.id, rowsOf(['12345']))).json()) as { executionId: string }).executionId;
    expect(await finished(allBad)).toMatchObject({ status: 'failed', counts: { read: 2000, written: 0, failed: 2000 } });
    expect(await finished(someBad)).toMatchObject({ status: 'partial', counts: { read: 4, written: 1, failed: 3 } });
    expect(await finished(good)).toMatchObject({ status: 'success', counts: { read: 1, written: 1, failed: 0 } });
    const partial = await json<Page<ExecutionDto>>(await api.request(`/api/executions?flowId=${flow.id}&status=partial`));
    expect(partial.items.map((e) => e.id)).toEqual([someBad]);
    const hours = await json<HourlyMetricDto[]>(await api.request(`/api/executions/hourly?flowId=${flow.id}&hours=2`));
    const sum = (k: 'success' | 'partial' | 'failed') => hours.reduce((n, h) => n + (h.statuses[k] ?? 0), 0);
    expect([sum('success'), sum('partial'), sum('failed')]).toEqual([1, 1, 1]);
  });

  it('retries rows that failed for a transient reason instead of failing them, and logs each row once', async () => {
    const flow = await outboundFlow('Outbound through an outage', (doc) => {
      // Whichever request meets the outage (a login or a chunk), the next try comes quickly.
      for (const id of ['login', 'write']) Object.assign(doc.processors.find((p) => p.id === id)!.properties, { 'Retry Count': '0', 'Retry Backoff': '100 millis', 'Max Retry Back Off': '1 sec' });
      doc.processors.find((p) => p.id === 'write')!.properties['Batch Size'] = '100';
    });
    const skus = Array.from({ length: 450 }, (_, i) => `SKU-${String(i + 1).padStart(6, '0')}`);
    const received = omnitron.state.counters.stockRowsReceived;
    omnitron.faults({ failNext: 4, failStatus: 503 });
    try {
      const { executionId } = (await (await post(flow.id, rowsOf(skus))).json()) as { executionId: string };
      const e = await finished(executionId);
      expect(e).toMatchObject({ status: 'success', counts: { read: 450, written: 450, failed: 0 } });
      const logs = await rowLogs(executionId);
      expect(logs.total).toBe(450);
      expect(new Set(logs.items.map((r) => r.sku)).size).toBe(450);
      expect(logs.items.every((r) => r.status === 'success')).toBe(true);
      // Only rows Omnitron took: the refused requests never reached its bulk upsert.
      expect(omnitron.state.counters.stockRowsReceived - received).toBe(450);
    } finally {
      omnitron.resetFaults();
    }
  });
});
