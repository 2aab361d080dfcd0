/**
 * Engine throughput on the durable SQLite repositories against the same flow on the in-memory ones:
 * source → pass-through → sink, FlowFiles with small content, so the figure is the repository cost.
 * Run: npx tsx --conditions=sluice-source bench/engine-durable.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineProcessor, type Clock } from '@sluice/flow-api';
import { FlowEngine, InMemoryContentRepository, InMemoryFlowFileRepository, InMemoryStore, type FlowGraph, type ContentRepository, type FlowFileRepository } from '@sluice/flow-core';
import { openDataSource } from '../src/persistence/data-source.js';
import { SqlFlowFileRepository } from '../src/persistence/sql-flowfile.repository.js';

const TOTAL = Number(process.env['BENCH_FLOWFILES'] ?? 50_000);
const BATCH = 100;

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

let generated = 0;
const Source = defineProcessor({
  descriptor: { type: 'BenchSource', version: 1, displayName: 'Source', description: 'bench', category: 'source', tags: [], properties: [], relationships: [{ name: 'success', description: '' }], inputRequirement: 'forbidden' },
  onTrigger(_ctx, session) {
    const n = Math.min(BATCH, TOTAL - generated);
    for (let i = 0; i < n; i++) {
      const ff = session.write(session.putAttribute(session.create(), 'n', String(generated + i)), `{"sku":"SKU-${generated + i}","stock":${i}}`);
      session.transfer(ff, 'success');
    }
    generated += n;
  },
});
const Pass = defineProcessor({
  descriptor: { type: 'BenchPass', version: 1, displayName: 'Pass', description: 'bench', category: 'transform', tags: [], properties: [], relationships: [{ name: 'success', description: '' }], inputRequirement: 'required' },
  onTrigger(_ctx, session) {
    for (const ff of session.getBatch(BATCH)) session.transfer(session.putAttribute(ff, 'seen', 'yes'), 'success');
  },
});
let sunk = 0;
const Sink = defineProcessor({
  descriptor: { type: 'BenchSink', version: 1, displayName: 'Sink', description: 'bench', category: 'utility', tags: [], properties: [], relationships: [], inputRequirement: 'required' },
  onTrigger(_ctx, session) {
    for (const ff of session.getBatch(BATCH)) {
      session.remove(ff);
      sunk++;
    }
  },
});
const registry = (type: string) => ({ BenchSource: Source, BenchPass: Pass, BenchSink: Sink })[type];

const scheduling = { strategy: 'timer' as const, period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
const graph: FlowGraph = {
  processors: [
    { id: 'src', type: 'BenchSource', name: 'Source', properties: {}, scheduling, autoTerminated: [] },
    { id: 'pass', type: 'BenchPass', name: 'Pass', properties: {}, scheduling, autoTerminated: [] },
    { id: 'sink', type: 'BenchSink', name: 'Sink', properties: {}, scheduling, autoTerminated: [] },
  ],
  connections: [
    { id: 'a', sourceId: 'src', relationships: ['success'], targetId: 'pass', backPressureObjectThreshold: 10_000, backPressureDataSizeThreshold: '1 GB' },
    { id: 'b', sourceId: 'pass', relationships: ['success'], targetId: 'sink', backPressureObjectThreshold: 10_000, backPressureDataSizeThreshold: '1 GB' },
  ],
  parameters: {},
};

async function run(repository: FlowFileRepository, content: ContentRepository): Promise<number> {
  generated = 0;
  sunk = 0;
  const engine = new FlowEngine({
    flowId: 'bench',
    graph,
    registry,
    repository,
    content,
    provenance: { record: () => undefined },
    events: { processorStateChanged: () => undefined, queueChanged: () => undefined, bulletin: (e) => console.error(e.message) },
    clock,
    services: () => ({}) as never,
  });
  await engine.initialize();
  const started = performance.now();
  engine.start();
  while (sunk < TOTAL) await new Promise((r) => setTimeout(r, 5));
  const ms = performance.now() - started;
  await engine.close();
  return (TOTAL / ms) * 1000;
}

const store = new InMemoryStore();
const memory = await run(new InMemoryFlowFileRepository(store), new InMemoryContentRepository(store));
const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
const ds = await openDataSource({ database: { type: 'sqlite', path: join(dir, 'bench.sqlite') } });
const sql = new SqlFlowFileRepository(ds);
await sql.init();
const durable = await run(sql, sql);
await sql.drain();
await ds.destroy();
rmSync(dir, { recursive: true, force: true });

console.log(`engine in-memory: ${Math.round(memory)} FlowFiles/s`);
console.log(`engine durable (SQLite, WAL, group commit): ${Math.round(durable)} FlowFiles/s (goal 20000)`);
console.log(`ratio engine.durable-vs-memory: ${(memory / durable).toFixed(2)}`);
