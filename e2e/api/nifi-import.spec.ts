import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDto, FlowImportDto, QueueListingDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

/*
 * NiFi flow definitions written by hand in the format NiFi's "Download flow definition" writes, imported as they
 * are (only the parameter values that name this run's simulators are set first, as one would in NiFi) and run.
 */

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;

type Definition = { parameterContexts: Record<string, { parameters: { name: string; value: string | null }[] }> } & Record<string, unknown>;

function fixture(name: string): Definition {
  return JSON.parse(readFileSync(new URL(`../fixtures/nifi/${name}`, import.meta.url), 'utf8')) as Definition;
}

/** Sets a parameter's value in whichever context defines it (NiFi's parameter context editor). */
function setParameter(def: Definition, name: string, value: string): void {
  for (const ctx of Object.values(def.parameterContexts)) for (const p of ctx.parameters) if (p.name === name) p.value = value;
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('NiFi flow definitions imported and run', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim({ generatedRows: 300 }), startOmnitronSim({ generatedProducts: 400 }), startApi({ web: false })]);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  it('ERP stock CSV → ConvertRecord (CSV reader and JSON writer services) → funnel → Omnitron: empty report, inherited parameters, sensitive ones empty until set, every row written', async () => {
    const def = fixture('erp-stock-csv-to-omnitron.json');
    setParameter(def, 'omnitron.url', omnitron.url);
    setParameter(def, 'erp.url', erp.url);
    const imported = await json<FlowImportDto>(await api.request('/api/flows/import', { method: 'POST', json: def }));
    expect(imported.format).toBe('nifi');
    expect(imported.report).toEqual([]);
    const doc = imported.document;
    // "Stock sync" inherits "Omnitron" then "ERP"; its own values win, and so does the earlier inherited context.
    expect(doc.parameters).toMatchObject({ 'omnitron.stock.list': '1', 'batch.size': '5000', 'omnitron.username': 'integrator', 'erp.username': 'erp-user' });
    expect(doc.sensitiveParameters.sort()).toEqual(['erp.password', 'omnitron.password']);
    expect(doc.parameters['omnitron.password']).toBe('');
    expect(doc.processors.map((p) => p.type)).toEqual(['GenerateFlowFile', 'IntegratorLogin', 'InvokeHTTP', 'ConvertRecord', 'WriteOmnitronStock']);
    expect(doc.controllerServices.map((s) => [s.type, s.properties['Treat First Line as Header'] ?? s.properties['Output Grouping']])).toEqual([
      ['CSVReader', 'true'],
      ['JsonRecordSetWriter', 'output-array'],
    ]);
    // The funnel is gone: ConvertRecord's success goes straight to the writer, with the funnel's outgoing back pressure.
    const convert = doc.processors.find((p) => p.type === 'ConvertRecord')!;
    const write = doc.processors.find((p) => p.type === 'WriteOmnitronStock')!;
    expect(doc.connections.filter((c) => c.sourceId === convert.id)).toMatchObject([{ targetId: write.id, relationships: ['success'] }]);
    expect(imported.validation.map((v) => v.message).join('; ')).toMatch(/password/i);

    const filled = structuredClone(doc);
    filled.parameters['omnitron.password'] = 'integrator-pass';
    filled.parameters['erp.password'] = erp.credentials.password;
    const saved = await json<FlowDto>(await api.request(`/api/flows/${imported.id}`, { method: 'PUT', json: { version: imported.version, document: filled } }));
    expect(saved.validation).toEqual([]);
    const upsertsBefore = omnitron.state.requests.filter((r) => r.path === '/api/i1/product_stock/bulk_upsert/').length;
    expect((await api.request(`/api/flows/${imported.id}/start`, { method: 'POST' })).status).toBe(200);
    const rows = erp.state.stockRows;
    const written = () => rows.every((row) => omnitron.state.stock.get('1')?.get(row.sku)?.stock === Number(row.stock));
    await until('every ERP row in Omnitron with its stock', () => (written() ? true : undefined));
    expect((await api.request(`/api/flows/${imported.id}/stop`, { method: 'POST' })).status).toBe(200);
    // Batch Size #{batch.size} = 5000 from the inheriting context: one bulk request for the whole export.
    expect(omnitron.state.requests.filter((r) => r.path === '/api/i1/product_stock/bulk_upsert/').length - upsertsBefore).toBe(1);
    expect(erp.state.requests.filter((r) => r.path === '/api/stock.csv').map((r) => r.status)).toEqual([200]);
  });
  it('a NiFi 1.x definition with nested process groups, ports, a context per group, group-scoped services and 1.x property keys: empty report, and FlowFiles pass through both groups', async () => {
    const imported = await json<FlowImportDto>(await api.request('/api/flows/import', { method: 'POST', json: fixture('nifi1-orders-with-groups.json') }));
    expect(imported.report).toEqual([]);
    expect(imported.validation).toEqual([]);
    const doc = imported.document;
    const enrich = doc.processGroups.find((g) => g.name === 'Enrich')!;
    const normalize = doc.processGroups.find((g) => g.name === 'Normalize')!;
    expect(enrich.parentGroupId).toBeUndefined();
    expect(normalize.parentGroupId).toBe(enrich.id);
    expect(doc.parameters).toEqual({ 'sku.prefix': 'SKU', 'big.limit': '2' });
    expect(enrich.parameters).toEqual({ channel: 'web', region: 'eu' });
    expect(doc.ports.map((p) => [p.name, p.kind, p.groupId])).toEqual([
      ['orders in', 'input', enrich.id],
      ['enriched', 'output', enrich.id],
      ['in', 'input', normalize.id],
      ['out', 'output', normalize.id],
    ]);
    const byName = (name: string) => doc.processors.find((p) => p.name === name)!;
    // 1.x keys under NiFi 2's names, through each processor's own migration.
    expect(byName('Orders').properties['Custom Text']).toBe('{"sku":"#{sku.prefix}-1","qty":3}');
    expect(byName('Nest under item')).toMatchObject({ type: 'JoltTransformJSON', groupId: normalize.id, properties: { 'Jolt Transform': 'jolt-transform-shift', 'Jolt Specification': '{"sku":"item.sku","qty":"item.qty"}', 'Pretty Print': 'false' } });
    expect(byName('Tag channel').properties).toMatchObject({ 'Cache Value Lookup Cache Size': '100', channel: '#{channel}' });
    // Services of the Enrich group serve the ConvertRecord of the group inside it (NiFi's scope), under 2.x keys.
    expect(doc.controllerServices.map((s) => [s.type, s.groupId])).toEqual([
      ['JsonTreeReader', enrich.id],
      ['JsonRecordSetWriter', enrich.id],
    ]);
    expect(doc.controllerServices[1]!.properties).toMatchObject({ 'Output Grouping': 'output-oneline', 'Suppress Null Values': 'never-suppress' });
    expect(byName('One record per line')).toMatchObject({ groupId: normalize.id, properties: { 'Record Reader': doc.controllerServices[0]!.id, 'Record Writer': doc.controllerServices[1]!.id } });
    expect(byName('Log big orders').properties).toMatchObject({ 'Attributes to Log Regular Expression': '.*', 'Log Prefix': 'big: ' });

    expect((await api.request(`/api/flows/${imported.id}/start`, { method: 'POST' })).status).toBe(200);
    const toLog = doc.connections.find((c) => c.targetId === byName('Log big orders').id)!;
    const queue = await until('four big orders in front of the yearly log', async () => {
      const q = await json<QueueListingDto>(await api.request(`/api/flows/${imported.id}/connections/${toLog.id}/queue`));
      return q.count >= 4 ? q : undefined;
    });
    expect((await api.request(`/api/flows/${imported.id}/stop`, { method: 'POST' })).status).toBe(200);
    expect(queue.count).toBe(4);
    for (const f of queue.flowFiles) expect(f.attributes).toMatchObject({ channel: 'web', region: 'eu', qty: '3' });

    // Round trip: exported as a NiFi flow definition (groups, ports, a context per group inheriting its parent's) and imported again.
    const exported = await json<Record<string, unknown>>(await api.request(`/api/flows/${imported.id}/export?format=nifi`));
    const again = await json<FlowImportDto>(await api.request('/api/flows/import', { method: 'POST', json: exported }));
    expect(again.report).toEqual([]);
    expect(again.document).toEqual(doc);
  });
});
