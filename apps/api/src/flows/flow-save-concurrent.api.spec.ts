import type { FlowDocument, FlowDto } from '@sluice/contracts';
import { createServer, type AddressInfo, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowProbe, until } from '../testing/flow-probe.js';
import { type StartedApi, startApi } from '../testing/start-api.js';

const SAVES = 12;
const QUEUED = 60;

/**
 * Saves of one running flow that hold data, fired at once with different configurations of a running processor,
 * while that processor is stopped and started and another is run once: every save is accepted or refused 409, the
 * flow ends as the last accepted document says and runs it, and every FlowFile is queued exactly once.
 */
describe('concurrent saves of a running flow', () => {
  let api: StartedApi;
  // Answers after a while, so a rebuild waits for the request in flight and the next save comes in meanwhile.
  let slow: Server;
  /** The FlowFiles Call sent, in the order it sent them: one engine at a time sends each once. */
  const called: string[] = [];
  beforeAll(async () => {
    api = await startApi({ web: false });
    slow = createServer((req, res) => {
      called.push(String(req.headers['x-flowfile']));
      req.resume();
      setTimeout(() => res.end('ok'), 30);
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await api?.close();
    slow?.closeAllConnections();
    await new Promise((resolve) => slow?.close(resolve));
  });

  const post = async (path: string) => (await api.request(path, { method: 'POST' })).status;

  it('serializes them: the last accepted document runs and no FlowFile is lost or doubled', async () => {
    const probe = flowProbe(api);
    const document = {
      name: 'concurrent saves',
      processors: [
        { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', properties: { 'Custom Text': 'row', 'Batch Size': '1' } },
        { id: 'tag', type: 'UpdateAttribute', name: 'Tag', properties: { config: 'initial' } },
        {
          id: 'call',
          type: 'InvokeHTTP',
          name: 'Call',
          properties: { 'HTTP Method': 'POST', 'HTTP URL': `http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, 'X-FlowFile': '${uuid}' },
          autoTerminated: ['Response'],
        },
        { id: 'sink', type: 'LogAttribute', name: 'Sink', properties: {}, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'tag' },
        { id: 'c2', sourceId: 'tag', relationships: ['success'], targetId: 'call' },
        { id: 'c3', sourceId: 'call', relationships: ['Original', 'Retry', 'No Retry', 'Failure'], targetId: 'sink' },
      ],
    };
    const created = await api.request('/api/flows', { method: 'POST', json: document });
    expect(created.status).toBe(201);
    const flow = (await created.json()) as FlowDto;
    for (let i = 0; i < QUEUED; i++) expect(await post(`/api/flows/${flow.id}/processors/gen/run-once`)).toBe(200);
    const initial = await probe.queued(flow.id, 'c1');
    expect(initial).toHaveLength(QUEUED);
    // Tag and Call kept running and moving FlowFiles on while the engine is rebuilt under them; Sink holds c3.
    for (const pid of ['tag', 'call']) expect(await post(`/api/flows/${flow.id}/processors/${pid}/start`)).toBe(200);

    // Save k is sent on version base + k - 1 until that version is there: each is accepted as soon as the one before
    // is stored, while the engine is still being rebuilt for it.
    const accepted = new Map<number, FlowDocument>();
    const refusals: string[] = [];
    const save = async (k: number) => {
      const doc: FlowDocument = structuredClone(flow.document);
      doc.processors.find((p) => p.id === 'tag')!.properties['config'] = `save-${k}`;
      for (;;) {
        const res = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version + k - 1, document: doc } });
        if (res.status === 409) {
          refusals.push(((await res.json()) as { message: string }).message);
          await new Promise((resolve) => setTimeout(resolve, 2));
          continue;
        }
        expect(res.status).toBe(200);
        const saved = (await res.json()) as FlowDto;
        expect(saved.applied?.failed).toBeUndefined();
        accepted.set(saved.version, saved.document);
        return;
      }
    };
    let saves = 0;
    let runs = 0;
    const operator = async () => {
      while (saves < SAVES) {
        expect(await post(`/api/flows/${flow.id}/processors/tag/stop`)).toBe(200);
        // Stopped is stopped: no save in progress starts it again on the engine it is building.
        for (let i = 0; i < 3; i++) {
          expect((await probe.states(flow.id))['tag']).toBe('stopped');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        expect(await post(`/api/flows/${flow.id}/processors/tag/start`)).toBe(200);
      }
    };
    const trigger = async () => {
      while (saves < SAVES) {
        expect(await post(`/api/flows/${flow.id}/processors/gen/run-once`)).toBe(200);
        runs++;
      }
    };
    await Promise.all([...Array.from({ length: SAVES }, (_, k) => save(k + 1).then(() => saves++)), operator(), trigger()]);

    expect(accepted.size).toBe(SAVES);
    for (const message of refusals) expect(message).toMatch(/changed by .* reload it/);
    const final = (await (await api.request(`/api/flows/${flow.id}`)).json()) as FlowDto;
    expect(final.version).toBe(Math.max(...accepted.keys()));
    expect(final.document).toEqual(accepted.get(final.version));
    const status = await probe.status(flow.id);
    expect(status.processors.map((p) => p.id).sort()).toEqual(final.document.processors.map((p) => p.id).sort());
    expect(await probe.states(flow.id)).toEqual({ gen: 'stopped', tag: 'running', call: 'running', sink: 'stopped' });

    // Every FlowFile queued or made by a run once reaches c3, once.
    await until('every FlowFile in c3', async () => (await probe.queued(flow.id, 'c3')).length >= QUEUED + runs);
    const c3 = await probe.queued(flow.id, 'c3');
    expect(c3).toHaveLength(QUEUED + runs);
    expect((await probe.status(flow.id)).connections.filter((c) => c.count > 0).map((c) => c.id)).toEqual(['c3']);
    expect(new Set(c3).size).toBe(c3.length);
    expect(c3.filter((uuid) => initial.includes(uuid))).toHaveLength(QUEUED);
    expect([...called].sort()).toEqual([...c3].sort());

    // The engine runs the final document: a new FlowFile is tagged with its configuration.
    expect(await post(`/api/flows/${flow.id}/processors/gen/run-once`)).toBe(200);
    await until('the new FlowFile in c3', async () => (await probe.queued(flow.id, 'c3')).length === c3.length + 1);
    const last = (await probe.queue(flow.id, 'c3')).at(-1)!;
    expect(last.attributes['config']).toBe(final.document.processors.find((p) => p.id === 'tag')!.properties['config']);
  });
});
