import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { launchBrowser, newPage, openTab, selectNode, selectNothing, shot, signIn, waitSaved } from './browser-harness.js';

/*
 * Controller services as a user sets them up in the designer: added in the flow's Services tab, configured in their
 * forms, chosen in ConvertRecord's Record Reader and Record Writer selects, disabled and enabled again; the server
 * stores what the designer shows, and the processor runs through them.
 */

const scheduling = { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];
let flowId: string;

const storedFlow = () => api.request(`/api/flows/${flowId}`).then((r) => json<FlowDto>(r));
const field = (name: string) => page.locator(`.inspector [data-property="${name}"]`);
const card = (id: string) => page.locator(`[data-testid=controller-services] [data-service="${id}"]`);

describe('controller services in the designer (Chromium)', () => {
  beforeAll(async () => {
    api = await startApi({ web: true });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    const res = await api.request('/api/flows', {
      method: 'POST',
      json: {
        name: 'CSV to JSON',
        processors: [
          { id: 'gen', type: 'GenerateFlowFile', name: 'ERP export', position: { x: 0, y: 0 }, properties: { 'Custom Text': 'sku;qty\nA1;3\nA2;4\n' }, scheduling },
          { id: 'conv', type: 'ConvertRecord', name: 'To JSON', position: { x: 0, y: 220 }, properties: {}, autoTerminated: ['failure'] },
          { id: 'log', type: 'LogAttribute', name: 'Log', position: { x: 0, y: 440 }, properties: {}, autoTerminated: ['success'] },
        ],
        connections: [
          { id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'conv' },
          { id: 'c2', sourceId: 'conv', relationships: ['success'], targetId: 'log' },
        ],
      },
    });
    flowId = (await json<FlowDto>(res)).id;
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('adds a CSV reader and a JSON writer in the Services tab and configures the reader in its form', async () => {
    await signIn(page, 'admin', api.adminPassword);
    await page.goto(`${api.url}/flows/${flowId}`);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 3);
    await selectNothing(page);
    await openTab(page, 'Services');
    const panel = page.locator('[data-testid=controller-services]');
    await panel.locator('select[aria-label="Controller service type"]').selectOption('CSVReader');
    await panel.locator('button:has-text("Add")').click();
    await card('csvreader-1').waitFor();
    await field('Value Separator').locator('input').fill(';');
    await panel.locator('input[aria-label="Service name"]').fill('ERP CSV');
    await panel.locator('select[aria-label="Controller service type"]').selectOption('JsonRecordSetWriter');
    await panel.locator('button:has-text("Add")').click();
    await card('jsonrecordsetwriter-1').waitFor();
    await waitSaved(page);
    await shot(page, 'services-01-added');
    await expect
      .poll(async () => (await storedFlow()).document.controllerServices, { timeout: 15_000 })
      .toEqual([
        { id: 'csvreader-1', type: 'CSVReader', name: 'ERP CSV', properties: { 'Value Separator': ';' }, enabled: true },
        { id: 'jsonrecordsetwriter-1', type: 'JsonRecordSetWriter', name: 'JSON Record Set Writer', properties: {}, enabled: true },
      ]);
  });

  it("chooses them in ConvertRecord's selects, which offer only the fitting services, and the processor becomes valid", async () => {
    await selectNode(page, 'conv');
    const reader = field('Record Reader').locator('select');
    expect(await reader.locator('option').allTextContents()).toEqual(['— choose a service —', 'ERP CSV (CSVReader)']);
    expect(await field('Record Writer').locator('select option').allTextContents()).toEqual(['— choose a service —', 'JSON Record Set Writer (JsonRecordSetWriter)']);
    await reader.selectOption('csvreader-1');
    await field('Record Writer').locator('select').selectOption('jsonrecordsetwriter-1');
    await waitSaved(page);
    await page.waitForSelector('.react-flow__node[data-id="conv"] [data-testid=validity].ok', { timeout: 15_000 });
    await expect.poll(async () => (await storedFlow()).document.processors.find((p) => p.id === 'conv')!.properties, { timeout: 15_000 }).toEqual({
      'Record Reader': 'csvreader-1',
      'Record Writer': 'jsonrecordsetwriter-1',
    });
    await shot(page, 'services-02-chosen');
  });

  it('disabling the writer makes ConvertRecord invalid with the property named; enabling it again clears that', async () => {
    await selectNothing(page);
    await openTab(page, 'Services');
    await card('jsonrecordsetwriter-1').locator('input[type=checkbox]').uncheck();
    await waitSaved(page);
    const badge = page.locator('.react-flow__node[data-id="conv"] [data-testid=validity].bad');
    await badge.waitFor({ timeout: 15_000 });
    expect(await badge.getAttribute('title')).toContain("Record Writer: controller service 'JSON Record Set Writer' is disabled");
    await selectNode(page, 'conv');
    expect(await field('Record Writer').locator('select option:checked').textContent()).toBe('JSON Record Set Writer (JsonRecordSetWriter) — disabled');
    expect(await field('Record Writer').textContent()).toContain('is disabled');
    await shot(page, 'services-03-disabled');
    await selectNothing(page);
    await openTab(page, 'Services');
    await card('jsonrecordsetwriter-1').locator('input[type=checkbox]').check();
    await waitSaved(page);
    await page.waitForSelector('.react-flow__node[data-id="conv"] [data-testid=validity].ok', { timeout: 15_000 });
    // The badge is the designer's own check; the next test runs the processor on the server, so wait for the save.
    await expect
      .poll(async () => (await storedFlow()).document.controllerServices.find((s) => s.id === 'jsonrecordsetwriter-1')?.enabled, { timeout: 15_000 })
      .toBe(true);
  });

  it('runs ConvertRecord through the services the designer set up', async () => {
    expect((await api.request(`/api/flows/${flowId}/processors/gen/run-once`, { method: 'POST' })).status).toBeLessThan(300);
    expect((await api.request(`/api/flows/${flowId}/processors/conv/run-once`, { method: 'POST' })).status).toBeLessThan(300);
    const listing = await json<{ flowFiles: { uuid: string; attributes: Record<string, string> }[] }>(await api.request(`/api/flows/${flowId}/connections/c2/queue`));
    const ff = listing.flowFiles[0]!;
    expect(ff.attributes['record.count']).toBe('2');
    const body = await json<{ content: string }>(await api.request(`/api/flows/${flowId}/connections/c2/queue/${ff.uuid}/content`));
    expect(JSON.parse(body.content)).toEqual([{ sku: 'A1', qty: 3 }, { sku: 'A2', qty: 4 }]);
    expect(errors).toEqual([]);
  });
});
