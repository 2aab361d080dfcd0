import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument, FlowDto, FlowImportDto } from '@sluice/contracts';
import { type StartedApi, startApi } from '../../testing/start-api.js';

const timer = { strategy: 'timer', period: '0 sec', concurrentTasks: 2, penaltyDuration: '5 sec', yieldDuration: '2 sec' };

/** A flow of NiFi's own processors and services only. */
const nifiOnly = {
  name: 'Tag and route',
  description: 'Generates orders, tags them and routes the big ones.',
  parameters: { 'order.size': '12', 'api.token': 'very-secret' },
  sensitiveParameters: ['api.token'],
  controllerServices: [
    { id: 'csv-in', type: 'CSVReader', name: 'CSV in', properties: { 'Treat First Line as Header': 'true' } },
    { id: 'json-out', type: 'JsonRecordSetWriter', name: 'JSON out', properties: { 'Pretty Print JSON': 'true' }, enabled: false },
  ],
  processors: [
    { id: 'gen', type: 'GenerateFlowFile', name: 'Orders', position: { x: -40, y: 12.5 }, properties: { 'Custom Text': 'sku,qty\nA,#{order.size}\n' }, scheduling: { ...timer, period: '1 hour', concurrentTasks: 1 } },
    { id: 'conv', type: 'ConvertRecord', name: 'To JSON', position: { x: 0, y: 150 }, properties: { 'Record Reader': 'csv-in', 'Record Writer': 'json-out' }, scheduling: { ...timer, runDuration: '50 ms' }, autoTerminated: ['failure'] },
    { id: 'tag', type: 'UpdateAttribute', name: 'Tag', position: { x: 0, y: 300 }, properties: { size: '#{order.size}', channel: 'web' }, scheduling: { ...timer, strategy: 'cron', period: '0 0/5 * * * ?' }, comments: 'adds the size' },
    { id: 'route', type: 'RouteOnAttribute', name: 'Big?', position: { x: 0, y: 450 }, properties: { 'Routing Strategy': 'Route to Property name', big: '${size:gt(10)}' }, scheduling: timer, autoTerminated: ['unmatched'] },
    { id: 'log', type: 'LogAttribute', name: 'Log', position: { x: 0, y: 600 }, properties: { 'Log Level': 'warn' }, scheduling: timer, autoTerminated: ['success'] },
  ],
  connections: [
    { id: 'c1', sourceId: 'gen', targetId: 'conv', relationships: ['success'], name: 'orders' },
    { id: 'c2', sourceId: 'conv', targetId: 'tag', relationships: ['success'], backPressureObjectThreshold: 500, backPressureDataSizeThreshold: '10 MB' },
    { id: 'c3', sourceId: 'tag', targetId: 'route', relationships: ['success'] },
    { id: 'c4', sourceId: 'route', targetId: 'log', relationships: ['big'] },
  ],
};

