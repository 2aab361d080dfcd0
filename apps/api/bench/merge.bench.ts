/**
 * What one MergeContent or MergeRecord trigger costs while a bin holds a large queue: one FlowFile arrives per trigger
 * and nothing is merged yet (the minimums are above what is queued), with 1,000 and then 100,000 FlowFiles queued,
 * on the real session (TestRunner). A trigger should cost what arrived, not what waits, so the ratio of the two is
 * near 1. Also prints the triggers of the processor's first look at the 100,000 (each should stay well under the
 * 100 ms the event loop may be held; the slowest includes garbage collection).
 * Run: sh bench/run.sh bench/merge.bench.ts
 */
import { TestRunner } from '@sluice/flow-testing';
import { getControllerService, getProcessor } from '@sluice/processors';

const LARGE = Number(process.env['BENCH_MERGE_QUEUE'] ?? 100_000);
const SMALL = 1_000;
const SAMPLES = 40;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const keep = { stopOnFinish: false };

interface Case {
  readonly name: string;
  runner(): TestRunner;
  content(i: number): string;
}

const cases: Case[] = [
  {
    name: 'mergecontent',
    runner: () =>
      new TestRunner(getProcessor('MergeContent')!)
        .setProperty('Minimum Number of Entries', '1000000')
        .setProperty('Maximum Number of Entries', '1000000')
        .setProperty('Max Bin Age', '1 hour'),
    content: (i) => `line ${i}\n`,
  },
  {
    name: 'mergerecord',
    runner: () =>
      new TestRunner(getProcessor('MergeRecord')!)
        .addControllerService('reader', getControllerService('JsonTreeReader')!)
        .addControllerService('writer', getControllerService('JsonRecordSetWriter')!)
        .setProperty('Record Reader', 'reader')
        .setProperty('Record Writer', 'writer')
        .setProperty('Minimum Number of Records', '1000000')
        .setProperty('Maximum Number of Records', '1000000')
        .setProperty('Max Bin Age', '1 hour'),
    content: (i) => JSON.stringify([{ id: i, sku: `SKU-${i}` }]),
  },
];

async function measure(c: Case, queued: number): Promise<{ perTrigger: number; firstLook: number[] }> {
  const r = c.runner();
  for (let i = 0; i < queued; i++) r.enqueue(c.content(i));
  // The first looks: until a trigger finds nothing new, which bins what was queued.
  const firstLook: number[] = [];
  for (let n = 0; n < 200; n++) {
    const yields = r.yields;
    const t0 = performance.now();
    await r.run(1, keep);
    firstLook.push(performance.now() - t0);
    if (r.yields > yields) break;
  }
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    r.enqueue(c.content(queued + i));
    const t0 = performance.now();
    await r.run(1, keep);
    times.push(performance.now() - t0);
  }
  if (r.flowFilesFor('merged').length !== 0 || r.queueSize() !== queued + SAMPLES) throw new Error(`${c.name} merged or lost FlowFiles`);
  return { perTrigger: median(times), firstLook };
}

for (const c of cases) {
  await measure(c, SMALL);
  const small = await measure(c, SMALL);
  const large = await measure(c, LARGE);
  console.log(
    `${c.name}: one FlowFile per trigger, ${SMALL} queued ${small.perTrigger.toFixed(3)} ms/trigger, ${LARGE} queued ${large.perTrigger.toFixed(3)} ms/trigger ` +
      `(median of ${SAMPLES}); first look at ${LARGE}: ${large.firstLook.length} triggers, median ${median(large.firstLook).toFixed(1)} ms, slowest ${Math.max(...large.firstLook).toFixed(1)} ms`,
  );
  console.log(`ratio ${c.name}-trigger-${LARGE}-vs-${SMALL}-queued (ms/trigger): ${(large.perTrigger / small.perTrigger).toFixed(2)}`);
}
