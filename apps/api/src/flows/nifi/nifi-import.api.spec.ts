import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocument, FlowImportDto, ImportReportEntry } from '@sluice/contracts';
import { type StartedApi, startApi } from '../../testing/start-api.js';
import { nifiConnection, nifiContext, nifiDefinition, nifiGroup, nifiId, nifiProcessor, ROOT_ID } from './nifi-fixtures.testing.js';

const STD = 'org.apache.nifi.processors.standard.';

describe('POST /api/flows/import with a NiFi flow definition', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  const importFlow = async (body: unknown) => {
    const res = await api.request('/api/flows/import', { method: 'POST', json: body });
    return { status: res.status, body: (await res.json()) as FlowImportDto & { message?: string; errors?: { field: string; message: string }[] } };
  };

  it('imports what maps and reports every component, property and setting it could not carry over, each with its NiFi id, type and why', async () => {
    const gen = nifiId('gen');
    const off = nifiId('off');
    const sftp = nifiId('sftp');
    const upd = nifiId('upd');
    const log = nifiId('log');
    const rpg = nifiId('rpg');
    const label = nifiId('label');
    const avro = nifiId('avro');
    const inPort = nifiId('port');
    const toSftp = nifiId('c-sftp');
    const toUpd = nifiId('c-upd');
    const toLog = nifiId('c-log');
    const fromPort = nifiId('c-port');
    const funnel = nifiId('funnel');
    const fromFunnel = nifiId('c-funnel');
    const def = nifiDefinition(
      nifiGroup(ROOT_ID, 'Mixed', {
        processors: [
          nifiProcessor(gen, 'Generate', `${STD}GenerateFlowFile`, { 'File Size': '0B', 'Custom Text': 'x' }, { schedulingPeriod: '1 hour', executionNode: 'PRIMARY' }),
          nifiProcessor(sftp, 'Put on SFTP', `${STD}PutSFTP`, { Hostname: 'files.example.com' }),
          nifiProcessor(off, 'Switched off', `${STD}LogAttribute`, {}, { scheduledState: 'DISABLED' }),
          nifiProcessor(upd, 'Tag', 'org.apache.nifi.processors.attributes.UpdateAttribute', { 'Delete Attributes Expression': null, 'Store State': 'Do not store state', 'source': 'nifi' }, {
            annotationData: '<criteria><rules/></criteria>',
            retriedRelationships: ['success'],
            propertyDescriptors: { source: { name: 'source', displayName: 'source', identifiesControllerService: false, sensitive: false, dynamic: true } },
          }),
          nifiProcessor(log, 'Log', `${STD}LogAttribute`, { 'Log Level': 'info', 'Log Payload Size Limit': '4 KB' }, {
            autoTerminatedRelationships: ['success', 'gone'],
            propertyDescriptors: { 'Log Payload Size Limit': { name: 'Log Payload Size Limit', displayName: 'Log Payload Size Limit', identifiesControllerService: false, sensitive: false, dynamic: false } },
            concurrentlySchedulableTaskCount: 100,
          }),
        ],
        inputPorts: [{ identifier: inPort, name: 'from outside', position: { x: 0, y: 0 }, type: 'INPUT_PORT', componentType: 'INPUT_PORT', groupIdentifier: ROOT_ID }],
        remoteProcessGroups: [{ identifier: rpg, name: 'Other cluster', componentType: 'REMOTE_PROCESS_GROUP' }],
        labels: [{ identifier: label, label: 'Read me first', position: { x: 0, y: 0 }, componentType: 'LABEL' }],
        controllerServices: [{ identifier: avro, name: 'Avro in', type: 'org.apache.nifi.avro.AvroReader', properties: {}, componentType: 'CONTROLLER_SERVICE' }],
        connections: [
          nifiConnection(toSftp, { id: gen }, { id: sftp, name: 'Put on SFTP' }, ['success']),
          nifiConnection(toUpd, { id: gen }, { id: upd }, ['success'], {
            prioritizers: ['org.apache.nifi.prioritizer.NewestFlowFileFirstPrioritizer'],
            flowFileExpiration: '5 mins',
            bends: [{ x: 1, y: 2 }],
            loadBalanceStrategy: 'ROUND_ROBIN',
          }),
          nifiConnection(toLog, { id: upd }, { id: log }, ['success', 'failure']),
          nifiConnection(fromPort, { id: inPort, type: 'INPUT_PORT', name: 'from outside' }, { id: log }, ['']),
          nifiConnection(fromFunnel, { id: funnel, type: 'FUNNEL' }, { id: log }, ['']),
        ],
        funnels: [{ identifier: funnel, position: { x: 0, y: 0 }, componentType: 'FUNNEL' }],
      }),
      { Main: nifiContext('Main', [{ name: 'a', value: '1' }], ['Missing']) },
      { externalControllerServices: { 'ext-1': { identifier: 'ext-1', name: 'Shared cache' } } },
    );
    Object.assign(def.flowContents, { parameterContextName: 'Main', variables: { region: 'eu' } });

    const { status, body } = await importFlow(def);
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.format).toBe('nifi');
    const doc = body.document;
    expect(doc.processors.map((p) => p.type)).toEqual(['GenerateFlowFile', 'LogAttribute', 'UpdateAttribute', 'LogAttribute']);
    expect(doc.connections.map((c) => c.id)).toEqual([toUpd, toLog]);
    expect(doc.connections[1]!.relationships).toEqual(['success']);
    expect(doc.processors[2]!.properties).toEqual({ 'Store State': 'Do not store state', source: 'nifi' });
    expect(doc.processors[3]).toMatchObject({ autoTerminated: ['success'], properties: { 'Log Level': 'info' }, scheduling: { concurrentTasks: 64 } });
    expect(doc.parameters).toEqual({ a: '1' });

    const find = (nifiId: string, property?: string) => body.report.filter((e: ImportReportEntry) => e.nifiId === nifiId && e.property === property);
    const one = (nifiId: string, property: string | undefined, type: string, reason: RegExp) => {
      const entries = find(nifiId, property);
      expect(entries, `${nifiId} ${property ?? ''}: ${JSON.stringify(body.report)}`).toHaveLength(1);
      expect(entries[0]!.type).toBe(type);
      expect(entries[0]!.reason).toMatch(reason);
    };
    one(sftp, undefined, `${STD}PutSFTP`, /no processor of type PutSFTP/);
    one(toSftp, undefined, 'CONNECTION', /destination 'Put on SFTP'.*was not imported/);
    one(rpg, undefined, 'REMOTE_PROCESS_GROUP', /remote process groups/);
    one(label, undefined, 'LABEL', /no labels/);
    one(avro, undefined, 'org.apache.nifi.avro.AvroReader', /no controller service of type AvroReader/);
    one(inPort, undefined, 'INPUT_PORT', /downloaded group's own input port/);
    one(fromPort, undefined, 'CONNECTION', /source 'from outside'.*was not imported/);
    one(gen, 'executionNode', `${STD}GenerateFlowFile`, /primary node only/);
    one(upd, 'annotationData', 'org.apache.nifi.processors.attributes.UpdateAttribute', /advanced configuration/);
    one(upd, 'retriedRelationships', 'org.apache.nifi.processors.attributes.UpdateAttribute', /RetryFlowFile/);
    one(log, 'Log Payload Size Limit', `${STD}LogAttribute`, /no property 'Log Payload Size Limit'.*'4 KB'/);
    one(log, 'autoTerminatedRelationships', `${STD}LogAttribute`, /no relationship 'gone'/);
    one(log, 'concurrentlySchedulableTaskCount', `${STD}LogAttribute`, /100 concurrent tasks.*runs 64/);
    one(toUpd, 'prioritizers', 'CONNECTION', /NewestFlowFileFirstPrioritizer/);
    one(toUpd, 'flowFileExpiration', 'CONNECTION', /5 mins/);
    one(toUpd, 'bends', 'CONNECTION', /bend points/);
    one(toUpd, 'loadBalanceStrategy', 'CONNECTION', /ROUND_ROBIN/);
    one(toLog, 'selectedRelationships', 'CONNECTION', /no relationship 'failure'/);
    one('Missing', undefined, 'PARAMETER_CONTEXT', /inherits 'Missing'/);
    one('ext-1', undefined, 'CONTROLLER_SERVICE', /outside the downloaded group/);
    one(fromFunnel, undefined, 'CONNECTION', /funnel that nothing feeds/);
    one(off, 'scheduledState', `${STD}LogAttribute`, /disabled in NiFi/);
    one(ROOT_ID, 'variables', 'PROCESS_GROUP', /variables \(region\)/);
    expect(body.report).toHaveLength(23);
  });

  it('migrates NiFi 1.x class names and property keys, and carries scheduling, penalty, yield, run duration and positions over', async () => {
    const gen = nifiId('gen');
    const jolt = nifiId('jolt');
    const route = nifiId('route');
    const def = nifiDefinition(
      nifiGroup(ROOT_ID, 'Old flow', {
        processors: [
          nifiProcessor(gen, 'Generate', `${STD}GenerateFlowFile`, { 'generate-ff-custom-text': '{"a":1}', 'character-set': 'UTF-8', 'mime-type': 'application/json' }, {
            schedulingStrategy: 'CRON_DRIVEN', schedulingPeriod: '0 0/5 * * * ?', penaltyDuration: '10 sec', yieldDuration: '3 sec', position: { x: -412.5, y: 96.25 },
          }),
          nifiProcessor(jolt, 'Shift', `${STD}JoltTransformJSON`, { 'jolt-transform': 'jolt-transform-shift', 'jolt-spec': '{"a":"b"}', pretty_print: 'false' }, {
            schedulingStrategy: 'EVENT_DRIVEN', autoTerminatedRelationships: ['failure'], comments: 'renames a to b',
          }),
          nifiProcessor(route, 'Route', `${STD}RouteOnAttribute`, { 'Routing Strategy': 'Route to Property name', big: '${size:gt(10)}' }, { runDurationMillis: 40, autoTerminatedRelationships: ['big', 'unmatched'] }),
        ],
        connections: [
          nifiConnection(nifiId('c'), { id: gen }, { id: jolt }, ['success'], { backPressureObjectThreshold: 0, backPressureDataSizeThreshold: '0 MB', name: 'to jolt' }),
          nifiConnection(nifiId('c'), { id: jolt }, { id: route }, ['success']),
        ],
      }),
    );
    const { status, body } = await importFlow(def);
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.report).toEqual([]);
    const [g, j, r] = body.document.processors;
    expect(g).toMatchObject({
      type: 'GenerateFlowFile',
      position: { x: -412.5, y: 96.25 },
      properties: { 'Custom Text': '{"a":1}', 'Character Set': 'UTF-8', 'Mime Type': 'application/json' },
      scheduling: { strategy: 'cron', period: '0 0/5 * * * ?', penaltyDuration: '10 sec', yieldDuration: '3 sec', concurrentTasks: 1 },
    });
    expect(j).toMatchObject({
      type: 'JoltTransformJSON',
      comments: 'renames a to b',
      properties: { 'Jolt Transform': 'jolt-transform-shift', 'Jolt Specification': '{"a":"b"}', 'Pretty Print': 'false' },
      scheduling: { strategy: 'event' },
      autoTerminated: ['failure'],
    });
    // A dynamic relationship (a routing property) can be auto-terminated; a batching processor keeps its run duration.
    expect(r).toMatchObject({ properties: { big: '${size:gt(10)}' }, scheduling: { runDuration: '40 ms' }, autoTerminated: ['big', 'unmatched'] });
    expect(body.document.connections[0]).toMatchObject({ name: 'to jolt', backPressureObjectThreshold: Number.MAX_SAFE_INTEGER });
    expect(body.validation).toEqual([]);
  });

  it('refuses a malformed definition with a 400 naming the field, and stores nothing', async () => {
    const before = ((await (await api.request('/api/flows')).json()) as unknown[]).length;
    const def = nifiDefinition(nifiGroup(ROOT_ID, 'Broken', { processors: [{ identifier: 'p1', name: 'No type' }] }));
    const { status, body } = await importFlow(def);
    expect(status).toBe(400);
    expect(body.errors?.map((e) => e.field)).toContain('flowContents.processors.0.type');
    expect(body.message).toMatch(/NiFi flow definition/);
    expect(((await (await api.request('/api/flows')).json()) as unknown[]).length).toBe(before);
  });

  it('refuses process groups nested deeper than the body limit with a 400, before the recursive mapping', async () => {
    let inner: Record<string, unknown> = nifiGroup('g-last', 'last', {});
    for (let i = 0; i < 200; i++) inner = nifiGroup(`g-${i}`, `level ${i}`, { processGroups: [inner] });
    const { status, body } = await importFlow(nifiDefinition(nifiGroup(ROOT_ID, 'Deep', { processGroups: [inner] })));
    expect(status).toBe(400);
    expect(body.message).toMatch(/nests deeper than the limit/);
  });

  it("never lets a '__proto__' property or parameter name reach an object's prototype; the parameter is reported", async () => {
    const gen = nifiId('gen');
    const text = `{"flowContents":${JSON.stringify(nifiGroup(ROOT_ID, 'Proto', { parameterContextName: 'P', processors: [nifiProcessor(gen, 'G', 'org.apache.nifi.processors.attributes.UpdateAttribute', { x: '1' })] })).replace('"x":"1"', '"x":"1","__proto__":"polluted"')},"parameterContexts":{"P":{"name":"P","parameters":[{"name":"__proto__","sensitive":false,"value":"y"},{"name":"ok","sensitive":false,"value":"z"}]}}}`;
    const res = await api.request('/api/flows/import', { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });
    const body = (await res.json()) as FlowImportDto;
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.document.processors[0]!.properties).toEqual({ x: '1' });
    expect(body.document.parameters).toEqual({ ok: 'z' });
    expect(body.report.map((e) => [e.type, e.property])).toEqual([['PARAMETER_CONTEXT', '__proto__']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("imports Sluice's own export as before, with an empty report", async () => {
    const doc = { name: 'Own', processors: [{ id: 'g', type: 'GenerateFlowFile', name: 'G', properties: {} }] };
    const { status, body } = await importFlow(doc);
    expect(status).toBe(201);
    expect(body).toMatchObject({ format: 'sluice', report: [] });
    expect((body.document as FlowDocument).processors[0]!.id).toBe('g');
  });
});
