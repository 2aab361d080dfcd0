import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { launchBrowser, newPage, openTab, selectNode, setMonaco, shot, signIn, waitSaved } from './browser-harness.js';

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];
let flowId: string;

const field = (name: string) => page.locator(`[data-property="${name}"]`);
const storedJolt = async () => (await json<FlowDto>(await api.request(`/api/flows/${flowId}`))).document.processors.find((p) => p.id === 'jolt')!;

describe('JoltTransformJSON in the designer (Chromium)', () => {
  beforeAll(async () => {
    api = await startApi({ web: true });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    const created = await api.request('/api/flows', {
      method: 'POST',
      json: {
        name: 'jolt form',
        processors: [
          { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', properties: { 'Custom Text': '{}' }, position: { x: 0, y: 0 }, scheduling: { strategy: 'timer', period: '1 hour' } },
          { id: 'jolt', type: 'JoltTransformJSON', name: 'Jolt', properties: { 'Jolt Specification': '[{"operation": "shift", "spec": {"*": "&"}}]' }, position: { x: 320, y: 0 }, autoTerminated: ['success', 'failure'] },
        ],
        connections: [{ id: 'c1', sourceId: 'gen', relationships: ['success'], targetId: 'jolt' }],
      },
    });
    flowId = (await json<FlowDto>(created)).id;
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it("renders NiFi's properties from the descriptor, showing the attribute field only for an attribute source", async () => {
    await signIn(page, 'admin', api.adminPassword);
    await page.goto(`/flows/${flowId}`);
    await page.waitForSelector('.react-flow__node[data-id="jolt"]');
    await selectNode(page, 'jolt');
    for (const name of ['Jolt Transform', 'Jolt Specification', 'Transform Cache Size', 'JSON Source', 'Pretty Print', 'Max String Length', 'Retain Unicode Escape Sequences']) {
      expect(await field(name).count(), name).toBe(1);
    }
    expect(await field('JSON Source Attribute').count()).toBe(0);
    expect(await field('Custom Transformation Class Name').count()).toBe(0);

    await field('JSON Source').locator('select').selectOption('ATTRIBUTE');
    await field('JSON Source Attribute').waitFor();
    expect(await field('JSON Source Attribute').locator('.field-warning').textContent()).toContain('required');
    await field('JSON Source Attribute').locator('input').fill('payload');
    await field('JSON Source').locator('select').selectOption('JSON_LINES');
    await page.waitForFunction(() => !document.querySelector('[data-property="Pretty Print"]') && !document.querySelector('[data-property="JSON Source Attribute"]'));
    await field('JSON Source').locator('select').selectOption('ATTRIBUTE');
    await waitSaved(page);
    expect((await storedJolt()).properties).toMatchObject({ 'JSON Source': 'ATTRIBUTE', 'JSON Source Attribute': 'payload' });
    await shot(page, 'jolt-01-attribute-source');
  });

  it('saves the Custom transform as a draft, saying beside it that it is not supported, and is valid once it is changed back', async () => {
    await field('Jolt Transform').locator('select').selectOption('jolt-transform-custom');
    await field('Custom Transformation Class Name').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid=property-form]')?.textContent?.includes('custom transformation classes are not supported'), null, { timeout: 15_000 });
    await waitSaved(page);
    expect((await storedJolt()).properties['Jolt Transform']).toBe('jolt-transform-custom');
    await field('Jolt Transform').locator('select').selectOption('jolt-transform-chain');
    await field('JSON Source').locator('select').selectOption('FLOW_FILE');
    await waitSaved(page);
    expect((await storedJolt()).properties).toMatchObject({ 'Jolt Transform': 'jolt-transform-chain', 'JSON Source': 'FLOW_FILE' });
  });

  it("runs the step's own configuration in the mapping pane, showing the text it writes", async () => {
    await setMonaco(page, '[data-property="Jolt Specification"]', '[{"operation": "shift", "spec": {"images": {"*": {"url": "images.@(1,order)"}}, "price": "price"}}]');
    await openTab(page, 'Test');
    await page.waitForSelector('[data-testid=mapping-pane]');
    await setMonaco(page, '[data-testid=mapping-pane] .code-field', '{"images": [{"order": "3", "url": "c.jpg"}, {"order": "1", "url": "a.jpg"}], "price": 10.0}');
    await page.click('[data-testid=run-mapping]');
    await page.waitForSelector('[data-testid=mapping-output]');
    expect(await page.textContent('[data-testid=mapping-output]')).toBe('{"images":{"3":"c.jpg","1":"a.jpg"},"price":10.0}');
    expect(await page.textContent('[data-testid=mapping-relationship]')).toBe('success');
    await shot(page, 'jolt-02-mapping-pane');
    expect(errors).toEqual([]);
  });
});
