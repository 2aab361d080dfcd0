import { fromUtf8, type FlowFile, type ProcessContext, type ProcessSession } from '@sluice/flow-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHarness, deferred, graphConnection, graphProcessor, HoldingRepository, settle, specProcessor, TestClock, type Harness } from './engine-harness.testing.js';
import type { InMemoryStore } from './in-memory-repository.js';

type Behaviour = (ctx: ProcessContext, session: ProcessSession) => void | Promise<void>;
let behaviour: Behaviour;
let triggers = 0;

const Under = specProcessor(
  {
    type: 'Under',
    inputRequirement: 'required',
    relationships: [
      { name: 'success', description: 's' },
      { name: 'failure', description: 'f' },
    ],
  },
  {
    onTrigger: (ctx, session) => {
      triggers++;
      return behaviour(ctx, session);
    },
  },
);
const Sink = specProcessor(
  { type: 'Sink', inputRequirement: 'required' },
  {
    onTrigger: (_ctx, session) => {
      for (const ff of session.getBatch(100)) session.remove(ff);
    },
  },
);

const passThrough: Behaviour = (_ctx, session) => {
  const ff = session.get();
  if (ff) session.transfer(ff, 'success');
};

function harness(options: { outputs?: number; store?: InMemoryStore; repository?: HoldingRepository; clock?: TestClock } = {}): Harness {
  const outputs = options.outputs ?? 1;
  const processors = [graphProcessor('under', 'Under', { autoTerminated: ['failure'] })];
  const connections = [];
  for (let i = 1; i <= outputs; i++) {
    processors.push(graphProcessor(`sink${i}`, 'Sink', { autoTerminated: ['success'] }));
    connections.push(graphConnection(`out${i}`, 'under', `sink${i}`));
  }
  return createHarness({ graph: { processors, connections }, definitions: [Under, Sink], store: options.store, repository: options.repository, clock: options.clock });
}

const INGRESS = 'ingress:under';
const queuedIds = (h: Harness, connectionId: string) => h.engine.queue(connectionId).flowFiles.map((f) => f.flowFile.attributes['filename']);
const stored = (h: Harness) => [...h.store.flow('flow-1').values()].map((q) => `${q.connectionId}:${q.flowFile.attributes['filename']}`);

beforeEach(() => {
  behaviour = passThrough;
  triggers = 0;
});

