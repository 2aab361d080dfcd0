import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, deferred, graphConnection, graphProcessor, settle, specProcessor, type Deferred, type Harness } from './engine-harness.testing.js';
import { FlowEngineError } from './flow-engine-types.js';
import { build, gatedBehaviour, items, names, passThrough, probe, resetProbe, workFlow, Sink } from './flow-engine.fixtures.testing.js';
import type { GraphConnection } from './flow-graph.js';

beforeEach(resetProbe);

describe('FlowEngine back pressure', () => {
  function genFlow(connection: Partial<GraphConnection>): Harness {
    return build(
      [graphProcessor('gen', 'Gen', { scheduling: { period: '1 sec' } }), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })],
      [graphConnection('c', 'gen', 'sink', connection)],
    );
  }

  it('stops scheduling the upstream processor at the object threshold and resumes when the queue drains', async () => {
    const h = genFlow({ backPressureObjectThreshold: 5 });
    h.engine.start('gen');
    await h.clock.advance(0);
    await h.clock.advance(60_000);
    expect(probe.genTimes).toHaveLength(5);
    expect(h.engine.queue('c').count).toBe(5);
    expect(h.engine.status().connections.find((c) => c.id === 'c')!.fill).toBe(1);
    await h.engine.runOnce('sink');
    await settle();
    expect(probe.genTimes).toHaveLength(6);
    expect(probe.genTimes[5]).toBe(h.clock.now());
    await h.clock.advance(2_000);
    expect(probe.genTimes).toHaveLength(8);
    expect(h.engine.queue('c').count).toBe(3);
    await h.engine.close();
  });

  it('stops scheduling the upstream processor at the data size threshold', async () => {
    const h = genFlow({ backPressureDataSizeThreshold: '25 B' });
    h.engine.start('gen');
    await h.clock.advance(60_000);
    expect(probe.genTimes).toHaveLength(3);
    expect(h.engine.queue('c').bytes).toBe(30);
    await h.engine.emptyQueue('c');
    await settle();
    expect(probe.genTimes).toHaveLength(4);
    await h.engine.close();
  });

  it('counts FlowFiles in flight downstream until their session commits', async () => {
    const h = build(
      [graphProcessor('gen', 'Gen', { scheduling: { period: '1 sec' } }), graphProcessor('work', 'Work'), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })],
      [graphConnection('c', 'gen', 'work', { backPressureObjectThreshold: 2 }), graphConnection('out', 'work', 'sink')],
    );
    const { gates } = gatedBehaviour();
    h.engine.start('gen');
    h.engine.start('work');
    await h.clock.advance(10_000);
    // work holds one FlowFile in flight; gen stops at 2 (1 queued + 1 in flight).
    expect(gates).toHaveLength(1);
    expect(h.engine.queue('c').count).toBe(1);
    expect(probe.genTimes).toHaveLength(2);
    gates[0]!.resolve();
    await h.clock.advance(0);
    expect(probe.genTimes).toHaveLength(3);
    for (const g of gates) g.resolve();
    await h.engine.close();
  });
});

