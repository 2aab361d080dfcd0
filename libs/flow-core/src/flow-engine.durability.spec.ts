import { fromUtf8 } from '@sluice/flow-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, deferred, graphConnection, graphProcessor, HoldingRepository, runUntilIdle, settle, specProcessor, type Harness } from './engine-harness.testing.js';
import { build, definitions, items, names, passThrough, probe, resetProbe, workFlow, Work } from './flow-engine.fixtures.testing.js';
import { InMemoryStore } from './in-memory-repository.js';

beforeEach(resetProbe);

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
    probe.behaviour = (_ctx, session) => {
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
    probe.behaviour = async (_ctx, session) => {
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
    probe.behaviour = async (ctx, session) => {
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
    probe.behaviour = () => {
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
    probe.behaviour = (ctx, session) => {
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
