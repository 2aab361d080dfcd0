/**
 * The server's regex workers: how long a job over 1 MB takes in a fresh and in a warm worker, and what receiving its
 * answer costs the event loop as typed arrays and one string (what the workers send) against plain match objects
 * (what the job answers in process), for a quarter of a million matches of 1 MB and for 100 000 lines.
 * Run after building apps/api: sh bench/run.sh bench/regex-workers.bench.ts
 */
import { runJavaRegexJob } from '@sluice/expression';
import type { RegexJob } from '@sluice/flow-api';
import { deserialize, serialize } from 'node:v8';
import type { AppConfig } from '../src/config/app-config.js';
import { encodeResults } from '../src/engine/regex-wire.js';
import { RegexWorkers } from '../src/engine/regex-workers.js';

const lines = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? `k${i}: v` : `x${i}`));
const jobs: [string, RegexJob][] = [
  ['findAll over 1 MB', { pattern: '(\\w+\\s?)+', operation: 'findAll', texts: ['ab1,'.repeat(262_144)] }],
  ['matches of 100 000 lines', { pattern: '(?<key>\\w+)(:)?(?: (\\w)+)?', operation: 'matches', texts: lines }],
];

/** The best of five: the time V8 takes to rebuild the value, as a worker's message is rebuilt on the receiving thread. */
function receiveMs(value: unknown): number {
  const bytes = serialize(value);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    deserialize(bytes);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

for (const [name, job] of jobs) {
  const results = runJavaRegexJob(job, { unbounded: true });
  const wire = receiveMs(encodeResults(results));
  const objects = receiveMs(results);
  console.log(`regex answer, ${name}: received in ${wire.toFixed(1)} ms as the workers send it, ${objects.toFixed(1)} ms as match objects`);
  console.log(`ratio regex-wire-receive ${name}: ${(wire / objects).toFixed(3)}`);
}

const workers = new RegexWorkers({ regexTimeoutMs: 60_000 } as AppConfig);
try {
  const replace: RegexJob = { pattern: '(\\w+\\s?)+', operation: 'replaceAll', texts: ['ab1,'.repeat(262_144)], replacement: '<$1>' };
  const ms: number[] = [];
  // The same text again, as a FlowFile retried or a copy of it: the engine must not compare it character by character per match.
  for (const run of ['fresh', 'warm', 'warm']) {
    const t = performance.now();
    await workers.run({ ...replace, texts: [replace.texts[0]!.slice(0)] });
    ms.push(performance.now() - t);
    console.log(`regex job, replaceAll over 1 MB in a ${run} worker: ${ms.at(-1)!.toFixed(0)} ms`);
  }
  console.log(`ratio regex-worker warm/fresh: ${(ms[2]! / ms[0]!).toFixed(2)}`);
} finally {
  await workers.onApplicationShutdown();
}
