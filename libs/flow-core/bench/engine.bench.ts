/**
 * FlowFiles per second through source → pass-through → sink on the in-memory repositories and a real-time
 * clock, next to a hand-written loop doing comparable work (create FlowFile objects, copy attributes, push
 * and shift arrays, set and delete map entries) measured in the same run.
 * Prints `ratio <name>: <x>` where x is baseline FlowFiles/s over engine FlowFiles/s, i.e. engine time over
 * baseline time (lower is better).
 * Run: npx tsx --conditions=sluice-source bench/engine.bench.ts  (BENCH_FLOWFILES overrides the count)
 */
import { defineProcessor, utf8, type Clock, type FlowFile, type ProcessorDefinition } from '@sluice/flow-api';
import { createInMemoryRepositories, FlowEngine, type FlowGraph } from '../src/index.js';

const TOTAL = Number(process.env['BENCH_FLOWFILES'] ?? 20_000);
const ROUNDS = 3;

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const descriptor = (type: string, inputRequirement: 'required' | 'forbidden') => ({
  type,
  version: 1,
  displayName: type,
  description: 'bench',
  category: 'utility' as const,
  tags: [],
  properties: [],
  relationships: [{ name: 'success', description: 'out' }],
  inputRequirement,
});

interface Case {
  name: string;
  /** FlowFiles each trigger creates or takes. */
  batch: number;
}

async function engineRun(c: Case): Promise<number> {
  let generated = 0;
  let sunk = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const Source = defineProcessor({
    descriptor: descriptor('BenchSource', 'forbidden'),
    onTrigger(_ctx, session) {
      const n = Math.min(c.batch, TOTAL - generated);
      for (let i = 0; i < n; i++) {
        const ff = session.write(session.putAttribute(session.create(), 'sku', `SKU-${generated + i}`), `{"sku":"SKU-${generated + i}","stock":${i}}`);
        session.transfer(ff, 'success');
      }
      generated += n;
    },
  });
  const Pass = defineProcessor({
    descriptor: descriptor('BenchPass', 'required'),
    onTrigger(_ctx, session) {
      for (const ff of session.getBatch(c.batch)) session.transfer(session.putAttribute(ff, 'seen', 'yes'), 'success');
    },
  });
  const Sink = defineProcessor({
    descriptor: descriptor('BenchSink', 'required'),
    onTrigger(_ctx, session) {
      for (const ff of session.getBatch(c.batch)) {
        session.remove(ff);
        if (++sunk === TOTAL) finish();
      }
    },
  });
  const defs: Record<string, ProcessorDefinition> = { BenchSource: Source, BenchPass: Pass, BenchSink: Sink };
  const scheduling = { strategy: 'timer' as const, period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
  const graph: FlowGraph = {
    processors: [
      { id: 'src', type: 'BenchSource', name: 'Source', properties: {}, scheduling, autoTerminated: [] },
      { id: 'pass', type: 'BenchPass', name: 'Pass', properties: {}, scheduling, autoTerminated: [] },
      { id: 'sink', type: 'BenchSink', name: 'Sink', properties: {}, scheduling, autoTerminated: ['success'] },
    ],
    connections: [
      { id: 'a', sourceId: 'src', relationships: ['success'], targetId: 'pass', backPressureObjectThreshold: 10_000, backPressureDataSizeThreshold: '1 GB' },
      { id: 'b', sourceId: 'pass', relationships: ['success'], targetId: 'sink', backPressureObjectThreshold: 10_000, backPressureDataSizeThreshold: '1 GB' },
    ],
    parameters: {},
  };
  const { repository, content, store } = createInMemoryRepositories();
  const bulletins: string[] = [];
  const engine = new FlowEngine({
    flowId: 'bench',
    graph,
    registry: (type) => defs[type],
    repository,
    content,
    provenance: { record: () => undefined },
    events: { processorStateChanged: () => undefined, queueChanged: () => undefined, bulletin: (e) => void bulletins.push(e.message) },
    clock: realClock,
    services: () => ({}) as never,
  });
  await engine.initialize();
  const started = performance.now();
  engine.start();
  await Promise.race([
    finished,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`engine run did not finish: ${bulletins.join('; ') || `${sunk} of ${TOTAL} sunk`}`)), 120_000).unref()),
  ]);
  const ms = performance.now() - started;
  await engine.close();
  if (bulletins.length) throw new Error(`engine reported problems: ${bulletins.join('; ')}`);
  if (store.flow('bench').size !== 0) throw new Error(`${store.flow('bench').size} FlowFiles left in the repository`);
  return (TOTAL / ms) * 1000;
}

/**
 * The same work by hand: build each FlowFile with its content, store it, queue it; the pass-through takes
 * it, copies it with one more attribute and re-stores it; the sink takes it and deletes it.
 */
function baselineRun(c: Case): number {
  const repo = new Map<string, { flowFile: FlowFile; connectionId: string }>();
  const contents = new Map<string, Uint8Array>();
  const a: FlowFile[] = [];
  const b: FlowFile[] = [];
  let id = 0;
  let sunk = 0;
  const started = performance.now();
  let generated = 0;
  while (sunk < TOTAL) {
    const now = Date.now();
    const n = Math.min(c.batch, TOTAL - generated);
    for (let i = 0; i < n; i++) {
      const uuid = `id-${++id}`;
      const claim = `claim-${++id}`;
      const bytes = utf8(`{"sku":"SKU-${generated + i}","stock":${i}}`);
      contents.set(claim, bytes);
      const ff: FlowFile = { uuid, attributes: { uuid, filename: uuid, path: './', sku: `SKU-${generated + i}` }, contentClaim: claim, size: bytes.length, lineageStartDate: now, entryDate: now, parentUuids: [], penaltyExpiration: 0 };
      repo.set(uuid, { flowFile: ff, connectionId: 'a' });
      a.push(ff);
    }
    generated += n;
    for (let i = 0; i < c.batch && a.length; i++) {
      const ff = a.shift()!;
      const next: FlowFile = { ...ff, attributes: { ...ff.attributes, seen: 'yes' }, entryDate: now };
      repo.delete(ff.uuid);
      repo.set(next.uuid, { flowFile: next, connectionId: 'b' });
      b.push(next);
    }
    for (let i = 0; i < c.batch && b.length; i++) {
      const ff = b.shift()!;
      repo.delete(ff.uuid);
      sunk++;
    }
  }
  const ms = performance.now() - started;
  if (repo.size !== 0) throw new Error('baseline left FlowFiles behind');
  return (TOTAL / ms) * 1000;
}

const cases: Case[] = [
  { name: 'flow-core.engine', batch: 100 },
  { name: 'flow-core.engine-single', batch: 1 },
];

// Warm up both sides once so the JIT has seen every path.
for (const c of cases) {
  await engineRun(c);
  baselineRun(c);
}

const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} FlowFiles/s`;
const lines: string[] = [];
for (const c of cases) {
  let engine = 0;
  let baseline = 0;
  // Interleaved rounds, best of each, so load from other processes hits both alike.
  for (let r = 0; r < ROUNDS; r++) {
    engine = Math.max(engine, await engineRun(c));
    baseline = Math.max(baseline, baselineRun(c));
  }
  console.log(`${c.name} (${TOTAL} FlowFiles, ${c.batch} per session): engine ${fmt(engine)}, hand-written baseline ${fmt(baseline)}`);
  lines.push(`ratio ${c.name}: ${(baseline / engine).toFixed(2)}`);
}
for (const l of lines) console.log(l);
