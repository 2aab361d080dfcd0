import { MAX_TIMER_MS } from '@sluice/flow-api';

/** A timeout of any length: a handle for clearLongTimeout. */
export interface LongTimeout {
  timer: NodeJS.Timeout | null;
}

/**
 * Calls `callback` after `ms`, in steps of at most MAX_TIMER_MS, so a delay of weeks fires when it is due (Node
 * overflows a longer one to 1 ms and fires it at once).
 */
export function setLongTimeout(callback: () => void, ms: number): LongTimeout {
  const handle: LongTimeout = { timer: null };
  const arm = (rest: number) => {
    const step = Math.min(Math.max(0, rest), MAX_TIMER_MS);
    handle.timer = setTimeout(() => {
      if (rest > step) arm(rest - step);
      else {
        handle.timer = null;
        callback();
      }
    }, step);
  };
  arm(ms);
  return handle;
}

/** Like clearTimeout, it takes a missing handle too. */
export function clearLongTimeout(handle: LongTimeout | null | undefined): void {
  if (!handle) return;
  if (handle.timer) clearTimeout(handle.timer);
  handle.timer = null;
}
