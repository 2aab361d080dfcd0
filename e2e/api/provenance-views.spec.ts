import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionDto, ExecutionStepDto, FlowDto, Page, ProvenanceContentDto, ProvenanceEventDto, RowJourneyDto, RowLogDto, StepFlowFilesDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;
let flow: FlowDto;
let executionId: string;
let total: number;
const OMNITRON_PASSWORD = 'integrator-pass';

async function finished(id: string): Promise<ExecutionDto> {
  const end = Date.now() + 90_000;
  for (;;) {
    const e = await json<ExecutionDto>(await api.request(`/api/executions/${id}`));
    if (e.state === 'finished') return e;
    if (Date.now() > end) throw new Error(`execution ${id} still ${e.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Provenance of an execution: what each step received and sent, row journeys, kept content', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim({ generatedRows: 300 }), startOmnitronSim({ generatedProducts: 600 }), startApi({ web: false })]);
    const parameters = {
      'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': OMNITRON_PASSWORD,
      'erp.url': erp.url, 'erp.username': erp.credentials.username, 'erp.password': erp.credentials.password,
    };
    flow = await json<FlowDto>(await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-inbound', name: 'Provenance stock', parameters } }));
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    executionId = (await json<{ executionId: string }>(await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' }))).executionId;
    const e = await finished(executionId);
    expect(e.status).toBe('success');
    total = e.counts.written;
    expect(total).toBe(erp.state.stockRows.length);
  });
  afterAll(async () => {
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  it("lists a writer step's input with its content and its outputs with each chunk's request and answer", async () => {
    const steps = await json<ExecutionStepDto[]>(await api.request(`/api/executions/${executionId}/steps`));
    expect(steps.map((s) => s.processorId)).toContain('write');
    const write = await json<StepFlowFilesDto>(await api.request(`/api/executions/${executionId}/steps/write/flowfiles`));
    expect(write.inputs.length).toBeGreaterThan(0);
    const input = write.inputs[0]!;
    expect(input.processorId).not.toBe('write');
    expect(input.contentAvailable).toBe(true);
    expect(input.attributes?.['execution.id']).toBe(executionId);
    const content = await json<ProvenanceContentDto>(await api.request(`/api/provenance/events/${input.id}/content`));
    const rows = JSON.parse(content.text!) as { product_sku: string }[];
    expect(rows).toHaveLength(total);
    expect(content).toMatchObject({ truncated: false, nextOffset: null, size: content.kept });

    const sends = write.outputs.filter((e) => e.eventType === 'SEND');
    expect(sends.length).toBeGreaterThan(0);
    const event = await json<ProvenanceEventDto & { exchange: { method: string; status: number; request: string; response: string } }>(await api.request(`/api/provenance/events/${sends[0]!.id}`));
    expect(event.exchange).toMatchObject({ method: 'POST', status: 200 });
    expect(event.exchange.url).toMatch(/\/api\/i1\/product_stock\/bulk_upsert\/$/);
    expect((JSON.parse(event.exchange.request) as unknown[]).length).toBeGreaterThan(0);
    // The login step's token is masked wherever provenance shows attributes.
    const login = await json<StepFlowFilesDto>(await api.request(`/api/executions/${executionId}/steps/login/flowfiles`));
    const tokens = login.outputs.flatMap((e) => Object.entries(e.attributes ?? {}).filter(([k]) => k.startsWith('token.')));
    expect(tokens.length).toBeGreaterThan(0);
    for (const [, v] of tokens) expect(v).toBe('********');
  });

  it('pages large content with offsets and says so, and never shows a sensitive parameter', async () => {
    const write = await json<StepFlowFilesDto>(await api.request(`/api/executions/${executionId}/steps/write/flowfiles`));
    const id = write.inputs[0]!.id;
    const first = await json<ProvenanceContentDto>(await api.request(`/api/provenance/events/${id}/content?length=100`));
    expect(first).toMatchObject({ offset: 0, length: 100, nextOffset: 100, truncated: true });
    expect(first.note).toMatch(/showing bytes 0–100 of/);
    const second = await json<ProvenanceContentDto>(await api.request(`/api/provenance/events/${id}/content?offset=100&length=100`));
    const whole = await json<ProvenanceContentDto>(await api.request(`/api/provenance/events/${id}/content`));
    expect(first.text! + second.text!).toBe(whole.text!.slice(0, 200));

    const everything = JSON.stringify(await json<ProvenanceEventDto[]>(await api.request(`/api/flows/${flow.id}/provenance?executionId=${executionId}&limit=1000`)));
    expect(everything).toContain(executionId);
    expect(everything).not.toContain(OMNITRON_PASSWORD);
    expect(everything).not.toContain(erp.credentials.password);
  });

  it("opens a row log's journey: its FlowFile's ancestry from the login on, the row as written, and the request that carried it", async () => {
    const page = await json<Page<RowLogDto>>(await api.request(`/api/executions/${executionId}/rows?limit=5`));
    const row = page.items[3]!;
    const journey = await json<RowJourneyDto>(await api.request(`/api/executions/${executionId}/rows/${row.id}/journey`));
    expect(journey.flowFileUuid).not.toBeNull();
    expect(journey.events.map((e) => e.processorId)).toEqual(expect.arrayContaining(['login', 'read', 'write']));
    expect(journey.rowContent).toMatchObject({ product_sku: row.sku });
    expect(journey.exchanges.length).toBeGreaterThan(0);
    expect(journey.exchanges[0]!.request).toContain(row.sku!);

    const graph = await json<{ events: ProvenanceEventDto[]; truncated: boolean }>(await api.request(`/api/provenance/lineage/${journey.flowFileUuid}/graph`));
    expect(graph.truncated).toBe(false);
    expect(graph.events.some((e) => e.flowFileUuid === journey.flowFileUuid)).toBe(true);
  });

  it('refuses bad queries with a 400 naming the field, unknown ids with 404, and anonymous callers with 401', async () => {
    const bad = await api.request(`/api/provenance/events/1/content?length=0`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/length/);
    expect((await api.request(`/api/provenance/events/1/content?length=9999999`)).status).toBe(400);
    expect((await api.request(`/api/provenance/events/1/content?what=1`)).status).toBe(400);
    expect((await api.request(`/api/provenance/events/abc`)).status).toBe(400);
    expect((await api.request(`/api/provenance/events/999999999`)).status).toBe(404);
    expect((await api.request(`/api/executions/nope/steps/write/flowfiles`)).status).toBe(404);
    expect((await api.request(`/api/executions/${executionId}/rows/999999999/journey`)).status).toBe(404);
    expect((await api.request(`/api/provenance/lineage/x/graph?limit=5000`)).status).toBe(400);
    expect((await fetch(`${api.url}/api/provenance/events/1/content`)).status).toBe(401);
  });
});
