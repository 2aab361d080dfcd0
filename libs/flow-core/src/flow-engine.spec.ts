import { fromUtf8, type ProcessContext, type ProcessSession } from '@sluice/flow-api';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createHarness,
  deferred,
  graphConnection,
  graphProcessor,
  HoldingRepository,
  runUntilIdle,
  settle,
  specProcessor,
  TestClock,
  type Deferred,
  type Harness,
} from './engine-harness.testing.js';
import { FlowEngineError } from './flow-engine.js';
import type { GraphConnection, GraphProcessor } from './flow-graph.js';
import { InMemoryStore } from './in-memory-repository.js';

/** Trigger times of the Gen source, and what it does on each trigger. */
let genTimes: number[] = [];
let genYields = false;
let genSize = 10;

const Gen = specProcessor(
  { type: 'Gen', inputRequirement: 'forbidden' },
  {
    onTrigger(ctx, session) {
      genTimes.push(ctx.services.clock.now());
      const ff = session.write(session.putAttribute(session.create(), 'n', String(genTimes.length)), 'x'.repeat(genSize));
      session.transfer(ff, 'success');
      if (genYields) ctx.yield();
    },
  },
);

type Behaviour = (ctx: ProcessContext, session: ProcessSession) => void | Promise<void>;
let behaviour: Behaviour;
let active = 0;
let maxActive = 0;

const Work = specProcessor(
  { type: 'Work', inputRequirement: 'required' },
  {
    async onTrigger(ctx, session) {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        await behaviour(ctx, session);
      } finally {
        active--;
      }
    },
  },
);
const Serial = specProcessor({ type: 'Serial', inputRequirement: 'required', triggerSerially: true }, { onTrigger: (ctx, session) => Work.onTrigger(ctx, session) });

const Sink = specProcessor(
  { type: 'Sink', inputRequirement: 'required' },
  {
    onTrigger(_ctx, session) {
      for (const ff of session.getBatch(100)) session.remove(ff);
    },
  },
);

let scheduledCalls = 0;
let stoppedCalls = 0;
const Strict = specProcessor(
  {
    type: 'Strict',
    inputRequirement: 'required',
    properties: [{ name: 'Limit', displayName: 'Limit', description: 'a number', type: 'integer', required: true }],
  },
  {
    onScheduled(ctx) {
      scheduledCalls++;
      if (ctx.property('Limit').asInteger()! < 0) throw new Error('Limit must not be negative');
    },
    onStopped() {
      stoppedCalls++;
    },
    onTrigger: (_ctx, session) => {
      const ff = session.get();
      if (ff) session.transfer(ff, 'success');
    },
  },
);

const definitions = [Gen, Work, Serial, Sink, Strict];

const passThrough: Behaviour = (_ctx, session) => {
  const ff = session.get();
  if (ff) session.transfer(ff, 'success');
};

/** Gates a Work processor's triggers: each trigger takes a FlowFile and waits for its own gate. */
function gatedBehaviour(): { gates: Deferred<void>[] } {
  const gates: Deferred<void>[] = [];
  behaviour = async (_ctx, session) => {
    const ff = session.get();
    const gate = deferred();
    gates.push(gate);
    await gate.promise;
    if (ff) session.transfer(ff, 'success');
  };
  return { gates };
}

function build(processors: GraphProcessor[], connections: GraphConnection[], options: { store?: InMemoryStore; repository?: HoldingRepository; clock?: TestClock } = {}): Harness {
  return createHarness({ graph: { processors, connections }, definitions, ...options });
}

/** work → sink over 'out'; work is fed by ingress. */
function workFlow(workOverrides: Parameters<typeof graphProcessor>[2] = {}, options: { store?: InMemoryStore; repository?: HoldingRepository; type?: string } = {}): Harness {
  return build(
    [graphProcessor('work', options.type ?? 'Work', workOverrides), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })],
    [graphConnection('out', 'work', 'sink')],
    options,
  );
}

const names = (h: Harness, connectionId: string) => h.engine.queue(connectionId, 10_000).flowFiles.map((f) => f.flowFile.attributes['filename']);
const items = (...names: string[]) => names.map((filename) => ({ attributes: { filename }, content: `content of ${filename}` }));

