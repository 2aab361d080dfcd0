/**
 * InvokeHTTP requests/s against the ERP simulator on the server's undici client, through the real session
 * (TestRunner), against a plain undici loop making the same GETs in the same run; and MergeContent rows/s
 * (5000-row JSON bundles with header, demarcator and footer) against hand-written concatenation of the same rows.
 * Both loops are sequential, so the ratios are the processors' own cost per request and per row.
 * Run: sh bench/run.sh bench/flow-control.bench.ts
 */
import { startErpSim } from '@sluice/erp-sim';
import { TestRunner } from '@sluice/flow-testing';
import { getProcessor } from '@sluice/processors';
import { Agent, request } from 'undici';
import { UndiciHttpClient } from '../src/engine/undici-http.client.js';

const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 2000);
const ROWS = Number(process.env['BENCH_MERGE_ROWS'] ?? 50_000);
const BUNDLE = 5000;
const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---- InvokeHTTP ----
const erp = await startErpSim({ auth: 'none', generatedRows: 20, requestLogLimit: 100 });
const url = `${erp.url}/api/stock?limit=20`;
const http = new UndiciHttpClient();
const plainAgent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

async function plainLoop(): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const res = await request(url, { dispatcher: plainAgent, headersTimeout: 15_000, bodyTimeout: 15_000 });
    if (res.statusCode !== 200) throw new Error(`ERP answered ${res.statusCode}`);
    await res.body.arrayBuffer();
  }
  return REQUESTS / ((performance.now() - t0) / 1000);
}

async function invokeHttp(): Promise<number> {
  const r = new TestRunner(getProcessor('InvokeHTTP')!, { services: { http } });
  r.setProperty('HTTP URL', url);
  r.setAutoTerminated('Original');
  for (let i = 0; i < REQUESTS; i++) r.enqueue('', { sku: String(i) });
  const t0 = performance.now();
  await r.run(REQUESTS);
  const rps = REQUESTS / ((performance.now() - t0) / 1000);
  r.assertTransferCount('Response', REQUESTS);
  return rps;
}

await plainLoop();
await invokeHttp();
const plain: number[] = [];
const invoke: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  plain.push(await plainLoop());
  invoke.push(await invokeHttp());
}
console.log(`InvokeHTTP GET ${url.replace(erp.url, '<erp>')}: ${median(invoke).toFixed(0)} requests/s, plain undici loop ${median(plain).toFixed(0)} requests/s (median of ${ROUNDS} x ${REQUESTS})`);
console.log(`ratio invokehttp-vs-undici (requests/s): ${(median(invoke) / median(plain)).toFixed(2)}`);
await http.close();
await plainAgent.close();
await erp.close();

// ---- MergeContent ----
const encoder = new TextEncoder();
const rows = Array.from({ length: ROWS }, (_, i) => encoder.encode(JSON.stringify({ sku: `SKU-${String(i).padStart(6, '0')}`, stock: i % 97, stock_list: '1' })));

function handWritten(): { rowsPerSec: number; bundles: number } {
  const t0 = performance.now();
  const open = encoder.encode('[');
  const comma = encoder.encode(',');
  const close = encoder.encode(']');
  let bundles = 0;
  for (let start = 0; start < rows.length; start += BUNDLE) {
    const part = rows.slice(start, start + BUNDLE);
    const size = part.reduce((n, r) => n + r.length, 0) + part.length - 1 + 2;
    const out = new Uint8Array(size);
    let at = 0;
    out.set(open, at);
    at += 1;
    part.forEach((r, i) => {
      out.set(r, at);
      at += r.length;
      if (i < part.length - 1) out.set(comma, at++);
    });
    out.set(close, at);
    bundles++;
  }
  return { rowsPerSec: ROWS / ((performance.now() - t0) / 1000), bundles };
}

async function mergeContent(): Promise<{ rowsPerSec: number; bundles: number }> {
  const r = new TestRunner(getProcessor('MergeContent')!);
  for (const [k, v] of Object.entries({ 'Minimum Number of Entries': String(BUNDLE), 'Maximum Number of Entries': String(BUNDLE), 'Delimiter Strategy': 'Text', Header: '[', Demarcator: ',', Footer: ']' })) r.setProperty(k, v);
  r.setAutoTerminated('original');
  for (const row of rows) r.enqueue(row);
  const t0 = performance.now();
  while (r.queueSize() > 0) await r.run(1, { stopOnFinish: false });
  const rowsPerSec = ROWS / ((performance.now() - t0) / 1000);
  const merged = r.flowFilesFor('merged');
  if (merged.length !== ROWS / BUNDLE || JSON.parse(merged[0]!.contentText()).length !== BUNDLE) throw new Error('MergeContent did not make full bundles');
  return { rowsPerSec, bundles: merged.length };
}

handWritten();
await mergeContent();
const hand: number[] = [];
const merge: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  hand.push(handWritten().rowsPerSec);
  merge.push((await mergeContent()).rowsPerSec);
}
console.log(`MergeContent ${ROWS} rows into ${BUNDLE}-row JSON bundles: ${median(merge).toFixed(0)} rows/s, hand-written concatenation ${median(hand).toFixed(0)} rows/s`);
console.log(`ratio mergecontent-vs-handwritten (rows/s): ${(median(merge) / median(hand)).toFixed(3)}`);
