/* Processors and flows the FlowEngine specs share. */
import type { ProcessContext, ProcessSession } from '@sluice/flow-api';
import { createHarness, deferred, graphConnection, graphProcessor, specProcessor, type Deferred, type Harness, type HoldingRepository, type TestClock } from './engine-harness.testing.js';
import type { GraphConnection, GraphProcessor } from './flow-graph.js';
import type { InMemoryStore } from './in-memory-repository.js';

export type Behaviour = (ctx: ProcessContext, session: ProcessSession) => void | Promise<void>;

export const passThrough: Behaviour = (_ctx, session) => {
  const ff = session.get();
  if (ff) session.transfer(ff, 'success');
};

/** What the spec processors did and will do; specs set and read it, `resetProbe` clears it before each spec. */
export const probe = {
  /** Trigger times of the Gen source, and what it does on each trigger. */
  genTimes: [] as number[],
  genYields: false,
  genSize: 10,
  /** What Work does on each trigger, and how many of its triggers ran at once. */
  behaviour: passThrough as Behaviour,
  active: 0,
  maxActive: 0,
  /** Strict's lifecycle calls. */
  scheduledCalls: 0,
  stoppedCalls: 0,
};

export function resetProbe(): void {
  Object.assign(probe, { genTimes: [], genYields: false, genSize: 10, behaviour: passThrough, active: 0, maxActive: 0, scheduledCalls: 0, stoppedCalls: 0 });
}

export const Gen = specProcessor(
  { type: 'Gen', inputRequirement: 'forbidden' },
  {
    onTrigger(ctx, session) {
      probe.genTimes.push(ctx.services.clock.now());
      const ff = session.write(session.putAttribute(session.create(), 'n', String(probe.genTimes.length)), 'x'.repeat(probe.genSize));
      session.transfer(ff, 'success');
      if (probe.genYields) ctx.yield();
    },
  },
);


export const Work = specProcessor(
  { type: 'Work', inputRequirement: 'required' },
  {
    async onTrigger(ctx, session) {
      probe.active++;
      probe.maxActive = Math.max(probe.maxActive, probe.active);
      try {
        await probe.behaviour(ctx, session);
      } finally {
        probe.active--;
      }
    },
  },
);
export const Serial = specProcessor({ type: 'Serial', inputRequirement: 'required', triggerSerially: true }, { onTrigger: (ctx, session) => Work.onTrigger(ctx, session) });

export const Sink = specProcessor(
  { type: 'Sink', inputRequirement: 'required' },
  {
    onTrigger(_ctx, session) {
      for (const ff of session.getBatch(100)) session.remove(ff);
    },
  },
);

export const Strict = specProcessor(
  {
    type: 'Strict',
    inputRequirement: 'required',
    properties: [{ name: 'Limit', displayName: 'Limit', description: 'a number', type: 'integer', required: true }],
  },
  {
    onScheduled(ctx) {
      probe.scheduledCalls++;
      if (ctx.property('Limit').asInteger()! < 0) throw new Error('Limit must not be negative');
    },
    onStopped() {
      probe.stoppedCalls++;
    },
    onTrigger: (_ctx, session) => {
      const ff = session.get();
      if (ff) session.transfer(ff, 'success');
    },
  },
);

export const definitions = [Gen, Work, Serial, Sink, Strict];


/** Gates a Work processor's triggers: each trigger takes a FlowFile and waits for its own gate. */
export function gatedBehaviour(): { gates: Deferred<void>[] } {
  const gates: Deferred<void>[] = [];
  probe.behaviour = async (_ctx, session) => {
    const ff = session.get();
    const gate = deferred();
    gates.push(gate);
    await gate.promise;
    if (ff) session.transfer(ff, 'success');
  };
  return { gates };
}

export function build(processors: GraphProcessor[], connections: GraphConnection[], options: { store?: InMemoryStore; repository?: HoldingRepository; clock?: TestClock } = {}): Harness {
  return createHarness({ graph: { processors, connections }, definitions, ...options });
}

/** work → sink over 'out'; work is fed by ingress. */
export function workFlow(workOverrides: Parameters<typeof graphProcessor>[2] = {}, options: { store?: InMemoryStore; repository?: HoldingRepository; type?: string } = {}): Harness {
  return build(
    [graphProcessor('work', options.type ?? 'Work', workOverrides), graphProcessor('sink', 'Sink', { autoTerminated: ['success'] })],
    [graphConnection('out', 'work', 'sink')],
    options,
  );
}

export const names = (h: Harness, connectionId: string) => h.engine.queue(connectionId, 10_000).flowFiles.map((f) => f.flowFile.attributes['filename']);
export const items = (...names: string[]) => names.map((filename) => ({ attributes: { filename }, content: `content of ${filename}` }));