describe('GET /api/flows/:id/export?format=nifi', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  const create = async (doc: unknown) => {
    const res = await api.request('/api/flows', { method: 'POST', json: doc });
    expect(res.status).toBe(201);
    return (await res.json()) as FlowDto;
  };

  it('writes a NiFi flow definition that imports back into the same flow (round trip), with no secret in it', async () => {
    const flow = await create(nifiOnly);
    const res = await api.request(`/api/flows/${flow.id}/export?format=nifi`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain('very-secret');
    const def = JSON.parse(text) as {
      flowContents: { identifier: string; name: string; parameterContextName: string; processors: { type: string; bundle: { artifact: string }; schedulingStrategy: string; runDurationMillis: number }[]; controllerServices: { type: string; controllerServiceApis: { type: string }[]; scheduledState: string }[]; connections: { source: { type: string }; selectedRelationships: string[] }[] };
      parameterContexts: Record<string, { parameters: { name: string; sensitive: boolean; value: string | null }[]; inheritedParameterContexts: string[] }>;
      flowEncodingVersion: string;
    };
    expect(def.flowEncodingVersion).toBe('1.0');
    expect(def.flowContents).toMatchObject({ identifier: flow.id, name: 'Tag and route', parameterContextName: 'Tag and route' });
    expect(def.flowContents.processors.map((p) => [p.type, p.bundle.artifact])).toEqual([
      ['org.apache.nifi.processors.standard.GenerateFlowFile', 'nifi-standard-nar'],
      ['org.apache.nifi.processors.standard.ConvertRecord', 'nifi-standard-nar'],
      ['org.apache.nifi.processors.attributes.UpdateAttribute', 'nifi-update-attribute-nar'],
      ['org.apache.nifi.processors.standard.RouteOnAttribute', 'nifi-standard-nar'],
      ['org.apache.nifi.processors.standard.LogAttribute', 'nifi-standard-nar'],
    ]);
    expect(def.flowContents.processors[1]).toMatchObject({ schedulingStrategy: 'TIMER_DRIVEN', runDurationMillis: 50 });
    expect(def.flowContents.processors[2]).toMatchObject({ schedulingStrategy: 'CRON_DRIVEN' });
    expect(def.flowContents.controllerServices.map((s) => [s.type, s.controllerServiceApis[0]!.type, s.scheduledState])).toEqual([
      ['org.apache.nifi.csv.CSVReader', 'org.apache.nifi.serialization.RecordReaderFactory', 'ENABLED'],
      ['org.apache.nifi.json.JsonRecordSetWriter', 'org.apache.nifi.serialization.RecordSetWriterFactory', 'DISABLED'],
    ]);
    // Sensitive parameters go out as NiFi exports them: marked sensitive, without a value.
    expect(def.parameterContexts['Tag and route']!.parameters).toEqual([
      { name: 'order.size', description: '', sensitive: false, provided: false, value: '12' },
      { name: 'api.token', description: '', sensitive: true, provided: false, value: null },
    ]);

    const back = await api.request('/api/flows/import', { method: 'POST', json: def });
    expect(back.status).toBe(201);
    const imported = (await back.json()) as FlowImportDto;
    expect(imported.report).toEqual([]);
    const original = flow.document;
    const again = imported.document;
    const strip = (d: FlowDocument) => ({
      ...d,
      // Sluice's exports leave secrets out; the disabled service comes back enabled (imports start with services usable).
      parameters: { ...d.parameters, 'api.token': '' },
      controllerServices: d.controllerServices.map((s) => ({ ...s, enabled: true })),
    });
    expect(strip(again)).toEqual(strip(original));
    expect(again.parameters['api.token']).toBe('');
    expect(again.sensitiveParameters).toEqual(['api.token']);
  });

  it('refuses, listing them, a flow with components NiFi does not have', async () => {
    const flow = await create({
      name: 'Integrator flow',
      processors: [
        { id: 'login', type: 'IntegratorLogin', name: 'Login', properties: {} },
        { id: 'filter', type: 'FilterRecord', name: 'Only in stock', properties: {} },
        { id: 'log', type: 'LogAttribute', name: 'Log', properties: {} },
      ],
    });
    const res = await api.request(`/api/flows/${flow.id}/export?format=nifi`);
    expect(res.status).toBe(409);
    const body = (await res.json()) as { message: string; components: { id: string; name: string; type: string }[] };
    expect(body.components).toEqual([
      { id: 'login', name: 'Login', type: 'IntegratorLogin' },
      { id: 'filter', name: 'Only in stock', type: 'FilterRecord' },
    ]);
    expect(body.message).toMatch(/IntegratorLogin \('Login'\), FilterRecord \('Only in stock'\)/);
  });

  it("keeps Sluice's own export the default and refuses an unknown format", async () => {
    const flow = await create({ name: 'Plain', processors: [{ id: 'g', type: 'GenerateFlowFile', name: 'G', properties: {} }] });
    const own = (await (await api.request(`/api/flows/${flow.id}/export`)).json()) as FlowDocument;
    expect(own.processors[0]!.id).toBe('g');
    const bad = await api.request(`/api/flows/${flow.id}/export?format=xml`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('format');
  });
});
