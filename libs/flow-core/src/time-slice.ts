import type { Clock } from '@sluice/flow-api';

/**
 * How long the engine's work may hold the event loop before it hands the loop back. Well under the server's 100 ms
 * rule, so that one slow task on top of a spent slice still stays under it.
 */
export const SLICE_BUDGET_MS = 15;

/** A clock that does not move (a test's) must not let work chain forever: past this many pieces a turn is taken. */
const MAX_CHAINED = 5000;

export interface TimeSliceOptions {
  /** Milliseconds on a monotonic source (`performance.now` on the host). */
  now(): number;
  /** Runs the callback on a later turn of the event loop, once pending I/O had its turn. */
  nextTurn(callback: () => void): void;
  /**
   * Runs the callback once the current turn ended, without counting as a timer (setImmediate on Node): the slice
   * then learns that a turn passed without work of its own, so a burst after a pause starts a fresh slice instead
   * of first waiting for a turn. Without it, only the slice's own turns and the engine's timers are known.
   */
  markTurn?(callback: () => void): void;
  budgetMs?: number;
}

/**
 * The engine's share of one turn of the event loop. Work chains through microtasks (no I/O in between) while the
 * time since the last turn the slice knows of is under the budget; then it waits for the next turn. A host shares
 * one slice between all its engines, so busy flows together stay within one budget per turn.
 */
export class TimeSlice {
  private readonly budgetMs: number;
  /** When the engine's work in this turn began; null until some work is chained after a turn. */
  private start: number | null = null;
  private chained = 0;
  private marking = false;

  constructor(private readonly options: TimeSliceOptions) {
    this.budgetMs = options.budgetMs ?? SLICE_BUDGET_MS;
  }

  /** A slice on the engine's clock: its time, a 0 ms timer for a turn, and setImmediate, where there is one, to mark turns. */
  static onClock(clock: Clock, budgetMs?: number): TimeSlice {
    const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
    return new TimeSlice({
      now: () => clock.now(),
      nextTurn: (cb) => void clock.setTimeout(cb, 0),
      markTurn: immediate ? (cb) => void immediate(cb) : undefined,
      budgetMs,
    });
  }

  /** Counts one more piece of work in this turn; false when the slice is spent and the caller must take a turn. */
  tryChain(): boolean {
    const now = this.options.now();
    if (this.start === null) {
      this.start = now;
      this.chained = 0;
      this.markTurn();
    } else if (now - this.start >= this.budgetMs || this.chained >= MAX_CHAINED) {
      return false;
    }
    this.chained++;
    return true;
  }

  /**
   * Whether this turn's slice is spent, without counting a piece of work: for a task that checks between its own
   * steps. Work after a turn starts a fresh slice here, as `tryChain` does.
   */
  spent(): boolean {
    if (this.start === null) {
      this.start = this.options.now();
      this.chained = 0;
      this.markTurn();
      return false;
    }
    return this.options.now() - this.start >= this.budgetMs;
  }

  /** A new turn of the event loop began (a timer fired): work from here on counts towards a fresh slice. */
  turned(): void {
    this.start = null;
  }

  /** Runs `callback` on a later turn, where a new slice begins. */
  nextTurn(callback: () => void): void {
    this.options.nextTurn(() => {
      this.turned();
      callback();
    });
  }

  /** Resolves on a later turn, where a new slice begins. */
  yield(): Promise<void> {
    return new Promise((resolve) => this.nextTurn(resolve));
  }

  private markTurn(): void {
    const mark = this.options.markTurn;
    if (!mark || this.marking) return;
    this.marking = true;
    mark(() => {
      this.marking = false;
      this.turned();
    });
  }
}
