import type { FlowDocument, FlowDto } from '@sluice/contracts';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config.js';
import { openDataSource } from '../persistence/data-source.js';
import { flowProbe, until } from '../testing/flow-probe.js';
import { type StartedApi, startApi, testDatabase } from '../testing/start-api.js';

/**
 * A running flow saved while its queues cannot be read back (the FlowFile table is gone from under the server): the
 * save is stored and answered 200 saying it was not applied, the flow goes on running as before with every FlowFile
 * it held, and once the table is back the next save applies the change and the queued FlowFiles flow on.
 */
describe('saving a running flow while its queues cannot be read back', () => {
  let api: StartedApi;
  let ds: DataSource;
  beforeAll(async () => {
    api = await startApi({ web: false });
    ds = await openDataSource(loadConfig({ SLUICE_DATA_DIR: api.dataDir, ...(await testDatabase(api.dataDir)).env }));
  });
  afterAll(async () => {
    await ds?.destroy();
    await api?.close();
  });

  it('keeps the flow running on its previous engine with its queues, and applies the change once the fault clears', async () => {
    const probe = flowProbe(api);
    const document = {
      name: 'failed rebuild on save',
      processors: [
        {
          id: 'gen',
          type: 'GenerateFlowFile',
          name: 'Generate',
          properties: { 'Custom Text': 'row', 'Batch Size': '1' },
          scheduling: { strategy: 'timer', period: '100 ms', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' },
        },
        { id: 'tag', type: 'UpdateAttribute', name: 'Tag', properties: { tag: 'first' } },
        { id: 'sink', type: 'LogAttribute', name: 'Sink', properties: {}, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'tag' },
        { id: 'c2', sourceId: 'tag', relationships: ['success'], targetId: 'sink' },
      ],
    };
    const created = await api.request('/api/flows', { method: 'POST', json: document });
    expect(created.status).toBe(201);
    const flow = (await created.json()) as FlowDto;
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    // Tag and Sink stopped: what Generate emits stays queued in c1.
    for (const pid of ['tag', 'sink']) expect((await api.request(`/api/flows/${flow.id}/processors/${pid}/stop`, { method: 'POST' })).status).toBe(200);
    await until('three generated FlowFiles', async () => (await probe.queued(flow.id, 'c1')).length >= 3);

    const changed: FlowDocument = structuredClone(flow.document);
    changed.processors.find((p) => p.id === 'tag')!.properties['tag'] = 'second';
    await ds.query(`ALTER TABLE "flowfile" RENAME TO "flowfile_away"`);
    let held: string[];
    let version: number;
    try {
      held = await probe.queued(flow.id, 'c1');
      const res = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document: changed } });
      expect(res.status).toBe(200);
      const saved = (await res.json()) as FlowDto;
      version = saved.version;
      expect(version).toBe(flow.version + 1);
      expect(saved.applied?.failed).toEqual([{ message: expect.stringContaining('saved but not applied') as string }]);
      expect(saved.applied?.failed?.[0]?.message).toContain('flowfile');

      const after = await probe.status(flow.id);
      expect(after.state).toBe('running');
      expect(await probe.states(flow.id)).toEqual({ gen: 'running', tag: 'stopped', sink: 'stopped' });
      // Every FlowFile queued when the save came in is still queued, in order, each once.
      const c1 = await probe.queued(flow.id, 'c1');
      expect(c1.slice(0, held.length)).toEqual(held);
      expect(new Set(c1).size).toBe(c1.length);
      expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
    } finally {
      await ds.query(`ALTER TABLE "flowfile_away" RENAME TO "flowfile"`);
    }

    // Generate goes on once its commits can be stored again.
    const before = (await probe.queued(flow.id, 'c1')).length;
    await until('Generate to go on', async () => (await probe.queued(flow.id, 'c1')).length > before);
    // The stored change is applied by the next save, although it is the same document.
    const again = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version, document: changed } });
    expect(again.status).toBe(200);
    const reapplied = (await again.json()) as FlowDto;
    expect(reapplied.applied?.failed).toBeUndefined();
    expect(await probe.states(flow.id)).toEqual({ gen: 'running', tag: 'stopped', sink: 'stopped' });

    // Everything queued flows on through the changed Tag, none lost or twice.
    expect((await api.request(`/api/flows/${flow.id}/processors/gen/stop`, { method: 'POST' })).status).toBe(200);
    const queued = await probe.queued(flow.id, 'c1');
    expect(queued.slice(0, held.length)).toEqual(held);
    expect((await api.request(`/api/flows/${flow.id}/processors/tag/start`, { method: 'POST' })).status).toBe(200);
    await until('c1 to drain into c2', async () => (await probe.queued(flow.id, 'c1')).length === 0 && (await probe.queued(flow.id, 'c2')).length === queued.length);
    const c2 = await probe.queue(flow.id, 'c2');
    expect(c2.map((f) => f.uuid)).toEqual(queued);
    expect(new Set(c2.map((f) => f.attributes['tag']))).toEqual(new Set(['second']));
  });
});
