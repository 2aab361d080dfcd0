import { SchedulerRegistry } from '@nestjs/schedule';
import { MAX_TIMER_MS } from '@sluice/flow-api';
import { CronSchedule } from '@sluice/flow-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { armAt, armEvery } from './schedule-timers.js';

const DAY = 86_400_000;

describe('flow schedule timers', () => {
  let registry: SchedulerRegistry;
  let delays: number[];
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 15, 12) });
    registry = new SchedulerRegistry();
    delays = [];
    const setTimeoutFn = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((cb: () => void, ms: number) => (delays.push(ms), setTimeoutFn(cb, ms))) as typeof setTimeout);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('runs a monthly cron at its fire times only, with no delay Node would overflow', () => {
    const runs: string[] = [];
    const schedule = new CronSchedule('0 0 1 * *', 'UTC');
    armAt(registry, 'monthly', schedule.next(Date.now()), () => schedule.next(Date.now()), () => runs.push(new Date().toISOString()));
    vi.advanceTimersByTime(17 * DAY);
    expect(runs).toEqual(['2026-02-01T00:00:00.000Z']);
    vi.advanceTimersByTime(60 * DAY);
    expect(runs).toEqual(['2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  it('runs a yearly cron once a year, re-arming on the way', () => {
    const runs: string[] = [];
    const schedule = new CronSchedule('0 0 1 1 *', 'UTC');
    armAt(registry, 'yearly', schedule.next(Date.now()), () => schedule.next(Date.now()), () => runs.push(new Date().toISOString()));
    vi.advanceTimersByTime(300 * DAY);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(100 * DAY);
    expect(runs).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(delays.filter((d) => d === MAX_TIMER_MS).length).toBeGreaterThanOrEqual(6);
  });

  it("runs an 'every 30 days' schedule every 30 days, and a short one as an interval", () => {
    const start = Date.now();
    const runs: number[] = [];
    armEvery(registry, 'every-30-days', 30 * DAY, () => runs.push(Date.now() - start));
    vi.advanceTimersByTime(30 * DAY - 1);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1 + 30 * DAY);
    expect(runs).toEqual([30 * DAY, 60 * DAY]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    let short = 0;
    armEvery(registry, 'every-5-min', 300_000, () => short++);
    expect(registry.getIntervals()).toContain('every-5-min');
    vi.advanceTimersByTime(900_000);
    expect(short).toBe(3);
  });

  it('stops once its timeout is deleted from the registry', () => {
    const runs: number[] = [];
    armEvery(registry, 'gone', 40 * DAY, () => runs.push(Date.now()));
    vi.advanceTimersByTime(10 * DAY);
    registry.deleteTimeout('gone');
    vi.advanceTimersByTime(100 * DAY);
    expect(runs).toEqual([]);
  });
});
