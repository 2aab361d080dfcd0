/**
 * What a large outbound Stock batch costs the heap: the live heap (after a full collection) at the peak of its
 * execution and after it, per row of the batch, then, in a run without forced collections, the young-generation
 * collections while it runs (their count and the longest). The simulator runs in this process too.
 * Run after building apps/api: sh bench/run.sh bench/batch-heap.bench.ts (SLUICE_TEST_DB=postgres for Postgres).
 */
import { startOmnitronSim } from '@sluice/omnitron-sim';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
// The built server: Nest's dependency injection needs the decorator metadata tsc emits (tsx does not).
import { startApi } from '../dist/testing/start-api.js';
import { finishedExecution, postBatch, startStockOutbound, stockBatch } from '../src/integration/outbound-batch.testing.js';
import type { ServerProcess } from '../src/testing/server-process.js';

const SIZES = (process.env['BENCH_ROWS'] ?? '20000,120000').split(',').map(Number);

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const live = () => {
  collect();
  return process.memoryUsage().heapUsed;
};

const omnitron = await startOmnitronSim({ generatedProducts: 1000, requestLogLimit: 10 });
const api = await startApi({ web: false, env: { SLUICE_LOG_LEVEL: 'error' } });
// The helpers take the server process's shape; the in-process server answers the same requests.
const server = api as unknown as ServerProcess;
const flow = await startStockOutbound(server, omnitron.url, 'bench batch heap');

/** Posts a batch of about `rows` rows and resolves when its execution finished, calling `tick` every 250 ms meanwhile. */
async function execution(rows: number, tick: () => void): Promise<number> {
  const batch = stockBatch(rows * 80);
  const res = await postBatch(server, flow.id, batch.body);
  if (res.status !== 202) throw new Error(`${res.status} ${await res.text()}`);
  const { executionId } = (await res.json()) as { executionId: string };
  const timer = setInterval(tick, 250);
  try {
    await finishedExecution(server, executionId, 600_000);
  } finally {
    clearInterval(timer);
  }
  return batch.rows;
}

await execution(5000, () => undefined);
for (const size of SIZES) {
  await new Promise((r) => setTimeout(r, 1000));
  const before = live();
  let peak = before;
  const rows = await execution(size, () => (peak = Math.max(peak, live())));
  await new Promise((r) => setTimeout(r, 1000));
  const after = live();

  const scavenges: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e.detail as { kind?: number } | undefined)?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges.push(e.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  await execution(size, () => undefined);
  observer.disconnect();
  const perRow = (bytes: number) => (bytes / rows).toFixed(0);
  console.log(
    `batch heap ${rows} rows: live heap +${perRow(peak - before)} B/row at the peak of the execution, +${perRow(after - before)} B/row after; ` +
      `${scavenges.length} young-generation collections, the longest ${Math.max(0, ...scavenges).toFixed(1)} ms`,
  );
}
await api.close();
await omnitron.close();
