import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FlowDto, ProvenanceEventDto, QueueListingDto } from '@sluice/contracts';
import { startApi, type StartedApi } from '../support/start-api.js';
import { json } from '../support/http.js';
import {
  addDynamicProperty,
  autoTerminate,
  canvasZoom,
  connect,
  dropFromPalette,
  fitView,
  launchBrowser,
  newPage,
  selectEdge,
  selectNode,
  setMonaco,
  shot,
  signIn,
  waitSaved,
  waitViewportStill,
} from './browser-harness.js';

/*
 * The eight JSON and text processors as a user builds them on the real server: dropped from the palette, wired on the
 * canvas, each configured in the form its descriptor draws (dynamic properties added there, the rules of
 * RouteOnContent and RouteText showing up as relationships on their nodes), with the server's refusals shown beside
 * the field. One order then runs through, step by step, and the FlowFiles are checked where they queue.
 */

/** An order as an ERP posts it: pretty-printed, one line item per line. */
const ORDER = `{
  "order": "SO-1001",
  "priority": "express",
  "lines": [
    {"sku": "12345", "qty": 3},
    {"sku": "12346", "qty": 4},
    {"sku": "12347", "qty": 1}
  ]
}`;
const ROWS = ['SO-1001;12345;3', 'SO-1001;12346;4', 'SO-1001;12347;1'];
/** ReplaceText's Search Value: a line item, one per line (Java's `$` also matches before the line's newline). */
const SEARCH = String.raw`^\s*\{"sku": "(\d+)", "qty": (\d+)\},?$`;

let api: StartedApi;
let browser: Browser;
let page: Page;
let errors: string[];
let external: string[];
let flowId: string;

type Step = 'gen' | 'json' | 'content' | 'replace' | 'lines' | 'split' | 'extract' | 'gzip' | 'gunzip' | 'toJson' | 'log';
const ids = {} as Record<Step, string>;
// Columns and rows of the canvas layout, in the order the FlowFiles go.
const LAYOUT: [Step, string, number, number][] = [
  ['gen', 'GenerateFlowFile', 0, 0],
  ['json', 'EvaluateJsonPath', 1, 0],
  ['content', 'RouteOnContent', 2, 0],
  ['replace', 'ReplaceText', 3, 0],
  ['lines', 'RouteText', 0, 1],
  ['split', 'SplitText', 1, 1],
  ['extract', 'ExtractText', 2, 1],
  ['gzip', 'CompressContent', 3, 1],
  ['gunzip', 'CompressContent', 0, 2],
  ['toJson', 'AttributesToJSON', 1, 2],
  ['log', 'LogAttribute', 2, 2],
];

const storedFlow = () => api.request(`/api/flows/${flowId}`).then((r) => json<FlowDto>(r));
const stored = async (step: Step) => (await storedFlow()).document.processors.find((p) => p.id === ids[step])!;
/** What the server stores for a step, once the designer's debounced save has gone through. */
const storedProperties = (step: Step) => expect.poll(async () => (await stored(step)).properties, { timeout: 15_000 });
const byFragment = (l: QueueListingDto) => [...l.flowFiles].sort((a, b) => Number(a.attributes['fragment.index']) - Number(b.attributes['fragment.index']));
const field = (name: string) => page.locator(`.inspector [data-property="${name}"]`);
const node = (step: Step) => `.react-flow__node[data-id="${ids[step]}"]`;
const waitValid = (step: Step) => page.waitForSelector(`${node(step)} [data-testid=validity].ok`);
const connectionId = async (from: Step, to: Step) => (await storedFlow()).document.connections.find((c) => c.sourceId === ids[from] && c.targetId === ids[to])!.id;
const waitQueue = (cid: string, n: number) =>
  page.waitForFunction(([id, count]) => document.querySelector(`[data-testid="edge-${id}"] [data-testid=queue-count]`)?.textContent === String(count), [cid, n] as const, {
    timeout: 30_000,
  });
const queue = async (cid: string) => json<QueueListingDto>(await api.request(`/api/flows/${flowId}/connections/${cid}/queue`));
const content = async (cid: string, uuid: string) => (await json<{ content: string }>(await api.request(`/api/flows/${flowId}/connections/${cid}/queue/${uuid}/content`))).content;

