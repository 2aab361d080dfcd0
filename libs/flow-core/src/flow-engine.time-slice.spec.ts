import { takeWhileSliceLasts } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { createHarness, graphConnection, graphProcessor, HoldingRepository, settle, specProcessor, TestClock } from './engine-harness.testing.js';
import { InMemoryStore } from './in-memory-repository.js';
import { MAX_TIMER_MS } from '@sluice/flow-api';
import { SLICE_BUDGET_MS, TimeSlice } from './time-slice.js';

/** A slice on a time the spec moves, whose turns of the event loop the spec grants one at a time. */
function manualSlice() {
  let now = 0;
  const pending: (() => void)[] = [];
  const slice = new TimeSlice({ now: () => now, nextTurn: (cb) => void pending.push(cb) });
  return {
    slice,
    spend: (ms: number) => void (now += ms),
    waiting: () => pending.length,
    /** Lets every turn asked for so far happen, then lets the microtasks they start run out. */
    async turn(): Promise<void> {
      for (const cb of pending.splice(0)) cb();
      await settle();
    },
  };
}

const TASK_MS = 5;

/** Takes one FlowFile per trigger and spends TASK_MS of the slice's time on it, as a slow synchronous rule does. */
function slowFlow(options: { runDuration?: string; spend: (ms: number) => void; slice: TimeSlice }) {
  let triggers = 0;
  const Slow = specProcessor(
    { type: 'Slow', inputRequirement: 'required', defaultRunDuration: '0 ms' },
    {
      onTrigger(_ctx, session) {
        const ff = session.get();
        if (!ff) return;
        triggers++;
        options.spend(TASK_MS);
        session.transfer(ff, 'success');
      },
    },
  );
  const Sink = specProcessor({ type: 'Sink', inputRequirement: 'required' }, { onTrigger: (_ctx, session) => session.getBatch(1000).forEach((ff) => session.remove(ff)) });
  const repository = new HoldingRepository(new InMemoryStore());
  const h = createHarness({
    graph: {
      processors: [graphProcessor('slow', 'Slow', { scheduling: options.runDuration ? { runDuration: options.runDuration } : {} }), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })],
      connections: [graphConnection('out', 'slow', 'sink')],
    },
    definitions: [Slow, Sink],
    repository,
    timeSlice: options.slice,
  });
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ attributes: { filename: `f${i}` }, content: '' }));
  return { h, repository, items, triggers: () => triggers, sunk: () => h.events.stats.filter((s) => s.processorId === 'sink').reduce((n, s) => Math.max(n, s.flowFilesIn), 0) };
}

