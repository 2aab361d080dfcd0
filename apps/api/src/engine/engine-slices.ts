import type { FlowEngine } from '@sluice/flow-core';
import { SLICE_MS, yieldToLoop } from '../common/slices.js';

/**
 * Starts `ids` on `engine` while `current` holds (a rebuild replaces the engine), handing the event loop back whenever
 * a slice is spent: each start is announced to every socket.
 */
export async function startInSlices(engine: FlowEngine, ids: Iterable<string>, current: () => boolean): Promise<void> {
  let due = performance.now() + SLICE_MS;
  for (const id of ids) {
    if (!current()) return;
    engine.start(id);
    if (performance.now() >= due) {
      await yieldToLoop();
      due = performance.now() + SLICE_MS;
    }
  }
}

/**
 * Stops every processor of `engine`, handing the event loop back whenever a slice is spent, then waits for them
 * all: each stop tells the designer, and a flow at FLOW_LIMITS stopped in one go held the loop for over 100 ms.
 */
export async function stopInSlices(engine: FlowEngine): Promise<void> {
  const stopping: Promise<void>[] = [];
  let due = performance.now() + SLICE_MS;
  for (const { id } of engine.status().processors) {
    stopping.push(engine.stop(id));
    if (performance.now() >= due) {
      await yieldToLoop();
      due = performance.now() + SLICE_MS;
    }
  }
  await Promise.all(stopping);
}
