import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { connect, launchBrowser, newPage, nodeIdByType, openTab, selectNode, setMonaco, shot, signIn, waitSaved } from './browser-harness.js';

const SCRIPT = `function transform(input, attributes) {
  attributes['rows'] = String(input.length);
  return input.map((row) => ({ ...row, stock: row.stock * 2 }));
}`;

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];
let external: string[];
let flowId: string;
const ids: Record<'gen' | 'script' | 'log', string> = { gen: '', script: '', log: '' };

const storedFlow = () => api.request(`/api/flows/${flowId}`).then((r) => json<FlowDto>(r));
const queueCount = (connectionId: string) => page.locator(`[data-testid="edge-${connectionId}"] [data-testid=queue-count]`);

describe('building GenerateFlowFile → ExecuteScript → LogAttribute in Chromium', () => {
  beforeAll(async () => {
    api = await startApi({ web: true });
    browser = await launchBrowser();
    ({ page, errors, external } = await newPage(browser, api.url));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('creates an empty flow and drops three processors from the palette', async () => {
    await signIn(page, 'admin', api.adminPassword);
    await page.click('button:has-text("New flow")');
    await page.waitForURL(/\/flows\/[^/]+$/);
    flowId = new URL(page.url()).pathname.split('/').pop()!;
    const pane = page.locator('.react-flow__pane');
    await pane.waitFor();
    const box = (await pane.boundingBox())!;
    // The canvas centres the first node it gets; the others go below it, side by side, clear of the minimap.
    const drops: [string, number, number][] = [
      ['GenerateFlowFile', 0.3, 0.3],
      ['ExecuteScript', 0.03, 0.62],
      ['LogAttribute', 0.55, 0.62],
    ];
    for (const [type, x, y] of drops) {
      // The palette search narrows the list, as a user finds a type.
      await page.fill('input[aria-label="Search processors"]', type);
      await page.locator(`.palette-item[data-type="${type}"]`).dragTo(pane, { targetPosition: { x: box.width * x, y: box.height * y } });
    }
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 3);
    ids.gen = await nodeIdByType(page, 'GenerateFlowFile');
    ids.script = await nodeIdByType(page, 'ExecuteScript');
    ids.log = await nodeIdByType(page, 'LogAttribute');
    // Every handle in view before drawing connections.
    await page.click('button:has-text("Fit")');
    await page.waitForTimeout(300);
    await connect(page, ids.gen, 'success', ids.script);
    await connect(page, ids.script, 'success', ids.log);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 2);
  });

  it('configures each step from its form until every node is valid', async () => {
    await page.click('button:has-text("Fit")');
    await selectNode(page, ids.gen);
    await page.locator('[data-property="Custom Text"] textarea').fill('[{"sku": "12345", "stock": 3}, {"sku": "12346", "stock": 4}]');
    await openTab(page, 'Scheduling');
    await page.locator('.sched-form label:has-text("Run schedule") input').fill('1 sec');

    await selectNode(page, ids.script);
    await page.locator('[data-property="Script Engine"] select').selectOption('javascript');
    await setMonaco(page, '[data-property="Script Body"]', SCRIPT);
    await openTab(page, 'Relationships');
    await page.locator('.check-row:has-text("failure") input').check();

    await selectNode(page, ids.log);
    await openTab(page, 'Relationships');
    await page.locator('.check-row:has-text("success") input').check();

    for (const id of Object.values(ids)) await page.waitForSelector(`.react-flow__node[data-id="${id}"] [data-testid=validity].ok`);
    await waitSaved(page);
    const saved = await storedFlow();
    expect(saved.validation).toEqual([]);
    const script = saved.document.processors.find((p) => p.id === ids.script)!;
    expect(script.properties).toMatchObject({ 'Script Engine': 'javascript', 'Script Body': SCRIPT });
    expect(saved.document.processors.find((p) => p.id === ids.gen)!.scheduling.period).toBe('1 sec');
    await shot(page, '20-built-flow');
  });

  it('tests the script step in its pane', async () => {
    await selectNode(page, ids.script);
    await openTab(page, 'Test');
    await page.waitForSelector('[data-testid=script-pane]');
    await setMonaco(page, '[data-testid=script-pane] .code-field', '[{"sku": "12345", "stock": 3}]');
    await page.click('[data-testid=run-script]');
    await page.waitForSelector('[data-testid=script-result]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=script-result] [data-testid=result-relationship]')).toBe('success');
    expect(JSON.parse((await page.textContent('[data-testid=script-output]'))!)).toEqual([{ sku: '12345', stock: 6 }]);
    expect(await page.textContent('[data-testid=script-result]')).toContain('rows');
    await shot(page, '21-script-test');
  });

  it('starts the flow and shows the queue in front of a stopped LogAttribute grow, then drain', async () => {
    const saved = await storedFlow();
    const toLog = saved.document.connections.find((c) => c.targetId === ids.log)!.id;
    await page.click('[data-testid=start-stop]');
    await page.waitForFunction(() => document.querySelector('[data-testid=flow-state]')?.textContent === 'running', null, { timeout: 15_000 });
    await selectNode(page, ids.log);
    await page.waitForFunction(() => document.querySelector('[data-testid=processor-state]')?.textContent === 'running');
    await page.click('[data-testid=processor-start-stop]');
    await page.waitForFunction(() => document.querySelector('[data-testid=processor-state]')?.textContent === 'stopped');
    await page.waitForFunction((id) => Number(document.querySelector(`[data-testid="edge-${id}"] [data-testid=queue-count]`)?.textContent) >= 2, toLog, { timeout: 30_000 });
    await shot(page, '22-queue-growing');
    const queued = await json<{ flowFiles: { attributes: Record<string, string> }[] }>(await api.request(`/api/flows/${flowId}/connections/${toLog}/queue?limit=5`));
    expect(queued.flowFiles[0]!.attributes['rows']).toBe('2');

    await page.click('[data-testid=processor-start-stop]');
    await page.waitForFunction((id) => document.querySelector(`[data-testid="edge-${id}"] [data-testid=queue-count]`)?.textContent === '0', toLog, { timeout: 30_000 });
    expect(await queueCount(toLog).textContent()).toBe('0');
    await page.click('[data-testid=start-stop]');
    await page.waitForFunction(() => document.querySelector('[data-testid=flow-state]')?.textContent === 'stopped', null, { timeout: 15_000 });
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
