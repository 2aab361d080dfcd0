/**
 * Soak at demo load with a short retention and kill -9 restarts: the built server runs as a child process; an ERP
 * client posts 5000-row Stock batches (up to three in flight, with Idempotency-Keys, posting again what a kill cut)
 * at the demo's measured load of 7000 rows/s, and an inbound Stock run and a small image batch go every 10 s.
 * Prints rows/s, p95 outbound latency, duplicates per crash, the database size during and after the soak, and peak
 * RSS, with the server's RSS at the end against its RSS early on as the ratio (flat memory is about 1).
 * SOAK_SECONDS (default 30; 300 for the five-minute run), SOAK_RETENTION (default 1 min), SOAK_KILL_EVERY seconds
 * (default 20), SOAK_ROWS_PER_SEC (default 7000; 0 = as fast as it goes).
 * Run after building apps/api: sh bench/run.sh bench/soak.bench.ts
 */
import type { ExecutionDto, FlowDto } from '@sluice/contracts';
import { startErpSim } from '@sluice/erp-sim';
import { startOmnitronSim } from '@sluice/omnitron-sim';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../src/testing/server-process.js';

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 30);
const RETENTION = process.env['SOAK_RETENTION'] ?? '1 min';
const KILL_EVERY_MS = Number(process.env['SOAK_KILL_EVERY'] ?? 20) * 1000;
const RATE = Number(process.env['SOAK_ROWS_PER_SEC'] ?? 7000);
const ROWS = 5000;
const IN_FLIGHT = 3;
const SAMPLE_MS = 2000;

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-soak-'));
const [omnitron, erp] = await Promise.all([startOmnitronSim({ generatedProducts: ROWS, trackDeliveries: true, requestLogLimit: 100 }), startErpSim({ generatedRows: 2000 })]);
const env = { SLUICE_RETENTION: RETENTION, SLUICE_LOG_LEVEL: 'log' };
let server: ServerProcess = await startServerProcess(dataDir, env);
// Whatever happens, the server this benchmark started does not outlive it.
process.once('exit', () => void server.child.kill('SIGKILL'));
let alive = true;