describe('FlowEngine time slices', () => {
  it('hands the event loop back once the slice is spent, however many tasks are ready', async () => {
    const m = manualSlice();
    const f = slowFlow(m);
    await f.h.engine.enqueue('slow', f.items(60));
    f.h.engine.start();
    await settle();
    const perTurn: number[] = [];
    for (let seen = 0, turns = 0; f.triggers() < 60; turns++) {
      expect(turns).toBeLessThan(100);
      expect(m.waiting()).toBeGreaterThan(0);
      perTurn.push(f.triggers() - seen);
      seen = f.triggers();
      await m.turn();
    }
    perTurn.push(f.triggers() - perTurn.reduce((a, b) => a + b, 0));
    // Within one turn the work stops at the first task that starts after the budget: never more than it plus one.
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(SLICE_BUDGET_MS / TASK_MS + 1);
    expect(perTurn.filter((n) => n > 0).length).toBeGreaterThanOrEqual(60 / (SLICE_BUDGET_MS / TASK_MS + 1));
    while (m.waiting()) await m.turn();
    expect(f.sunk()).toBe(60);
    await f.h.engine.close();
  });

  it('chains cheap tasks through microtasks without waiting for a turn', async () => {
    const m = manualSlice();
    const f = slowFlow({ ...m, spend: () => undefined });
    await f.h.engine.enqueue('slow', f.items(500));
    f.h.engine.start();
    await settle();
    expect(f.triggers()).toBe(500);
    expect(f.sunk()).toBe(500);
    expect(m.waiting()).toBe(0);
    await f.h.engine.close();
  });

  it('lets the loop turn inside a run duration and still commits the whole batch once', async () => {
    const m = manualSlice();
    const f = slowFlow({ ...m, runDuration: '2 sec' });
    await f.h.engine.enqueue('slow', f.items(40));
    const before = f.repository.transactions.length;
    f.h.engine.start('slow');
    await settle();
    const first = f.triggers();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(SLICE_BUDGET_MS / TASK_MS + 1);
    // Between turns the session is still open: nothing committed downstream yet.
    expect(f.repository.transactions.length).toBe(before);
    let turns = 0;
    while (m.waiting()) {
      await m.turn();
      turns++;
    }
    expect(f.triggers()).toBe(40);
    expect(turns).toBeGreaterThanOrEqual(40 / (SLICE_BUDGET_MS / TASK_MS + 1) - 1);
    expect(f.repository.transactions.length - before).toBe(1);
    expect(f.h.engine.queue('out', 100).count).toBe(40);
    await f.h.engine.close();
  });

  it('gives a processor that takes a batch per trigger the slice, so it stops taking and the rest follow in order', async () => {
    const m = manualSlice();
    const perTrigger: number[] = [];
    const sunk: string[] = [];
    const Batch = specProcessor(
      { type: 'Batch', inputRequirement: 'required' },
      {
        onTrigger(ctx, session) {
          let n = 0;
          for (const ff of takeWhileSliceLasts(ctx, session, 100)) {
            n++;
            m.spend(TASK_MS);
            session.transfer(ff, 'success');
          }
          if (n) perTrigger.push(n);
        },
      },
    );
    const Sink = specProcessor({ type: 'Sink', inputRequirement: 'required' }, { onTrigger: (_ctx, session) => session.getBatch(1000).forEach((ff) => (sunk.push(ff.attributes['filename']!), session.remove(ff))) });
    const h = createHarness({
      graph: { processors: [graphProcessor('batch', 'Batch'), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })], connections: [graphConnection('out', 'batch', 'sink')] },
      definitions: [Batch, Sink],
      timeSlice: m.slice,
    });
    const names = Array.from({ length: 60 }, (_, i) => `f${i}`);
    await h.engine.enqueue('batch', names.map((filename) => ({ attributes: { filename }, content: '' })));
    h.engine.start();
    await settle();
    for (let turns = 0; m.waiting(); turns++) {
      expect(turns).toBeLessThan(100);
      await m.turn();
    }
    // A trigger takes FlowFiles while the slice lasts: the one that found it spent is left for the next trigger.
    expect(Math.max(...perTrigger)).toBeLessThanOrEqual(SLICE_BUDGET_MS / TASK_MS + 1);
    expect(perTrigger.reduce((a, b) => a + b, 0)).toBe(60);
    expect(sunk).toEqual(names);
    await h.engine.close();
  });

  it('ends a batch that waits for a turn when the processor stops, committing what it did', async () => {
    const m = manualSlice();
    const f = slowFlow({ ...m, runDuration: '2 sec' });
    await f.h.engine.enqueue('slow', f.items(40));
    f.h.engine.start('slow');
    await settle();
    const done = f.triggers();
    const stopped = f.h.engine.stop('slow');
    await m.turn();
    await stopped;
    expect(f.triggers()).toBe(done);
    expect(f.h.engine.queue('out', 100).count).toBe(done);
    expect(f.h.engine.queue('ingress:slow', 100).count).toBe(40 - done);
    await f.h.engine.close();
  });
});

/** A TestClock that records every delay it is asked for. */
class RecordingClock extends TestClock {
  readonly delays: number[] = [];
  override setTimeout(callback: () => void, ms: number): unknown {
    this.delays.push(ms);
    return super.setTimeout(callback, ms);
  }
}

const DAY = 86_400_000;

describe('FlowEngine timers beyond the longest timer delay', () => {
  function source(scheduling: { strategy: 'timer' | 'cron'; period: string }) {
    const clock = new RecordingClock();
    const runs: number[] = [];
    const Tick = specProcessor({ type: 'Tick', inputRequirement: 'forbidden' }, { onTrigger: (ctx, session) => void (runs.push(ctx.services.clock.now()), session.transfer(session.create(), 'success')) });
    const h = createHarness({ graph: { processors: [graphProcessor('tick', 'Tick', { autoTerminated: ['success'], scheduling })] }, definitions: [Tick], clock });
    return { h, clock, runs };
  }

  it('re-arms a timer period of 40 days on the way and triggers only when it is due', async () => {
    const { h, clock, runs } = source({ strategy: 'timer', period: '40 days' });
    const start = clock.now();
    h.engine.start('tick');
    await clock.advance(0);
    expect(runs).toEqual([start]);
    await clock.advance(40 * DAY - 1);
    expect(runs).toEqual([start]);
    await clock.advance(1);
    expect(runs).toEqual([start, start + 40 * DAY]);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    // Each 40 days are one capped timer, which fired early and re-armed without a trigger, and the rest.
    expect(clock.delays.filter((d) => d === MAX_TIMER_MS).length).toBe(2);
    await h.engine.close();
  });

  it('fires a yearly cron at its time, with no delay over the limit', async () => {
    const { h, clock, runs } = source({ strategy: 'cron', period: '0 0 0 1 1 ?' });
    h.engine.start('tick');
    await clock.advance(364 * DAY);
    expect(runs).toEqual([]);
    await clock.advance(DAY);
    expect(runs.map((t) => new Date(t).toISOString())).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(clock.delays.filter((d) => d === MAX_TIMER_MS).length).toBeGreaterThanOrEqual(14);
    await h.engine.close();
  });
});
