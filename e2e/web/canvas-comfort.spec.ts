/**
 * A canvas to live in: templates laid out left to right, full titles, a first drop that lands where it was dropped,
 * a resizable inspector and collapsible panels (also at 1024×768), a dark theme that follows the system, the palette
 * from the keyboard, right-click menus, the shortcut sheet, auto-layout, and the flow list's health columns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDto, FlowSummaryDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { canvasZoom, dropFromPalette, launchBrowser, newPage, selectEdge, shot, signIn, waitViewportStill } from './browser-harness.js';

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];

const box = async (p: Page, selector: string) => (await p.locator(selector).first().boundingBox())!;
const nodeBox = (p: Page, id: string) => box(p, `.react-flow__node[data-id="${id}"]`);

async function openFlow(p: Page, id: string, nodes: number) {
  await p.goto(`/flows/${id}`);
  await p.waitForSelector('.react-flow__viewport', { state: 'attached' });
  await p.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length === n, nodes);
  await waitViewportStill(p);
}

async function template(templateId: string, name: string): Promise<FlowDto> {
  return json<FlowDto>(await api.request('/api/flows/from-template', { method: 'POST', json: { templateId, name } }));
}

describe('a canvas to live in (Chromium)', () => {
  beforeAll(async () => {
    api = await startApi({ web: true });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    await page.emulateMedia({ colorScheme: 'light' });
    await signIn(page, 'admin', api.adminPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('lays the templates out left to right, as the handles are, and shows full titles', async () => {
    const flow = await template('stock-inbound', 'Left to right');
    const ids = flow.document.processors.map((p) => p.id);
    await openFlow(page, flow.id, ids.length);
    const boxes = await Promise.all(ids.map((id) => nodeBox(page, id)));
    for (let i = 1; i < boxes.length; i++) {
      expect(boxes[i]!.x).toBeGreaterThan(boxes[i - 1]!.x + boxes[i - 1]!.width);
      expect(Math.abs(boxes[i]!.y - boxes[0]!.y)).toBeLessThan(5);
    }
    // No title is cut: each name element shows all of its text.
    const clipped = await page.locator('.proc-name').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    expect(clipped).toEqual([]);
    expect(await page.locator('.proc-name', { hasText: 'Read Data From ERP' }).count()).toBeGreaterThan(0);
    await shot(page, 'canvas-template-left-to-right');
  });

  it('drops the first processor on an empty canvas where the pointer is, without zooming', async () => {
    const flow = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: { name: 'Empty canvas' } }));
    await openFlow(page, flow.id, 0);
    const zoom = await canvasZoom(page);
    const pane = await box(page, '.react-flow__pane');
    const id = await dropFromPalette(page, 'UpdateAttribute', 300, 200);
    await page.waitForTimeout(400);
    expect(await canvasZoom(page)).toBe(zoom);
    const b = await nodeBox(page, id);
    // The node is centred on the drop point (within a grid step).
    expect(Math.abs(b.x + 110 - (pane.x + 300))).toBeLessThan(24);
    expect(Math.abs(b.y + 30 - (pane.y + 200))).toBeLessThan(24);
  });

  it('resizes the inspector by its edge (kept after a reload) and collapses both side panels', async () => {
    const flow = await template('stock-outbound', 'Panels');
    await openFlow(page, flow.id, flow.document.processors.length);
    const before = await box(page, '[data-testid=inspector]');
    const splitter = await box(page, '[data-testid=inspector-splitter]');
    await page.mouse.move(splitter.x + 3, splitter.y + 200);
    await page.mouse.down();
    await page.mouse.move(splitter.x - 150, splitter.y + 200, { steps: 8 });
    await page.mouse.up();
    const wider = await box(page, '[data-testid=inspector]');
    expect(Math.abs(wider.width - (before.width + 150))).toBeLessThan(6);
    await page.reload();
    await page.waitForSelector('.react-flow__node');
    expect(Math.abs((await box(page, '[data-testid=inspector]')).width - wider.width)).toBeLessThan(2);
    // The tab strip is never clipped: every tab is inside the inspector.
    const inspector = await box(page, '[data-testid=inspector]');
    for (const t of await page.locator('.inspector .tab').all()) {
      const tb = (await t.boundingBox())!;
      expect(tb.x + tb.width).toBeLessThanOrEqual(inspector.x + inspector.width + 1);
    }

    const canvasBefore = (await box(page, '.canvas')).width;
    await page.click('[aria-label="Hide the palette"]');
    await page.click('[aria-label="Hide the inspector"]');
    const canvasAfter = (await box(page, '.canvas')).width;
    expect(canvasAfter).toBeGreaterThan(canvasBefore + 400);
    await page.click('[data-testid=palette-expand]');
    await page.click('[data-testid=inspector-expand]');
    expect(Math.abs((await box(page, '.canvas')).width - canvasBefore)).toBeLessThan(2);
  });

  it('is usable at 1024×768: the canvas keeps its room, the minimap steps aside, the inspector fits', async () => {
    const flow = await template('stock-inbound', 'Small screen');
    const small = await browser.newContext({ viewport: { width: 1024, height: 768 }, baseURL: api.url });
    const p = await small.newPage();
    const pageErrors: string[] = [];
    p.on('pageerror', (e) => pageErrors.push(e.message));
    await signIn(p, 'admin', api.adminPassword);
    await openFlow(p, flow.id, flow.document.processors.length);
    const canvas = await box(p, '.canvas');
    expect(canvas.width).toBeGreaterThanOrEqual(560);
    expect(await p.locator('.react-flow__minimap').isVisible()).toBe(false);
    const inspector = await box(p, '[data-testid=inspector]');
    expect(inspector.x + inspector.width).toBeLessThanOrEqual(1024);
    await p.locator(`.react-flow__node[data-id="${flow.document.processors[1]!.id}"] .proc-head`).click();
    await p.waitForSelector('[data-testid=processor-inspector]');
    for (const t of await p.locator('.inspector .tab').all()) {
      const tb = (await t.boundingBox())!;
      expect(tb.x + tb.width).toBeLessThanOrEqual(1024);
    }
    await shot(p, 'canvas-1024x768');
    expect(pageErrors).toEqual([]);
    await small.close();
  });

  it('follows the system dark setting, and the toggle overrides it and is remembered', async () => {
    const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const themed = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: api.url, colorScheme: 'dark' });
    const p = await themed.newPage();
    await signIn(p, 'admin', api.adminPassword);
    const dark = await p.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim());
    expect(dark).toBe('#0f141b');
    const flow = await template('image-inbound', 'Dark canvas');
    await openFlow(p, flow.id, flow.document.processors.length);
    expect(await p.locator('.react-flow.dark').count()).toBe(1);
    await shot(p, 'canvas-dark');
    // system → light, whatever the system says; remembered across a reload.
    await p.click('[data-testid=theme-toggle]');
    expect(await p.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await p.reload();
    await p.waitForSelector('.react-flow__node');
    expect(await p.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim())).toBe('#f4f5f7');
    await themed.close();
    expect(await bg()).toBe('rgb(244, 245, 247)');
  });

  it('adds a processor from the keyboard: / to search, arrows, Enter', async () => {
    const flow = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: { name: 'Keyboard palette' } }));
    await openFlow(page, flow.id, 0);
    await page.locator('.react-flow__pane').click({ position: { x: 50, y: 50 } });
    await page.keyboard.press('/');
    await page.waitForFunction(() => document.activeElement?.id === 'palette-search');
    await page.keyboard.type('attribute');
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-type'));
    expect(focused).toBeTruthy();
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-type'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 1);
    expect(await page.locator('.react-flow__node [data-processor-type]').getAttribute('data-processor-type')).toBe(second);
  });

  it('opens a right-click menu on processors and on the canvas, the shortcut sheet with ?, and lays a flow out', async () => {
    const doc = {
      name: 'Stacked',
      processors: ['a', 'b', 'c'].map((id, i) => ({ id, type: 'UpdateAttribute', name: `Step ${id}`, position: { x: 100, y: 100 + i * 200 }, autoTerminated: id === 'c' ? ['success'] : [] })),
      connections: [
        { id: 'ab', sourceId: 'a', relationships: ['success'], targetId: 'b' },
        { id: 'bc', sourceId: 'b', relationships: ['success'], targetId: 'c' },
      ],
    };
    const flow = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: doc }));
    await openFlow(page, flow.id, 3);

    await page.locator('.react-flow__node[data-id="b"] .proc-head').click({ button: 'right' });
    await page.waitForSelector('[data-testid=canvas-menu]');
    expect(await page.locator('[data-testid=canvas-menu] [role=menuitem]').allTextContents()).toEqual(['Configure', 'Start', 'Run once', 'CopyCtrl+C', 'DeleteDel']);
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=canvas-menu]', { state: 'detached' });

    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=shortcut-sheet]');
    expect(await page.textContent('[data-testid=shortcut-sheet]')).toContain('Auto-layout, left to right');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=shortcut-sheet]', { state: 'detached' });

    await page.locator('.react-flow__pane').click({ button: 'right', position: { x: 600, y: 400 } });
    await page.click('[data-testid=canvas-menu] [role=menuitem]:has-text("Auto-layout")');
    await waitViewportStill(page);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((id) => nodeBox(page, id)));
    expect(b!.x).toBeGreaterThan(a!.x + a!.width);
    expect(c!.x).toBeGreaterThan(b!.x + b!.width);
    // The layout is an edit like any other: saved, and one undo puts it back.
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'All changes saved');
    const saved = await json<FlowDto>(await api.request(`/api/flows/${flow.id}`));
    expect(new Set(saved.document.processors.map((p) => p.position.y)).size).toBe(1);
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'All changes saved');
    const undone = await json<FlowDto>(await api.request(`/api/flows/${flow.id}`));
    expect(undone.document.processors.map((p) => p.position.y)).toEqual([100, 300, 500]);
  });

  it('taps a connection live in the debug panel, with credentials masked', async () => {
    const timer = { strategy: 'timer', period: '300 ms', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
    const flow = await json<FlowDto>(
      await api.request('/api/flows', {
        method: 'POST',
        json: {
          name: 'Tapped',
          processors: [
            { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', position: { x: 80, y: 120 }, scheduling: timer, properties: { 'Custom Text': '{"sku": "A1"}', 'Data Format': 'Text' } },
            { id: 'tag', type: 'UpdateAttribute', name: 'Tag', position: { x: 400, y: 120 }, properties: { 'erp.sku': 'A1', 'token.erp': 'tok-live-secret' }, scheduling: timer },
            { id: 'end', type: 'UpdateAttribute', name: 'End', position: { x: 720, y: 120 }, properties: {}, autoTerminated: ['success'] },
          ],
          connections: [
            { id: 'gen-tag', sourceId: 'gen', relationships: ['success'], targetId: 'tag' },
            { id: 'tag-end', sourceId: 'tag', relationships: ['success'], targetId: 'end' },
          ],
        },
      }),
    );
    await openFlow(page, flow.id, 3);
    await selectEdge(page, 'tag-end');
    await page.click('[data-testid=tap-connection]');
    await page.waitForSelector('[data-testid=debug-panel] [data-tap="tag-end"]');
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    await page.waitForSelector('[data-testid=debug-panel] .debug-item', { timeout: 30_000 });
    await page.locator('[data-testid=debug-panel] .debug-line').first().click();
    const shown = await page.textContent('[data-testid=debug-panel] .debug-item pre');
    expect(shown).toContain('"erp.sku": "A1"');
    expect(shown).not.toContain('tok-live-secret');
    expect(await page.textContent('[data-testid=debug-panel] .debug-line')).toContain('Tag → End');
    await shot(page, 'canvas-debug-panel');
    // Untapped: nothing more arrives.
    await page.click('[aria-label="Stop tapping Tag → End"]');
    await page.click('button:has-text("Clear")');
    await page.waitForTimeout(1500);
    expect(await page.locator('[data-testid=debug-panel] .debug-item').count()).toBe(0);
    await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
  });

  it("lists each flow's last run and its failures in the last 24 hours", async () => {
    // An inbound Stock flow whose ERP refuses its credentials: its run fails.
    const [erp, omnitron]: [ErpSimHandle, OmnitronSimHandle] = await Promise.all([startErpSim({ generatedRows: 5 }), startOmnitronSim({ generatedProducts: 5 })]);
    const flow = await json<FlowDto>(
      await api.request('/api/flows/from-template', {
        method: 'POST',
        json: { templateId: 'stock-inbound', name: 'Failing ERP', parameters: {
          'omnitron.url': omnitron.url,
          'omnitron.username': 'integrator',
          'omnitron.password': 'integrator-pass',
          'erp.url': erp.url,
          'erp.username': erp.credentials.username,
          'erp.password': 'not-the-password',
        } },
      }),
    );
    const started = await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' });
    expect(started.status, await started.clone().text()).toBe(200);
    await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' });
    const end = Date.now() + 60_000;
    let summary: FlowSummaryDto | undefined;
    while (Date.now() < end) {
      summary = (await json<FlowSummaryDto[]>(await api.request('/api/flows'))).find((f) => f.id === flow.id);
      if (summary?.lastExecution && summary.lastExecution.status !== 'in-progress') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
    await Promise.all([erp.close(), omnitron.close()]);
    expect(summary?.lastExecution?.status).toBe('failed');
    expect(summary?.last24h?.failedExecutions).toBe(1);

    const idle = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: { name: 'Never ran' } }));
    await page.goto('/flows');
    const row = page.locator(`tr[data-flow-id="${flow.id}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid=last-run] .state-pill').textContent()).toBe('failed');
    expect(await row.locator('[data-testid=errors-24h]').textContent()).toContain('1 failed');
    const never = page.locator(`tr[data-flow-id="${idle.id}"]`);
    expect(await never.locator('[data-testid=last-run]').textContent()).toBe('never ran');
    await shot(page, 'flow-list-health');
    await row.locator('[data-testid=errors-24h] a').click();
    await page.waitForURL(/\/executions\?status=failed$/);
    expect(errors).toEqual([]);
  });
});
