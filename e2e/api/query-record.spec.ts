import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDto, QueueListingDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

let api: StartedApi;
const timer = { strategy: 'timer' as const, period: '0 sec', concurrentTasks: 1, penaltyDuration: '1 sec', yieldDuration: '100 millis' };
const never = { ...timer, strategy: 'cron' as const, period: '0 0 0 1 1 ?' };

const flow = (query: string) => ({
  name: 'Query stock',
  controllerServices: [
    { id: 'csv', type: 'CSVReader', name: 'CSV', properties: {}, enabled: true },
    { id: 'json', type: 'JsonRecordSetWriter', name: 'JSON', properties: {}, enabled: true },
  ],
  processors: [
    { id: 'gen', type: 'GenerateFlowFile', name: 'Export', position: { x: 0, y: 0 }, scheduling: { ...timer, period: '1 hour' }, properties: { 'Custom Text': 'sku,stock\nA,0\nB,4\nC,9\n' } },
    { id: 'query', type: 'QueryRecord', name: 'Query', position: { x: 0, y: 150 }, scheduling: timer, autoTerminated: ['original', 'failure'], properties: { 'Record Reader': 'csv', 'Record Writer': 'json', 'in stock': query } },
    { id: 'out', type: 'LogAttribute', name: 'Out', position: { x: 0, y: 300 }, scheduling: never, autoTerminated: ['success'], properties: {} },
  ],
  connections: [
    { id: 'gen-query', sourceId: 'gen', targetId: 'query', relationships: ['success'] },
    { id: 'query-out', sourceId: 'query', targetId: 'out', relationships: ['in stock'] },
  ],
});

describe('QueryRecord in a running flow', () => {
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is listed with its relationships; a query SQLite cannot parse is a problem of its property, and the flow does not start', async () => {
    const { types } = await json<{ types: { type: string; relationships: { name: string }[] }[] }>(await api.request('/api/processor-types'));
    expect(types.find((t) => t.type === 'QueryRecord')?.relationships.map((r) => r.name)).toEqual(['original', 'failure']);
    const bad = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: flow('SELECT sku FROM FLOWFILE WHERE') }));
    expect(bad.validation).toEqual([expect.objectContaining({ processorId: 'query', property: 'in stock', message: expect.stringMatching(/^in stock: .*(syntax error|incomplete input)/) })]);
    const start = await api.request(`/api/flows/${bad.id}/start`, { method: 'POST' });
    expect(start.status).toBe(400);
    expect(await start.text()).toContain('in stock');
  });

  it('routes the result of each query to its relationship', async () => {
    const created = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: flow('SELECT sku, stock FROM FLOWFILE WHERE stock > 0 ORDER BY stock DESC') }));
    expect(created.validation).toEqual([]);
    expect((await api.request(`/api/flows/${created.id}/start`, { method: 'POST' })).status).toBe(200);
    const end = Date.now() + 20_000;
    let queue: QueueListingDto;
    do {
      queue = await json<QueueListingDto>(await api.request(`/api/flows/${created.id}/connections/query-out/queue`));
      if (queue.count) break;
      await new Promise((r) => setTimeout(r, 150));
    } while (Date.now() < end);
    expect(queue.count).toBe(1);
    const item = queue.flowFiles[0]!;
    expect(item.attributes['record.count']).toBe('2');
    const content = await api.request(`/api/flows/${created.id}/connections/query-out/queue/${item.uuid}/content`);
    expect(JSON.parse((await json<{ content: string }>(content)).content)).toEqual([{ sku: 'C', stock: 9 }, { sku: 'B', stock: 4 }]);
    expect((await api.request(`/api/flows/${created.id}/stop`, { method: 'POST' })).status).toBe(200);
  });
});
