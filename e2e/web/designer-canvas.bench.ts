/**
 * Designer canvas cost in Chromium: time until a flow is interactive, and frame times while panning it, for a
 * 200-processor flow against the 5-processor Stock template measured in the same run (the baseline).
 * Needs the built API and web app (the nx `bench` target builds them first).
 * Run: npx tsx web/designer-canvas.bench.ts
 */
import type { Page } from 'playwright-core';
import type { FlowDocumentInput, FlowDto } from '@sluice/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_ADMIN_PASSWORD, startServerProcess } from '@sluice/api/testing/server-process';
import { launchBrowser, newPage, signIn } from './browser-harness.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const BIG = 200;

/** A grid of 20 columns, each processor chained to its right neighbour. */
function gridFlow(n: number): FlowDocumentInput {
  const processors = Array.from({ length: n }, (_, i) => ({
    id: `p${i}`,
    type: 'UpdateAttribute',
    name: `Step ${i + 1}`,
    position: { x: (i % 20) * 288, y: Math.floor(i / 20) * 176 },
    properties: {},
    autoTerminated: ['success'],
  }));
  const connections = processors
    .filter((_, i) => i % 20 !== 19 && i + 1 < n)
    .map((p, i) => ({ id: `c${i}`, sourceId: p.id, targetId: `p${Number(p.id.slice(1)) + 1}`, relationships: ['success'] }));
  return { name: `${n} steps`, processors, connections };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function openMs(page: Page, flowId: string): Promise<number> {
  await page.goto('/flows');
  await page.waitForSelector('.flows-table');
  const t0 = Date.now();
  await page.goto(`/flows/${flowId}`);
  await page.waitForSelector('.palette-item');
  // The canvas renders only what is visible, so the first node is the signal, not a count.
  await page.waitForSelector('.react-flow__node');
  return Date.now() - t0;
}

/** Median and p95 frame time while dragging the canvas back and forth. */
async function panFrames(page: Page): Promise<{ median: number; p95: number; frames: number }> {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  // Source text, not a function: tsx would wrap a function with helpers the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (let round = 0; round < 2; round++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx - 500, cy - 200, { steps: 30 });
    await page.mouse.move(cx, cy, { steps: 30 });
    await page.mouse.up();
  }
  const frames = await page.evaluate<number[]>('(window.__stop = true, window.__frames.slice(1))');
  if (frames.length < 10) throw new Error(`only ${frames.length} frames recorded while panning`);
  const sorted = [...frames].sort((a, b) => a - b);
  return { median: median(frames), p95: sorted[Math.floor(sorted.length * 0.95)]!, frames: frames.length };
}

// The built server in its own process, as users run it (tsx does not emit the decorator metadata Nest needs).
const dataDir = mkdtempSync(join(tmpdir(), 'sluice-canvas-bench-'));
const server = await startServerProcess(dataDir, { SLUICE_WEB_DIR: fileURLToPath(new URL('../../apps/web/dist', import.meta.url)) });
const api = { url: server.url, adminPassword: SERVER_ADMIN_PASSWORD, request: (path: string, init?: Parameters<typeof server.request>[1]) => server.request(path, init), close: async () => { await server.stop(); rmSync(dataDir, { recursive: true, force: true }); } };
const browser = await launchBrowser();
try {
  const create = async (body: unknown, path = '/api/flows') => {
    const res = await api.request(path, { method: 'POST', json: body });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as FlowDto;
  };
  const small = await create({ templateId: 'stock-inbound' }, '/api/flows/from-template');
  const big = await create(gridFlow(BIG));
  const { page } = await newPage(browser, api.url);
  await signIn(page, 'admin', api.adminPassword);

  const results: Record<'small' | 'big', { open: number[]; pan: number[]; p95: number[] }> = { small: { open: [], pan: [], p95: [] }, big: { open: [], pan: [], p95: [] } };
  // Interleaved rounds, so load from other work on the machine hits both sides alike.
  for (let r = 0; r < ROUNDS; r++) {
    for (const [key, flow] of [['small', small], ['big', big]] as const) {
      results[key].open.push(await openMs(page, flow.id));
      const pan = await panFrames(page);
      results[key].pan.push(pan.median);
      results[key].p95.push(pan.p95);
    }
  }
  for (const key of ['small', 'big'] as const) {
    const n = key === 'small' ? small.document.processors.length : BIG;
    const s = results[key];
    console.log(`designer ${n} processors: open ${median(s.open)} ms; panning frame median ${median(s.pan).toFixed(1)} ms, p95 ${median(s.p95).toFixed(1)} ms (median of ${ROUNDS} rounds)`);
  }
  console.log(`ratio designer.open-${BIG}-vs-template: ${(median(results.big.open) / median(results.small.open)).toFixed(2)}`);
  console.log(`ratio designer.pan-frame-${BIG}-vs-template: ${(median(results.big.pan) / median(results.small.pan)).toFixed(2)}`);
} finally {
  await browser.close();
  await api.close();
}
