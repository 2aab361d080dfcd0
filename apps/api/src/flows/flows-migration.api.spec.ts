import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

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
