import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ExecutionDto, FlowDto, Page as ResultPage } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { launchBrowser, newPage, openTab, selectNode, selectNothing, shot, signIn } from './browser-harness.js';

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;
let browser: Browser;
let page: Page;
let errors: string[];
let external: string[];
let flow: FlowDto;


const queueCount = (connectionId: string) => page.locator(`[data-testid="edge-${connectionId}"] [data-testid=queue-count]`);
const waitNodeState = (id: string, state: string) =>
  page.waitForFunction(([nid, s]) => document.querySelector(`.react-flow__node[data-id="${nid}"] .proc-state`)?.textContent === s, [id, state] as const, { timeout: 15_000 });

describe('running a flow from the designer in Chromium', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim(), startOmnitronSim(), startApi({ web: true })]);
    // Connection settings as the demo wires them: flow parameters pointing at the simulators.
    flow = await json<FlowDto>(
      await api.request('/api/flows/from-template', {
        method: 'POST',
        json: {
          templateId: 'stock-inbound',
          name: 'Stock against the simulators',
          parameters: {
            'omnitron.url': omnitron.url,
            'omnitron.username': 'integrator',
            'omnitron.password': 'integrator-pass',
            'erp.url': erp.url,
            'erp.username': erp.credentials.username,
            'erp.password': erp.credentials.password,
          },
        },
      }),
    );
    browser = await launchBrowser();
    ({ page, errors, external } = await newPage(browser, api.url));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  it('starts the flow and shows processor states live', async () => {
    await signIn(page, 'admin', api.adminPassword);
    await page.goto(`/flows/${flow.id}`);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 5);
    await page.waitForSelector('.socket-dot.live');
    expect(await page.textContent('[data-testid=flow-state]')).toBe('stopped');
    await page.click('[data-testid=start-stop]');
    await page.waitForFunction(() => document.querySelector('[data-testid=flow-state]')?.textContent === 'running', null, { timeout: 15_000 });
    for (const id of ['login', 'read', 'script', 'mapping', 'write']) await waitNodeState(id, 'running');
    await shot(page, '11-running');
  });

  it('stops one processor from its inspector', async () => {
    await selectNode(page, 'write');
    await page.waitForFunction(() => document.querySelector('[data-testid=processor-state]')?.textContent === 'running');
    await page.click('[data-testid=processor-start-stop]');
    await waitNodeState('write', 'stopped');
    expect(await page.textContent('[data-testid=processor-state]')).toBe('stopped');
    expect(await page.textContent('[data-testid=processor-start-stop]')).toContain('Start');
    const status = await json<{ state: string; processors: { id: string; state: string }[] }>(await api.request(`/api/flows/${flow.id}/status`));
    expect(status.state).toBe('running');
    expect(status.processors.find((p) => p.id === 'write')!.state).toBe('stopped');
    expect(status.processors.find((p) => p.id === 'mapping')!.state).toBe('running');
  });

  it('triggers a run and shows the queue in front of the stopped processor grow over socket.io', async () => {
    await selectNothing(page);
    await openTab(page, 'Trigger');
    await page.fill('input[name=sku]', '12345');
    await page.click('button:has-text("Trigger run")');
    await page.waitForSelector('.exec-mini');
    // The page only polls while the socket is down; these numbers arrive as socket events.
    expect(await page.getAttribute('.socket-dot', 'class')).toContain('live');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="edge-mapping-to-write"] [data-testid=queue-count]')?.textContent) > 0, null, { timeout: 45_000 });
    expect(await queueCount('mapping-to-write').textContent()).toBe('1');
    await shot(page, '12-queued-before-stopped-writer');

    await selectNode(page, 'write');
    await page.click('[data-testid=processor-start-stop]');
    await waitNodeState('write', 'running');
    await page.waitForFunction(() => document.querySelector('[data-testid="edge-mapping-to-write"] [data-testid=queue-count]')?.textContent === '0', null, { timeout: 30_000 });
  });

  it('lists the finished execution on the executions page, with the hourly chart', async () => {
    const deadline = Date.now() + 30_000;
    let executions: ResultPage<ExecutionDto>;
    do {
      executions = await json<ResultPage<ExecutionDto>>(await api.request(`/api/executions?flowId=${flow.id}`));
      if (executions.items[0]?.state === 'finished') break;
      await new Promise((r) => setTimeout(r, 200));
    } while (Date.now() < deadline);
    const run = executions.items[0]!;
    expect(run).toMatchObject({ state: 'finished', status: 'success', trigger: 'manual' });
    expect(run.counts.written).toBeGreaterThan(0);

    await page.click('a:has-text("Executions")');
    await page.waitForURL(/\/flows\/[^/]+\/executions$/);
    const row = page.locator('[data-testid=executions-table] tbody tr.clickable');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.first().locator('.state-pill').textContent()).toBe('success');
    expect(await row.first().textContent()).toContain('manual');
    await page.waitForSelector('[data-testid=hourly-chart] .recharts-bar-rectangle');
    await shot(page, '13-executions');

    await row.first().click();
    await page.waitForURL(new RegExp(`/executions/${run.id}$`));
    await page.waitForSelector('[data-testid=execution-summary]');
    expect(await page.textContent('[data-testid=execution-summary]')).toContain('manual · admin');
    const steps = await page.locator('[data-testid=steps-table] tbody tr strong').allTextContents();
    expect(steps).toEqual(expect.arrayContaining(['Login', 'Read Data From ERP', 'Write Stock to Omnitron']));
    const rowCells = page.locator('[data-testid=rows-table] tbody tr td.mono');
    await page.waitForFunction(() => document.querySelector('[data-testid=rows-table] tbody tr td.mono')?.textContent === '12345');
    expect(await rowCells.allTextContents()).toEqual(['12345']);
    // The row filters go to the API: no failed rows in this run, and the SKU search finds the written one.
    await page.selectOption('select[aria-label="Row status filter"]', 'failed');
    await page.waitForSelector('[data-testid=rows-table] tbody td:has-text("No row logs match.")');
    await page.selectOption('select[aria-label="Row status filter"]', 'success');
    await page.fill('input[aria-label="Search SKU"]', '12345');
    await page.waitForFunction(() => document.querySelector('[data-testid=rows-table] tbody tr td.mono')?.textContent === '12345');
    await shot(page, '14-execution-rows');
    expect(omnitron.state.counters.stockRowsWritten).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });

  it('shows partial and failed executions in the list, its status filter and the executions chart', async () => {
    const outbound = await json<FlowDto>(
      await api.request('/api/flows/from-template', {
        method: 'POST',
        json: { templateId: 'stock-outbound', name: 'Outbound with unknown SKUs', parameters: { 'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' } },
      }),
    );
    await json(await api.request(`/api/flows/${outbound.id}/start`, { method: 'POST' }));
    const post = async (skus: string[]) =>
      (await json<{ executionId: string }>(await api.request(`/api/outbound/${outbound.id}`, { method: 'POST', json: skus.map((product_sku) => ({ product_sku, stock: 1, stock_list: '1' })) }))).executionId;
    const ids = [await post(['12345', 'NOT-IN-OMNITRON-A']), await post(['NOT-IN-OMNITRON-B', 'NOT-IN-OMNITRON-C'])];
    for (const id of ids) {
      const deadline = Date.now() + 30_000;
      while ((await json<ExecutionDto>(await api.request(`/api/executions/${id}`))).state !== 'finished' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    }
    await page.goto(`/flows/${outbound.id}/executions`);
    const pills = page.locator('[data-testid=executions-table] tbody tr.clickable .state-pill');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=executions-table] tbody tr.clickable').length === 2);
    expect((await pills.allTextContents()).sort()).toEqual(['failed', 'partial']);
    expect(await page.locator('[data-testid=executions-table] .state-partial').count()).toBe(1);
    await page.waitForSelector('[data-testid=status-chart] .recharts-bar-rectangle');
    await page.selectOption('select[aria-label="Status filter"]', 'partial');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=executions-table] tbody tr.clickable').length === 1);
    expect(await pills.allTextContents()).toEqual(['partial']);
    await shot(page, '15-partial-executions');
    expect(errors).toEqual([]);
  });
});
