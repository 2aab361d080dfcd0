import type { SchedulerRegistry } from '@nestjs/schedule';
import { MAX_TIMER_MS } from '@sluice/flow-api';

/**
 * Fires `run` at `at` and then at each time `following` gives after it, one timeout at a time registered under
 * `name`, until that timeout is deleted. Node's timers hold at most ~24.8 days; a later time re-arms on the way.
 */
export function armAt(registry: SchedulerRegistry, name: string, at: number | null, following: (after: number) => number | null, run: () => void): void {
  if (at === null) return;
  const handle = setTimeout(() => {
    if (!registry.doesExist('timeout', name)) return;
    registry.deleteTimeout(name);
    if (Date.now() < at) {
      armAt(registry, name, at, following, run);
      return;
    }
    run();
    armAt(registry, name, following(at), following, run);
  }, Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS));
  registry.addTimeout(name, handle);
}

/** Every `ms`: an interval while Node's timers hold the period, re-armed timeouts for a longer one (`30 days`). */
export function armEvery(registry: SchedulerRegistry, name: string, ms: number, run: () => void): void {
  if (ms <= MAX_TIMER_MS) registry.addInterval(name, setInterval(run, ms));
  else armAt(registry, name, Date.now() + ms, (after) => Math.max(after + ms, Date.now()), run);
}
