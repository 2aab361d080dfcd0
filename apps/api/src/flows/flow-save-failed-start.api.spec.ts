import type { BulletinDto, FlowDocument, FlowDto } from '@sluice/contracts';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowProbe, until } from '../testing/flow-probe.js';
import { type StartedApi, startApi } from '../testing/start-api.js';

async function bound(port = 0): Promise<Server> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
  return s;
}

async function freePort(): Promise<number> {
  const s = await bound();
  const port = (s.address() as AddressInfo).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/**
 * A running flow saved with a change whose processor cannot start once the engine is rebuilt: the save is stored and
 * answered 200 naming the cause, the other processors keep running and processing, and nothing queued is lost.
 */
describe('saving a running flow whose changed listener cannot bind its port', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('keeps the rest running with its queues, reports the failed start, and the listener starts once the port is free', async () => {
    const { status, queued } = flowProbe(api);
    const first = await freePort();
    const document = {
      name: 'failed start on save',
      processors: [
        {
          id: 'gen',
          type: 'GenerateFlowFile',
          name: 'Generate',
          properties: { 'Custom Text': 'row', 'Batch Size': '1' },
          scheduling: { strategy: 'timer', period: '100 ms', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' },
        },
        { id: 'listen', type: 'ListenHTTP', name: 'Listen', properties: { 'Listening Port': String(first) } },
        { id: 'log', type: 'LogAttribute', name: 'Log', properties: {}, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'log' },
        { id: 'c2', sourceId: 'listen', relationships: ['success'], targetId: 'log' },
      ],
    };
    const created = await api.request('/api/flows', { method: 'POST', json: document });
    expect(created.status).toBe(201);
    const flow = (await created.json()) as FlowDto;
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    // Log stopped: what Generate and Listen emit stays queued.
    expect((await api.request(`/api/flows/${flow.id}/processors/log/stop`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${first}/contentListener`, { method: 'POST', body: 'posted' })).status).toBe(200);
    await until('three generated FlowFiles', async () => (await queued(flow.id, 'c1')).length >= 3);
    const generated = await queued(flow.id, 'c1');
    const posted = await queued(flow.id, 'c2');
    expect(posted).toHaveLength(1);

    const taken = await bound();
    const busy = (taken.address() as AddressInfo).port;
    try {
      const changed: FlowDocument = structuredClone(flow.document);
      changed.processors.find((p) => p.id === 'listen')!.properties['Listening Port'] = String(busy);
      const res = await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document: changed } });
      expect(res.status).toBe(200);
      const saved = (await res.json()) as FlowDto;
      expect(saved.version).toBe(flow.version + 1);
      expect(saved.applied?.failed).toEqual([{ processorId: 'listen', message: expect.stringContaining(`port ${busy} is already in use`) as string }]);
      expect(saved.applied?.restarted).not.toContain('listen');

      const after = await status(flow.id);
      expect(after.state).toBe('running');
      expect(Object.fromEntries(after.processors.map((p) => [p.id, p.state]))).toEqual({ gen: 'running', listen: 'stopped', log: 'stopped' });
      // Generate goes on processing on the rebuilt engine, and every FlowFile queued before the save is still there.
      await until('Generate to go on', async () => (await queued(flow.id, 'c1')).length > generated.length);
      const c1 = await queued(flow.id, 'c1');
      expect(c1.slice(0, generated.length)).toEqual(generated);
      expect(new Set(c1).size).toBe(c1.length);
      expect(await queued(flow.id, 'c2')).toEqual(posted);
      const bulletins = (await (await api.request(`/api/flows/${flow.id}/bulletins`)).json()) as BulletinDto[];
      expect(bulletins.some((b) => b.processorId === 'listen' && b.message.includes(`port ${busy} is already in use`))).toBe(true);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }

    // Not kept running any more: a start is the user's, and it works once the port is free.
    expect((await api.request(`/api/flows/${flow.id}/processors/listen/start`, { method: 'POST' })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${busy}/contentListener`, { method: 'POST', body: 'second' })).status).toBe(200);
    expect(await queued(flow.id, 'c2')).toHaveLength(2);
  });
});