describe('FlowEngine scheduling', () => {
  it('triggers a timer-driven source once per period', async () => {
    const h = build([graphProcessor('gen', 'Gen', { autoTerminated: ['success'], scheduling: { period: '10 sec' } })], []);
    const t0 = h.clock.now();
    h.engine.start('gen');
    await h.clock.advance(35_000);
    expect(probe.genTimes.map((t) => t - t0)).toEqual([0, 10_000, 20_000, 30_000]);
    await h.engine.stop('gen');
    await h.clock.advance(60_000);
    expect(probe.genTimes).toHaveLength(4);
  });

  it('re-triggers a 0 sec source that produced FlowFiles without waiting for a clock turn', async () => {
    const h = build(
      [graphProcessor('gen', 'Gen'), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })],
      [graphConnection('c', 'gen', 'sink', { backPressureObjectThreshold: 50 })],
    );
    h.engine.start('gen');
    for (let i = 0; i < 5; i++) await settle();
    expect(probe.genTimes).toHaveLength(50);
    expect(h.engine.queue('c').count).toBe(50);
    await h.engine.close();
  });

  it('wake() ends a yield: a source that yielded runs again at once, not after its yield duration', async () => {
    let runs = 0;
    let ctx: import('@sluice/flow-api').ProcessContext | null = null;
    const Listener = specProcessor({ type: 'Listener', inputRequirement: 'forbidden' }, {
      onTrigger: (c) => {
        runs++;
        ctx = c;
        c.yield();
      },
    });
    const h = createHarness({ graph: { processors: [graphProcessor('l', 'Listener', { autoTerminated: ['success'], scheduling: { yieldDuration: '10 sec' } })] }, definitions: [Listener] });
    h.engine.start('l');
    for (let i = 0; i < 5; i++) await settle();
    expect(runs).toBe(1);
    await h.clock.advance(1_000);
    expect(runs).toBe(1);
    ctx!.wake();
    for (let i = 0; i < 5; i++) await settle();
    expect(runs).toBe(2);
    await h.engine.stop('l');
    ctx!.wake();
    for (let i = 0; i < 5; i++) await settle();
    expect(runs).toBe(2);
    await h.engine.close();
  });

  it('waits for a clock turn before re-triggering a 0 sec source that found nothing to do', async () => {
    let runs = 0;
    const Idle = specProcessor({ type: 'Idle', inputRequirement: 'forbidden' }, { onTrigger: () => void runs++ });
    const h = createHarness({ graph: { processors: [graphProcessor('idle', 'Idle', { autoTerminated: ['success'] })] }, definitions: [Idle] });
    h.engine.start('idle');
    for (let i = 0; i < 5; i++) await settle();
    expect(runs).toBe(1);
    expect(h.clock.pendingTimers).toBe(1);
    await h.clock.tick();
    expect(runs).toBe(2);
    expect(h.clock.pendingTimers).toBe(1);
    await h.engine.close();
  });

  it('triggers a cron-driven source at each fire time (Quartz fields)', async () => {
    const h = build([graphProcessor('gen', 'Gen', { autoTerminated: ['success'], scheduling: { strategy: 'cron', period: '0 */15 * * * ?' } })], []);
    h.engine.start('gen');
    await h.clock.advance(3_600_000);
    expect(probe.genTimes.map((t) => new Date(t).toISOString().slice(11, 19))).toEqual(['00:15:00', '00:30:00', '00:45:00', '01:00:00']);
    await h.engine.close();
  });

  it('runs an event-driven processor only when work arrives, with no timers meanwhile', async () => {
    const h = workFlow({ scheduling: { strategy: 'event', period: '0 sec' } });
    let runs = 0;
    probe.behaviour = (ctx, session) => {
      runs++;
      passThrough(ctx, session);
    };
    h.engine.start('work');
    await h.clock.advance(60_000);
    expect(runs).toBe(0);
    expect(h.clock.pendingTimers).toBe(0);
    await h.engine.enqueue('work', items('a', 'b'));
    await h.clock.advance(0);
    expect(runs).toBe(2);
    expect(names(h, 'out')).toEqual(['a', 'b']);
    await h.engine.close();
  });

  it('honours a timer period for a processor with input', async () => {
    const h = workFlow({ scheduling: { period: '5 sec' } });
    h.engine.start('work');
    await h.engine.enqueue('work', items('a', 'b', 'c'));
    await h.clock.advance(0);
    expect(names(h, 'out')).toEqual(['a']);
    await h.clock.advance(5_000);
    expect(names(h, 'out')).toEqual(['a', 'b']);
    await h.clock.advance(5_000);
    expect(names(h, 'out')).toEqual(['a', 'b', 'c']);
    await h.engine.close();
  });

  it('does not trigger a yielding processor again before the yield duration', async () => {
    probe.genYields = true;
    const h = build([graphProcessor('gen', 'Gen', { autoTerminated: ['success'], scheduling: { period: '0 sec', yieldDuration: '5 sec' } })], []);
    const t0 = h.clock.now();
    h.engine.start('gen');
    await h.clock.advance(12_000);
    expect(probe.genTimes.map((t) => t - t0)).toEqual([0, 5_000, 10_000]);
    await h.engine.close();
  });

  it('runs at most concurrentTasks tasks at once', async () => {
    const h = workFlow({ scheduling: { concurrentTasks: 2 } });
    const { gates } = gatedBehaviour();
    await h.engine.enqueue('work', items('a', 'b', 'c', 'd', 'e'));
    h.engine.start('work');
    await h.clock.advance(0);
    expect(gates).toHaveLength(2);
    expect(h.engine.status().processors.find((p) => p.id === 'work')!.activeTasks).toBe(2);
    gates[0]!.resolve();
    await h.clock.advance(0);
    expect(gates).toHaveLength(3);
    for (let i = 1; i < 5; i++) {
      gates[i]!.resolve();
      await h.clock.advance(0);
    }
    expect(probe.maxActive).toBe(2);
    expect(names(h, 'out').sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    await h.engine.close();
  });

  it('runs a processor that triggers serially one task at a time, whatever concurrentTasks says', async () => {
    const h = workFlow({ scheduling: { concurrentTasks: 4 } }, { type: 'Serial' });
    const { gates } = gatedBehaviour();
    await h.engine.enqueue('work', items('a', 'b', 'c'));
    h.engine.start('work');
    await h.clock.advance(0);
    expect(gates).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      gates[i]!.resolve();
      await h.clock.advance(0);
    }
    expect(probe.maxActive).toBe(1);
    expect(names(h, 'out')).toEqual(['a', 'b', 'c']);
    await h.engine.close();
  });

  it('stop waits for running tasks to finish their sessions and starts no new ones', async () => {
    const h = workFlow({ scheduling: { concurrentTasks: 2 } });
    const { gates } = gatedBehaviour();
    await h.engine.enqueue('work', items('a', 'b', 'c'));
    h.engine.start('work');
    await h.clock.advance(0);
    let stopped = false;
    const stopping = h.engine.stop('work').then(() => (stopped = true));
    await h.clock.advance(1_000);
    expect(stopped).toBe(false);
    gates[0]!.resolve();
    await h.clock.advance(0);
    expect(stopped).toBe(false);
    gates[1]!.resolve();
    await stopping;
    expect(names(h, 'out').sort()).toEqual(['a', 'b']);
    expect(names(h, 'ingress:work')).toEqual(['c']);
    expect(gates).toHaveLength(2);
    expect(h.engine.status().processors.find((p) => p.id === 'work')).toMatchObject({ state: 'stopped', activeTasks: 0 });
    expect(h.events.states.filter((s) => s.processorId === 'work').map((s) => s.state)).toEqual(['running', 'stopped']);
  });

  it('a start during a stop takes effect after onStopped, never before it', async () => {
    const lifecycle: string[] = [];
    const gates: Deferred<void>[] = [];
    const Life = specProcessor(
      { type: 'Life', inputRequirement: 'required' },
      {
        onScheduled: () => void lifecycle.push('scheduled'),
        onStopped: () => void lifecycle.push('stopped'),
        async onTrigger(_ctx, session) {
          const ff = session.get();
          if (!ff) return;
          const gate = deferred();
          gates.push(gate);
          lifecycle.push('trigger');
          await gate.promise;
          session.transfer(ff, 'success');
        },
      },
    );
    const h = createHarness({
      graph: { processors: [graphProcessor('life', 'Life'), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })], connections: [graphConnection('out', 'life', 'sink')] },
      definitions: [Life, Sink],
    });
    await h.engine.enqueue('life', items('a', 'b'));
    h.engine.start('life');
    await h.clock.advance(0);
    const stopping = h.engine.stop('life');
    h.engine.start('life');
    await h.clock.advance(0);
    expect(lifecycle).toEqual(['scheduled', 'trigger']);
    gates[0]!.resolve();
    await stopping;
    await h.clock.advance(0);
    expect(lifecycle).toEqual(['scheduled', 'trigger', 'stopped', 'scheduled', 'trigger']);
    expect(h.engine.status().processors.find((p) => p.id === 'life')!.state).toBe('running');
    // A close while that task runs waits for it, like the stop it joins.
    const first = h.engine.stop('life');
    let closed = false;
    const closing = h.engine.close().then(() => (closed = true));
    await h.clock.advance(0);
    expect(closed).toBe(false);
    gates[1]!.resolve();
    await Promise.all([first, closing]);
    expect(names(h, 'out')).toEqual(['a', 'b']);
    expect(lifecycle.at(-1)).toBe('stopped');
  });

  it('does not start an invalid processor and says why in a bulletin', async () => {
    const h = workFlow({ properties: { Limit: 'lots' } }, { type: 'Strict' });
    h.engine.start();
    await h.clock.advance(0);
    const status = h.engine.status().processors;
    expect(status.find((p) => p.id === 'work')).toMatchObject({ state: 'stopped', valid: false });
    expect(status.find((p) => p.id === 'sink')).toMatchObject({ state: 'running', valid: true });
    const bulletin = h.events.bulletins.find((b) => b.processorId === 'work')!;
    expect(bulletin.level).toBe('warn');
    expect(bulletin.message).toMatch(/^work is invalid and was not started: Limit: 'lots' is not a whole number/);
    expect(probe.scheduledCalls).toBe(0);
    await expect(h.engine.runOnce('work')).rejects.toThrow(FlowEngineError);
    await h.engine.close();
  });

  it('stops a processor whose onScheduled throws, with an error bulletin', async () => {
    const h = workFlow({ properties: { Limit: '-1' } }, { type: 'Strict' });
    await h.engine.enqueue('work', items('a'));
    h.engine.start('work');
    await h.clock.advance(1_000);
    expect(h.engine.status().processors.find((p) => p.id === 'work')!.state).toBe('stopped');
    expect(h.events.bulletins.at(-1)).toMatchObject({ level: 'error', message: 'work could not be scheduled: Limit must not be negative' });
    expect(names(h, 'ingress:work')).toEqual(['a']);
  });

  it('calls onScheduled and onStopped around runOnce when the processor is not running', async () => {
    const h = workFlow({ properties: { Limit: '3' } }, { type: 'Strict' });
    await h.engine.enqueue('work', items('a'));
    await h.engine.runOnce('work');
    expect([probe.scheduledCalls, probe.stoppedCalls]).toEqual([1, 1]);
    expect(names(h, 'out')).toEqual(['a']);
  });

  it('rejects requests for unknown processors and connections, ingress into a source, and work for a closed engine', async () => {
    const h = build([graphProcessor('gen', 'Gen', { autoTerminated: ['success'] })], []);
    await expect(h.engine.enqueue('nope', items('a'))).rejects.toThrow("unknown processor 'nope' in flow 'flow-1'");
    await expect(h.engine.enqueue('gen', items('a'))).rejects.toThrow('gen (Gen) does not accept input');
    expect(() => h.engine.queue('nope')).toThrow("unknown connection 'nope' in flow 'flow-1'");
    await h.engine.close();
    expect(() => h.engine.start()).toThrow("flow 'flow-1' engine is closed");
    const work = workFlow();
    await work.engine.close();
    await expect(work.engine.enqueue('work', items('a'))).rejects.toThrow("flow 'flow-1' engine is closed");
    expect(work.store.flow('flow-1').size).toBe(0);
  });
});
