import { BLOCK_BUCKETS_S } from './event-loop-monitor.js';

/** Reading the server's own event-loop figures from GET /api/metrics (for specs and benchmarks). */
export interface EventLoopFigures {
  /** 500 ms windows observed so far. */
  readonly windows: number;
  /** Windows whose longest block (held by the server's own work) passed `seconds`, a bucket bound. */
  readonly blocksOver: (seconds: number) => number;
  readonly stallsOver: (seconds: number) => number;
  /** Longest block and stall in the last 30 s, in ms. */
  readonly recentBlockMs: number;
  readonly recentStallMs: number;
  /** Cumulative count of windows per block bucket bound (seconds), in bound order. */
  readonly blockBuckets: ReadonlyMap<number, number>;
}

/**
 * The worst block between two readings, as the bucket bound it falls under (ms): the smallest bound no new window
 * passed. Infinity when a window passed the largest bound.
 */
export function worstBlockBetween(before: EventLoopFigures, after: EventLoopFigures): number {
  const windows = after.windows - before.windows;
  for (const [bound, count] of after.blockBuckets) {
    if (count - (before.blockBuckets.get(bound) ?? 0) === windows) return bound * 1000;
  }
  return Number.POSITIVE_INFINITY;
}

export async function eventLoopFigures(url: string, token: string): Promise<EventLoopFigures> {
  const res = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`metrics answered ${res.status}`);
  const text = await res.text();
  const value = (name: string) => {
    const m = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
    if (!m) throw new Error(`no ${name} in the metrics`);
    return Number(m[1]);
  };
  const over = (histogram: string) => (seconds: number) => {
    const m = new RegExp(`^${histogram}_bucket\\{le="${seconds}"\\} (\\d+)$`, 'm').exec(text);
    if (!m) throw new Error(`no bucket le=${seconds} in ${histogram}`);
    return value(`${histogram}_count`) - Number(m[1]);
  };
  const blockBuckets = new Map<number, number>();
  for (const m of text.matchAll(/^sluice_event_loop_block_seconds_bucket\{le="([0-9.e+-]+)"\} (\d+)$/gm)) blockBuckets.set(Number(m[1]), Number(m[2]));
  return {
    blockBuckets,
    windows: value('sluice_event_loop_block_seconds_count'),
    blocksOver: over('sluice_event_loop_block_seconds'),
    stallsOver: over('sluice_event_loop_stall_seconds'),
    recentBlockMs: value('sluice_event_loop_block_recent_max_seconds') * 1000,
    recentStallMs: value('sluice_event_loop_stall_recent_max_seconds') * 1000,
  };
}

/**
 * CPU time (ms) the reference job below takes on the machine the event-loop limits were set for. A slower machine, or
 * one whose cores are shared with busier processes, spends longer on the same work, and so does the server's loop.
 */
export const REFERENCE_JOB_CPU_MS = 8;

/** A document of the size and shape a server handles often (about 600 KB of JSON). */
const referenceText = JSON.stringify(
  Array.from({ length: 4000 }, (_, i) => ({ id: `p${i}`, type: 'UpdateAttribute', name: `Processor ${i}`, position: { x: i % 100, y: Math.floor(i / 100) }, properties: { step: String(i), note: 'n'.repeat(i % 40) } })),
);

const WARM_UP = 20;

/**
 * This machine's CPU time (ms) for the reference job, parsing and writing back that document: a median of `rounds`.
 * The loop turns between rounds, so a server in this process is never held longer than one round.
 */
export async function referenceJobCpuMs(rounds = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds + WARM_UP; i++) {
    const before = process.cpuUsage();
    JSON.stringify(JSON.parse(referenceText));
    const spent = process.cpuUsage(before);
    // The first rounds compile the code and let the young generation grow to its size under this load.
    if (i >= WARM_UP) times.push((spent.user + spent.system) / 1000);
    await new Promise((r) => setImmediate(r));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export interface BlockLimit {
  /** The limit to check against, a bound of the server's block histogram (for `blocksOver`). */
  readonly seconds: number;
  /** How much slower than the reference this machine ran the job (at least 1). */
  readonly factor: number;
  /** The limit and how it was reached, for assertion messages. */
  readonly text: string;
}

/**
 * An event-loop limit on a machine that spends `jobCpuMs` on the reference job: `limitMs` where the job takes
 * REFERENCE_JOB_CPU_MS, scaled by the machine's time for it (never below `limitMs`), then rounded down to a bound of
 * the server's histogram, so it is never looser than the scaled limit.
 */
export function scaledLimit(limitMs: number, jobCpuMs: number): BlockLimit {
  const factor = Math.max(1, jobCpuMs / REFERENCE_JOB_CPU_MS);
  const scaled = (limitMs * factor) / 1000;
  const floor = Math.max(...BLOCK_BUCKETS_S.filter((b) => b <= limitMs / 1000));
  const seconds = Math.max(floor, ...BLOCK_BUCKETS_S.filter((b) => b <= scaled + 1e-9));
  const text = `limit ${(seconds * 1000).toFixed(0)} ms (${limitMs} ms × ${factor.toFixed(2)}: the reference job took ${jobCpuMs.toFixed(1)} ms of CPU against ${REFERENCE_JOB_CPU_MS})`;
  return { seconds, factor, text };
}

/** `limitMs` scaled to this machine's speed, measured now (a shared machine's varies from minute to minute). */
async function blockLimit(limitMs: number): Promise<BlockLimit> {
  return scaledLimit(limitMs, await referenceJobCpuMs());
}

export interface BlockMeasurement {
  /** The figures around the last run. */
  readonly before: EventLoopFigures;
  readonly after: EventLoopFigures;
  readonly limit: BlockLimit;
  /** Windows whose block passed the limit in the last run: 0 when the limit held. */
  readonly over: number;
  /** Each run's worst window and the limit in force, for assertion messages. */
  readonly text: string;
}

/**
 * Runs `phase` between two readings of the server's own figures and counts the windows whose block passed `limitMs`,
 * scaled to this machine (blockLimit). When some did, the phase runs again, up to `runs` times: a step that holds the
 * loop holds it on every run, while a collection that waited for helper threads kept off the CPU, or a slice of CPU
 * the host took back, seldom comes twice. `phase` must close its last window before it returns (about 700 ms) and
 * make whatever other assertions it has on each run; `prepare`, run before each measurement, is not measured.
 */
export async function measureBlocks(
  server: { url: string; token: string },
  limitMs: number,
  phase: (run: number) => Promise<void>,
  prepare?: (run: number) => Promise<void>,
  runs = 2,
): Promise<BlockMeasurement> {
  const lines: string[] = [];
  for (let run = 1; ; run++) {
    await prepare?.(run);
    const limit = await blockLimit(limitMs);
    const before = await eventLoopFigures(server.url, server.token);
    await phase(run);
    const after = await eventLoopFigures(server.url, server.token);
    const over = after.blocksOver(limit.seconds) - before.blocksOver(limit.seconds);
    lines.push(`run ${run}: ${over} window(s) over the limit, worst under ${worstBlockBetween(before, after)} ms; ${limit.text}`);
    if (over === 0 || run >= runs) return { before, after, limit, over, text: lines.join('; ') };
  }
}
