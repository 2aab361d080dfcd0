import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDto, FlowImportDto } from '@sluice/contracts';
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
});
