import type { Clock } from '@sluice/flow-api';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

type Immediate = (callback: () => void) => void;
const setImmediateFn = (globalThis as unknown as { setImmediate?: Immediate }).setImmediate;
/** The next event-loop turn: setImmediate on Node (no minimum delay), a 0 ms timer elsewhere. */
const nextTurn: Immediate = setImmediateFn ? (cb) => setImmediateFn(cb) : (cb) => void globalThis.setTimeout(cb, 0);

/** Timers firing this many times in a row without time passing are a busy loop. */
const SAME_INSTANT_LIMIT = 10_000;

/**
 * Lets other pending promise chains (sessions, commits) settle before the next timer fires. A check
 * callback runs after every pending microtask, and unlike a 0 ms timer it costs no minimum delay.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => nextTurn(resolve));
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
    for (let sameInstant = 0; ; ) {
      let next: Timer | undefined;
      for (const t of this.timers) if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      if (!next) break;
      sameInstant = next.at > this.current ? 0 : sameInstant + 1;
      if (sameInstant > SAME_INSTANT_LIMIT) {
        throw new Error(`ManualClock.advance: timers fired ${SAME_INSTANT_LIMIT} times at ${new Date(this.current).toISOString()} without time passing (a 0 ms schedule?)`);
      }
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

/**
 * A ManualClock that moves `stepMs` forward each time it is read, as if the work between two reads took that long:
 * for specs on how work is shared out by time, without timers firing on the way.
 */
export class SteppingClock extends ManualClock {
  constructor(
    private readonly stepMs: number,
    start?: number,
  ) {
    super(start);
  }

  override now(): number {
    const t = super.now();
    this.set(t + this.stepMs);
    return t;
  }
}
