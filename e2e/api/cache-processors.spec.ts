import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDto, QueueListingDto } from '@sluice/contracts';
import { startApi, testDatabase, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

let api: StartedApi;
// Kept across the restart, so removed here rather than by the server's close.
const dataDir = mkdtempSync(join(tmpdir(), 'sluice-cache-'));

const timer = { strategy: 'timer' as const, period: '0 sec', concurrentTasks: 1, penaltyDuration: '1 sec', yieldDuration: '100 millis' };
// Runs once a year: what reaches it stays queued for the test to read, and a signal source only fires when asked.
const never = { ...timer, strategy: 'cron' as const, period: '0 0 0 1 1 ?' };
const rows = [{ sku: 'A' }, { sku: 'B' }, { sku: 'A' }, { sku: 'C' }, { sku: 'B' }, { sku: 'D' }];

/**
 * Rows of an export (two SKUs repeated) split and keyed by SKU; DetectDuplicate drops the repeats through the flow's
 * map cache service, Wait holds the rest until Notify signals the batch.
 */
const document = {
  name: 'Deduplicate and release',
  controllerServices: [{ id: 'cache', type: 'MapCacheClientService', name: 'Cache', properties: {}, enabled: true }],
  processors: [
    { id: 'gen', type: 'GenerateFlowFile', name: 'Export', position: { x: 0, y: 0 }, scheduling: { ...timer, period: '1 hour' }, properties: { 'Custom Text': JSON.stringify(rows) } },
    { id: 'split', type: 'SplitJson', name: 'Rows', position: { x: 0, y: 150 }, scheduling: timer, autoTerminated: ['original', 'failure'], properties: { 'JsonPath Expression': '$' } },
    { id: 'key', type: 'EvaluateJsonPath', name: 'SKU', position: { x: 0, y: 300 }, scheduling: timer, autoTerminated: ['failure', 'unmatched'], properties: { Destination: 'flowfile-attribute', sku: '$.sku' } },
    {
      id: 'dedupe', type: 'DetectDuplicate', name: 'Dedupe', position: { x: 0, y: 450 }, scheduling: timer, autoTerminated: ['failure'],
      properties: { 'Distributed Cache Service': 'cache', 'Cache Entry Identifier': '${sku}', 'FlowFile Description': 'first ${sku}' },
    },
    { id: 'dupes', type: 'LogAttribute', name: 'Duplicates', position: { x: 300, y: 600 }, scheduling: never, autoTerminated: ['success'], properties: {} },
    {
      id: 'wait', type: 'Wait', name: 'Hold batch', position: { x: 0, y: 600 }, scheduling: timer, autoTerminated: ['failure', 'expired'],
      properties: { 'Distributed Cache Service': 'cache', 'Release Signal Identifier': 'batch-1', 'Releasable FlowFile Count': '0', 'Wait Buffer Count': '100' },
    },
    { id: 'released', type: 'LogAttribute', name: 'Released', position: { x: 0, y: 750 }, scheduling: never, autoTerminated: ['success'], properties: {} },
    { id: 'signal', type: 'GenerateFlowFile', name: 'Batch done', position: { x: 300, y: 300 }, scheduling: never, properties: {} },
    { id: 'notify', type: 'Notify', name: 'Signal', position: { x: 300, y: 450 }, scheduling: timer, autoTerminated: ['success', 'failure'], properties: { 'Distributed Cache Service': 'cache', 'Release Signal Identifier': 'batch-1' } },
  ],
  connections: [
    { id: 'gen-split', sourceId: 'gen', targetId: 'split', relationships: ['success'] },
    { id: 'split-key', sourceId: 'split', targetId: 'key', relationships: ['split'] },
    { id: 'key-dedupe', sourceId: 'key', targetId: 'dedupe', relationships: ['matched'] },
    { id: 'dupes-out', sourceId: 'dedupe', targetId: 'dupes', relationships: ['duplicate'] },
    { id: 'to-wait', sourceId: 'dedupe', targetId: 'wait', relationships: ['non-duplicate'] },
    { id: 'wait-loop', sourceId: 'wait', targetId: 'wait', relationships: ['wait'] },
    { id: 'released-out', sourceId: 'wait', targetId: 'released', relationships: ['success'] },
    { id: 'signal-notify', sourceId: 'signal', targetId: 'notify', relationships: ['success'] },
  ],
};

const queue = async (flowId: string, cid: string) => json<QueueListingDto>(await api.request(`/api/flows/${flowId}/connections/${cid}/queue`));

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('DetectDuplicate, Wait and Notify on the map cache service in a running flow', () => {
  beforeAll(async () => {
    api = await startApi({ web: false, dataDir });
  });
  afterAll(async () => {
    await api?.close();
    await (await testDatabase(dataDir)).drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('GET /api/processor-types and /api/controller-service-types list them with NiFi relationships', async () => {
    const { types } = await json<{ types: { type: string; relationships: { name: string }[] }[] }>(await api.request('/api/processor-types'));
    const rels = (type: string) => types.find((t) => t.type === type)?.relationships.map((r) => r.name);
    expect(rels('DetectDuplicate')).toEqual(['duplicate', 'non-duplicate', 'failure']);
    expect(rels('Wait')).toEqual(['success', 'wait', 'expired', 'failure']);
    expect(rels('Notify')).toEqual(['success', 'failure']);
    const services = JSON.stringify(await json(await api.request('/api/controller-service-types')));
    expect(services).toContain('"MapCacheClientService"');
    expect(services).toContain('"DistributedMapCacheClientService"');
  });

  it('drops repeated rows, holds the rest until the signal, then releases the batch; the cache outlives a restart', async () => {
    const flow = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: document }));
    expect(flow.validation, JSON.stringify(flow.validation)).toEqual([]);
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);

    await until('the duplicates', async () => (await queue(flow.id, 'dupes-out')).count === 2);
    const dupes = await queue(flow.id, 'dupes-out');
    expect(dupes.flowFiles.map((f) => f.attributes['sku']).sort()).toEqual(['A', 'B']);
    expect(dupes.flowFiles.map((f) => f.attributes['original.flowfile.description']).sort()).toEqual(['first A', 'first B']);

    // Four unique rows wait (looping through 'wait') and none is released before the signal.
    await until('the waiting rows', async () => (await queue(flow.id, 'to-wait')).count + (await queue(flow.id, 'wait-loop')).count === 4);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await queue(flow.id, 'released-out')).count).toBe(0);

    expect((await api.request(`/api/flows/${flow.id}/processors/signal/run-once`, { method: 'POST' })).status).toBe(200);
    await until('the released batch', async () => (await queue(flow.id, 'released-out')).count === 4);
    const released = await queue(flow.id, 'released-out');
    expect(released.flowFiles.map((f) => f.attributes['sku']).sort()).toEqual(['A', 'B', 'C', 'D']);
    for (const f of released.flowFiles) {
      expect(f.attributes['wait.counter.default']).toBe('1');
      expect(f.attributes['wait.start.timestamp']).toBeUndefined();
    }

    // After a restart the export runs again (its timer fires on start): every row is now a duplicate.
    await api.close();
    api = await startApi({ web: false, dataDir });
    await until('the second export as duplicates', async () => (await queue(flow.id, 'dupes-out')).count === 8);
    await new Promise((r) => setTimeout(r, 500));
    expect((await queue(flow.id, 'released-out')).count).toBe(4);
    expect((await queue(flow.id, 'to-wait')).count + (await queue(flow.id, 'wait-loop')).count).toBe(0);
    expect((await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' })).status).toBe(200);
  });
});
