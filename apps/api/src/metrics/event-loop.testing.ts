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
