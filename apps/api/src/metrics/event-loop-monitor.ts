import { readFileSync } from 'node:fs';
import { Gauge, Histogram, type Registry } from 'prom-client';

/** The sampler's interval: a block shorter than this is not seen. */
const TICK_MS = 10;
/** Each window's longest block is one observation of the histograms. */
const WINDOW_MS = 500;
/** The "recent" gauges cover this many seconds of windows. */
export const RECENT_WINDOW_S = 30;
/** Histogram bounds (seconds); fine around 100 ms, the limit requests are held to. */
export const BLOCK_BUCKETS_S = [0.01, 0.02, 0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * How long the event loop went without turning, measured inside the server by a timer that records how late it
 * fires. Two figures per delay: the stall (the whole delay, what a client waits) and the block, the stall less the
 * time the main thread sat runnable waiting for a CPU (Linux's schedstat), i.e. the time this process's own work
 * held the loop. On a machine shared with busier processes the stall grows while the block does not.
 */
export class EventLoopMonitor {
  private readonly timer: NodeJS.Timeout;
  private last = performance.now();
  private lastWaitNs = runQueueWaitNs();
  private window = { block: 0, stall: 0, started: this.last };
  private readonly recent: { block: number; stall: number }[] = [];
  private maxBlock = 0;

  constructor(registry: Registry) {
    const blocks = new Histogram({ name: 'sluice_event_loop_block_seconds', help: `Longest event-loop block held by this process in each ${WINDOW_MS} ms window (stall less CPU wait)`, buckets: BLOCK_BUCKETS_S, registers: [registry] });
    const stalls = new Histogram({ name: 'sluice_event_loop_stall_seconds', help: `Longest event-loop stall (the whole delay) in each ${WINDOW_MS} ms window`, buckets: BLOCK_BUCKETS_S, registers: [registry] });
    const max = new Gauge({ name: 'sluice_event_loop_block_max_seconds', help: 'Longest event-loop block since the server started', registers: [registry] });
    const recentBlock = new Gauge({ name: 'sluice_event_loop_block_recent_max_seconds', help: `Longest event-loop block in the last ${RECENT_WINDOW_S} s`, registers: [registry] });
    const recentStall = new Gauge({ name: 'sluice_event_loop_stall_recent_max_seconds', help: `Longest event-loop stall in the last ${RECENT_WINDOW_S} s`, registers: [registry] });
    this.timer = setInterval(() => {
      const now = performance.now();
      const waitNs = runQueueWaitNs();
      const stall = Math.max(0, now - this.last - TICK_MS);
      const waited = waitNs === null || this.lastWaitNs === null ? 0 : (waitNs - this.lastWaitNs) / 1e6;
      const block = Math.max(0, stall - waited);
      this.last = now;
      this.lastWaitNs = waitNs;
      this.window.block = Math.max(this.window.block, block);
      this.window.stall = Math.max(this.window.stall, stall);
      if (now - this.window.started < WINDOW_MS) return;
      const w = { block: this.window.block / 1000, stall: this.window.stall / 1000 };
      this.window = { block: 0, stall: 0, started: now };
      blocks.observe(w.block);
      stalls.observe(w.stall);
      this.maxBlock = Math.max(this.maxBlock, w.block);
      max.set(this.maxBlock);
      this.recent.push(w);
      if (this.recent.length > (RECENT_WINDOW_S * 1000) / WINDOW_MS) this.recent.shift();
      recentBlock.set(Math.max(...this.recent.map((r) => r.block)));
      recentStall.set(Math.max(...this.recent.map((r) => r.stall)));
    }, TICK_MS);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }
}

let schedstat = process.platform === 'linux';

/** Nanoseconds the calling (main) thread has spent runnable but waiting for a CPU; null where unknown. */
function runQueueWaitNs(): number | null {
  if (!schedstat) return null;
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[1]);
  } catch {
    schedstat = false;
    return null;
  }
}
