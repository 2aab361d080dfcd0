import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

const hourly = { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
const rel = (id: string, sourceId: string, targetId: string, relationships = ['success']) => ({ id, sourceId, targetId, relationships });

/**
 * root: Generate → [Enrich: in → Tag → [Inner: in2 → Tag2 → out2] → out] → Log (root).
 * The flow says region=eu, tier=bronze; Enrich says tier=gold; Inner says tier=platinum.
 */
function nestedFlow() {
  return {
    name: 'groups',
    parameters: { region: 'eu', tier: 'bronze' },
    processGroups: [
      { id: 'enrich', name: 'Enrich', position: { x: 300, y: 0 }, parameters: { tier: 'gold', 'api.key': 'k-123' }, sensitiveParameters: ['api.key'] },
      { id: 'inner', name: 'Inner', parentGroupId: 'enrich', parameters: { tier: 'platinum' } },
    ],
    ports: [
      { id: 'in', kind: 'input', name: 'orders', groupId: 'enrich' },
      { id: 'out', kind: 'output', name: 'tagged', groupId: 'enrich' },
      { id: 'in2', kind: 'input', name: 'orders', groupId: 'inner' },
      { id: 'out2', kind: 'output', name: 'tagged', groupId: 'inner' },
    ],
    processors: [
      { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', properties: { 'Custom Text': 'order-1' }, scheduling: hourly },
      { id: 'tag', type: 'UpdateAttribute', name: 'Tag', groupId: 'enrich', properties: { outer: '#{tier}', region: '#{region}' } },
      { id: 'tag2', type: 'UpdateAttribute', name: 'Tag inner', groupId: 'inner', properties: { inner: '#{tier}' } },
      { id: 'log', type: 'LogAttribute', name: 'Log', autoTerminated: ['success'] },
    ],
    connections: [
      rel('c1', 'gen', 'in'),
      rel('c2', 'in', 'tag'),
      rel('c3', 'tag', 'in2'),
      rel('c4', 'in2', 'tag2'),
      rel('c5', 'tag2', 'out2'),
      rel('c6', 'out2', 'out'),
      rel('c7', 'out', 'log'),
    ],
  };
}

describe('process groups and ports through the API', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('runs FlowFiles root → input port → group processors → output port → root, each group seeing its inherited parameters', async () => {
    const res = await api.request('/api/flows', { method: 'POST', json: nestedFlow() });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; validation: unknown[] };
    expect(created.validation).toEqual([]);
    for (const step of ['gen', 'in', 'tag', 'in2', 'tag2', 'out2', 'out']) {
      expect((await api.request(`/api/flows/${created.id}/processors/${step}/run-once`, { method: 'POST' })).status).toBeLessThan(300);
    }
    const queue = (await (await api.request(`/api/flows/${created.id}/connections/c7/queue`)).json()) as { flowFiles: { uuid: string; size: number; attributes: Record<string, string> }[] };
    expect(queue.flowFiles).toHaveLength(1);
    const ff = queue.flowFiles[0]!;
    expect(ff.attributes).toMatchObject({ region: 'eu', outer: 'gold', inner: 'platinum' });
    expect(ff.size).toBe('order-1'.length);
    // Provenance keeps the path: through each port and processor in order.
    const events = (await (await api.request(`/api/flows/${created.id}/provenance?flowFileUuid=${ff.uuid}`)).json()) as { processorId: string; eventType: string }[];
    expect(events.map((e) => e.processorId).reverse()).toEqual(['gen', 'in', 'tag', 'in2', 'tag2', 'out2', 'out']);
    // Ports report their queues and state like processors.
    const status = (await (await api.request(`/api/flows/${created.id}/status`)).json()) as { processors: { id: string }[]; connections: { id: string; count: number }[] };
    expect(status.processors.map((p) => p.id)).toEqual(expect.arrayContaining(['in', 'out', 'in2', 'out2']));
    expect(status.connections.find((c) => c.id === 'c7')!.count).toBe(1);
  });

  it('masks a group’s sensitive parameter when showing the flow and keeps it when the mask is saved back', async () => {
    type Shown = { version: number; document: { processGroups: { id: string; parameters: Record<string, string> }[] } };
    const created = (await (await api.request('/api/flows', { method: 'POST', json: nestedFlow() })).json()) as { id: string };
    const shown = (await (await api.request(`/api/flows/${created.id}`)).json()) as Shown;
    const masked = shown.document.processGroups.find((g) => g.id === 'enrich')!.parameters;
    expect(masked['api.key']).not.toBe('k-123');
    expect(masked['api.key']).not.toBe('');
    expect(masked['tier']).toBe('gold');
    const saved = await api.request(`/api/flows/${created.id}`, { method: 'PUT', json: { version: shown.version, document: { ...shown.document, name: 'groups again' } } });
    expect(saved.status).toBe(200);
    // Still a masked secret, not an empty value: the mask sent back kept what was stored.
    const again = (await (await api.request(`/api/flows/${created.id}`)).json()) as Shown;
    expect(again.document.processGroups.find((g) => g.id === 'enrich')!.parameters['api.key']).toBe(masked['api.key']);
    const exported = JSON.stringify(await (await api.request(`/api/flows/${created.id}/export`)).json());
    expect(exported).not.toContain('k-123');
    expect(exported).toContain('"tier":"platinum"');
  });

  it('refuses a connection that skips the ports, a cyclic group and a duplicate port name, naming each', async () => {
    const skip = nestedFlow();
    skip.connections = [rel('c1', 'gen', 'tag'), ...skip.connections.slice(1)];
    const res = await api.request('/api/flows', { method: 'POST', json: skip });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { message: string; errors: { field: string; message: string }[] };
    expect(body.errors).toEqual(
      expect.arrayContaining([{ field: 'connections.0.targetId', message: expect.stringContaining("joins processor 'Generate' and processor 'Tag' (in 'Enrich'), which are not in one group") }]),
    );
    const cyclic = nestedFlow();
    cyclic.processGroups[0] = { ...cyclic.processGroups[0]!, parentGroupId: 'inner' } as (typeof cyclic.processGroups)[0];
    const c = (await (await api.request('/api/flows', { method: 'POST', json: cyclic })).json()) as { errors: { field: string; message: string }[] };
    expect(c.errors.map((e) => e.field)).toContain('processGroups.0.parentGroupId');
    const twin = nestedFlow();
    twin.ports.push({ id: 'in3', kind: 'input', name: 'Orders', groupId: 'enrich' });
    const t = await api.request('/api/flows', { method: 'POST', json: twin });
    expect(t.status).toBe(400);
    expect(((await t.json()) as { errors: { field: string; message: string }[] }).errors).toEqual(
      expect.arrayContaining([{ field: 'ports.4.name', message: "Input port 'Orders': process group 'Enrich' already has an input port of that name" }]),
    );
  });

  it('saves a port with nowhere to send its FlowFiles as a draft that will not start, naming the port', async () => {
    const doc = nestedFlow();
    doc.connections = doc.connections.filter((c) => c.id !== 'c7');
    const res = await api.request('/api/flows', { method: 'POST', json: doc });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; validation: { processorId: string; message: string }[] };
    expect(created.validation).toEqual([expect.objectContaining({ processorId: 'out', message: expect.stringContaining('no outgoing connection') })]);
    const start = await api.request(`/api/flows/${created.id}/start`, { method: 'POST' });
    expect(start.status).toBe(400);
    expect(((await start.json()) as { message: string }).message).toContain("Output port 'tagged': The port has no outgoing connection");
  });
  it('lets a group’s controller service serve processors inside the group only', async () => {
    const services = [
      { id: 'csv-in', type: 'CSVReader', name: 'ERP CSV', groupId: 'g', properties: {} },
      { id: 'json-out', type: 'JsonRecordSetWriter', name: 'JSON', properties: {} },
    ];
    const convert = (id: string, groupId?: string) => ({
      id,
      type: 'ConvertRecord',
      name: id,
      ...(groupId ? { groupId } : {}),
      properties: { 'Record Reader': 'csv-in', 'Record Writer': 'json-out' },
      autoTerminated: ['success', 'failure'],
    });
    const res = await api.request('/api/flows', {
      method: 'POST',
      json: { name: 'scoped services', processGroups: [{ id: 'g', name: 'Records' }], controllerServices: services, processors: [convert('inside', 'g'), convert('outside')] },
    });
    expect(res.status).toBe(201);
    const { validation } = (await res.json()) as { validation: { processorId: string; property: string; message: string }[] };
    expect(validation).toEqual([
      expect.objectContaining({ processorId: 'outside', property: 'Record Reader', message: "Record Reader: controller service 'ERP CSV' is invalid: it belongs to a process group this processor is not inside" }),
    ]);
  });
});
