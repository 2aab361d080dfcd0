import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { connect, fillKeyValues, launchBrowser, newPage, nodeIdByType, openTab, selectNode, selectNothing, setMonaco, shot, signIn, shownVersion, waitSaved, waitVersionAbove } from './browser-harness.js';

// The seeds' dynamic ERP URL, exactly as the product documentation gives it.
const SEED_URL_EXPRESSION = readFileSync(new URL('../../libs/expression/fixtures/seed-dynamic-url.el', import.meta.url), 'utf8');

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];
let external: string[];
let flowId: string;

const storedFlow = () => api.request(`/api/flows/${flowId}`).then((r) => json<FlowDto>(r));
const pageSizeInput = () => page.locator('[data-property="Page Size"] input');

describe('flow designer in Chromium', () => {
  beforeAll(async () => {
    api = await startApi({ web: true });
    browser = await launchBrowser();
    ({ page, errors, external } = await newPage(browser, api.url));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('signs in and lists flows', async () => {
    await signIn(page, 'admin', api.adminPassword);
    // The table shows "Loading…" until the list arrives.
    await page.waitForSelector('.flows-table td:has-text("No flows yet")');
    await shot(page, '01-flow-list');
  });

  it('creates a flow from the Stock template and shows its processors and connections', async () => {
    await page.click('button:has-text("From template")');
    await page.click('[data-template="stock-inbound"]');
    await page.waitForURL(/\/flows\/[^/]+$/);
    flowId = new URL(page.url()).pathname.split('/').pop()!;
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 5);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 4);
    const types = await page.locator('.react-flow__node [data-processor-type]').evaluateAll((els) => els.map((e) => e.getAttribute('data-processor-type')));
    expect(types.sort()).toEqual(['ExecuteScript', 'IntegratorLogin', 'JoltTransformJSON', 'ReadErpData', 'WriteOmnitronStock']);
    for (const edge of ['login-to-read', 'read-to-script', 'script-to-mapping', 'mapping-to-write']) {
      expect(await page.locator(`[data-testid="edge-${edge}"] .edge-rels`).textContent()).toBe('success');
    }
    // The template is complete but for its credentials: the Omnitron password parameter is empty until set.
    expect(await page.locator('[data-testid=validity].bad').count()).toBe(1);
    expect(await page.locator('.react-flow__node[data-id="login"] [data-testid=validity]').getAttribute('title')).toContain(
      "Omnitron Password is required: '#{omnitron.password}' = '' is empty",
    );
    expect(await shownVersion(page)).toBe(1);
    await shot(page, '02-stock-template');
  });

  it('drops a processor from the palette, connects it and auto-saves', async () => {
    const pane = page.locator('.react-flow__pane');
    const box = (await pane.boundingBox())!;
    await page.locator('.palette-item[data-type="UpdateAttribute"]').dragTo(pane, { targetPosition: { x: box.width * 0.85, y: box.height * 0.3 } });
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 6);
    const added = await nodeIdByType(page, 'UpdateAttribute');
    // Rows the writer rejects go to the new step instead of being dropped.
    await connect(page, 'write', 'failure', added);
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 5);
    // Unconnected 'success' makes the new step invalid until it is auto-terminated.
    await page.waitForSelector(`.react-flow__node[data-id="${added}"] [data-testid=validity].bad`);
    await selectNode(page, added);
    await openTab(page, 'Relationships');
    await page.locator('.check-row:has-text("success") input').check();
    await page.waitForSelector(`.react-flow__node[data-id="${added}"] [data-testid=validity].ok`);
    await waitVersionAbove(page, 1);
    await waitSaved(page);

    const saved = await storedFlow();
    expect(saved.document.processors).toHaveLength(6);
    const link = saved.document.connections.find((c) => c.sourceId === 'write');
    expect(link).toMatchObject({ targetId: added, relationships: ['failure'] });
    expect(saved.document.processors.find((p) => p.id === 'write')!.autoTerminated).toEqual(['success']);
    expect(saved.document.processors.find((p) => p.id === added)!.autoTerminated).toEqual(['success']);
    expect(saved.validation.map((v) => [v.processorId, v.property])).toEqual([['login', 'Omnitron Password']]);
    await shot(page, '03-dropped-and-connected');
  });

  it('edits a property in the form rendered from the descriptor and saves a new version', async () => {
    await selectNode(page, 'read');
    await page.waitForSelector('[data-testid=property-form]');
    expect(await pageSizeInput().inputValue()).toBe('500');
    const before = (await storedFlow()).version;
    await pageSizeInput().fill('250');
    await waitVersionAbove(page, before);
    await waitSaved(page);
    const saved = await storedFlow();
    expect(saved.version).toBe(before + 1);
    expect(saved.document.processors.find((p) => p.id === 'read')!.properties['Page Size']).toBe('250');
  });

  it('names the problem when a property value is bad', async () => {
    await pageSizeInput().fill('many');
    const message = page.locator('[data-property="Page Size"] .field-error');
    await message.waitFor();
    expect(await message.textContent()).toBe("Page Size: 'many' is not a whole number");
    await page.waitForSelector('.react-flow__node[data-id="read"] [data-testid=validity].bad');
    expect(await page.locator('.react-flow__node[data-id="read"] [data-testid=validity]').getAttribute('title')).toContain("'many' is not a whole number");
    await shot(page, '04-bad-property');
    await pageSizeInput().fill('250');
    await page.waitForSelector('.react-flow__node[data-id="read"] [data-testid=validity].ok');
    await waitSaved(page);
    expect((await storedFlow()).document.processors.find((p) => p.id === 'read')!.properties['Page Size']).toBe('250');
  });

  it('shows the conflict when another session saved first, and reloads their version', async () => {
    const other = await api.login('admin', api.adminPassword);
    const current = await storedFlow();
    const theirs = { ...current.document, processors: current.document.processors.map((p) => (p.id === 'read' ? { ...p, properties: { ...p.properties, 'Page Size': '700' } } : p)) };
    const saved = await json<FlowDto>(await api.request(`/api/flows/${flowId}`, { method: 'PUT', json: { version: current.version, document: theirs }, token: other }));

    await pageSizeInput().fill('300');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'Conflict', null, { timeout: 15_000 });
    const banner = page.locator('.banner.warn[role=alert]');
    expect(await banner.textContent()).toContain(`Someone else saved this flow while you were editing: the flow was changed by admin (now version ${saved.version})`);
    await shot(page, '05-conflict');
    await banner.locator('button:has-text("Reload their version")').click();
    await waitSaved(page);
    expect(await shownVersion(page)).toBe(saved.version);
    await selectNode(page, 'read');
    expect(await pageSizeInput().inputValue()).toBe('700');
    expect((await storedFlow()).version).toBe(saved.version);
  });

  it('turns fetch missing on in the flow settings and saves it', async () => {
    await selectNothing(page);
    await openTab(page, 'Flow');
    const settings = page.locator('[data-testid=fetch-missing-settings]');
    await settings.locator('input[type=checkbox]').check();
    await settings.locator('label:has-text("Productization date limit") input').fill('14');
    await waitSaved(page);
    const saved = await storedFlow();
    expect(saved.document.integration?.fetchMissing).toMatchObject({ enabled: true, productizationDateLimitDays: 14, interval: '4 hours' });
    await openTab(page, 'Trigger');
    await page.waitForSelector('[data-testid=fetch-missing-now]');
    await shot(page, '05b-fetch-missing');
  });

  it("evaluates the seeds' dynamic URL expression in the EL test pane", async () => {
    await selectNode(page, 'read');
    await setMonaco(page, '[data-property="Endpoint URL"]', SEED_URL_EXPRESSION);
    await openTab(page, 'Test');
    await page.waitForSelector('[data-testid=expression-pane]');
    await fillKeyValues(page, 'expression-attributes', { 'http.query.string': 'sku=12345', 'http.query.param.sku': '12345', 'token.erp': 'tok' });
    await page.click('[data-testid=run-expression]');
    await page.waitForSelector('[data-testid=expression-result]');
    expect(await page.textContent('[data-testid=expression-result]')).toBe(
      "http://127.0.0.1:12345/(S(tok))/service/run?{'name': 'Akinon', 'Parameters': [{'Name': 'Barcodes', 'Value': '12345'}]}",
    );
    await shot(page, '06-expression-pane');
    await waitSaved(page);
    const read = (await storedFlow()).document.processors.find((p) => p.id === 'read')!;
    expect(read.properties['Endpoint URL']).toBe(SEED_URL_EXPRESSION);
  });

  it('runs the seed Jolt spec in the mapping pane', async () => {
    await selectNode(page, 'mapping');
    await openTab(page, 'Test');
    await page.waitForSelector('[data-testid=mapping-pane]');
    const input = [
      { sku: '12345', stock: 123, stock_list: '1', unit_type: 'qty' },
      { sku: '12346', stock: 0, stock_list: '1', unit_type: 'qty' },
      { sku: '12347', stock: 9, stock_list: '1', unit_type: 'qty' },
    ];
    await setMonaco(page, '[data-testid=mapping-pane] .code-field', JSON.stringify(input, null, 1));
    await page.click('[data-testid=run-mapping]');
    await page.waitForSelector('[data-testid=mapping-output]');
    expect(JSON.parse((await page.textContent('[data-testid=mapping-output]'))!)).toEqual([
      { stock_list: '1', unit_type: 'qty', product_sku: '12345', stock: 123 },
      { stock_list: '1', unit_type: 'qty', product_sku: '12346', stock: 0 },
      { stock_list: '1', unit_type: 'qty', product_sku: '12347', stock: 9 },
    ]);
    await shot(page, '07-mapping-pane');
  });

  it("runs the template's seed Python script in the script pane, for good and bad input", async () => {
    await selectNode(page, 'script');
    await openTab(page, 'Test');
    await page.waitForSelector('[data-testid=script-pane]');
    await setMonaco(page, '[data-testid=script-pane] .code-field', '[{"sku": "12345", "stock": 7}]');
    await page.click('[data-testid=run-script]');
    await page.waitForSelector('[data-testid=script-result]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=script-result] [data-testid=result-relationship]')).toBe('success');
    expect(JSON.parse((await page.textContent('[data-testid=script-output]'))!)).toEqual([{ sku: '12345', stock: 7 }]);
    await shot(page, '08-script-pane');

    // The seed script catches its own errors: the FlowFile goes to failure with the traceback as an attribute.
    await setMonaco(page, '[data-testid=script-pane] .code-field', 'not json');
    await page.click('[data-testid=run-script]');
    await page.waitForFunction(() => document.querySelector('[data-testid=script-result] [data-testid=result-relationship]')?.textContent === 'failure', null, { timeout: 60_000 });
    expect(await page.textContent('[data-testid=script-result]')).toContain('log.error.script_error');
    // The caught error comes first and in view; the echoed input is folded away after it.
    const failure = page.locator('[data-testid=script-result] [data-testid=script-error]');
    expect(await failure.isVisible()).toBe(true);
    expect((await failure.textContent())!.length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=script-result] [data-testid=script-output]').isVisible()).toBe(false);
    const order = await page.locator('[data-testid=script-result]').evaluate((el) => {
      const error = el.querySelector('[data-testid=script-error]')!;
      const output = el.querySelector('[data-testid=script-output]')!;
      return error.compareDocumentPosition(output) & Node.DOCUMENT_POSITION_FOLLOWING ? 'error first' : 'output first';
    });
    expect(order).toBe('error first');
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
