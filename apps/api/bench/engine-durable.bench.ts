/**
 * Engine throughput through the foundation's reference chain, GenerateFlowFile → UpdateAttribute → LogAttribute,
 * on the durable SQLite repositories against the same flow on the in-memory ones, so the ratio is the cost of
 * durability. LogAttribute logs at debug level into a sink that drops the text.
 * Run: sh bench/run.sh bench/engine-durable.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@sluice/flow-api';
import { FlowEngine, InMemoryContentRepository, InMemoryFlowFileRepository, InMemoryStore, type FlowGraph, type ContentRepository, type FlowFileRepository } from '@sluice/flow-core';
import { getProcessor } from '@sluice/processors';
import { openDataSource } from '../src/persistence/data-source.js';
import { SqlFlowFileRepository } from '../src/persistence/sql-flowfile.repository.js';

const TOTAL = Number(process.env['BENCH_FLOWFILES'] ?? 50_000);
const TASKS = Number(process.env['BENCH_TASKS'] ?? 1);

const clock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

const scheduling = (concurrentTasks: number) => ({ strategy: 'timer' as const, period: '0 sec', concurrentTasks, penaltyDuration: '30 sec', yieldDuration: '1 sec' });
const graph: FlowGraph = {
  processors: [
    { id: 'gen', type: 'GenerateFlowFile', name: 'Generate', properties: { 'Custom Text': '{"sku":"SKU-1","stock":5}', 'Batch Size': '100' }, scheduling: scheduling(1), autoTerminated: [] },
    { id: 'update', type: 'UpdateAttribute', name: 'Update', properties: { seen: "${literal('yes')}" }, scheduling: scheduling(TASKS), autoTerminated: [] },
    { id: 'log', type: 'LogAttribute', name: 'Log', properties: { 'Log Level': 'debug' }, scheduling: scheduling(TASKS), autoTerminated: ['success'] },
  ],
  connections: [
    { id: 'a', sourceId: 'gen', relationships: ['success'], targetId: 'update', backPressureObjectThreshold: 10_000, backPressureDataSizeThreshold: '1 GB' },
    { id: 'b', sourceId: 'update', relationships: ['success'], targetId: 'log', backPressureObjectThreshold: 10_000, backPressureDataSizeThreshold: '1 GB' },
  ],
  parameters: {},
};

let sunk = 0;
async function run(repository: FlowFileRepository, content: ContentRepository): Promise<number> {
  sunk = 0;
  const engine = new FlowEngine({
    flowId: 'bench',
    graph,
    registry: getProcessor,
    repository,
    content,
    provenance: {
      record: (events) => {
        for (const e of events) if (e.eventType === 'DROP') sunk++;
      },
    },
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

console.log(`GenerateFlowFile → UpdateAttribute → LogAttribute (${TASKS} concurrent task(s) downstream, batching at the default 25 ms run duration), ${TOTAL} FlowFiles`);
console.log(`engine in-memory: ${Math.round(memory)} FlowFiles/s`);
console.log(`engine durable (SQLite, WAL, group commit): ${Math.round(durable)} FlowFiles/s (goal 20000)`);
console.log(`ratio engine.durable-vs-memory: ${(memory / durable).toFixed(2)}`);
