/**
 * Row log throughput on SQLite: chunks of 1000 keyed lines journaled and expanded into row_log by the writer, in
 * transactions kept short so the event loop stays free, against the same lines stored in one transaction per flush
 * (the baseline, measured in the same run). Also the longest single transaction of each.
 * Run: sh bench/run.sh bench/row-log.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowLog } from '@sluice/processors';
import { RowLogRepository, type RowEntry } from '../src/executions/row-log.repository.js';
import { RowLogWriter } from '../src/executions/row-log.writer.js';
import { openDataSource } from '../src/persistence/data-source.js';

const TOTAL = Number(process.env['BENCH_ROWS'] ?? 100_000);
const CHUNK = 1000;
/** The writer's largest buffer, stored at once before transactions were kept short. */
const WHOLE_FLUSH = 25_000;

const lines = (executionId: string, from: number): RowEntry[] =>
  Array.from({ length: CHUNK }, (_, i) => ({
    executionId,
    source: 'ff-source-000001',
    at: Date.now(),
    row: { sku: `SKU-${String(from + i).padStart(6, '0')}`, status: 'success', message: 'written', step: 'write', key: String(from + i) } satisfies RowLog,
  }));

/** Rows/s and the longest single transaction: the writer's short ones, or (baseline) one per 25,000 lines. */
async function run(sliced: boolean): Promise<{ rate: number; longest: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-rowlog-'));
  const ds = await openDataSource({ database: { type: 'sqlite', path: join(dir, 'bench.sqlite') } });
  const repository = new RowLogRepository(ds);
  let longest = 0;
  const insert = async (entries: readonly RowEntry[], emptied?: readonly number[]) => {
    const started = performance.now();
    try {
      return await repository.insertRows(entries, emptied);
    } finally {
      longest = Math.max(longest, performance.now() - started);
    }
  };
  let stored = 0;
  const started = performance.now();
  if (sliced) {
    const timed = Object.create(repository) as RowLogRepository;
    timed.insertRows = insert;
    const writer = new RowLogWriter(timed, { stored: (_id, written) => (stored += written), error: (m) => console.error(m) });
    for (let from = 0; from < TOTAL; from += CHUNK) await writer.record(lines('sliced', from));
    await writer.flush();
  } else {
    let held: RowEntry[] = [];
    for (let from = 0; from < TOTAL; from += CHUNK) {
      const chunk = lines('whole', from);
      const journal = await repository.journal('whole', 'ff-source-000001', chunk.map((e) => e.row), Date.now());
      held.push(...chunk.map((e) => ({ ...e, journal })));
      if (held.length >= WHOLE_FLUSH || from + CHUNK >= TOTAL) {
        stored += (await insert(held)).reduce((n, c) => n + c.count, 0);
        held = [];
      }
    }
  }
  const ms = performance.now() - started;
  if (stored !== TOTAL) throw new Error(`stored ${stored} of ${TOTAL}`);
  await ds.destroy();
  rmSync(dir, { recursive: true, force: true });
  return { rate: (TOTAL / ms) * 1000, longest };
}

await run(true); // warm-up: statement caches and the JIT
const whole = await run(false);
const sliced = await run(true);
console.log(`row log, ${TOTAL} keyed lines in chunks of ${CHUNK}, journaled then expanded (SQLite, WAL)`);
console.log(`one transaction per flush: ${Math.round(whole.rate)} rows/s, longest transaction ${whole.longest.toFixed(0)} ms`);
console.log(`short transactions: ${Math.round(sliced.rate)} rows/s, longest transaction ${sliced.longest.toFixed(0)} ms`);
console.log(`ratio rowlog.short-vs-whole-transactions: ${(sliced.rate / whole.rate).toFixed(2)}`);
