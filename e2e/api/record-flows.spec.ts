import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionDto, FlowDocumentInput, FlowDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

/*
 * A merchant's ERP that exports stock as CSV: the export is fetched, split into 1000-row CSV chunks, each converted
 * to JSON with ConvertRecord through the flow's CSV reader and JSON writer services, merged into 5000-row bins with
 * MergeRecord and written to Omnitron one bin per bulk request. Every row must arrive exactly once, with its value.
 */

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;

const event = { strategy: 'event', period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
const timer = { strategy: 'timer', period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };

/** Fetches the ERP's CSV export with the credential the login step put on the FlowFile. */
const FETCH_SCRIPT = (url: string) => `
const flowFile = session.get();
if (flowFile !== null) {
  const headers = {};
  headers[flowFile.getAttribute('erp.auth.header.name')] = flowFile.getAttribute('erp.auth.header.value');
  const r = http.get(${JSON.stringify(url)}, { headers, timeoutMs: 60000 });
  if (r.status !== 200) throw new Error('the ERP answered ' + r.status);
  session.write(flowFile, { process(inputStream, outputStream) { outputStream.write(r.text); } });
  session.putAttribute(flowFile, 'mime.type', 'text/csv');
  session.transfer(flowFile, REL_SUCCESS);
  session.commit();
}`;

function csvFlow(): FlowDocumentInput {
  const chain = ['login', 'fetch', 'split', 'convert', 'merge', 'write'];
  return {
    name: 'Stock from the ERP CSV export',
    parameters: {
      'omnitron.url': omnitron.url,
      'omnitron.username': 'integrator',
      'omnitron.password': 'integrator-pass',
      'erp.url': erp.url,
      'erp.username': erp.credentials.username,
      'erp.password': erp.credentials.password,
    },
    sensitiveParameters: ['omnitron.password', 'erp.password'],
    controllerServices: [
      { id: 'csv-reader', type: 'CSVReader', name: 'ERP CSV export', properties: {} },
      { id: 'csv-writer', type: 'CSVRecordSetWriter', name: 'CSV chunks', properties: {} },
      { id: 'json-reader', type: 'JsonTreeReader', name: 'JSON rows', properties: {} },
      { id: 'json-writer', type: 'JsonRecordSetWriter', name: 'JSON rows out', properties: {} },
    ],
    processors: [
      {
        id: 'login',
        type: 'IntegratorLogin',
        name: 'Login',
        scheduling: event,
        properties: {
          'Omnitron Domain URL': '#{omnitron.url}',
          'Omnitron Username': '#{omnitron.username}',
          'Omnitron Password': '#{omnitron.password}',
          'ERP Auth Type': 'jwt',
          'ERP Login URL': '#{erp.url}/auth/token',
          'ERP Username': '#{erp.username}',
          'ERP Password': '#{erp.password}',
        },
        autoTerminated: ['failure'],
      },
      { id: 'fetch', type: 'ExecuteScript', name: 'Fetch CSV export', scheduling: timer, properties: { 'Script Engine': 'javascript', 'Allow HTTP': 'true', 'Script Body': FETCH_SCRIPT(`${erp.url}/api/stock.csv`) }, autoTerminated: ['failure'] },
      { id: 'split', type: 'SplitRecord', name: 'Chunks of 1000', scheduling: timer, properties: { 'Record Reader': 'csv-reader', 'Record Writer': 'csv-writer', 'Records Per Split': '1000' }, autoTerminated: ['original', 'failure'] },
      { id: 'convert', type: 'ConvertRecord', name: 'CSV to JSON', scheduling: timer, properties: { 'Record Reader': 'csv-reader', 'Record Writer': 'json-writer' }, autoTerminated: ['failure'] },
      {
        id: 'merge',
        type: 'MergeRecord',
        name: '5000-row bins',
        scheduling: timer,
        properties: { 'Record Reader': 'json-reader', 'Record Writer': 'json-writer', 'Minimum Number of Records': '5000', 'Maximum Number of Records': '5000', 'Max Bin Age': '8 sec' },
        autoTerminated: ['original', 'failure'],
      },
      { id: 'write', type: 'WriteOmnitronStock', name: 'Write Stock to Omnitron', scheduling: timer, properties: { 'Batch Size': '5000' }, autoTerminated: ['success', 'failure'] },
    ],
    connections: chain.slice(1).map((target, i) => ({ id: `${chain[i]}-to-${target}`, sourceId: chain[i]!, relationships: [chain[i] === 'split' ? 'splits' : chain[i] === 'merge' ? 'merged' : 'success'], targetId: target })),
    integration: { kind: 'stock', direction: 'inbound', entryProcessorId: 'login' },
  };
}

async function finished(executionId: string, timeoutMs = 90_000): Promise<ExecutionDto> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const e = await json<ExecutionDto>(await api.request(`/api/executions/${executionId}`));
    if (e.state === 'finished') return e;
    if (Date.now() > end) throw new Error(`execution ${executionId} still ${e.state}: ${JSON.stringify(e)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a CSV export converted, merged into 5000-row bins and written to Omnitron', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim({ generatedRows: 12_000 }), startOmnitronSim({ generatedProducts: 12_000 }), startApi({ web: false })]);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  it('writes every ERP row once with its stock, in bulk requests of at most 5000: two full bins and the rest', async () => {
    const created = await api.request('/api/flows', { method: 'POST', json: csvFlow() });
    if (created.status !== 201) console.log(await created.clone().text());
    expect(created.status).toBe(201);
    const flow = await json<FlowDto>(created);
    expect(flow.validation).toEqual([]);
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    const omnitronBefore = omnitron.state.requests.length;
    const { executionId } = await json<{ executionId: string }>(await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' }));
    const e = await finished(executionId);
    const total = erp.state.stockRows.length;
    expect(total).toBe(12_005);
    expect(e).toMatchObject({ status: 'success', counts: { written: total, failed: 0 } });
    expect(erp.state.requests.filter((r) => r.path === '/api/stock.csv').map((r) => r.status)).toEqual([200]);
    const bulk = omnitron.state.requests.slice(omnitronBefore).filter((r) => r.path === '/api/i1/product_stock/bulk_upsert/');
    // Two full bins; the last 2005 rows leave when their bins reach Max Bin Age, which on a slow run can be two bins.
    const sizes = bulk.map((r) => r.rows as number);
    expect(sizes.filter((n) => n === 5000)).toHaveLength(2);
    expect(sizes.every((n) => n > 0 && n <= 5000)).toBe(true);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(12_005);
    expect(omnitron.state.counters.stockRowsReceived).toBe(total);
    const written = omnitron.state.stock.get('1')!;
    expect(written.size).toBe(total);
    for (const row of erp.state.stockRows) expect(written.get(row.sku)?.stock, row.sku).toBe(Number(row.stock));
  });
});
