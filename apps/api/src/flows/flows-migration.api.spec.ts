import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/app-config.js';
import { openDataSource } from '../persistence/data-source.js';
import { FlowEntity } from '../persistence/entities.js';
import { type StartedApi, startApi, testDatabase } from '../testing/start-api.js';

/** A JoltTransformJSON step as NiFi 1.x stored it: its properties under the old keys. */
function nifi1Flow(name: string) {
  return {
    name,
    processors: [
      {
        id: 'gen',
        type: 'GenerateFlowFile',
        name: 'Generate',
        properties: { 'Custom Text': '{"a": 1}' },
        scheduling: { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' },
      },
      {
        id: 'jolt',
        type: 'JoltTransformJSON',
        name: 'Jolt',
        properties: { 'jolt-transform': 'jolt-transform-shift', 'jolt-spec': '{"a": "b"}', pretty_print: 'true' },
        autoTerminated: ['success', 'failure'],
      },
    ],
    connections: [{ id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'jolt' }],
  };
}

describe('flows saved with NiFi 1.x property keys', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it("are stored under NiFi 2.x names, as the processor's migrateProperties renames them", async () => {
    const res = await api.request('/api/flows', { method: 'POST', json: nifi1Flow('from nifi 1') });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; version: number; validation: unknown[] };
    const flow = (await (await api.request(`/api/flows/${created.id}`)).json()) as { document: { processors: { id: string; properties: Record<string, string> }[] }; validation: unknown[] };
    expect(flow.document.processors.find((p) => p.id === 'jolt')!.properties).toEqual({
      'Jolt Transform': 'jolt-transform-shift', 'Jolt Specification': '{"a": "b"}', 'Pretty Print': 'true',
    });
    expect(flow.validation).toEqual([]);
    const again = await api.request(`/api/flows/${created.id}`, { method: 'PUT', json: { version: created.version, document: nifi1Flow('saved again') } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { document: { processors: { properties: Record<string, string> }[] } }).document.processors[1]!.properties['Jolt Specification']).toBe('{"a": "b"}');
  });
});

/** Steps as NiFi 1.x and earlier Sluice versions stored them, and the names they have today. */
const OLD_KEYS: Record<string, Record<string, [string, string]>> = {
  gen: { 'generate-ff-custom-text': ['Custom Text', '{"sku":"A"}'], 'mime-type': ['Mime Type', 'application/json'] },
  set: { 'canonical-value-lookup-cache-size': ['Cache Value Lookup Cache Size', '50'] },
  log: {
    'Log prefix': ['Log Prefix', 'stock'],
    'Attributes to Log by Regular Expression': ['Attributes to Log Regular Expression', 'mime.*'],
    'attributes-to-ignore-regex': ['Attributes to Ignore Regular Expression', 'uuid'],
  },
};

const scheduling = { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
function currentFlow() {
  const props = (id: string) => Object.fromEntries(Object.values(OLD_KEYS[id]!).map(([name, value]) => [name, value]));
  return {
    name: 'stored long ago',
    processors: [
      { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', properties: props('gen'), scheduling },
      { id: 'set', type: 'UpdateAttribute', name: 'Set', properties: { ...props('set'), sku: 'A' } },
      { id: 'log', type: 'LogAttribute', name: 'Log', properties: props('log'), autoTerminated: ['success'] },
    ],
    connections: [
      { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'set' },
      { id: 'c2', sourceId: 'set', relationships: ['success'], targetId: 'log' },
    ],
  };
}

describe('flows stored under older property names', () => {
  it('load under the names of today: shown, validated, started and run as such', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-migrate-'));
    let api = await startApi({ web: false, dataDir });
    const db = await testDatabase(dataDir);
    let ds: DataSource | undefined;
    try {
      const res = await api.request('/api/flows', { method: 'POST', json: currentFlow() });
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      await api.close();

      // Rewrite the stored document as an older version left it.
      ds = await openDataSource(loadConfig({ SLUICE_DATA_DIR: dataDir, ...db.env }));
      const repo = ds.getRepository(FlowEntity);
      const stored = JSON.parse((await repo.findOneByOrFail({ id })).document) as { processors: { id: string; properties: Record<string, string> }[] };
      for (const p of stored.processors) {
        for (const [old, [name]] of Object.entries(OLD_KEYS[p.id] ?? {})) {
          p.properties[old] = p.properties[name]!;
          delete p.properties[name];
        }
      }
      await repo.update({ id }, { document: JSON.stringify(stored) });
      await ds.destroy();
      ds = undefined;

      api = await startApi({ web: false, dataDir });
      const flow = (await (await api.request(`/api/flows/${id}`)).json()) as { document: { processors: { id: string; properties: Record<string, string> }[] }; validation: unknown[] };
      for (const p of flow.document.processors) {
        for (const [old, [name, value]] of Object.entries(OLD_KEYS[p.id] ?? {})) {
          expect(p.properties[name]).toBe(value);
          expect(p.properties).not.toHaveProperty(old);
        }
      }
      expect(flow.validation).toEqual([]);
      expect((await api.request(`/api/flows/${id}/processors/gen/run-once`, { method: 'POST' })).status).toBeLessThan(300);
      const queue = (await (await api.request(`/api/flows/${id}/connections/c1/queue`)).json()) as { flowFiles: { attributes: Record<string, string> }[] };
      expect(queue.flowFiles[0]!.attributes['mime.type']).toBe('application/json');
      expect((await api.request(`/api/flows/${id}/start`, { method: 'POST' })).status).toBeLessThan(300);
      expect((await api.request(`/api/flows/${id}/stop`, { method: 'POST' })).status).toBeLessThan(300);
    } finally {
      await ds?.destroy();
      await api.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
