import { SLICE_BUDGET_MS } from '@sluice/flow-core';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest slice of work a large request runs before it hands the event loop back: the engine's budget. */
export const SLICE_MS = SLICE_BUDGET_MS;

/** Hands the event loop back: timers, I/O and other requests run before the caller goes on. */
export function yieldToLoop(): Promise<void> {
  return nextTurn();
}

/**
 * Runs a step generator (flow-core's graphIssueSteps, FlowEngine.build) to its end on the event loop, handing the
 * loop back whenever a slice has run for `sliceMs`, so checking or building a large flow never holds it for long.
 */
export async function inSlices<T>(steps: Generator<void, T>, sliceMs = SLICE_MS): Promise<T> {
  let due = performance.now() + sliceMs;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() >= due) {
      await yieldToLoop();
      due = performance.now() + sliceMs;
    }
  }
}
