/**
 * The flow list's Import accepts a NiFi flow definition as NiFi's "Download flow definition" writes it and shows
 * what it became: everything carried over, or a table of each component that was not, with NiFi's id and why.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { launchBrowser, newPage, shot, signIn } from './browser-harness.js';

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];

type Definition = { flowContents: Record<string, unknown[]> & { identifier: string; name: string } };
const fixture = () => JSON.parse(readFileSync(new URL('../fixtures/nifi/erp-stock-csv-to-omnitron.json', import.meta.url), 'utf8')) as Definition;

async function upload(name: string, def: unknown) {
  await page.setInputFiles('[data-testid=import-file]', { name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(def)) });
  await page.locator('[data-testid=import-report]').waitFor();
}

describe('importing a NiFi flow definition in the designer', () => {
  beforeAll(async () => {
    api = await startApi({ web: true });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    await signIn(page, 'admin', api.adminPassword);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('says everything was carried over, then opens the flow on the canvas with NiFi positions', async () => {
    await upload('stock.json', fixture());
    const dialog = page.locator('[data-testid=import-report]');
    expect(await dialog.getAttribute('aria-label')).toBe('NiFi flow imported');
    expect(await dialog.locator('[data-testid=import-report-empty]').textContent()).toContain('Everything in the flow definition was carried over');
    expect(await dialog.textContent()).toContain('5 processors');
    // Its sensitive parameters came without values, as NiFi exports them: the dialog says there is work left.
    expect(await dialog.locator('[data-testid=import-report-problems]').textContent()).toMatch(/problem/);
    await page.click('[data-testid=open-imported]');
    await page.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('.react-flow__node').count()).toBeGreaterThanOrEqual(5);
    const flowId = page.url().split('/').pop()!;
    const flow = await json<FlowDto>(await api.request(`/api/flows/${flowId}`));
    expect(flow.document.processors.find((p) => p.name === 'Write stock to Omnitron')?.position).toEqual({ x: 0, y: 850 });
    expect(errors).toEqual([]);
  });

  it('lists each component it could not carry over with its NiFi type, id and reason', async () => {
    await page.goto('/flows');
    const def = fixture();
    const root = def.flowContents;
    root.name = 'Stock with extras';
    root.labels = [{ identifier: 'label-0001', label: 'Ask ops before changing', position: { x: 0, y: 0 }, componentType: 'LABEL' }];
    root.processors = [
      ...root.processors,
      { identifier: 'sftp-0001', name: 'Archive on SFTP', type: 'org.apache.nifi.processors.standard.PutSFTP', position: { x: 300, y: 0 }, properties: {}, componentType: 'PROCESSOR' },
    ];
    await upload('extras.json', def);
    const dialog = page.locator('[data-testid=import-report]');
    expect(await dialog.getAttribute('aria-label')).toBe('NiFi flow imported with 2 items not carried over');
    const sftp = dialog.locator('tr[data-nifi-id="sftp-0001"]');
    expect(await sftp.textContent()).toContain('Archive on SFTP');
    expect(await sftp.textContent()).toContain('PutSFTP');
    expect(await sftp.textContent()).toContain('Sluice has no processor of type PutSFTP');
    expect(await dialog.locator('tr[data-nifi-id="label-0001"]').textContent()).toContain('no labels');
    await shot(page, 'nifi-import-report');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('[data-testid=import-report]').waitFor({ state: 'detached' });
    // The flow was created all the same, without what the report lists.
    await page.locator('.flow-link', { hasText: 'Stock with extras' }).waitFor();
    // Its Integrator processors have no NiFi class: Export for NiFi says which, and downloads nothing.
    const row = page.locator('tr', { has: page.locator('.flow-link', { hasText: 'Stock with extras' }) });
    await row.getByRole('button', { name: 'Export for NiFi' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/NiFi has no IntegratorLogin \('Login'\), WriteOmnitronStock \('Write stock to Omnitron'\)/);
    expect(errors).toEqual([]);
  });
});