beforeEach(() => {
  genTimes = [];
  genYields = false;
  genSize = 10;
  behaviour = passThrough;
  active = 0;
  maxActive = 0;
  scheduledCalls = 0;
  stoppedCalls = 0;
});

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
    expect(genTimes).toHaveLength(5);
    expect(h.engine.queue('c').count).toBe(5);
    expect(h.engine.status().connections.find((c) => c.id === 'c')!.fill).toBe(1);
    await h.engine.runOnce('sink');
    await settle();
    expect(genTimes).toHaveLength(6);
    expect(genTimes[5]).toBe(h.clock.now());
    await h.clock.advance(2_000);
    expect(genTimes).toHaveLength(8);
    expect(h.engine.queue('c').count).toBe(3);
    await h.engine.close();
  });

  it('stops scheduling the upstream processor at the data size threshold', async () => {
    const h = genFlow({ backPressureDataSizeThreshold: '25 B' });
    h.engine.start('gen');
    await h.clock.advance(60_000);
    expect(genTimes).toHaveLength(3);
    expect(h.engine.queue('c').bytes).toBe(30);
    await h.engine.emptyQueue('c');
    await settle();
    expect(genTimes).toHaveLength(4);
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
    expect(genTimes).toHaveLength(2);
    gates[0]!.resolve();
    await h.clock.advance(0);
    expect(genTimes).toHaveLength(3);
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
    expect(genTimes.map((t) => t - t0)).toEqual([0, 10_000, 20_000, 30_000]);
    await h.engine.stop('gen');
    await h.clock.advance(60_000);
    expect(genTimes).toHaveLength(4);
  });

  it('re-triggers a 0 sec source that produced FlowFiles without waiting for a clock turn', async () => {
    const h = build(
      [graphProcessor('gen', 'Gen'), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })],
      [graphConnection('c', 'gen', 'sink', { backPressureObjectThreshold: 50 })],
    );
    h.engine.start('gen');
    for (let i = 0; i < 5; i++) await settle();
    expect(genTimes).toHaveLength(50);
    expect(h.engine.queue('c').count).toBe(50);
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
    expect(genTimes.map((t) => new Date(t).toISOString().slice(11, 19))).toEqual(['00:15:00', '00:30:00', '00:45:00', '01:00:00']);
    await h.engine.close();
  });

  it('runs an event-driven processor only when work arrives, with no timers meanwhile', async () => {
    const h = workFlow({ scheduling: { strategy: 'event', period: '0 sec' } });
    let runs = 0;
    behaviour = (ctx, session) => {
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
    genYields = true;
    const h = build([graphProcessor('gen', 'Gen', { autoTerminated: ['success'], scheduling: { period: '0 sec', yieldDuration: '5 sec' } })], []);
    const t0 = h.clock.now();
    h.engine.start('gen');
    await h.clock.advance(12_000);
    expect(genTimes.map((t) => t - t0)).toEqual([0, 5_000, 10_000]);
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
    expect(maxActive).toBe(2);
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
    expect(maxActive).toBe(1);
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
    expect(scheduledCalls).toBe(0);
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
    expect([scheduledCalls, stoppedCalls]).toEqual([1, 1]);
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

describe('FlowEngine durability', () => {
  it('enqueue resolves only after the repository commit', async () => {
    const repository = new HoldingRepository();
    const h = workFlow({}, { repository, store: repository.store });
    repository.gate = deferred();
    let resolved = false;
    const enqueued = h.engine.enqueue('work', items('a')).then(() => (resolved = true));
    for (let i = 0; i < 5; i++) await settle();
    expect(resolved).toBe(false);
    expect(h.engine.queue('ingress:work').count).toBe(0);
    expect(h.provenance.events).toHaveLength(0);
    repository.gate.resolve();
    await enqueued;
    expect(names(h, 'ingress:work')).toEqual(['a']);
    expect(h.provenance.types()).toEqual(['CREATE']);
  });

  it('a new engine over the same repository recovers queued FlowFiles in order', async () => {
    const store = new InMemoryStore();
    const first = workFlow({}, { store });
    await first.engine.enqueue('work', items('a', 'b', 'c', 'd'));
    await first.engine.runOnce('work');
    await first.engine.runOnce('work');
    await first.engine.close();

    const second = workFlow({}, { store });
    await second.engine.initialize();
    expect(names(second, 'ingress:work')).toEqual(['c', 'd']);
    expect(names(second, 'out')).toEqual(['a', 'b']);
    expect(second.events.queues.map((e) => [e.connectionId, e.count])).toEqual(
      expect.arrayContaining([
        ['ingress:work', 2],
        ['out', 2],
      ]),
    );
    // Content claims survive too.
    const ff = second.engine.queue('out').flowFiles[0]!.flowFile;
    expect(fromUtf8(await second.engine.readContent(ff.contentClaim!))).toBe('content of a');
  });

  it('does not redeliver a FlowFile a committed session took, after a restart', async () => {
    const store = new InMemoryStore();
    const first = workFlow({}, { store });
    await first.engine.enqueue('work', items('a', 'b'));
    await first.engine.runOnce('work');
    await first.engine.runOnce('sink');
    await first.engine.close();

    const second = workFlow({}, { store });
    await second.engine.initialize();
    expect(names(second, 'ingress:work')).toEqual(['b']);
    expect(names(second, 'out')).toEqual([]);
    second.engine.start();
    await runUntilIdle(second);
    expect(second.provenance.events.filter((e) => e.eventType === 'DROP').map((e) => e.attributes['filename'])).toEqual(['b']);
    await second.engine.close();
  });

  it('recovers a FlowFile whose session was rolled back (not committed) at its old place', async () => {
    const store = new InMemoryStore();
    const first = workFlow({}, { store });
    behaviour = (_ctx, session) => {
      session.get();
      throw new Error('crash mid-session');
    };
    await first.engine.enqueue('work', items('a', 'b'));
    await first.engine.runOnce('work');
    await first.engine.close();
    const second = workFlow({}, { store });
    await second.engine.initialize();
    expect(names(second, 'ingress:work')).toEqual(['a', 'b']);
  });

  it('warns about recovered FlowFiles whose connection is gone, keeping them in the repository', async () => {
    const store = new InMemoryStore();
    const first = workFlow({}, { store });
    await first.engine.enqueue('work', items('a'));
    await first.engine.runOnce('work');
    const second = build([graphProcessor('work', 'Work', { autoTerminated: ['success'] })], [], { store });
    await second.engine.initialize();
    expect(second.events.bulletins.map((b) => b.message)).toEqual([
      "1 queued FlowFile(s) belong to connection 'out', which is no longer in the flow; they stay in the repository",
    ]);
    expect(store.flow('flow-1').size).toBe(1);
  });

  it('emptyQueue drops the queue, records DROP events and persists the drop', async () => {
    const store = new InMemoryStore();
    const h = workFlow({}, { store });
    await h.engine.enqueue('work', items('a', 'b', 'c'));
    expect(await h.engine.emptyQueue('ingress:work')).toBe(3);
    expect(h.engine.queue('ingress:work').count).toBe(0);
    expect(h.provenance.events.filter((e) => e.eventType === 'DROP').map((e) => [e.attributes['filename'], e.details])).toEqual([
      ['a', 'queue emptied'],
      ['b', 'queue emptied'],
      ['c', 'queue emptied'],
    ]);
    expect(store.flow('flow-1').size).toBe(0);
    const again = workFlow({}, { store });
    await again.engine.initialize();
    expect(again.engine.queue('ingress:work').count).toBe(0);
  });

  it('emptyQueue puts the FlowFiles back when the repository fails to drop them', async () => {
    const repository = new HoldingRepository();
    const h = workFlow({}, { repository, store: repository.store });
    await h.engine.enqueue('work', items('a', 'b'));
    repository.gate = deferred();
    const emptying = h.engine.emptyQueue('ingress:work');
    repository.gate.reject(new Error('disk full'));
    await expect(emptying).rejects.toThrow('disk full');
    expect(names(h, 'ingress:work')).toEqual(['a', 'b']);
    expect(h.provenance.types()).toEqual(['CREATE', 'CREATE']);
  });

  it('emptyQueue leaves FlowFiles in flight alone, in memory and in the repository', async () => {
    const store = new InMemoryStore();
    const h = workFlow({}, { store });
    behaviour = async (_ctx, session) => {
      session.get();
      await gate.promise;
      throw new Error('downstream refused');
    };
    const gate = deferred();
    await h.engine.enqueue('work', items('a', 'b'));
    const run = h.engine.runOnce('work');
    await settle();
    expect(await h.engine.emptyQueue('ingress:work')).toBe(1);
    gate.resolve();
    await run;
    expect(names(h, 'ingress:work')).toEqual(['a']);
    const again = workFlow({}, { store });
    await again.engine.initialize();
    expect(names(again, 'ingress:work')).toEqual(['a']);
  });

  it('testProcessor reports what the processor would do and leaves queues and the repository unchanged', async () => {
    const repository = new HoldingRepository();
    const h = workFlow({}, { repository, store: repository.store });
    behaviour = async (ctx, session) => {
      const ff = session.get()!;
      const text = await session.readText(ff);
      ctx.log.info(`read ${text}`);
      session.transfer(session.write(session.putAttribute(ff, 'seen', 'yes'), text.toUpperCase()), 'success');
    };
    const [a] = await h.engine.enqueue('work', items('a', 'b'));
    const commits = repository.transactions.length;
    const provenance = h.provenance.events.length;

    const result = await h.engine.testProcessor('work');
    expect(result.error).toBeUndefined();
    expect(result.outputs).toHaveLength(1);
    expect(result.outputs[0]!.relationship).toBe('success');
    expect(result.outputs[0]!.attributes).toMatchObject({ filename: 'a', seen: 'yes' });
    expect(fromUtf8(result.outputs[0]!.content)).toBe('CONTENT OF A');
    expect(result.logs).toEqual([{ level: 'info', message: 'read content of a' }]);

    const byUuid = await h.engine.testProcessor('work', { flowFileUuid: a!.uuid });
    expect(byUuid.outputs[0]!.attributes['filename']).toBe('a');
    const given = await h.engine.testProcessor('work', { attributes: { filename: 'z' }, content: 'given' });
    expect(fromUtf8(given.outputs[0]!.content)).toBe('GIVEN');

    expect(repository.transactions).toHaveLength(commits);
    expect(h.provenance.events).toHaveLength(provenance);
    const listing = h.engine.queue('ingress:work');
    expect(listing.flowFiles.map((f) => [f.flowFile.attributes['filename'], f.penalized])).toEqual([
      ['a', false],
      ['b', false],
    ]);
    expect(h.engine.status().connections.find((c) => c.id === 'ingress:work')!.count).toBe(2);
    expect(names(h, 'out')).toEqual([]);
    await expect(h.engine.testProcessor('work', { flowFileUuid: 'missing' })).rejects.toThrow('FlowFile missing is not queued for work');
  });

  it('testProcessor reports a failing processor as an error, not a throw', async () => {
    const h = workFlow();
    behaviour = () => {
      throw new Error('cannot parse');
    };
    const result = await h.engine.testProcessor('work', { content: '{' });
    expect(result).toMatchObject({ outputs: [], error: 'cannot parse' });
  });

  it('whenIdle resolves once every FlowFile has left the flow', async () => {
    const h = workFlow();
    h.engine.start();
    await h.engine.enqueue(
      'work',
      Array.from({ length: 300 }, (_, i) => ({ attributes: { filename: `f${i}` }, content: 'x' })),
    );
    await runUntilIdle(h);
    expect(h.engine.status().connections.every((c) => c.count === 0)).toBe(true);
    expect(h.provenance.events.filter((e) => e.eventType === 'DROP')).toHaveLength(300);
    expect(h.store.flow('flow-1').size).toBe(0);
    const last = (id: string) => h.events.stats.filter((e) => e.processorId === id).at(-1)!;
    expect(last('work')).toMatchObject({ flowFilesIn: 300, flowFilesOut: 300 });
    expect(last('sink')).toMatchObject({ flowFilesIn: 300, flowFilesOut: 0 });
    expect(last('work').tasks).toBeGreaterThanOrEqual(300);
    await h.engine.close();
  });
});

describe('FlowEngine run duration (batching)', () => {
  const Batching = specProcessor({ type: 'Batching', inputRequirement: 'required', defaultRunDuration: '25 ms' }, { onTrigger: (ctx, session) => Work.onTrigger(ctx, session) });

  function batchingFlow(runDuration?: string): { h: Harness; repository: HoldingRepository } {
    const repository = new HoldingRepository(new InMemoryStore());
    const h = createHarness({
      graph: {
        processors: [graphProcessor('work', 'Batching', { scheduling: runDuration === undefined ? {} : { runDuration } }), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })],
        connections: [graphConnection('out', 'work', 'sink')],
      },
      definitions: [...definitions, Batching],
      repository,
    });
    return { h, repository };
  }

  it('runs every queued FlowFile through one session and commits once', async () => {
    const { h, repository } = batchingFlow();
    await h.engine.enqueue('work', items('a', 'b', 'c', 'd', 'e'));
    const before = repository.transactions.length;
    await h.engine.runOnce('work');
    expect(repository.transactions.length - before).toBe(1);
    expect(names(h, 'out')).toEqual(['a', 'b', 'c', 'd', 'e']);
    await h.engine.close();
  });

  it("commits every trigger on its own with a '0 ms' run duration", async () => {
    const { h, repository } = batchingFlow('0 ms');
    await h.engine.enqueue('work', items('a', 'b', 'c'));
    const before = repository.transactions.length;
    h.engine.start('work');
    for (let i = 0; i < 10; i++) await settle();
    expect(repository.transactions.length - before).toBe(3);
    expect(names(h, 'out')).toEqual(['a', 'b', 'c']);
    await h.engine.close();
  });

  it('rolls the whole batch back when a later trigger throws', async () => {
    const { h } = batchingFlow();
    let triggers = 0;
    behaviour = (ctx, session) => {
      if (++triggers === 3) throw new Error('third one fails');
      passThrough(ctx, session);
    };
    await h.engine.enqueue('work', items('a', 'b', 'c', 'd'));
    await h.engine.runOnce('work');
    expect(names(h, 'out')).toEqual([]);
    const queued = h.engine.queue('ingress:work', 10);
    expect(queued.count).toBe(4);
    expect(queued.flowFiles.filter((f) => f.penalized).map((f) => f.flowFile.attributes['filename']).sort()).toEqual(['a', 'b']);
    await h.engine.close();
  });

  it('refuses a run duration that is not a duration', () => {
    const { h } = batchingFlow('soon');
    expect(h.engine.issues().map((i) => i.message).join()).toContain("Run duration 'soon' is not a duration");
  });
});

describe('FlowEngine content claims', () => {
  it('stores bytes written to several FlowFiles of one session once, shared by their claims', async () => {
    const shared = new TextEncoder().encode('{"sku":"A"}');
    const Fan = specProcessor(
      { type: 'Fan', inputRequirement: 'forbidden' },
      {
        onTrigger(_ctx, session) {
          for (let i = 0; i < 3; i++) session.transfer(session.write(session.create(), shared), 'success');
          session.transfer(session.write(session.create(), 'other'), 'success');
        },
      },
    );
    const repository = new HoldingRepository(new InMemoryStore());
    const h = createHarness({
      graph: { processors: [graphProcessor('fan', 'Fan'), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })], connections: [graphConnection('c', 'fan', 'sink')] },
      definitions: [...definitions, Fan],
      repository,
    });
    await h.engine.runOnce('fan');
    const [tx] = repository.transactions;
    expect(tx!.contents).toHaveLength(2);
    const listing = h.engine.queue('c', 10).flowFiles.map((f) => f.flowFile);
    expect(new Set(listing.slice(0, 3).map((f) => f.contentClaim)).size).toBe(1);
    expect(listing[3]!.contentClaim).not.toBe(listing[0]!.contentClaim);
    await h.engine.close();
  });
});
