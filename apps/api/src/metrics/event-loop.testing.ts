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
  return {
    windows: value('sluice_event_loop_block_seconds_count'),
    blocksOver: over('sluice_event_loop_block_seconds'),
    stallsOver: over('sluice_event_loop_stall_seconds'),
    recentBlockMs: value('sluice_event_loop_block_recent_max_seconds') * 1000,
    recentStallMs: value('sluice_event_loop_stall_recent_max_seconds') * 1000,
  };
}
