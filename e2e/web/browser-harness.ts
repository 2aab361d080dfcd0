import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findChromium } from '../tools/chromium.mjs';

export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const executablePath = findChromium();
  // `npm test` installs Chromium or stops before any spec runs; this is for specs run by hand.
  if (!executablePath) throw new Error('Chromium not found: run `sudo apt-get install -y chromium` or set CHROMIUM_PATH');
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records console errors and any request leaving the loopback host. */
export async function newPage(browser: Browser, baseUrl: string) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: baseUrl });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  const errors: string[] = [];
  const external: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol.startsWith('http') && u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') external.push(r.url());
  });
  return { page, context, errors, external };
}

export async function signIn(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/flows/);
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

/** Replaces the text of the Monaco editor inside `container` by pasting it, so typing aids cannot re-indent it. */
export async function setMonaco(page: Page, containerSelector: string, text: string) {
  const editor = page.locator(`${containerSelector} .monaco-editor`).first();
  await editor.waitFor();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

/** Drags from a relationship handle of one node to the input handle of another. */
export async function connect(page: Page, sourceNodeId: string, relationship: string, targetNodeId: string) {
  const from = page.locator(`.react-flow__node[data-id="${sourceNodeId}"] .react-flow__handle.source[data-handleid="${relationship}"]`);
  const to = page.locator(`.react-flow__node[data-id="${targetNodeId}"] .react-flow__handle.target`);
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

export async function waitSaved(page: Page) {
  await page.waitForFunction(() => document.querySelector('[data-testid=save-state]')?.textContent === 'All changes saved', null, { timeout: 15_000 });
}

/** The saved version the designer shows (`v3` → 3). */
export async function shownVersion(page: Page): Promise<number> {
  return Number((await page.textContent('[data-testid=flow-version]'))?.replace(/^v/, ''));
}

/** Waits until the designer has saved a version newer than `version`. */
export async function waitVersionAbove(page: Page, version: number) {
  await page.waitForFunction((v) => Number(document.querySelector('[data-testid=flow-version]')?.textContent?.replace(/^v/, '')) > v, version, { timeout: 15_000 });
}

/** The id of the first canvas node of a processor type. */
export async function nodeIdByType(page: Page, type: string): Promise<string> {
  const id = await page.locator(`.react-flow__node:has([data-processor-type="${type}"])`).first().getAttribute('data-id');
  if (!id) throw new Error(`no ${type} node on the canvas`);
  return id;
}

/** Selects a processor on the canvas and waits for its inspector. */
export async function selectNode(page: Page, id: string) {
  await page.locator(`.react-flow__node[data-id="${id}"] .proc-head`).click();
  await page.waitForFunction((nid) => document.querySelector(`.react-flow__node[data-id="${nid}"]`)?.classList.contains('selected'), id);
  await page.waitForSelector('[data-testid=processor-inspector]');
}

/** Deselects everything, which shows the flow inspector. */
export async function selectNothing(page: Page) {
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await page.waitForSelector('[data-testid=flow-inspector]');
}

export async function openTab(page: Page, label: string) {
  await page.locator(`.inspector .tab`, { hasText: new RegExp(`^${label}`) }).first().click();
}

/** Adds rows to a key/value editor (`name` as given to KeyValueEditor). */
export async function fillKeyValues(page: Page, name: string, entries: Record<string, string>) {
  const kv = page.locator(`[data-testid="kv-${name}"]`);
  const start = await kv.locator('.kv-row').count();
  let i = start;
  for (const [key, value] of Object.entries(entries)) {
    await kv.locator('button:has-text("Add entry")').click();
    i++;
    await kv.locator(`input[aria-label="${name} key ${i}"]`).fill(key);
    await kv.locator(`input[aria-label="${name} value ${i}"]`).fill(value);
  }
}

/** The canvas zoom: the scale of React Flow's viewport transform. */
export async function canvasZoom(page: Page): Promise<number> {
  return page.locator('.react-flow__viewport').evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
}

/** Finds a type through the palette search and drags it onto the pane at (x, y) of the pane; returns the new node's id. */
export async function dropFromPalette(page: Page, type: string, x: number, y: number): Promise<string> {
  const before = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  await page.fill('input[aria-label="Search processors"]', type);
  await page.locator(`.palette-item[data-type="${type}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
  const added = await page.waitForFunction(
    (known) => [...document.querySelectorAll('.react-flow__node')].map((e) => e.getAttribute('data-id')).find((id) => id && !known.includes(id)),
    before,
  );
  return (await added.jsonValue()) as string;
}

/** Ticks relationships on the selected processor's Relationships tab (names matched exactly: `matched` is not `unmatched`). */
export async function autoTerminate(page: Page, ...relationships: string[]) {
  await openTab(page, 'Relationships');
  for (const r of relationships) {
    await page.locator('.inspector .check-row', { has: page.locator(`strong:text-is("${r}")`) }).locator('input').check();
  }
}

/** Adds a dynamic property from the selected processor's form and types its value (Monaco for EL-capable ones). */
export async function addDynamicProperty(page: Page, name: string, value: string) {
  await page.fill('input[aria-label="New property name"]', name);
  await page.click('.dynamic-add button[type=submit]');
  const field = `[data-property="${name}"]`;
  await page.waitForSelector(field);
  if (await page.locator(`${field} .code-field`).count()) await setMonaco(page, field, value);
  else await page.locator(`${field} input`).fill(value);
}

/** Selects a connection by clicking its line away from the label, which sits on the midpoint. */
export async function selectEdge(page: Page, id: string) {
  const at = await page.locator(`.react-flow__edge[data-id="${id}"] path.react-flow__edge-path`).evaluate((p: SVGPathElement) => {
    const pt = p.getPointAtLength(p.getTotalLength() * 0.25);
    const m = p.getScreenCTM()!;
    return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
  });
  await page.mouse.click(at.x, at.y);
  await page.waitForSelector('[data-testid=connection-inspector]');
}

/** Waits until the canvas viewport has held still for several frames (fit and zoom animate). */
export async function waitViewportStill(page: Page) {
  await page.evaluate(() => {
    delete (window as unknown as { viewportLast?: string }).viewportLast;
  });
  await page.waitForFunction(
    () => {
      const t = getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
      const w = window as unknown as { viewportLast?: string; viewportSame?: number };
      w.viewportSame = w.viewportLast === t ? (w.viewportSame ?? 0) + 1 : 0;
      w.viewportLast = t;
      return w.viewportSame >= 8;
    },
    null,
    { polling: 'raf' },
  );
}

/** Fits the flow in view and waits for the 300 ms animation to end. */
export async function fitView(page: Page) {
  await page.click('button:has-text("Fit")');
  await waitViewportStill(page);
}