/**
 * Drops every processor from the palette in the LAYOUT grid. The canvas fits its first node in view; zoomed out from
 * there, and that node panned to the top left, the others go beside it.
 */
async function layOut() {
  const pane = page.locator('.react-flow__pane');
  await pane.waitFor();
  const [[firstStep, firstType], ...rest] = LAYOUT;
  ids[firstStep] = await dropFromPalette(page, firstType, 200, 200);
  await waitViewportStill(page);
  for (let i = 0; i < 10 && (await canvasZoom(page)) > 0.55; i++) {
    const before = await canvasZoom(page);
    await page.click('.react-flow__controls-zoomout');
    await page.waitForFunction((b) => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a < b, before);
    await waitViewportStill(page);
  }
  const z = await canvasZoom(page);
  const box = (await pane.boundingBox())!;
  const first = (await page.locator(node(firstStep)).boundingBox())!;
  const target = { x: box.x + 30, y: box.y + 30 };
  const grab = { x: box.x + 40, y: box.y + box.height / 2 };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(grab.x + (target.x - first.x) / 2, grab.y + (target.y - first.y) / 2, { steps: 4 });
  await page.mouse.move(grab.x + target.x - first.x, grab.y + target.y - first.y, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(
    ([sel, x, y]) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return Math.abs(r.x - x) < 2 && Math.abs(r.y - y) < 2;
    },
    [node(firstStep), target.x, target.y] as const,
  );
  // A drop puts the node's top left 110 × 30 units left of and above the pointer.
  for (const [step, type, col, row] of rest) ids[step] = await dropFromPalette(page, type, 30 + (110 + col * 304) * z, 30 + (30 + row * 272) * z);
}

/** Draws a connection from a relationship handle and waits for the edge. */
async function link(from: Step, relationship: string, to: Step) {
  const before = await page.locator('.react-flow__edge').count();
  await connect(page, ids[from], relationship, ids[to]);
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__edge').length === n, before + 1);
}

/** Starts one processor from its inspector; the flow as a whole stays stopped. */
async function startProcessor(step: Step) {
  await selectNode(page, ids[step]);
  await page.click('[data-testid=processor-start-stop]');
  await page.waitForFunction(() => document.querySelector('[data-testid=processor-state]')?.textContent === 'running', null, { timeout: 15_000 });
}

