/**
 * Editing a running flow sends nothing nobody meant to send: a save keeps every processor's run state (across a
 * restart too), testing a writer is a dry run that writes nothing to Omnitron, and a live run writes once and
 * consumes its FlowFile, so the flow does not write it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionDto, FlowDocument, FlowDto, Page, ProcessorTestResultDto, QueueListingDto, RowLogDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, testDatabase, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

const ROWS = 120;
const UPSERT = '/api/i1/product_stock/bulk_upsert/';

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;
// Kept across a restart of the server, removed at the end.
const dataDir = mkdtempSync(join(tmpdir(), 'sluice-safe-editing-'));

interface Status {
  state: string;
  processors: { id: string; state: string }[];
  connections: { id: string; count: number }[];
}

const status = async (flowId: string) => json<Status>(await api.request(`/api/flows/${flowId}/status`));
const states = async (flowId: string) => Object.fromEntries((await status(flowId)).processors.map((p) => [p.id, p.state]));
const upserts = () => omnitron.state.requests.filter((r) => r.path === UPSERT);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function save(flow: FlowDto, edit: (doc: FlowDocument) => void): Promise<FlowDto> {
  const document = structuredClone(flow.document);
  edit(document);
  const res = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document } });
  expect(res.status).toBe(200);
  return json<FlowDto>(res);
}

/** A Stock Flow pointed at the simulators, started, its Write step stopped and one batch queued in front of it. */
async function flowWithQueuedBatch(name: string): Promise<{ flow: FlowDto; executionId: string; uuid: string }> {
  const parameters = {
    'omnitron.url': omnitron.url,
    'omnitron.username': 'integrator',
    'omnitron.password': 'integrator-pass',
    'erp.url': erp.url,
    'erp.username': erp.credentials.username,
    'erp.password': erp.credentials.password,
  };
  const flow = await json<FlowDto>(await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-inbound', name, parameters } }));
  expect(flow.validation).toEqual([]);
  expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
  expect((await api.request(`/api/flows/${flow.id}/processors/write/stop`, { method: 'POST' })).status).toBe(200);
  const { executionId } = await json<{ executionId: string }>(await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' }));
  const queue = await until('a batch in front of Write', async () => {
    const q = await json<QueueListingDto>(await api.request(`/api/flows/${flow.id}/connections/mapping-to-write/queue`));
    return q.count > 0 && q.flowFiles.length > 0 && q;
  });
  return { flow, executionId, uuid: queue.flowFiles[0]!.uuid };
}

describe('safe editing of a running flow', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim({ generatedRows: ROWS }), startOmnitronSim({ generatedProducts: 500 }), startApi({ web: false, dataDir })]);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
    await (await testDatabase(dataDir)).drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a save keeps a stopped processor stopped and the others running; a changed running one is restarted; a restart keeps them too', async () => {
    const { flow } = await flowWithQueuedBatch('run state');
    const before = await states(flow.id);
    expect(before).toEqual({ login: 'running', read: 'running', script: 'running', mapping: 'running', write: 'stopped' });
    const queued = (await status(flow.id)).connections.find((c) => c.id === 'mapping-to-write')!.count;

    const described = await save(flow, (d) => void (d.description = 'only the description changed'));
    expect(described.applied).toEqual({ restarted: [], waiting: [] });
    expect(await states(flow.id)).toEqual(before);

    const edited = await save(described, (d) => void (d.processors.find((p) => p.id === 'read')!.properties['Page Size'] = '250'));
    expect(edited.applied).toEqual({ restarted: ['read'], waiting: [] });
    expect(await states(flow.id)).toEqual(before);
    // The queue in front of the stopped Write neither drained nor was dropped.
    expect((await status(flow.id)).connections.find((c) => c.id === 'mapping-to-write')!.count).toBe(queued);
    expect((await status(flow.id)).state).toBe('running');

    // A restart brings back exactly the run state the user chose.
    await api.close();
    api = await startApi({ web: false, dataDir });
    expect(await states(flow.id)).toEqual(before);
    expect((await status(flow.id)).connections.find((c) => c.id === 'mapping-to-write')!.count).toBe(queued);
  });

  it('a dry run of Write sends nothing and shows the request; a live run writes once and the flow does not write it again', async () => {
    const { flow, executionId, uuid } = await flowWithQueuedBatch('dry and live');
    const sentBefore = upserts().length;

    const dry = await json<ProcessorTestResultDto>(await api.request(`/api/flows/${flow.id}/processors/write/test`, { method: 'POST', json: { flowFileUuid: uuid } }));
    expect(dry.mode).toBe('dry-run');
    expect(upserts().length).toBe(sentBefore);
    const request = dry.requests!.find((r) => r.url.endsWith(UPSERT))!;
    expect(request).toMatchObject({ method: 'POST', url: `${omnitron.url}${UPSERT}` });
    expect(request.rowCount).toBeGreaterThanOrEqual(ROWS);
    // The Omnitron token is masked, the scheme word kept.
    expect(Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1]).toMatch(/^Token \*+$/);
    expect(JSON.stringify(dry)).not.toContain('integrator-pass');
    expect(request.rows![0]).toHaveProperty('stock_list', '1');
    // The rows it would log are shown with their SKUs, and none is logged in the execution.
    expect(dry.rows!.length).toBeGreaterThan(0);
    expect(dry.rows!.every((r) => typeof r.sku === 'string' && r.sku !== '' && r.status === 'success')).toBe(true);
    expect((await json<Page<RowLogDto>>(await api.request(`/api/executions/${executionId}/rows`))).total).toBe(0);
    // The FlowFile is still queued: a dry run consumes nothing.
    const still = await json<QueueListingDto>(await api.request(`/api/flows/${flow.id}/connections/mapping-to-write/queue`));
    expect(still.flowFiles.map((f) => f.uuid)).toContain(uuid);

    const live = await json<ProcessorTestResultDto>(await api.request(`/api/flows/${flow.id}/processors/write/test`, { method: 'POST', json: { flowFileUuid: uuid, mode: 'live' } }));
    expect(live).toMatchObject({ mode: 'live', consumed: true });
    expect(live.requests).toBeUndefined();
    expect(upserts().length).toBe(sentBefore + 1);
    expect(upserts().at(-1)!.rows).toBe(request.rowCount);
    const after = await json<QueueListingDto>(await api.request(`/api/flows/${flow.id}/connections/mapping-to-write/queue`));
    expect(after.flowFiles.map((f) => f.uuid)).not.toContain(uuid);
    // A second live run of the same FlowFile is refused: it is gone.
    expect((await api.request(`/api/flows/${flow.id}/processors/write/test`, { method: 'POST', json: { flowFileUuid: uuid, mode: 'live' } })).status).toBe(404);

    // Starting Write and saving again does not write that batch a second time.
    expect((await api.request(`/api/flows/${flow.id}/processors/write/start`, { method: 'POST' })).status).toBe(200);
    await save(await json<FlowDto>(await api.request(`/api/flows/${flow.id}`)), (d) => void (d.description = 'saved after the live run'));
    const done = await until('the execution to finish', async () => {
      const e = await json<ExecutionDto>(await api.request(`/api/executions/${executionId}`));
      return e.state === 'finished' && e;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(upserts().length).toBe(sentBefore + 1);
    expect(done.counts.written).toBe(request.rowCount);
    expect(done.counts.read).toBe(request.rowCount);
  });

  it('a viewer cannot run a step live', async () => {
    const { flow, uuid } = await flowWithQueuedBatch('viewer');
    const created = await api.request('/api/users', { method: 'POST', json: { username: 'watcher', password: 'watcher-password-1', role: 'viewer' } });
    expect(created.status).toBe(201);
    const viewer = await api.login('watcher', 'watcher-password-1');
    const res = await api.request(`/api/flows/${flow.id}/processors/write/test`, { method: 'POST', token: viewer, json: { flowFileUuid: uuid, mode: 'live' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain("a live run needs the 'editor' role");
  });

  it('checks script syntax on save: the draft is stored with the error at its line, and Start is refused naming it', async () => {
    const python = 'def handle(flowFile):\n    return flowFile\n\nif True\n    pass\n';
    const script = (engine: string, body: string) => ({
      id: engine,
      type: 'ExecuteScript',
      name: `${engine} step`,
      position: { x: 0, y: 0 },
      properties: { 'Script Engine': engine, 'Script Body': body },
      autoTerminated: ['success', 'failure'],
    });
    const doc = { name: 'scripts', processors: [script('python', python), script('ECMAScript', 'var a = 1;\nvar b = ;\n')], connections: [] };
    const res = await api.request('/api/flows', { method: 'POST', json: doc });
    expect(res.status).toBe(201);
    const flow = await json<FlowDto>(res);
    const syntax = flow.validation.filter((v) => v.property === 'Script Body');
    expect(syntax.map((v) => [v.processorId, v.line, v.code])).toEqual([
      ['python', 4, 'invalid'],
      ['ECMAScript', 2, 'invalid'],
    ]);
    expect(syntax[0]!.message).toMatch(/^Script Body: SyntaxError/);
    const start = await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' });
    expect(start.status).toBe(400);
    expect(((await start.json()) as { message: string }).message).toMatch(/python step: Script Body: SyntaxError.*\(line 4/);

    const fixed = await save(flow, (d) => {
      d.processors[0]!.properties['Script Body'] = 'def handle(flowFile):\n    return flowFile\n';
      d.processors[1]!.properties['Script Body'] = 'var a = 1;\n';
    });
    expect(fixed.validation).toEqual([]);
  });
});
