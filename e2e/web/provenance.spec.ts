import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ExecutionDto, FlowDocument, FlowDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { launchBrowser, newPage, shot, signIn } from './browser-harness.js';

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;
let browser: Browser;
let page: Page;
let errors: string[];
let good: string;
let failing: string;
const LONG_PATH = `/no-such-endpoint-${'x'.repeat(300)}`;

async function runFlow(name: string, edit?: (doc: FlowDocument) => void): Promise<string> {
  let flow = await json<FlowDto>(
    await api.request('/api/flows/from-template', {
      method: 'POST',
      json: {
        templateId: 'stock-inbound',
        name,
        parameters: {
          'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass',
          'erp.url': erp.url, 'erp.username': erp.credentials.username, 'erp.password': erp.credentials.password,
        },
      },
    }),
  );
  if (edit) {
    const document = structuredClone(flow.document);
    edit(document);
    flow = await json<FlowDto>(await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document } }));
  }
  expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
  const { executionId } = await json<{ executionId: string }>(await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' }));
  for (const end = Date.now() + 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 150))) {
    const e = await json<ExecutionDto>(await api.request(`/api/executions/${executionId}`));
    if (e.state === 'finished') return executionId;
  }
  throw new Error(`${name} did not finish`);
}

describe('reading a past run in Chromium: step data, lineage, row journeys', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim({ generatedRows: 120 }), startOmnitronSim({ generatedProducts: 300 }), startApi({ web: true })]);
    good = await runFlow('Stock provenance');
    failing = await runFlow('Stock with a bad URL', (doc) => {
      const read = doc.processors.find((p) => p.id === 'read')!;
      read.properties['Endpoint URL'] = `${erp.url}${LONG_PATH}`;
    });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    await signIn(page, 'admin', api.adminPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  it("opens a step's FlowFiles: content as JSON and as rows, what the step changed, and each chunk's request and answer", async () => {
    await page.goto(`/executions/${good}`);
    await page.getByRole('button', { name: /^Data of Write/ }).click();
    const inputs = page.locator('[data-testid=step-inputs] [data-testid=flowfile-item]');
    await inputs.first().waitFor();
    await page.locator('[data-testid=content-text]').waitFor();
    expect(await page.textContent('[data-testid=content-text]')).toContain('"product_sku"');
    await page.getByRole('button', { name: 'Rows', exact: true }).click();
    const rows = page.locator('[data-testid=content-rows] tbody tr');
    await rows.first().waitFor();
    const written = (await json<ExecutionDto>(await api.request(`/api/executions/${good}`))).counts.written;
    expect(written).toBeGreaterThanOrEqual(120);
    expect(await rows.count()).toBe(Math.min(written, 200));
    expect(await page.locator('[data-testid=content-rows] thead').textContent()).toContain('product_sku');

    await page.getByRole('tab', { name: 'Input vs output' }).click();
    await page.locator('[data-testid=diff-view]').waitFor();
    expect(await page.textContent('[data-testid=diff-view]')).toMatch(/rows\.written/);

    await page.locator('[data-testid=step-outputs] [data-testid=flowfile-item]', { hasText: 'SEND' }).first().click();
    await page.locator('[data-testid=exchange]').waitFor();
    expect(await page.textContent('[data-testid=exchange]')).toMatch(/POST .*bulk_upsert\/ → 200/);
    expect(await page.textContent('[data-testid=exchange-request]')).toContain('"product_sku"');
    await shot(page, 'execution-step-data');

    await page.getByRole('tab', { name: 'Lineage' }).click();
    await page.locator('[data-testid=lineage-graph] [data-testid=lineage-node]').first().waitFor();
    expect(await page.locator('[data-testid=lineage-graph] [data-testid=lineage-node]').count()).toBeGreaterThanOrEqual(6);
    await page.locator('[data-testid=lineage-node]', { hasText: 'CREATE' }).first().click();
    await page.locator('[data-testid=lineage-picked]').waitFor();
  });

  it('masks the login token in the attributes it shows', async () => {
    await page.goto(`/executions/${good}`);
    await page.getByRole('button', { name: /^Data of Login/ }).click();
    await page.locator('[data-testid=step-outputs] [data-testid=flowfile-item]').last().click();
    await page.getByRole('tab', { name: 'Attributes' }).click();
    const row = page.locator('[data-testid=attributes-table] tr', { hasText: 'token.omnitron' });
    await row.waitFor();
    expect(await row.textContent()).toContain('********');
  });

  it("opens a row log's journey with the row, the request that carried it and the way through the flow", async () => {
    await page.goto(`/executions/${good}`);
    const first = page.locator('[data-testid=rows-table] tbody tr').first();
    await first.waitFor();
    const sku = (await first.locator('td').first().textContent())!.trim();
    await first.click();
    const dialog = page.locator('[data-testid=row-journey]');
    await dialog.locator('[data-testid=journey-row]').waitFor();
    expect(await dialog.locator('[data-testid=journey-row]').textContent()).toContain(sku);
    expect(await dialog.locator('[data-testid=exchange-request]').first().textContent()).toContain(sku);
    await dialog.locator('[data-testid=lineage-node]').first().waitFor();
    expect(await dialog.locator('[data-testid=lineage-node]').count()).toBeGreaterThanOrEqual(6);
    await shot(page, 'row-journey');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('wraps a long error with an unbroken URL inside the steps table at 1024×768', async () => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto(`/executions/${failing}`);
    const error = page.locator('[data-testid=steps-table] td.err-text', { hasText: 'no-such-endpoint' });
    await error.waitFor();
    const overflow = await page.evaluate(() => {
      const t = document.querySelector('[data-testid=steps-table]')!;
      return { table: t.getBoundingClientRect().right, page: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth };
    });
    expect(overflow.table).toBeLessThanOrEqual(overflow.page);
    expect(overflow.scroll).toBeLessThanOrEqual(overflow.page);
    expect((await error.boundingBox())!.height).toBeGreaterThan(40);
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(errors).toEqual([]);
  });
});