describe('StandardProcessSession in the engine', () => {
  it('moves a FlowFile to the connected queue and persists the move', async () => {
    const h = harness();
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    await h.engine.runOnce('under');
    expect(queuedIds(h, 'out1')).toEqual(['a']);
    expect(queuedIds(h, INGRESS)).toEqual([]);
    expect(stored(h)).toEqual(['out1:a']);
    expect(h.provenance.types()).toEqual(['CREATE', 'ROUTE']);
  });

  it('fails the commit and rolls back when a taken FlowFile was neither transferred nor removed', async () => {
    const h = harness();
    behaviour = (_ctx, session) => void session.get();
    const [ff] = await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    await h.engine.runOnce('under');
    const bulletin = h.events.bulletins.at(-1)!;
    expect(bulletin.level).toBe('error');
    expect(bulletin.message).toContain(`FlowFile ${ff!.uuid} (a) was neither transferred nor removed`);
    expect(bulletin.message).toContain('rolled back');
    const listing = h.engine.queue(INGRESS);
    expect(listing.flowFiles.map((f) => f.flowFile.uuid)).toEqual([ff!.uuid]);
    expect(listing.flowFiles[0]!.penalized).toBe(true);
    expect(stored(h)).toEqual([`${INGRESS}:a`]);
    expect(h.provenance.types()).toEqual(['CREATE']);
  });

  it('fails the commit when a created FlowFile was neither transferred nor removed', async () => {
    const h = harness();
    behaviour = (_ctx, session) => void session.create();
    await h.engine.runOnce('under');
    expect(h.events.bulletins.at(-1)!.message).toMatch(/FlowFile \S+ \(\S+\) was neither transferred nor removed/);
    expect(stored(h)).toEqual([]);
    expect(h.engine.queue('out1').count).toBe(0);
  });

  it('fails the commit on a transfer to an unknown relationship', async () => {
    const h = harness();
    behaviour = (_ctx, session) => session.transfer(session.get()!, 'nowhere');
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    await h.engine.runOnce('under');
    expect(h.events.bulletins.at(-1)!.message).toMatch(/transferred to unknown relationship 'nowhere'/);
    expect(queuedIds(h, INGRESS)).toEqual(['a']);
    expect(h.engine.queue('out1').count).toBe(0);
  });

  it('rolls back a throwing onTrigger: FlowFiles return to the head penalized, the processor yields, a bulletin is emitted', async () => {
    const h = harness();
    let failed = false;
    behaviour = (_ctx, session) => {
      if (!failed) {
        failed = true;
        session.getBatch(2);
        throw new Error('boom');
      }
      passThrough(_ctx, session);
    };
    await h.engine.enqueue('under', ['a', 'b', 'c', 'd'].map((filename) => ({ attributes: { filename }, content: filename })));
    const t0 = h.clock.now();
    h.engine.start('under');
    await h.clock.advance(0);
    expect(triggers).toBe(1);
    expect(h.events.bulletins).toHaveLength(1);
    expect(h.events.bulletins[0]).toMatchObject({ processorId: 'under', level: 'error' });
    expect(h.events.bulletins[0]!.message).toBe('under: boom; the session was rolled back and its FlowFiles penalized');
    const listing = h.engine.queue(INGRESS);
    expect(listing.flowFiles.map((f) => [f.flowFile.attributes['filename'], f.penalized])).toEqual([
      ['a', true],
      ['b', true],
      ['c', false],
      ['d', false],
    ]);
    expect(listing.flowFiles[0]!.flowFile.penaltyExpiration).toBe(t0 + 30_000);

    // Yield (1 sec): c and d wait although they are ready.
    await h.clock.advance(999);
    expect(triggers).toBe(1);
    await h.clock.advance(1);
    expect(queuedIds(h, 'out1')).toEqual(['c', 'd']);
    // a and b only once their penalty (30 sec) expired.
    await h.clock.advance(28_000);
    expect(queuedIds(h, 'out1')).toEqual(['c', 'd']);
    await h.clock.advance(1_000);
    expect(queuedIds(h, 'out1')).toEqual(['c', 'd', 'a', 'b']);
    await h.engine.close();
  });

  it('emits provenance and queue events only after the repository commit resolved', async () => {
    const repository = new HoldingRepository();
    const h = harness({ repository, store: repository.store });
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    const provenanceBefore = h.provenance.events.length;
    const queueEventsBefore = h.events.queues.length;
    repository.gate = deferred();
    let done = false;
    const run = h.engine.runOnce('under').then(() => (done = true));
    for (let i = 0; i < 5; i++) await settle();
    expect(done).toBe(false);
    expect(repository.transactions).toHaveLength(2);
    expect(h.provenance.events).toHaveLength(provenanceBefore);
    expect(h.events.queues).toHaveLength(queueEventsBefore);
    expect(h.engine.queue('out1').count).toBe(0);
    expect(stored(h)).toEqual([`${INGRESS}:a`]);
    repository.gate.resolve();
    await run;
    expect(h.provenance.types()).toEqual(['CREATE', 'ROUTE']);
    expect(h.events.queues.slice(queueEventsBefore).map((e) => [e.connectionId, e.count])).toEqual(
      expect.arrayContaining([
        [INGRESS, 0],
        ['out1', 1],
      ]),
    );
    expect(queuedIds(h, 'out1')).toEqual(['a']);
  });

  it('rolls back when the repository commit fails, with nothing applied', async () => {
    const repository = new HoldingRepository();
    const h = harness({ repository, store: repository.store });
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    repository.gate = deferred();
    const run = h.engine.runOnce('under');
    await settle();
    repository.gate.reject(new Error('disk full'));
    await run;
    expect(h.events.bulletins.at(-1)!.message).toContain('disk full');
    expect(h.engine.queue(INGRESS).flowFiles.map((f) => [f.flowFile.attributes['filename'], f.penalized])).toEqual([['a', true]]);
    expect(h.engine.queue('out1').count).toBe(0);
    expect(h.provenance.types()).toEqual(['CREATE']);
  });

  it('afterCommit: runs once the repository commit resolved, never before', async () => {
    const repository = new HoldingRepository();
    const h = harness({ repository, store: repository.store });
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    const seen: string[] = [];
    behaviour = (_ctx, session) => {
      const ff = session.get()!;
      session.transfer(ff, 'success');
      session.afterCommit(() => seen.push(`committed, out1 holds ${h.engine.queue('out1').count}`), () => seen.push('failed'));
    };
    repository.gate = deferred();
    const run = h.engine.runOnce('under');
    for (let i = 0; i < 5; i++) await settle();
    expect(seen).toEqual([]);
    repository.gate.resolve();
    await run;
    expect(seen).toEqual(['committed, out1 holds 1']);
  });

  it('afterCommit: a failed commit or a throwing onTrigger runs the failure callback instead', async () => {
    const repository = new HoldingRepository();
    const h = harness({ repository, store: repository.store });
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    const seen: string[] = [];
    behaviour = (_ctx, session) => {
      session.transfer(session.get()!, 'success');
      session.afterCommit(() => seen.push('committed'), (e) => seen.push(`failed: ${(e as Error).message}`));
    };
    repository.gate = deferred();
    const run = h.engine.runOnce('under');
    await settle();
    repository.gate.reject(new Error('disk full'));
    await run;
    behaviour = (_ctx, session) => {
      session.afterCommit(() => seen.push('committed'), () => seen.push('rolled back'));
      throw new Error('boom');
    };
    await h.engine.runOnce('under');
    expect(seen).toEqual(['failed: disk full', 'rolled back']);
  });

  it('clones to each of several connections on one relationship', async () => {
    const h = harness({ outputs: 3 });
    const [ff] = await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'payload' }]);
    await h.engine.runOnce('under');
    const [o1, o2, o3] = [1, 2, 3].map((i) => h.engine.queue(`out${i}`).flowFiles.map((f) => f.flowFile));
    expect(o1!.map((f) => f.uuid)).toEqual([ff!.uuid]);
    for (const copy of [o2![0]!, o3![0]!]) {
      expect(copy.uuid).not.toBe(ff!.uuid);
      expect(copy.attributes['uuid']).toBe(copy.uuid);
      expect(copy.attributes['filename']).toBe('a');
      expect(copy.parentUuids).toEqual([ff!.uuid]);
      expect(copy.contentClaim).toBe(ff!.contentClaim);
    }
    expect(new Set([o1![0]!.uuid, o2![0]!.uuid, o3![0]!.uuid]).size).toBe(3);
    const clone = h.provenance.events.find((e) => e.eventType === 'CLONE')!;
    expect(clone.flowFileUuid).toBe(ff!.uuid);
    expect(clone.childUuids).toEqual([o2![0]!.uuid, o3![0]!.uuid]);
    expect(stored(h).sort()).toEqual(['out1:a', 'out2:a', 'out3:a']);
  });

  it('drops a FlowFile sent to an auto-terminated relationship, with a DROP event', async () => {
    const h = harness();
    behaviour = (_ctx, session) => session.transfer(session.get()!, 'failure');
    const [ff] = await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    await h.engine.runOnce('under');
    expect(stored(h)).toEqual([]);
    expect(h.engine.queue('out1').count).toBe(0);
    const drop = h.provenance.events.at(-1)!;
    expect(drop).toMatchObject({ eventType: 'DROP', flowFileUuid: ff!.uuid, relationship: 'failure', details: "auto-terminated by the 'failure' relationship" });
  });

  it('create(parent) inherits attributes and lineage and records a FORK', async () => {
    const h = harness();
    let parent!: FlowFile;
    let child!: FlowFile;
    behaviour = (_ctx, session) => {
      parent = session.putAttribute(session.get()!, 'sku', 'A-1');
      child = session.write(session.create(parent), 'child content');
      session.transfer(parent, 'success');
      session.transfer(child, 'success');
    };
    await h.engine.enqueue('under', [{ attributes: { filename: 'a', batch: '7' }, content: 'x' }]);
    await h.clock.advance(5_000);
    await h.engine.runOnce('under');
    const out = h.engine.queue('out1').flowFiles.map((f) => f.flowFile);
    const c = out.find((f) => f.uuid === child.uuid)!;
    expect(c.attributes).toEqual({ ...parent.attributes, uuid: child.uuid });
    expect(c.attributes['batch']).toBe('7');
    expect(c.attributes['sku']).toBe('A-1');
    expect(c.parentUuids).toEqual([parent.uuid]);
    expect(c.lineageStartDate).toBe(parent.lineageStartDate);
    expect(c.lineageStartDate).toBeLessThan(h.clock.now());
    const fork = h.provenance.events.find((e) => e.eventType === 'FORK')!;
    expect(fork).toMatchObject({ flowFileUuid: parent.uuid, childUuids: [child.uuid] });
    expect(h.provenance.events.find((e) => e.flowFileUuid === parent.uuid && e.relationship === 'success')!.eventType).toBe('ATTRIBUTES_MODIFIED');
    expect(fromUtf8(await h.engine.readContent(c.contentClaim!))).toBe('child content');
  });

  it('commits content written in a session in the same transaction as the FlowFile that uses it', async () => {
    const repository = new HoldingRepository();
    const h = harness({ repository, store: repository.store });
    behaviour = (_ctx, session) => {
      let ff = session.get()!;
      ff = session.write(ff, 'draft');
      ff = session.write(ff, 'final');
      session.transfer(ff, 'success');
    };
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    repository.gate = deferred();
    const run = h.engine.runOnce('under');
    await settle();
    const tx = repository.transactions.at(-1)!;
    const claim = tx.upserts[0]!.flowFile.contentClaim!;
    expect(tx.contents.map((c) => c.claim)).toEqual([claim]);
    expect(fromUtf8(tx.contents[0]!.bytes)).toBe('final');
    expect(h.store.contents.has(claim)).toBe(false);
    repository.gate.resolve();
    await run;
    expect(fromUtf8(h.store.contents.get(claim)!)).toBe('final');
    expect(h.provenance.events.at(-1)!.eventType).toBe('CONTENT_MODIFIED');
  });
});
