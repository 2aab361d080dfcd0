import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

const scheduling = { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };

/** GenerateFlowFile → LogAttribute with the generator's properties and the flow's parameters as given. */
function flow(properties: Record<string, string>, parameters: Record<string, string> = {}) {
  return {
    name: 'parameters',
    parameters,
    processors: [
      { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', properties, scheduling },
      { id: 'log', type: 'LogAttribute', name: 'Log', properties: {}, autoTerminated: ['success'] },
    ],
    connections: [{ id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'log' }],
  };
}

describe('typed properties from parameters, Expression Language and escapes', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('accepts a data size from a parameter and, for a bad one, names the parameter and its value and will not start', async () => {
    const ok = await api.request('/api/flows', { method: 'POST', json: flow({ 'File Size': '#{File Size}' }, { 'File Size': '2 KB' }) });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { validation: unknown[] }).validation).toEqual([]);
    const bad = await api.request('/api/flows', { method: 'POST', json: flow({ 'File Size': '#{File Size}' }, { 'File Size': '2 parsecs' }) });
    expect(bad.status).toBe(201);
    const body = (await bad.json()) as { id: string; validation: { processorId: string; property: string; message: string }[] };
    expect(body.validation).toHaveLength(1);
    expect(body.validation[0]).toMatchObject({ processorId: 'gen', property: 'File Size' });
    expect(body.validation[0]!.message).toContain("File Size: '#{File Size}' = '2 parsecs' is not a data size");
    const start = await api.request(`/api/flows/${body.id}/start`, { method: 'POST' });
    expect(start.status).toBe(400);
    expect(((await start.json()) as { message: string }).message).toContain("'#{File Size}' = '2 parsecs' is not a data size");
  });

  it('saves a reference to an undefined parameter but will not start the flow', async () => {
    const res = await api.request('/api/flows', { method: 'POST', json: flow({ 'Batch Size': '#{batch}' }) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; validation: { message: string }[] };
    expect(created.validation.map((v) => v.message)).toContain("Batch Size: references parameter 'batch', which the flow does not define");
    const start = await api.request(`/api/flows/${created.id}/start`, { method: 'POST' });
    expect(start.status).toBe(400);
  });

  it('leaves a File Size holding Expression Language to run time, and runs literal text with its $$ escapes collapsed', async () => {
    const res = await api.request('/api/flows', {
      method: 'POST',
      json: flow({ 'File Size': '${literal(3):plus(1)}B', literal: '$${not.evaluated}' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    expect((await api.request(`/api/flows/${id}/processors/gen/run-once`, { method: 'POST' })).status).toBeLessThan(300);
    const queue = (await (await api.request(`/api/flows/${id}/connections/c1/queue`)).json()) as { flowFiles: { size: number; attributes: Record<string, string> }[] };
    expect(queue.flowFiles[0]!.size).toBe(4);
    expect(queue.flowFiles[0]!.attributes['literal']).toBe('${not.evaluated}');
  });
});
