import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

/** GenerateFlowFile → SplitJson → LogAttribute: the foundation's reference flow. */
function referenceFlow(name = 'split demo') {
  return {
    name,
    processors: [
      {
        id: 'gen',
        type: 'GenerateFlowFile',
        name: 'Generate',
        properties: { 'Custom Text': '[{"sku":"A"},{"sku":"B"},{"sku":"C"}]', 'Batch Size': '1' },
        scheduling: { strategy: 'timer', period: '200 ms', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' },
      },
      { id: 'split', type: 'SplitJson', name: 'Split', properties: { 'JsonPath Expression': '$.*' }, autoTerminated: ['original', 'failure'] },
      { id: 'log', type: 'LogAttribute', name: 'Log', properties: {}, autoTerminated: ['success'] },
    ],
    connections: [
      { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'split' },
      { id: 'c2', sourceId: 'split', relationships: ['split'], targetId: 'log' },
    ],
  };
}

describe('flows over REST and socket.io', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('serves the OpenAPI document and UI at /api/docs', async () => {
    const ui = await fetch(`${api.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
    const doc = (await (await fetch(`${api.url}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/flows', '/api/auth/login', '/api/outbound/{flowId}']));
  });

  it('requires a token on every route and refuses wrong passwords', async () => {
    expect((await api.request('/api/flows', { token: null })).status).toBe(401);
    expect((await api.request('/api/flows', { token: 'not-a-token' })).status).toBe(401);
    const bad = await fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'wrong-password' }) });
    expect(bad.status).toBe(401);
    const missing = await fetch(`${api.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin' }) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('password');
  });

  it('lists processor types with JSON-serializable descriptors', async () => {
    const res = await api.request('/api/processor-types');
    const body = (await res.json()) as { types: { type: string; relationships: { name: string }[] }[] };
    const types = body.types.map((t) => t.type);
    expect(types).toEqual(expect.arrayContaining(['GenerateFlowFile', 'SplitJson', 'LogAttribute']));
    const text = ['EvaluateJsonPath', 'AttributesToJSON', 'ReplaceText', 'ExtractText', 'RouteOnContent', 'SplitText', 'RouteText', 'CompressContent'];
    expect(types).toEqual(expect.arrayContaining(text));
    expect(body.types.find((t) => t.type === 'SplitText')!.relationships.map((r) => r.name)).toEqual(['original', 'splits', 'failure']);
  });

  it('refuses a broken document with a 4xx naming the problem and changes nothing', async () => {
    const before = ((await (await api.request('/api/flows')).json()) as unknown[]).length;
    const missingTarget = referenceFlow();
    missingTarget.connections[1]!.targetId = 'ghost';
    const r3 = await api.request('/api/flows', { method: 'POST', json: missingTarget });
    expect(r3.status).toBe(400);
    expect(await r3.text()).toContain("Connection 'c2' ends at processor 'ghost', which is not in the flow");

    const r4 = await api.request('/api/flows', { method: 'POST', body: '{"name": "broken', headers: { 'content-type': 'application/json' } });
    expect(r4.status).toBe(400);
    expect(((await r4.json()) as { message: string }).message).toMatch(/JSON/);

    const r5 = await api.request('/api/flows', { method: 'POST', json: { processors: [] } });
    expect(r5.status).toBe(400);
    expect(((await r5.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain('name');

    const after = ((await (await api.request('/api/flows')).json()) as unknown[]).length;
    expect(after).toBe(before);
  });

  it('refuses a create or update over FLOW_LIMITS with a 400 naming the limit, and stores nothing', async () => {
    const created = (await (await api.request('/api/flows', { method: 'POST', json: referenceFlow('limits') })).json()) as { id: string; version: number };
    const log = referenceFlow().processors[2]!;
    const huge = { ...referenceFlow('huge'), processors: Array.from({ length: 5001 }, (_, i) => ({ ...log, id: `p${i}`, name: `Log ${i}` })), connections: [] };
    for (const [path, method, json] of [['/api/flows', 'POST', huge], [`/api/flows/${created.id}`, 'PUT', { version: created.version, document: huge }]] as const) {
      const res = await api.request(path, { method, json });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { message: string; errors: { field: string }[] };
      expect(body.message).toContain('a flow has at most 5000 processors (FLOW_LIMITS.processors); this one has 5001');
      expect(body.errors.map((e) => e.field)).toEqual(['processors']);
    }
    const stored = (await (await api.request(`/api/flows/${created.id}`)).json()) as { name: string; document: { processors: unknown[] } };
    expect([stored.name, stored.document.processors.length]).toEqual(['limits', 3]);
  });

  it('saves a draft with problems, lists each once per processor and property, and refuses to start it', async () => {
    const draft = referenceFlow('draft');
    draft.processors[0]!.properties['Batch Size'] = 'many';
    draft.processors[2]!.type = 'NoSuchProcessor';
    const res = await api.request('/api/flows', { method: 'POST', json: draft });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; validation: { processorId: string; property: string | null; message: string }[] };
    expect(created.validation).toEqual([
      { processorId: 'gen', property: 'Batch Size', message: "Batch Size: 'many' is not a whole number", code: 'invalid' },
      { processorId: 'log', property: null, message: "This server has no processor type 'NoSuchProcessor'", code: 'invalid' },
    ]);
    const start = await api.request(`/api/flows/${created.id}/start`, { method: 'POST' });
    expect(start.status).toBe(400);
    const refusal = (await start.json()) as { message: string; errors: { field: string; message: string; processorId: string }[] };
    expect(refusal.message).toBe("the flow cannot start: 2 problems: Generate: Batch Size: 'many' is not a whole number; Log: This server has no processor type 'NoSuchProcessor'");
    expect(refusal.errors.map((e) => [e.processorId, e.field])).toEqual([['gen', 'properties.Batch Size'], ['log', 'processor']]);
    const status = (await (await api.request(`/api/flows/${created.id}/status`)).json()) as { state: string; processors: { state: string }[] };
    expect(status.state).toBe('stopped');
    expect(status.processors.every((p) => p.state === 'stopped')).toBe(true);
  });

  it('saves with optimistic versions: a stale save is a 409 and keeps the newer document', async () => {
    const created = (await (await api.request('/api/flows', { method: 'POST', json: referenceFlow('versioned') })).json()) as { id: string; version: number };
    const first = await api.request(`/api/flows/${created.id}`, { method: 'PUT', json: { version: created.version, document: { ...referenceFlow('versioned'), description: 'mine' } } });
    expect(first.status).toBe(200);
    const stale = await api.request(`/api/flows/${created.id}`, { method: 'PUT', json: { version: created.version, document: { ...referenceFlow('versioned'), description: 'theirs' } } });
    expect(stale.status).toBe(409);
    const now = (await (await api.request(`/api/flows/${created.id}`)).json()) as { version: number; document: { description: string } };
    expect(now.version).toBe(created.version + 1);
    expect(now.document.description).toBe('mine');
  });

  it('keeps viewers from editing while letting them read', async () => {
    const created = await api.request('/api/users', { method: 'POST', json: { username: 'vera', password: 'viewer-password', role: 'viewer' } });
    expect(created.status).toBe(201);
    const token = await api.login('vera', 'viewer-password');
    expect((await api.request('/api/flows', { token })).status).toBe(200);
    const write = await api.request('/api/flows', { method: 'POST', json: referenceFlow('nope'), token });
    expect(write.status).toBe(403);
    expect(((await write.json()) as { message: string }).message).toContain("'editor'");
  });

  it('runs GenerateFlowFile → SplitJson → LogAttribute, reported live over socket.io, and stops', async () => {
    const created = (await (await api.request('/api/flows', { method: 'POST', json: referenceFlow() })).json()) as { id: string; validation: unknown[] };
    expect(created.validation).toEqual([]);
    const socket: Socket = io(api.url, { auth: { token: api.token }, transports: ['websocket'] });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.on('connect_error', reject);
        socket.emit('flow.join', created.id, (ok: boolean) => (ok ? resolve() : reject(new Error('join refused'))));
      });
      const states: string[] = [];
      const queues: { connectionId: string; count: number }[] = [];
      socket.on('processor.state-changed', (e: { state: string }) => states.push(e.state));
      socket.on('connection.queue-changed', (e: { connectionId: string; count: number }[]) => queues.push(...e));

      const started = await api.request(`/api/flows/${created.id}/start`, { method: 'POST' });
      expect(started.status).toBe(200);
      await waitFor(async () => {
        const res = await api.request(`/api/flows/${created.id}/provenance?eventType=DROP&limit=100`);
        const events = (await res.json()) as { processorId: string }[];
        return events.filter((e) => e.processorId === 'log').length >= 3;
      });
      const stopped = await api.request(`/api/flows/${created.id}/stop`, { method: 'POST' });
      const status = (await stopped.json()) as { state: string; processors: { state: string }[] };
      expect(status.state).toBe('stopped');
      expect(status.processors.every((p) => p.state === 'stopped')).toBe(true);
      await waitFor(async () => states.includes('running') && queues.some((q) => q.connectionId === 'c2'));
    } finally {
      socket.close();
    }
  });

  it('refuses a socket without a token', async () => {
    const socket: Socket = io(api.url, { transports: ['websocket'], reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    socket.close();
    expect(error.message).toContain('authentication required');
  });
});

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}