const json = async <T>(res: Response): Promise<T> => {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
const parameters = {
  'omnitron.url': omnitron.url,
  'omnitron.username': 'integrator',
  'omnitron.password': 'integrator-pass',
  'erp.url': erp.url,
  'erp.username': erp.credentials.username,
  'erp.password': erp.credentials.password,
};
async function flow(templateId: string, edit?: (f: FlowDto) => void): Promise<string> {
  const own = Object.fromEntries(Object.entries(parameters).filter(([k]) => templateId.endsWith('-inbound') || k.startsWith('omnitron.')));
  let f = await json<FlowDto>(await server.request('/api/flows/from-template', { method: 'POST', json: { templateId, name: `soak ${templateId}`, parameters: own } }));
  if (edit) {
    edit(f);
    f = await json<FlowDto>(await server.request(`/api/flows/${f.id}`, { method: 'PUT', json: { version: f.version, document: f.document } }));
  }
  await json(await server.request(`/api/flows/${f.id}/start`, { method: 'POST' }));
  return f.id;
}
const stockOut = await flow('stock-outbound', (f) => void (f.document.integration = { ...f.document.integration!, maxConcurrentExecutions: 10 }));
const stockIn = await flow('stock-inbound');
const imageOut = await flow('image-outbound');

const batch = (n: number) => Array.from({ length: ROWS }, (_, i) => ({ product_sku: `SKU-${String(i + 1).padStart(6, '0')}`, stock: (n + i) % 997, stock_list: '1', unit_type: 'qty' }));
const acceptMs: number[] = [];
const endToEndMs: number[] = [];
let duplicates = 0;
let crashes = 0;
let stockRows = 0;
const started = Date.now();
const deadline = started + SECONDS * 1000;

/** Calls the live server; while it is down (or dies during the call) waits and tries again. */
async function withServer<T>(call: (s: ServerProcess) => Promise<T>): Promise<T> {
  for (;;) {
    if (alive) {
      try {
        return await call(server);
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

let nextBatch = 0;
async function poster(): Promise<void> {
  for (;;) {
    const n = nextBatch++;
    // Paced: batch n goes once the load so far allows it.
    if (RATE > 0) {
      const due = started + ((n * ROWS) / RATE) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    if (Date.now() >= deadline) return;
    const t0 = performance.now();
    const body = batch(n);
    const { executionId } = await withServer(async (s) =>
      json<{ executionId: string }>(await s.request(`/api/outbound/${stockOut}`, { method: 'POST', json: body, headers: { 'Idempotency-Key': `soak-${n}` } })),
    );
    acceptMs.push(performance.now() - t0);
    for (;;) {
      const e = await withServer(async (s) => json<ExecutionDto>(await s.request(`/api/executions/${executionId}`)));
      if (e.state === 'finished') {
        if (e.status !== 'success' || e.counts.written !== ROWS) throw new Error(`execution ${executionId}: ${JSON.stringify(e)}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    endToEndMs.push(performance.now() - t0);
    stockRows += ROWS;
    for (const row of body) {
      const key = `${executionId}|${row.product_sku}`;
      const delivered = omnitron.state.deliveries.get(key) ?? 0;
      if (delivered === 0) throw new Error(`row ${row.product_sku} of ${executionId} never reached Omnitron`);
      duplicates += delivered - 1;
      omnitron.state.deliveries.delete(key);
    }
  }
}

async function demoRuns(): Promise<void> {
  while (Date.now() < deadline) {
    await withServer(async (s) => json(await s.request(`/api/flows/${stockIn}/trigger`, { method: 'POST' })).catch(() => undefined));
    await withServer(async (s) =>
      json(await s.request(`/api/outbound/${imageOut}`, { method: 'POST', json: [{ product_sku: '1234', images: [{ url: 'https://cdn.example.test/1234-1.jpg', order: 1 }] }] })).catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 10_000));
  }
}

const file = join(dataDir, 'sluice.db');
const dbSize = () => [file, `${file}-wal`].filter((f) => existsSync(f)).reduce((n, f) => n + statSync(f).size, 0);
const rss: { at: number; rss: number }[] = [];
let peak = 0;
let dbPeak = 0;
const sampler = setInterval(() => {
  dbPeak = Math.max(dbPeak, dbSize());
  const m = alive ? server.memory() : null;
  if (!m) return;
  rss.push({ at: Date.now() - started, rss: m.rss });
  peak = Math.max(peak, m.peak);
}, SAMPLE_MS);

async function chaos(): Promise<void> {
  while (Date.now() + KILL_EVERY_MS < deadline) {
    await new Promise((r) => setTimeout(r, KILL_EVERY_MS));
    peak = Math.max(peak, server.memory()?.peak ?? 0);
    alive = false;
    await server.kill();
    crashes++;
    omnitron.expireTokens();
    server = await startServerProcess(dataDir, env);
    alive = true;
  }
}

await Promise.all([...Array.from({ length: IN_FLIGHT }, () => poster()), demoRuns(), chaos()]);
const seconds = (Date.now() - started) / 1000;
clearInterval(sampler);
// A retention pass after the soak; then the files as a restart would find them.
await new Promise((r) => setTimeout(r, 16_000));
peak = Math.max(peak, server.memory()?.peak ?? 0);
await server.stop();
const dbBytes = dbSize();

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(xs.length * 0.95) - 1)] ?? 0;
const mb = (b: number) => (b / 2 ** 20).toFixed(0);
const window = (from: number, to: number) => rss.filter((s) => s.at >= from && s.at < to).map((s) => s.rss);
const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const slice = Math.min(60_000, (SECONDS * 1000) / 3);
const early = avg(window(slice / 2, slice * 1.5));
// The soak's real end: the batches still in flight at the deadline finish first, and a restart may leave no sample
// in the nominal last slice.
const late = avg(window(seconds * 1000 - slice, seconds * 1000 + 1));
console.log(`soak ${seconds.toFixed(0)} s, retention ${RETENTION}, ${crashes} kill -9 restart(s) with token expiry`);
console.log(`  stock outbound: ${stockRows} rows in ${endToEndMs.length} batches, ${(stockRows / seconds).toFixed(0)} rows/s; all Omnitron rows ${(omnitron.state.counters.stockRowsWritten / seconds).toFixed(0)}/s`);
console.log(`  p95 outbound latency: POST to 202 ${p95(acceptMs).toFixed(0)} ms, POST to finished execution ${p95(endToEndMs).toFixed(0)} ms`);
console.log(`  duplicates: ${duplicates} rows, ${crashes ? (duplicates / crashes).toFixed(0) : 0} per crash (bound: one 1000-row chunk per execution in flight)`);
console.log(`  database: at most ${mb(dbPeak)} MB during the soak (goal < 200 MB), ${mb(dbBytes)} MB after it and one more retention pass`);
console.log(`  server RSS: peak ${mb(peak)} MB; ${mb(early)} MB early, ${mb(late)} MB at the end`);
console.log(`ratio soak.server-rss-end-vs-early: ${early && late ? (late / early).toFixed(2) : 'n/a'} (goal about 1: flat)`);

await Promise.all([omnitron.close(), erp.close()]);
rmSync(dataDir, { recursive: true, force: true });