describe('the JSON and text processors, built and run in the designer (Chromium)', () => {
  beforeAll(async () => {
    api = await startApi({ web: true });
    browser = await launchBrowser();
    ({ page, errors, external } = await newPage(browser, api.url));
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('drops eleven processors from the palette and connects their fixed relationships', async () => {
    await signIn(page, 'admin', api.adminPassword);
    await page.click('button:has-text("New flow")');
    await page.waitForURL(/\/flows\/[^/]+$/);
    flowId = new URL(page.url()).pathname.split('/').pop()!;
    await layOut();
    expect(await page.locator('.react-flow__node').count()).toBe(LAYOUT.length);
    await fitView(page);
    const links: [Step, string, Step][] = [
      ['gen', 'success', 'json'],
      ['json', 'matched', 'content'],
      ['replace', 'success', 'lines'],
      ['split', 'splits', 'extract'],
      ['extract', 'matched', 'gzip'],
      ['gzip', 'success', 'gunzip'],
      ['gunzip', 'success', 'toJson'],
      ['toJson', 'success', 'log'],
    ];
    for (const [from, rel, to] of links) await link(from, rel, to);
    await waitSaved(page);
    await shot(page, 'text-01-dropped');
  });

  it('configures GenerateFlowFile, showing the Custom Text and Binary conflict beside the field until it is resolved', async () => {
    await selectNode(page, ids.gen);
    await field('Custom Text').locator('textarea').fill(ORDER);
    await field('Mime Type').locator('input').fill('application/json');
    await waitSaved(page);
    await field('Data Format').locator('select').selectOption('Binary');
    const conflict = field('Custom Text').locator('[role=alert]');
    await conflict.waitFor({ timeout: 15_000 });
    expect(await conflict.textContent()).toContain('if Custom Text is set, then Data Format must be Text and Unique FlowFiles must be false');
    await page.waitForSelector(`${node('gen')} [data-testid=validity].bad`);
    await shot(page, 'text-02-custom-text-conflict');
    // Saved as a draft: the server stores what is shown, problem and all, and lists the problem.
    await waitSaved(page);
    expect((await stored('gen')).properties['Data Format']).toBe('Binary');
    expect((await storedFlow()).validation.filter((v) => v.processorId === ids.gen).map((v) => v.property)).toContain('Custom Text');
    await field('Data Format').locator('select').selectOption('Text');
    await waitSaved(page);
    await conflict.waitFor({ state: 'detached' });
    await waitValid('gen');
    await storedProperties('gen').toEqual({ 'Custom Text': ORDER, 'Data Format': 'Text', 'Mime Type': 'application/json' });
  });

  it('EvaluateJsonPath: two JsonPaths added as dynamic properties become attributes', async () => {
    await selectNode(page, ids.json);
    // Content is the default destination, and takes exactly one path.
    await field('Destination').locator('select').selectOption('flowfile-attribute');
    await field('Path Not Found Behavior').waitFor();
    await addDynamicProperty(page, 'order.id', '$.order[');
    await page.waitForFunction(() => document.querySelector('.inspector [data-property="order.id"] .field-error')?.textContent?.includes('specified expression was not valid'));
    await page.locator('.inspector [data-property="order.id"] input').fill('$.order');
    await addDynamicProperty(page, 'order.priority', '$.priority');
    await autoTerminate(page, 'unmatched', 'failure');
    await waitValid('json');
    await storedProperties('json').toEqual({ Destination: 'flowfile-attribute', 'order.id': '$.order', 'order.priority': '$.priority' });
  });

  it('RouteOnContent: a rule added in the form becomes a relationship on the node; an unsafe one is refused beside it', async () => {
    await selectNode(page, ids.content);
    await field('Match Requirement').locator('select').selectOption('content must contain match');
    expect(await page.locator(`${node('content')} .react-flow__handle.source`).evaluateAll((hs) => hs.map((h) => h.getAttribute('data-handleid')))).toEqual(['unmatched']);
    // A repeated group whose spaces two turns could share could backtrack for ever on the server's one thread; the
    // linear-time engine would run it, but not with a back reference.
    await addDynamicProperty(page, 'express', '(\\s*"priority":\\s*"(\\w+)"\\s*)+\\2');
    const handle = page.locator(`${node('content')} .react-flow__handle.source[data-handleid="express"]`);
    await handle.waitFor();
    const refusal = field('express').locator('.field-error');
    await refusal.waitFor({ timeout: 15_000 });
    expect(await refusal.textContent()).toMatch(/^express: regular expression .* is refused: .* repeats a part whose own repetition can take the same characters .* exponential time, and it uses a back reference/);
    await page.waitForSelector(`${node('content')} [data-testid=validity].bad`);
    await shot(page, 'text-03-unsafe-regex');
    await setMonaco(page, '.inspector [data-property="express"]', '"priority":\\s*"express"');
    await refusal.waitFor({ state: 'detached', timeout: 15_000 });
    await autoTerminate(page, 'unmatched');
    await link('content', 'express', 'replace');
    await waitValid('content');
    await storedProperties('content').toEqual({ 'Match Requirement': 'content must contain match', express: '"priority":\\s*"express"' });
    expect((await storedFlow()).document.connections.find((c) => c.sourceId === ids.content)).toMatchObject({ targetId: ids.replace, relationships: ['express'] });
  });

  it('ReplaceText and RouteText: line items rewritten as rows, and a RouteText rule that becomes a relationship', async () => {
    await selectNode(page, ids.replace);
    expect(await field('Evaluation Mode').locator('select').inputValue()).toBe('Line-by-Line');
    await setMonaco(page, '.inspector [data-property="Search Value"]', SEARCH);
    await setMonaco(page, '.inspector [data-property="Replacement Value"]', '${order.id};$1;$2');
    await autoTerminate(page, 'failure');
    await waitValid('replace');

    await selectNode(page, ids.lines);
    expect(await field('Matching Strategy').locator('.field-warning').textContent()).toContain('Matching Strategy is required');
    await field('Matching Strategy').locator('select').selectOption('Matches Regular Expression');
    await page.waitForFunction(() => document.querySelector('.inspector [data-testid=property-form]')?.textContent?.includes('there must be dynamic properties to match against'));
    await addDynamicProperty(page, 'rows', String.raw`SO-\d+;\d+;\d+`);
    await page.waitForSelector(`${node('lines')} .react-flow__handle.source[data-handleid="rows"]`);
    expect(await page.locator(`${node('lines')} .proc-rel .rel-label`).allTextContents()).toEqual(['original', 'unmatched', 'rows']);
    await autoTerminate(page, 'original', 'unmatched');
    await waitSaved(page);
    await link('lines', 'rows', 'split');
    await waitValid('lines');
    await storedProperties('replace').toEqual({ 'Search Value': SEARCH, 'Replacement Value': '${order.id};$1;$2' });
    await storedProperties('lines').toEqual({ 'Matching Strategy': 'Matches Regular Expression', rows: String.raw`SO-\d+;\d+;\d+` });
  });

  it('SplitText, ExtractText, CompressContent both ways, AttributesToJSON and LogAttribute, until the whole flow is valid', async () => {
    await selectNode(page, ids.split);
    await field('Line Split Count').locator('input').fill('one');
    await field('Line Split Count').locator('[role=alert]', { hasText: "'one' is not a whole number" }).waitFor();
    await field('Line Split Count').locator('input').fill('1');
    await field('Line Split Count').locator('[role=alert]').waitFor({ state: 'detached' });
    await autoTerminate(page, 'original', 'failure');

    await selectNode(page, ids.extract);
    await addDynamicProperty(page, 'sku', String.raw`^SO-\d+;(\d+);`);
    await addDynamicProperty(page, 'qty', String.raw`;(\d+)$`);
    await autoTerminate(page, 'unmatched');

    await selectNode(page, ids.gzip);
    await field('Compression Format').locator('select').selectOption('gzip');
    await field('Compression Level').waitFor();
    await field('Update Filename').locator('select').selectOption('true');
    await autoTerminate(page, 'failure');

    await selectNode(page, ids.gunzip);
    expect(await page.inputValue('input[aria-label="Processor name"]')).toBe('Compress Content 2');
    await page.fill('input[aria-label="Processor name"]', 'Decompress Content');
    await field('Mode').locator('select').selectOption('decompress');
    await field('Maximum Decompressed Size').waitFor();
    expect(await field('Compression Level').count()).toBe(0);
    expect(await field('Compression Format').locator('select').inputValue()).toBe('use mime.type attribute');
    await field('Update Filename').locator('select').selectOption('true');
    await autoTerminate(page, 'failure');

    await selectNode(page, ids.toJson);
    await field('Attributes List').locator('input').fill('order.id,sku,qty,fragment.index');
    await autoTerminate(page, 'failure');

    await selectNode(page, ids.log);
    await autoTerminate(page, 'success');

    for (const step of Object.keys(ids) as Step[]) await waitValid(step);
    await expect.poll(async () => (await stored('log')).autoTerminated, { timeout: 15_000 }).toEqual(['success']);
    await waitSaved(page);
    const saved = await storedFlow();
    // Every step is configured and connected: the server finds nothing that would keep the flow from starting.
    expect(saved.validation).toEqual([]);
    const props = (step: Step) => saved.document.processors.find((p) => p.id === ids[step])!.properties;
    expect(props('split')).toEqual({ 'Line Split Count': '1' });
    expect(props('extract')).toEqual({ sku: String.raw`^SO-\d+;(\d+);`, qty: String.raw`;(\d+)$` });
    expect(props('gzip')).toEqual({ 'Compression Format': 'gzip', 'Update Filename': 'true' });
    expect(props('gunzip')).toEqual({ Mode: 'decompress', 'Update Filename': 'true' });
    expect(props('toJson')).toEqual({ 'Attributes List': 'order.id,sku,qty,fragment.index' });
    expect(saved.document.processors.find((p) => p.id === ids.gunzip)!.name).toBe('Decompress Content');
    await fitView(page);
    await shot(page, 'text-04-valid-flow');
  });

  it('runs one order through: the gzip splits queue in front of the stopped decompressor, counted over socket.io', async () => {
    await page.waitForSelector('.socket-dot.live');
    for (const step of ['json', 'content', 'replace', 'lines', 'split', 'extract', 'gzip'] as Step[]) await startProcessor(step);
    await selectNode(page, ids.gen);
    await page.click('.inspector button:has-text("Run once")');
    const gzipped = await connectionId('gzip', 'gunzip');
    await waitQueue(gzipped, 3);
    // The page polls only while the socket is down.
    expect(await page.getAttribute('.socket-dot', 'class')).toContain('live');
    await shot(page, 'text-05-gzip-queued');

    const listing = await queue(gzipped);
    expect(listing.count).toBe(3);
    const byIndex = byFragment(listing);
    byIndex.forEach((f, i) => {
      const [, sku, qty] = ROWS[i]!.split(';');
      expect(f.attributes).toMatchObject({
        'order.id': 'SO-1001',
        'order.priority': 'express',
        'RouteOnContent.Route': 'express',
        'RouteText.Route': 'rows',
        'fragment.index': String(i + 1),
        'fragment.count': '3',
        'text.line.count': '1',
        sku,
        qty,
        'mime.type': 'application/gzip',
      });
      expect(f.attributes.filename).toBe(`${f.attributes['segment.original.filename']}.gz`);
    });
    // gzip's magic number: 0x1f 0x8b (not UTF-8, so it reads back as U+FFFD).
    expect((await content(gzipped, byIndex[0]!.uuid)).slice(0, 2)).toBe('\x1f\ufffd');

    // The same queue in the connection's inspector.
    await selectEdge(page, gzipped);
    await page.waitForFunction(() => document.querySelector('[data-testid=connection-inspector] .queue-head')?.textContent?.includes('3 FlowFiles'));
    expect(await page.locator('[data-testid=connection-inspector] tbody tr').count()).toBe(3);
    expect(await page.locator('[data-testid=connection-inspector] tbody tr td.mono').first().textContent()).toMatch(/\.gz$/);
  });

  it('decompresses them and holds the rows, with their attributes as JSON, in front of the stopped LogAttribute', async () => {
    const gzipped = await connectionId('gzip', 'gunzip');
    const last = await connectionId('toJson', 'log');
    await startProcessor('toJson');
    await startProcessor('gunzip');
    await waitQueue(gzipped, 0);
    await waitQueue(last, 3);
    const listing = await queue(last);
    for (const [i, f] of byFragment(listing).entries()) {
      const [, sku, qty] = ROWS[i]!.split(';');
      expect(JSON.parse(f.attributes.JSONAttributes!)).toEqual({ 'order.id': 'SO-1001', sku, qty, 'fragment.index': String(i + 1) });
      expect(f.attributes['mime.type']).toBeUndefined();
      expect(f.attributes.filename).toBe(f.attributes['segment.original.filename']);
      expect(await content(last, f.uuid)).toBe(ROWS[i]);
    }

    await selectEdge(page, last);
    await page.waitForFunction(() => document.querySelector('[data-testid=connection-inspector] .queue-head')?.textContent?.includes('3 FlowFiles'));
    await page.locator('[data-testid=connection-inspector] tbody tr').first().click();
    const head = listing.flowFiles[0]!;
    await page.waitForFunction(
      (uuid) => document.querySelector('[data-testid=connection-inspector] .mt h3')?.textContent === `Content of ${uuid.slice(0, 8)}`,
      head.uuid,
    );
    expect(await page.textContent('[data-testid=connection-inspector] pre.content-view')).toBe(ROWS[Number(head.attributes['fragment.index']) - 1]);
    await shot(page, 'text-06-rows-queued');

    await startProcessor('log');
    await waitQueue(last, 0);
    // LogAttribute's success is auto-terminated: provenance records each row's end there.
    const dropped = async () => {
      const events = await json<ProvenanceEventDto[]>(await api.request(`/api/flows/${flowId}/provenance?eventType=DROP&limit=100`));
      return events.filter((e) => e.processorId === ids.log).map((e) => e.flowFileUuid).sort();
    };
    await expect.poll(dropped, { timeout: 15_000 }).toEqual(listing.flowFiles.map((f) => f.uuid).sort());
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
  });
});
