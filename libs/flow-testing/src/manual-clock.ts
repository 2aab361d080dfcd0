import type { Clock } from '@sluice/flow-api';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** Lets other pending promise chains (sessions, commits) settle before the next timer fires. */
export function settle(): Promise<void> {
  return new Promise((resolve) => globalThis.setTimeout(resolve, 0));
}

/** A clock that moves only when a test says so. Timers fire in time order during `advance`. */
export class ManualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers waiting to fire. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** When the next timer fires, or null. */
  nextTimerAt(): number | null {
    return this.timers.reduce<number | null>((min, t) => (min === null || t.at < min ? t.at : min), null);
  }

  /**
   * Moves time forward by `ms`, firing due timers in order and letting the work they start settle
   * between them. Throws when timers keep re-arming at the same instant (a busy loop).
   */
  async advance(ms = 0): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (let fired = 0; ; fired++) {
      if (fired > 100_000) throw new Error('ManualClock.advance: timers keep firing without time passing (a 0 ms schedule?)');
      let next: Timer | undefined;
      for (const t of this.timers) if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.at);
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Sets the time without firing anything (for tests that start at a given instant). */
  set(time: number): void {
    this.current = time;
  }
}
