import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDto, ProcessorTestResultDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { launchBrowser, newPage, openTab, selectNode, setMonaco, shot, signIn } from './browser-harness.js';

/** A Jython ExecuteScript script as NiFi users write them: state, session, log, a dynamic property, REL_SUCCESS. */
const SCRIPT = [
  'from org.apache.nifi.components.state import Scope',
  'sm = context.stateManager',
  "n = int(sm.getState(Scope.LOCAL).get('count') or 0) + 1",
  "sm.setState({'count': str(n)}, Scope.LOCAL)",
  'ff = session.get()',
  "ff = session.putAttribute(ff, 'count', str(n))",
  "ff = session.putAttribute(ff, 'greeting', Greeting.getValue())",
  "log.info('counted {}', [n])",
  'session.transfer(ff, REL_SUCCESS)',
].join('\n');

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];
let flowId: string;

/** The attributes the pane shows for its result. */
async function paneAttributes(): Promise<Record<string, string>> {
  const rows = await page.locator('[data-testid=script-result] details table tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  return Object.fromEntries(rows.filter((r) => r.length === 2).map(([k, v]) => [k, v]));
}

/** Runs the pane and waits for this run's answer (the button is busy while it runs). */
async function runPane(): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { busySeen: boolean };
    w.busySeen = false;
    const button = document.querySelector('[data-testid=run-script]') as HTMLButtonElement;
    new MutationObserver(() => (w.busySeen ||= button.disabled)).observe(button, { attributes: true, childList: true, subtree: true });
  });
  await page.click('[data-testid=run-script]');
  await page.waitForFunction(() => (window as unknown as { busySeen: boolean }).busySeen && !(document.querySelector('[data-testid=run-script]') as HTMLButtonElement).disabled, null, { timeout: 90_000 });
  await page.waitForSelector('[data-testid=script-result]');
}

/** The step run for real in the flow (a live test run, which keeps its state). */
async function flowRun(): Promise<ProcessorTestResultDto> {
  return json<ProcessorTestResultDto>(await api.request(`/api/flows/${flowId}/processors/count/test`, { method: 'POST', json: { mode: 'live', content: 'hello' } }));
}

describe('the script pane in Chromium runs what the Script step runs', () => {
  beforeAll(async () => {
    api = await startApi({ web: true });
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    const created = await api.request('/api/flows', {
      method: 'POST',
      json: {
        name: 'stateful script',
        parameters: { who: 'world' },
        processors: [
          { id: 'count', type: 'ExecuteScript', name: 'Count', properties: { 'Script Engine': 'python', 'Script Body': SCRIPT, Greeting: 'hello #{who}' }, position: { x: 0, y: 0 }, autoTerminated: ['success', 'failure'] },
        ],
        connections: [],
      },
    });
    flowId = (await json<FlowDto>(created)).id;
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('a script using state and session calls gives in the pane what it gives in the flow', { timeout: 300_000 }, async () => {
    await signIn(page, 'admin', api.adminPassword);
    await page.goto(`/flows/${flowId}`);
    await page.waitForSelector('.react-flow__node[data-id="count"]');
    await selectNode(page, 'count');
    await openTab(page, 'Test');
    await page.waitForSelector('[data-testid=script-pane]');
    await setMonaco(page, '[data-testid=script-pane] .code-field', 'hello');
    await runPane();
    expect(await page.textContent('[data-testid=script-result] [data-testid=result-relationship]')).toBe('success');
    expect(await page.textContent('[data-testid=script-output]')).toBe('hello');
    const first = await paneAttributes();
    expect(first).toMatchObject({ count: '1', greeting: 'hello world' });
    expect(await page.textContent('[data-testid=script-result]')).toContain('counted 1');
    expect(await page.textContent('[data-testid=script-state]')).toContain('count');
    await shot(page, 'script-pane-state');

    const inFlow = await flowRun();
    expect(inFlow.outputs).toHaveLength(1);
    expect(inFlow.outputs[0]).toMatchObject({ relationship: 'success', content: 'hello' });
    expect(inFlow.outputs[0]!.attributes).toMatchObject({ count: first['count'], greeting: first['greeting'] });
    expect(inFlow.logs.map((l) => l.message)).toContain('counted 1');

    // The pane starts from the state the step stored, as the flow's next run does; its own runs store nothing.
    await runPane();
    expect(await paneAttributes()).toMatchObject({ count: '2', greeting: 'hello world' });
    await runPane();
    expect((await paneAttributes())['count']).toBe('2');
    expect((await flowRun()).outputs[0]!.attributes['count']).toBe('2');
    expect(errors).toEqual([]);
  });
});
