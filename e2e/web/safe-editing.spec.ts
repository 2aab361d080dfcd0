/**
 * The designer never sends data nobody meant to send and shows every problem where it is: a step test is a dry run
 * unless the user confirms a live one, a save keeps run state and never drops an edit, an invalid flow saves as a
 * draft that will not start, a script's syntax error is marked at its line, and the canvas asks before it drops
 * queued FlowFiles, draws self-loops and marks failing processors (bulletins survive a reload).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDocumentInput, FlowDto, QueueListingDto } from '@sluice/contracts';
import { startErpSim, type ErpSimHandle } from '@sluice/erp-sim';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import { connect, launchBrowser, newPage, openTab, selectNode, selectNothing, setMonaco, shot, signIn, waitSaved } from './browser-harness.js';

const UPSERT = '/api/i1/product_stock/bulk_upsert/';

let api: StartedApi;
let erp: ErpSimHandle;
let omnitron: OmnitronSimHandle;
let browser: Browser;
let page: Page;
let errors: string[];

const upserts = () => omnitron.state.requests.filter((r) => r.path === UPSERT).length;
const queue = async (flowId: string, cid: string) => json<QueueListingDto>(await api.request(`/api/flows/${flowId}/connections/${cid}/queue`));
const stored = async (flowId: string) => json<FlowDto>(await api.request(`/api/flows/${flowId}`));
const nodeState = (id: string) => page.locator(`.react-flow__node[data-id="${id}"] .proc-state`);

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A Stock Flow against the simulators; with `queued`, started with Write stopped and a batch waiting for it. */
async function stockFlow(name: string, queued: boolean): Promise<FlowDto> {
  const parameters = {
    'omnitron.url': omnitron.url,
    'omnitron.username': 'integrator',
    'omnitron.password': 'integrator-pass',
    'erp.url': erp.url,
    'erp.username': erp.credentials.username,
    'erp.password': erp.credentials.password,
  };
  const flow = await json<FlowDto>(await api.request('/api/flows/from-template', { method: 'POST', json: { templateId: 'stock-inbound', name, parameters } }));
  if (!queued) return flow;
  expect((await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
  expect((await api.request(`/api/flows/${flow.id}/processors/write/stop`, { method: 'POST' })).status).toBe(200);
  await api.request(`/api/flows/${flow.id}/trigger`, { method: 'POST' });
  await until('a batch in front of Write', async () => (await queue(flow.id, 'mapping-to-write')).count > 0);
  return flow;
}

async function openFlow(id: string, nodes: number) {
  await page.goto(`/flows/${id}`);
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length === n, nodes);
  await page.waitForSelector('.socket-dot.live');
}

const scheduling = { strategy: 'timer', period: '1 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' } as const;

describe('safe editing in the designer (Chromium)', () => {
  beforeAll(async () => {
    [erp, omnitron, api] = await Promise.all([startErpSim({ generatedRows: 60 }), startOmnitronSim({ generatedProducts: 300 }), startApi({ web: true })]);
    browser = await launchBrowser();
    ({ page, errors } = await newPage(browser, api.url));
    await signIn(page, 'admin', api.adminPassword);
  });
  afterEach(async () => {
    await page.unrouteAll({ behavior: 'ignoreErrors' });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await Promise.all([erp?.close(), omnitron?.close()]);
  });

  it('tests Write as a dry run that sends nothing and shows the request, then live once after a confirmation naming Omnitron', async () => {
    const flow = await stockFlow('dry run in the browser', true);
    const [queued] = (await queue(flow.id, 'mapping-to-write')).flowFiles;
    const before = upserts();
    await openFlow(flow.id, 5);
    await selectNode(page, 'write');
    await openTab(page, 'Test');
    await page.waitForSelector(`[data-testid=step-test-pane] select option[value="${queued!.uuid}"]`, { state: 'attached' });
    expect(await page.textContent('[data-testid=test-mode-note]')).toContain('A dry run sends nothing to Omnitron');
    await page.click('[data-testid=dry-run]');
    await page.waitForSelector('[data-testid=request-preview]');
    expect(await page.textContent('[data-testid=result-mode]')).toContain('Dry run: nothing was sent');
    const urls = await page.locator('[data-testid=request-url]').allTextContents();
    expect(urls).toContain(`${omnitron.url}${UPSERT}`);
    expect(await page.locator('[data-header="Authorization"], [data-header="authorization"]').first().textContent()).toMatch(/^Token \*+$/);
    expect(Number((await page.locator('[data-testid=request-row-count]').last().textContent())!.split(' ')[0])).toBeGreaterThan(0);
    await shot(page, 'safe-editing-dry-run');
    expect(upserts()).toBe(before);
    expect((await queue(flow.id, 'mapping-to-write')).flowFiles.map((f) => f.uuid)).toContain(queued!.uuid);

    // Live is a separate action: Cancel sends nothing, the confirmation names the system and the host.
    await page.click('[data-testid=run-live]');
    await page.waitForSelector('[data-testid=live-confirm]');
    expect(await page.textContent('[data-testid=live-target]')).toContain(`writes to Omnitron (${omnitron.url}) for real`);
    await page.click('[data-testid=live-confirm] button:has-text("Cancel")');
    expect(upserts()).toBe(before);
    await page.click('[data-testid=run-live]');
    expect(await page.textContent('[data-testid=live-confirm] [data-testid=confirm]')).toBe('Write to Omnitron');
    await page.click('[data-testid=live-confirm] [data-testid=confirm]');
    await page.waitForFunction(() => document.querySelector('[data-testid=result-mode]')?.textContent?.startsWith('Live run'));
    expect(await page.textContent('[data-testid=result-mode]')).toBe('Live run: the FlowFile was consumed and went on in the flow.');
    expect(upserts()).toBe(before + 1);
    expect((await queue(flow.id, 'mapping-to-write')).flowFiles.map((f) => f.uuid)).not.toContain(queued!.uuid);
    // The consumed FlowFile is no longer offered.
    await page.waitForSelector(`[data-testid=step-test-pane] select option[value="${queued!.uuid}"]`, { state: 'detached' });
  });

  it('keeps a stopped Write stopped through an edit and its autosave, and an edit made while a save was refused is saved after it', async () => {
    const flow = await stockFlow('run state in the browser', true);
    await openFlow(flow.id, 5);
    await page.waitForFunction(() => document.querySelector('.react-flow__node[data-id="write"] .proc-state')?.textContent === 'stopped');
    expect(await nodeState('read').textContent()).toBe('running');
    const queuedBefore = (await queue(flow.id, 'mapping-to-write')).count;

    // The server refuses the first save (as it would a broken document); the edit stays and goes out with the next.
    let refused = 0;
    await page.route('**/api/flows/*', async (route) => {
      if (route.request().method() === 'PUT' && refused === 0) {
        refused++;
        await route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ statusCode: 400, error: 'Bad Request', message: 'invalid flow document: refused for the test', errors: [{ field: 'description', message: 'refused for the test' }] }) });
      } else await route.continue();
    });
    await selectNothing(page);
    await page.locator('label.field:has-text("Description") textarea').fill('first edit');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'Not saved');
    // The reason once, not once per field.
    const banner = (await page.textContent('[data-testid=save-error]'))!;
    expect(banner.match(/refused for the test/g)).toHaveLength(1);
    await page.fill('input[aria-label="Flow name"]', 'run state, second edit');
    await waitSaved(page);
    await page.unroute('**/api/flows/*');
    const doc = (await stored(flow.id)).document;
    expect([doc.description, doc.name]).toEqual(['first edit', 'run state, second edit']);
    expect(refused).toBe(1);

    const status = (await json<{ processors: { id: string; state: string }[] }>(await api.request(`/api/flows/${flow.id}/status`))).processors;
    expect(Object.fromEntries(status.map((p) => [p.id, p.state]))).toEqual({ login: 'running', read: 'running', script: 'running', mapping: 'running', write: 'stopped' });
    expect(await nodeState('write').textContent()).toBe('stopped');
    expect((await queue(flow.id, 'mapping-to-write')).count).toBe(queuedBefore);

    // A running step whose configuration changed is restarted to apply it, and the designer says so.
    await selectNode(page, 'read');
    await page.locator('[data-property="Page Size"] input').fill('250');
    await waitSaved(page);
    await page.waitForSelector('[data-testid=applied]');
    expect(await page.textContent('[data-testid=applied]')).toContain('Restarted to apply the change: Read Data From ERP.');
    expect(await nodeState('read').textContent()).toBe('running');
    expect(await nodeState('write').textContent()).toBe('stopped');
    await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
  });

  it('runs nothing when the edit on the canvas could not be saved', async () => {
    const flow = await stockFlow('start after a failed save', false);
    await openFlow(flow.id, 5);
    await page.route('**/api/flows/*', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'the database is busy' }) })
        : route.continue(),
    );
    await selectNothing(page);
    await page.locator('label.field:has-text("Description") textarea').fill('not stored');
    await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'Not saved');
    await page.click('[data-testid=start-stop]');
    await page.waitForFunction(() => document.querySelector('[data-testid=action-error]')?.textContent?.includes('is not saved, so it was not run'));
    await page.unroute('**/api/flows/*');
    const status = await json<{ state: string }>(await api.request(`/api/flows/${flow.id}/status`));
    expect(status.state).toBe('stopped');
    expect(await page.textContent('[data-testid=flow-state]')).toBe('stopped');
    // Retried once the server answers: then the edit is stored and Start runs it.
    await page.click('[data-testid=save-error] button:has-text("Retry")');
    await waitSaved(page);
    expect((await stored(flow.id)).document.description).toBe('not stored');
  });

  it('saves an invalid flow as a draft, lists each problem once, marks the node, and refuses Start with the reasons', async () => {
    const flow = await stockFlow('draft in the browser', false);
    await openFlow(flow.id, 5);
    await selectNode(page, 'read');
    await page.locator('[data-property="Page Size"] input').fill('abc');
    await waitSaved(page);
    const saved = await stored(flow.id);
    expect(saved.document.processors.find((p) => p.id === 'read')!.properties['Page Size']).toBe('abc');
    expect(saved.validation.map((v) => [v.processorId, v.property])).toEqual([['read', 'Page Size']]);
    expect(await page.locator('[data-property="Page Size"] .field-error').allTextContents()).toEqual([saved.validation[0]!.message]);
    await page.waitForSelector('.react-flow__node[data-id="read"] .proc-badge.bad');

    await selectNothing(page);
    await page.click('[data-testid=problems-tab]');
    expect(await page.locator('[data-problems-of="read"] [data-testid=problem]').allTextContents()).toEqual([saved.validation[0]!.message]);
    await page.click('[data-testid=start-stop]');
    await page.waitForSelector('[data-testid=action-error]');
    const banner = (await page.textContent('[data-testid=action-error]'))!;
    expect(banner).toContain(`the flow cannot start: 1 problem: Read Data From ERP: ${saved.validation[0]!.message}`);
    expect(banner.split(saved.validation[0]!.message).length - 1).toBe(1);
    expect(await page.textContent('[data-testid=flow-state]')).toBe('stopped');
    await shot(page, 'safe-editing-draft');
  });

  it('marks a script syntax error at its line in Monaco after the save', async () => {
    const doc: FlowDocumentInput = {
      name: 'syntax in the browser',
      processors: [
        { id: 'script', type: 'ExecuteScript', name: 'Script', position: { x: 100, y: 100 }, scheduling, properties: { 'Script Engine': 'python', 'Script Body': 'def ok(flowFile):\n    return flowFile\n' }, autoTerminated: ['success', 'failure'] },
      ],
      connections: [],
    } as FlowDocumentInput;
    const flow = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: doc }));
    await openFlow(flow.id, 1);
    await selectNode(page, 'script');
    await setMonaco(page, '[data-property="Script Body"]', 'x = 1\ny = 2\nif x\n    y = 3\n');
    await waitSaved(page);
    const issue = (await stored(flow.id)).validation.find((v) => v.property === 'Script Body')!;
    expect(issue.line).toBe(3);
    await page.waitForSelector('[data-property="Script Body"] .squiggly-error');
    // The squiggle sits on line 3: the decoration's row is the third line's row.
    const rows = await page.locator('[data-property="Script Body"]').evaluate((el) => {
      const top = (e: Element | null) => (e ? parseFloat((e as HTMLElement).style.top || getComputedStyle(e as HTMLElement).top) : NaN);
      const squiggle = el.querySelector('.squiggly-error')!.closest('.view-overlays > div');
      const lineHeight = parseFloat((el.querySelector('.view-line') as HTMLElement).style.height);
      return { squiggle: top(squiggle), lineHeight };
    });
    expect(Math.round(rows.squiggle / rows.lineHeight) + 1).toBe(3);
    expect(await page.locator('[data-property="Script Body"] .field-error').first().textContent()).toContain('SyntaxError');
  });

  it('asks before deleting a connection that holds FlowFiles, and empties it only when told', async () => {
    const flow = await stockFlow('delete with a queue', true);
    await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
    const count = (await queue(flow.id, 'mapping-to-write')).count;
    await openFlow(flow.id, 5);
    // A processor takes its connections with it: deleting Write asks about the queue in front of it.
    await selectNode(page, 'write');
    await page.keyboard.press('Delete');
    await page.waitForSelector('[data-testid=delete-confirm]');
    expect(await page.locator('[data-testid=delete-queue]').allTextContents()).toEqual([`Mapping → Write Stock to Omnitron: ${count} FlowFile${count === 1 ? '' : 's'}`]);
    await page.click('[data-testid=delete-confirm] button:has-text("Cancel")');
    expect(await page.locator('.react-flow__node[data-id="write"]').count()).toBe(1);

    await page.locator('[data-testid="edge-mapping-to-write"]').click();
    await page.waitForSelector('[data-testid=connection-inspector]');
    await page.keyboard.press('Delete');
    await page.waitForSelector('[data-testid=delete-confirm]');
    expect(await page.locator('[data-testid=delete-queue]').allTextContents()).toEqual([`Mapping → Write Stock to Omnitron: ${count} FlowFile${count === 1 ? '' : 's'}`]);
    await page.click('[data-testid=delete-confirm] button:has-text("Cancel")');
    expect(await page.locator('.react-flow__edge[data-id="mapping-to-write"]').count()).toBe(1);
    expect((await queue(flow.id, 'mapping-to-write')).count).toBe(count);

    await page.locator('[data-testid="edge-mapping-to-write"]').click();
    await page.keyboard.press('Delete');
    await page.click('[data-testid=delete-confirm] [data-testid=confirm]');
    await page.waitForSelector('.react-flow__edge[data-id="mapping-to-write"]', { state: 'detached' });
    await waitSaved(page);
    expect((await stored(flow.id)).document.connections.map((c) => c.id)).not.toContain('mapping-to-write');
  });

  it('draws a self-connection as a labelled loop that can be selected and deleted', async () => {
    const doc = {
      name: 'loop in the browser',
      processors: [
        { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', position: { x: 80, y: 200 }, scheduling, properties: {}, autoTerminated: [] },
        { id: 'update', type: 'ReplaceText', name: 'Update', position: { x: 420, y: 200 }, scheduling, properties: {}, autoTerminated: ['success'] },
      ],
      connections: [{ id: 'gen-to-update', sourceId: 'gen', relationships: ['success'], targetId: 'update' }],
    };
    const flow = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: doc }));
    await openFlow(flow.id, 2);
    await connect(page, 'update', 'failure', 'update');
    await waitSaved(page);
    const loop = (await stored(flow.id)).document.connections.find((c) => c.sourceId === 'update' && c.targetId === 'update')!;
    expect(loop.relationships).toEqual(['failure']);
    const label = page.locator(`[data-testid="edge-${loop.id}"]`);
    await label.waitFor();
    expect(await label.getAttribute('data-loop')).toBe('true');
    // Drawn above the node, not hidden under it.
    const node = (await page.locator('.react-flow__node[data-id="update"]').boundingBox())!;
    const box = (await label.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(node.y + 2);
    await label.click();
    await page.waitForSelector('[data-testid=connection-inspector]');
    await shot(page, 'safe-editing-loop');
    await page.keyboard.press('Delete');
    await label.waitFor({ state: 'detached' });
    await waitSaved(page);
    expect((await stored(flow.id)).document.connections.map((c) => c.id)).toEqual(['gen-to-update']);
  });

  it('marks a failing processor with its latest bulletin, which is still there after a reload', async () => {
    const doc = {
      name: 'bulletins in the browser',
      processors: [
        { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', position: { x: 80, y: 200 }, scheduling, properties: {}, autoTerminated: [] },
        {
          id: 'script',
          type: 'ExecuteScript',
          name: 'Failing script',
          position: { x: 420, y: 200 },
          scheduling,
          properties: { 'Script Engine': 'ECMAScript', 'Script Body': "throw new Error('the ERP row has no sku');" },
          autoTerminated: ['success', 'failure'],
        },
      ],
      connections: [{ id: 'gen-to-script', sourceId: 'gen', relationships: ['success'], targetId: 'script' }],
    };
    const flow = await json<FlowDto>(await api.request('/api/flows', { method: 'POST', json: doc }));
    expect(flow.validation).toEqual([]);
    await openFlow(flow.id, 2);
    await page.click('[data-testid=start-stop]');
    const mark = page.locator('.react-flow__node[data-id="script"] [data-testid=bulletin-mark]');
    await mark.waitFor({ timeout: 30_000 });
    await page.click('[data-testid=start-stop]');
    await page.waitForFunction(() => document.querySelector('[data-testid=flow-state]')?.textContent === 'stopped');
    expect(await page.locator('.react-flow__node[data-id="script"] [data-testid=bulletin-text]').textContent()).toContain('the ERP row has no sku');

    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 2);
    await mark.waitFor();
    expect(await page.locator('.react-flow__node[data-id="script"] [data-testid=bulletin-text]').textContent()).toContain('the ERP row has no sku');
    await selectNode(page, 'script');
    await openTab(page, 'Bulletins');
    expect(await page.textContent('[data-testid=processor-bulletins]')).toContain('the ERP row has no sku');
    expect(errors).toEqual([]);
  });
});
