import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionDto, FlowDocument, FlowDto, QueueListingDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;

const timer = { strategy: 'timer' as const, period: '0 sec', concurrentTasks: 1, penaltyDuration: '1 sec', yieldDuration: '200 millis' };

async function finished(executionId: string, timeoutMs = 60_000): Promise<ExecutionDto> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const e = await json<ExecutionDto>(await api.request(`/api/executions/${executionId}`));
    if (e.state === 'finished') return e;
    if (Date.now() > end) throw new Error(`execution ${executionId} still ${e.state}: ${JSON.stringify(e)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The Stock template's login, then InvokeHTTP reading every stock row from the ERP with the login's token in a header,
 * SplitJson into rows, MergeContent putting them back together as JSON arrays of at most 500 rows, and the Omnitron
 * stock write.
 */
function invokeAndMerge(doc: FlowDocument, rowsPerBundle: number): void {
  doc.processors = doc.processors.filter((p) => p.id === 'login' || p.id === 'write');
  doc.processors.push(
    {
      id: 'invoke', type: 'InvokeHTTP', name: 'Read stock', position: { x: 80, y: 210 }, scheduling: timer, autoTerminated: ['Original', 'Retry', 'No Retry', 'Failure'],
      properties: { 'HTTP URL': '#{erp.url}/api/stock?pagination=none', Authorization: 'Bearer ${token.erp}', 'Response Body Maximum Size': '10 MB' },
    },
    { id: 'split', type: 'SplitJson', name: 'Rows', position: { x: 80, y: 360 }, scheduling: timer, autoTerminated: ['original', 'failure'], properties: { 'JsonPath Expression': '$' } },
    {
      id: 'merge', type: 'MergeContent', name: 'Bundles', position: { x: 80, y: 510 }, scheduling: timer, autoTerminated: ['original', 'failure'],
      properties: {
        'Minimum Number of Entries': String(rowsPerBundle), 'Maximum Number of Entries': String(rowsPerBundle), 'Max Bin Age': '2 sec',
        'Delimiter Strategy': 'Text', Header: '[', Demarcator: ',', Footer: ']',
      },
    },
  );
  doc.connections = [
    { id: 'login-to-invoke', sourceId: 'login', targetId: 'invoke', relationships: ['success'] },
    { id: 'invoke-to-split', sourceId: 'invoke', targetId: 'split', relationships: ['Response'] },
    { id: 'split-to-merge', sourceId: 'split', targetId: 'merge', relationships: ['split'] },
    { id: 'merge-to-write', sourceId: 'merge', targetId: 'write', relationships: ['merged'] },
  ] as FlowDocument['connections'];
}

describe('InvokeHTTP, MergeContent, ControlRate and RetryFlowFile in running flows', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim({ generatedRows: 1200 }), startOmnitronSim({ generatedProducts: 2000 }), startApi({ web: false })]);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  it('GET /api/processor-types lists them with their NiFi relationships', async () => {
    const { types } = await json<{ types: { type: string; relationships: { name: string }[] }[] }>(await api.request('/api/processor-types'));
    const rels = (type: string) => types.find((t) => t.type === type)?.relationships.map((r) => r.name);
    expect(rels('InvokeHTTP')).toEqual(['Original', 'Response', 'Retry', 'No Retry', 'Failure']);
    expect(rels('MergeContent')).toEqual(['merged', 'original', 'failure']);
    expect(rels('ControlRate')).toEqual(['success', 'failure', 'rate exceeded']);
    expect(rels('RetryFlowFile')).toEqual(['retry', 'retries_exceeded', 'failure']);
  });

  it('login → InvokeHTTP against the ERP → SplitJson → MergeContent (500-row bundles) → Omnitron writes every row', async () => {
    const parameters = {
      'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass',
      'erp.url': erp.url, 'erp.username': erp.credentials.username, 'erp.password': erp.credentials.password,
    };
    let flow = await json<FlowDto>(await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-inbound', name: 'Invoke and merge', parameters } }));
    const document = structuredClone(flow.document);
    invokeAndMerge(document, 500);
    flow = await json<FlowDto>(await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document } }));
    expect(flow.validation).toEqual([]);
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    const before = erp.state.requests.length;
    const { executionId } = await json<{ executionId: string }>(await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' }));
    const e = await finished(executionId);
    const total = erp.state.stockRows.length;
    expect(e).toMatchObject({ status: 'success', counts: { written: total, failed: 0 } });
    expect(erp.state.requests.slice(before).filter((r) => r.path === '/api/stock')).toHaveLength(1);
    for (const row of erp.state.stockRows) expect(omnitron.state.stock.get('1')?.get(row.sku)?.stock, row.sku).toBe(Number(row.stock));
    // Two full bundles of 500 and the rest once the queue ran dry; the writer's batch (1000) sends each bundle in one upsert.
    const upserts = omnitron.state.requests.filter((r) => r.path.includes('product_stock/bulk_upsert')).map((r) => r.rows).sort((a, b) => a - b);
    expect(upserts).toEqual([total - 1000, 500, 500]);
    expect((await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' })).status).toBe(200);
  });

  it('GenerateFlowFile → ControlRate → RetryFlowFile loop: throttled, counted and given up on after Maximum Retries', async () => {
    const document = {
      name: 'Throttle and retry',
      processors: [
        { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', position: { x: 0, y: 0 }, scheduling: { ...timer, period: '1 hour' }, properties: { 'Batch Size': '6', 'File Size': '0 B' } },
        { id: 'rate', type: 'ControlRate', name: 'Rate', position: { x: 0, y: 150 }, scheduling: timer, autoTerminated: ['failure'], properties: { 'Rate Control Criteria': 'flowfile count', 'Maximum Rate': '3', 'Time Duration': '1 sec' } },
        { id: 'retry', type: 'RetryFlowFile', name: 'Retry', position: { x: 0, y: 300 }, scheduling: timer, autoTerminated: ['failure'], properties: { 'Maximum Retries': '2', 'Penalize Retries': 'false', 'gave.up': 'yes' } },
        // Runs once a year, so what gives up stays in its queue for the test to read.
        { id: 'log', type: 'LogAttribute', name: 'Log', position: { x: 0, y: 450 }, scheduling: { ...timer, strategy: 'cron', period: '0 0 0 1 1 ?' }, properties: {}, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'gen-rate', sourceId: 'gen', targetId: 'rate', relationships: ['success'] },
        { id: 'rate-retry', sourceId: 'rate', targetId: 'retry', relationships: ['success'] },
        { id: 'retry-loop', sourceId: 'retry', targetId: 'rate', relationships: ['retry'] },
        { id: 'retry-out', sourceId: 'retry', targetId: 'log', relationships: ['retries_exceeded'] },
      ],
    };
    const flow = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: document }));
    expect(flow.validation, JSON.stringify(flow.validation)).toEqual([]);
    const started = Date.now();
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    // Six FlowFiles pass ControlRate three times each (18 passes at 3 per second) before all six give up.
    let queue: QueueListingDto;
    const end = Date.now() + 30_000;
    for (;;) {
      queue = await json<QueueListingDto>(await api.request(`/api/flows/${flow.id}/connections/retry-out/queue`));
      if (queue.count >= 6 || Date.now() > end) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const elapsed = Date.now() - started;
    expect((await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' })).status).toBe(200);
    expect(queue.count).toBe(6);
    // 18 passes at 3 per second cannot take less than 5 windows.
    expect(elapsed).toBeGreaterThanOrEqual(4_000);
    for (const item of queue.flowFiles) {
      expect(item.attributes['gave.up']).toBe('yes');
      expect(item.attributes['flowfile.retries']).toBeUndefined();
    }
  });
});
