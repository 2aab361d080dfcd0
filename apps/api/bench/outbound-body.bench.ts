/**
 * Large outbound batches against the server's own event-loop measurement (GET /api/metrics). For 5, 20 and 49 MB
 * batches of stock rows (BENCH_OUTBOUND_MB to change them), the worst event-loop block while the batch is admitted
 * (POST to 202; the simulated Omnitron holds the Login step meanwhile, so nothing else runs) and while the flow then
 * writes its rows, plus the admission times. Then the ratio of one 40 MB batch's admission to ten 4 MB ones'.
 * Run after building apps/api: sh bench/run.sh bench/outbound-body.bench.ts
 */
import { startOmnitronSim } from '@sluice/omnitron-sim';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finishedExecution, postBatch, startStockOutbound, stockBatch } from '../src/integration/outbound-batch.testing.js';
import { eventLoopFigures, worstBlockBetween } from '../src/metrics/event-loop.testing.js';
import { startServerProcess } from '../src/testing/server-process.js';

const MB = 1024 * 1024;
const SIZES = (process.env['BENCH_OUTBOUND_MB'] ?? '5,20,49').split(',').map(Number);
/** A 500 ms window that started during the request has closed once this has passed. */
const WINDOW_CLOSE_MS = 700;
/** How long the simulated Omnitron holds the Login step (counted from the request, which follows the 202). */
const HOLD_MS = 2_500;

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-outbound-body-'));
const omnitron = await startOmnitronSim({ generatedProducts: 1000, requestLogLimit: 10 });
const server = await startServerProcess(dataDir);
try {
  const flow = await startStockOutbound(server, omnitron.url, 'bench large batches', 12);
  const figures = () => eventLoopFigures(server.url, server.token);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const admit = async (body: string): Promise<{ executionId: string; ms: number }> => {
    const t = performance.now();
    const res = await postBatch(server, flow.id, body);
    if (res.status !== 202) throw new Error(`outbound answered ${res.status}: ${await res.text()}`);
    const { executionId } = (await res.json()) as { executionId: string };
    return { executionId, ms: performance.now() - t };
  };
  // Warm-up: the route's first run compiles its code.
  const warm = await admit(stockBatch(MB).body);
  await finishedExecution(server, warm.executionId, 60_000);

  for (const mb of SIZES) {
    const { body, rows } = stockBatch(mb * MB);
    omnitron.faults({ delayMs: HOLD_MS });
    await sleep(WINDOW_CLOSE_MS);
    const before = await figures();
    const { executionId, ms } = await admit(body);
    await sleep(WINDOW_CLOSE_MS);
    const admitted = await figures();
    omnitron.resetFaults();
    const t = performance.now();
    const e = await finishedExecution(server, executionId, 300_000);
    const runMs = performance.now() - t;
    await sleep(WINDOW_CLOSE_MS);
    const done = await figures();
    if (e.counts.written + e.counts.failed !== rows) throw new Error(`${rows} rows posted, execution counts ${JSON.stringify(e.counts)}`);
    const bound = (x: number) => (Number.isFinite(x) ? `<= ${x} ms` : '> 10 s');
    console.log(
      `outbound ${mb} MB (${rows} rows): admitted in ${ms.toFixed(0)} ms, worst block ${bound(worstBlockBetween(before, admitted))}, ` +
        `${admitted.blocksOver(0.1) - before.blocksOver(0.1)} windows over 100 ms; run ${(runMs / 1000).toFixed(1)} s, worst block ${bound(worstBlockBetween(admitted, done))}, ` +
        `${done.blocksOver(0.1) - admitted.blocksOver(0.1)} windows over 100 ms`,
    );
  }

  // Admission of one 40 MB batch against ten 4 MB ones posted one after the other: the same bytes.
  omnitron.faults({ delayMs: HOLD_MS });
  const small = stockBatch(4 * MB);
  const large = stockBatch(40 * MB);
  const ids: string[] = [];
  let t = performance.now();
  for (let i = 0; i < 10; i++) ids.push((await admit(small.body)).executionId);
  const tenSmall = performance.now() - t;
  omnitron.resetFaults();
  for (const id of ids) await finishedExecution(server, id, 300_000);
  omnitron.faults({ delayMs: HOLD_MS });
  t = performance.now();
  const one = await admit(large.body);
  const oneLarge = performance.now() - t;
  omnitron.resetFaults();
  await finishedExecution(server, one.executionId, 300_000);
  console.log(`admission: one 40 MB batch ${oneLarge.toFixed(0)} ms, ten 4 MB batches ${tenSmall.toFixed(0)} ms`);
  console.log(`ratio outbound.admit-40mb-vs-10x4mb: ${(oneLarge / tenSmall).toFixed(2)}`);
} finally {
  await server.stop();
  await omnitron.close();
  rmSync(dataDir, { recursive: true, force: true });
}
