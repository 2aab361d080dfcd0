import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ExecutionDto, FlowDocument, FlowDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { launchBrowser, newPage, openTab, selectNode, setMonaco, shot, signIn, waitSaved } from './browser-harness.js';

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;
let browser: Browser;
let page: Page;
let errors: string[];
let flow: FlowDto;
let executionId: string;

const getFlow = async () => json<FlowDto>(await api.request(`/api/flows/${flow.id}`));
const readStep = (doc: FlowDocument) => doc.processors.find((p) => p.id === 'read')!;

describe('test data that stays: pinned FlowFiles, the full-size expression editor, remembered test inputs', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim({ generatedRows: 20 }), startOmnitronSim({ generatedProducts: 50 }), startApi({ web: true })]);
    flow = await json<FlowDto>(
      await api.request('/api/flows/from-template', {
        method: 'POST',
        json: {
          templateId: 'stock-inbound',
          name: 'Stock pinned',
          parameters: {
            'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass',
            'erp.url': erp.url, 'erp.username': erp.credentials.username, 'erp.password': erp.credentials.password,
          },
        },
      }),
    );
    expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    executionId = (await json<{ executionId: string }>(await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' }))).executionId;
    for (;;) {
      const e = await json<ExecutionDto>(await api.request(`/api/executions/${executionId}`));
      if (e.state === 'finished') break;
      await new Promise((r) => setTimeout(r, 150));
    }
    expect((await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' })).status).toBe(200);
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    await signIn(page, 'admin', api.adminPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  it('pins the FlowFile a step received in a past run as its test input, kept with the flow without its token', async () => {
    await page.goto(`/executions/${executionId}`);
    await page.getByRole('button', { name: /^Data of Read Data/ }).click();
    await page.locator('[data-testid=pin-event]').click();
    await page.waitForSelector('[data-testid=pin-state]:has-text("Pinned as the test input")');
    const pinned = readStep((await getFlow()).document).pinned!;
    expect(pinned.source).toMatch(/^provenance event \d+$/);
    expect(pinned.attributes['execution.id']).toBe(executionId);
    expect(pinned.attributes['token.erp']).toBe('********');
    const exported = JSON.stringify(await json<FlowDocument>(await api.request(`/api/flows/${flow.id}/export`)));
    expect(exported).toContain(executionId);
    expect(exported).not.toContain(erp.credentials.password);
    expect(exported).not.toContain('integrator-pass');
  });

  it('opens an expression property full size with a live preview against the pinned FlowFile and one positioned error', async () => {
    await page.goto(`/flows/${flow.id}`);
    await page.waitForSelector('.react-flow__node');
    await selectNode(page, 'read');
    await page.getByRole('button', { name: 'Expand Endpoint URL' }).click();
    const dialog = page.locator('[data-testid=el-dialog]');
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.width).toBeGreaterThan(1440 * 0.9);
    expect(box.height).toBeGreaterThan(900 * 0.85);
    expect((await dialog.locator('.monaco-editor').boundingBox())!.height).toBeGreaterThan(400);
    expect(await page.textContent('[data-testid=el-preview-source]')).toMatch(/pinned FlowFile/);

    await setMonaco(page, '[data-testid=el-dialog]', '${literal("run {ID}"):replace("{ID}", ${execution.id})}');
    await page.waitForSelector(`[data-testid=el-preview-result]:has-text("run ${executionId}")`);

    await setMonaco(page, '[data-testid=el-dialog]', 'x\n  ${literal("a/{T}"):replace("{T}", ${no.such.attribute})}');
    const err = page.locator('[data-testid=el-preview-error]');
    await err.waitFor();
    const text = (await err.textContent())!;
    expect(text).toBe("attribute 'no.such.attribute' is not set (line 2, column 37); replace: replacement argument is null");
    await shot(page, 'el-full-size');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await waitSaved(page);
    expect(readStep((await getFlow()).document).properties['Endpoint URL']).toContain('no.such.attribute');
  });

  it('keeps typed test inputs across tab switches and reloads, and pins typed input that survives a reload', async () => {
    await openTab(page, 'Test');
    await page.waitForSelector('[data-testid=pinned-badge]');
    await page.selectOption('[aria-label="Test input FlowFile"]', '');
    await page.fill('[aria-label="Test content"]', '[{"sku":"kept"}]');
    await openTab(page, 'Properties');
    await openTab(page, 'Test');
    await page.selectOption('[aria-label="Test input FlowFile"]', '');
    expect(await page.inputValue('[aria-label="Test content"]')).toBe('[{"sku":"kept"}]');
    await page.reload();
    await page.waitForSelector('.react-flow__node');
    await selectNode(page, 'read');
    await openTab(page, 'Test');
    await page.selectOption('[aria-label="Test input FlowFile"]', '');
    expect(await page.inputValue('[aria-label="Test content"]')).toBe('[{"sku":"kept"}]');

    await page.getByRole('button', { name: 'Unpin' }).click();
    await page.locator('[data-testid=pinned-badge]').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Type an input to pin' }).click();
    await page.fill('[aria-label="Pinned content"]', '{"typed":true}');
    await page.locator('[data-testid=pin-editor] button', { hasText: /^Pin$/ }).click();
    await page.waitForSelector('[data-testid=pinned-summary]:has-text("typed")');
    await waitSaved(page);
    await page.reload();
    await page.waitForSelector('.react-flow__node');
    await selectNode(page, 'read');
    await openTab(page, 'Test');
    await page.waitForSelector('[data-testid=pinned-summary]:has-text("typed")');
    expect(readStep((await getFlow()).document).pinned).toMatchObject({ content: '{"typed":true}', source: 'typed' });
    expect(errors).toEqual([]);
  });
});
