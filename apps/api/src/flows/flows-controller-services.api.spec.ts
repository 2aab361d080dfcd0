import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedApi, startApi } from '../testing/start-api.js';

const scheduling = { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };

/** GenerateFlowFile (CSV text) → ConvertRecord with the given services → LogAttribute. */
function flow(services: unknown[], convert: Record<string, string> = { 'Record Reader': 'csv-in', 'Record Writer': 'json-out' }) {
  return {
    name: 'records',
    controllerServices: services,
    processors: [
      { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', properties: { 'Custom Text': 'sku,qty\nA1,3\nA2,4\n' }, scheduling },
      { id: 'conv', type: 'ConvertRecord', name: 'Convert', properties: convert, autoTerminated: ['failure'] },
      { id: 'log', type: 'LogAttribute', name: 'Log', properties: {}, autoTerminated: ['success'] },
    ],
    connections: [
      { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'conv' },
      { id: 'c2', sourceId: 'conv', relationships: ['success'], targetId: 'log' },
    ],
  };
}

const csvIn = { id: 'csv-in', type: 'CSVReader', name: 'ERP CSV', properties: {} };
const jsonOut = { id: 'json-out', type: 'JsonRecordSetWriter', name: 'JSON', properties: { 'Pretty Print JSON': 'false' } };

describe('controller services in a flow', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists the service types with their descriptors and the APIs they implement', async () => {
    const res = await api.request('/api/controller-service-types');
    expect(res.status).toBe(200);
    const { types } = (await res.json()) as { types: { type: string; implements: string[]; properties: { name: string }[] }[] };
    expect(types.map((t) => t.type)).toEqual(['CSVReader', 'CSVRecordSetWriter', 'DistributedMapCacheClientService', 'JsonRecordSetWriter', 'JsonTreeReader', 'MapCacheClientService', 'StandardHttpContextMap', 'StandardOauth2AccessTokenProvider', 'StandardRestrictedSSLContextService', 'StandardSSLContextService', 'XMLReader', 'XMLRecordSetWriter']);
    expect(types.find((t) => t.type === 'CSVReader')!.implements).toEqual(['RecordReaderFactory']);
    expect(types.find((t) => t.type === 'CSVReader')!.properties.map((p) => p.name)).toContain('Schema Access Strategy');
    const procs = (await (await api.request('/api/processor-types')).json()) as { types: { type: string; properties: { name: string; identifiesControllerService?: string }[] }[] };
    const convert = procs.types.find((t) => t.type === 'ConvertRecord')!;
    expect(convert.properties.find((p) => p.name === 'Record Writer')!.identifiesControllerService).toBe('RecordSetWriterFactory');
  });

  it("seals a service's sensitive properties, shows them masked, keeps them when the mask comes back and leaves them out of an export", async () => {
    const oauth = { id: 'oauth', type: 'StandardOauth2AccessTokenProvider', name: 'Tokens', properties: { 'Authorization Server URL': 'http://127.0.0.1:1/token', 'Grant Type': 'client_credentials', 'Client ID': 'app', 'Client Secret': 'very-secret-value' } };
    const res = await api.request('/api/flows', { method: 'POST', json: flow([csvIn, jsonOut, oauth]) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; version: number; document: { controllerServices: { id: string; properties: Record<string, string> }[] } };
    const shown = created.document.controllerServices.find((c) => c.id === 'oauth')!;
    expect(shown.properties['Client Secret']).toBe('********');
    expect(shown.properties['Client ID']).toBe('app');
    const saved = await api.request(`/api/flows/${created.id}`, { method: 'PUT', json: { version: created.version, document: created.document } });
    expect(saved.status).toBe(200);
    const exported = await (await api.request(`/api/flows/${created.id}/export`)).text();
    expect(exported).not.toContain('very-secret-value');
    expect(exported).not.toContain('********');
  });

  it('runs a processor through the services it names, and exports and imports the flow with them', async () => {
    const res = await api.request('/api/flows', { method: 'POST', json: flow([csvIn, jsonOut]) });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; validation: unknown[] };
    expect(created.validation).toEqual([]);
    expect((await api.request(`/api/flows/${created.id}/processors/gen/run-once`, { method: 'POST' })).status).toBeLessThan(300);
    expect((await api.request(`/api/flows/${created.id}/processors/conv/run-once`, { method: 'POST' })).status).toBeLessThan(300);
    const queue = (await (await api.request(`/api/flows/${created.id}/connections/c2/queue`)).json()) as { flowFiles: { uuid: string; attributes: Record<string, string> }[] };
    expect(queue.flowFiles[0]!.attributes['record.count']).toBe('2');
    expect(queue.flowFiles[0]!.attributes['mime.type']).toBe('application/json');
    const tested = await api.request(`/api/flows/${created.id}/processors/conv/test`, { method: 'POST', json: { content: 'sku,qty\nB7,9\n' } });
    expect(tested.status).toBe(200);
    const test = (await tested.json()) as { outputs: { relationship: string; content: string }[] };
    expect(test.outputs).toEqual([expect.objectContaining({ relationship: 'success', content: '[{"sku":"B7","qty":9}]' })]);
    const exported = (await (await api.request(`/api/flows/${created.id}/export`)).json()) as { controllerServices: unknown[] };
    expect(exported.controllerServices).toEqual([{ ...csvIn, enabled: true }, { ...jsonOut, enabled: true }]);
    const imported = await api.request('/api/flows/import', { method: 'POST', json: exported });
    expect(imported.status).toBe(201);
    const copy = (await imported.json()) as { id: string; document: { controllerServices: unknown[] }; validation: unknown[] };
    expect(copy.document.controllerServices).toEqual(exported.controllerServices);
    expect(copy.validation).toEqual([]);
  });

  type Validation = { processorId: string | null; serviceId?: string; property: string | null; message: string; code: string }[];
  const draft = async (doc: unknown) => {
    const res = await api.request('/api/flows', { method: 'POST', json: doc });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; validation: Validation };
    expect((await api.request(`/api/flows/${created.id}/start`, { method: 'POST' })).status).toBe(400);
    return created.validation;
  };

  it('saves a flow whose processor names a missing or disabled service as a draft, says why, and will not start it', async () => {
    expect(await draft(flow([csvIn]))).toEqual([
      { processorId: 'conv', property: 'Record Writer', message: "Record Writer: controller service 'json-out' does not exist in this flow", code: 'required' },
    ]);
    expect(await draft(flow([csvIn, { ...jsonOut, enabled: false }]))).toEqual([
      { processorId: 'conv', property: 'Record Writer', message: "Record Writer: controller service 'JSON' is disabled", code: 'required' },
    ]);
  });

  it('reports a service of the wrong kind, an unknown service type and a wrong service property value where they are', async () => {
    expect(await draft(flow([csvIn, jsonOut], { 'Record Reader': 'json-out', 'Record Writer': 'json-out' }))).toEqual([
      { processorId: 'conv', property: 'Record Reader', message: "Record Reader: controller service 'JSON' is a JsonRecordSetWriter, which is not a RecordReaderFactory", code: 'invalid' },
    ]);
    expect(await draft(flow([{ ...csvIn, type: 'AvroReader' }, jsonOut]))).toEqual([
      { processorId: null, serviceId: 'csv-in', property: null, message: "This server has no controller service type 'AvroReader'", code: 'invalid' },
      { processorId: 'conv', property: 'Record Reader', message: "Record Reader: controller service 'ERP CSV' is of type 'AvroReader', which this server does not have", code: 'required' },
    ]);
    expect(await draft(flow([{ ...csvIn, properties: { 'Trim Fields': 'maybe' } }, jsonOut]))).toEqual([
      { processorId: null, serviceId: 'csv-in', property: 'Trim Fields', message: "Trim Fields: 'maybe' must be true or false", code: 'invalid' },
      { processorId: 'conv', property: 'Record Reader', message: "Record Reader: controller service 'ERP CSV' is invalid: Trim Fields: 'maybe' must be true or false", code: 'required' },
    ]);
  });

  it('refuses two services with one id as a broken document, naming the field', async () => {
    const res = await api.request('/api/flows', { method: 'POST', json: flow([csvIn, { ...jsonOut, id: 'csv-in' }]) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { field: string; message: string }[] }).errors).toContainEqual({ field: 'controllerServices.1.id', message: "Another controller service has the id 'csv-in'" });
  });
});
