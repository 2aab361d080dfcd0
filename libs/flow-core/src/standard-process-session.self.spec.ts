import { type FlowFile, type ProcessContext, type ProcessSession } from '@sluice/flow-api';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConnectionQueue } from './connection-queue.js';
import { createHarness, graphConnection, graphProcessor, HoldingRepository, settle, specProcessor, TestClock, type Harness } from './engine-harness.testing.js';
import type { InMemoryStore } from './in-memory-repository.js';
import { StandardProcessSession, type Destinations, type SessionHost, type SessionOutcome } from './standard-process-session.js';

/* Transfer to self (a FlowFile back in its own queue, penalized for a given time) and released content claims. */

type Behaviour = (ctx: ProcessContext, session: ProcessSession) => void | Promise<void>;
let behaviour: Behaviour;

const Under = specProcessor(
  { type: 'Under', inputRequirement: 'required', relationships: [{ name: 'success', description: 's' }, { name: 'failure', description: 'f' }] },
  { onTrigger: (ctx, session) => behaviour(ctx, session) },
);
const Sink = specProcessor(
  { type: 'Sink', inputRequirement: 'required' },
  {
    onTrigger: (_ctx, session) => {
      for (const f of session.getBatch(100)) session.remove(f);
    },
  },
);
const passThrough: Behaviour = (_ctx, session) => {
  const f = session.get();
  if (f) session.transfer(f, 'success');
};

function harness(options: { store?: InMemoryStore; repository?: HoldingRepository; clock?: TestClock } = {}): Harness {
  const processors = [graphProcessor('under', 'Under', { autoTerminated: ['failure'] }), graphProcessor('sink1', 'Sink', { autoTerminated: ['success'] })];
  return createHarness({ graph: { processors, connections: [graphConnection('out1', 'under', 'sink1')] }, definitions: [Under, Sink], store: options.store, repository: options.repository, clock: options.clock });
}

const INGRESS = 'ingress:under';
const queuedIds = (h: Harness, connectionId: string) => h.engine.queue(connectionId).flowFiles.map((f) => f.flowFile.attributes['filename']);
const stored = (h: Harness) => [...h.store.flow('flow-1').values()].map((q) => `${q.connectionId}:${q.flowFile.attributes['filename']}`);

beforeEach(() => {
  behaviour = passThrough;
});

describe('transfer to self in the engine', () => {
  it('takes a FlowFile transferred to itself back into its queue, persisted and penalized, and runs it again after the penalty', async () => {
    const clock = new TestClock();
    const h = harness({ clock });
    let attempts = 0;
    behaviour = (_ctx, session) => {
      const ff = session.get();
      if (!ff) return;
      attempts++;
      if (attempts === 1) session.transfer(session.penalize(session.putAttribute(ff, 'retry', '1'), 2_000));
      else session.transfer(ff, 'success');
    };
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    h.engine.start();
    await clock.advance(0);
    expect(attempts).toBe(1);
    expect(stored(h)).toEqual([`${INGRESS}:a`]);
    expect([...h.store.flow('flow-1').values()][0]!.flowFile.attributes['retry']).toBe('1');
    expect(h.engine.queue(INGRESS).flowFiles.map((f) => f.penalized)).toEqual([true]);
    expect(h.provenance.types()).toEqual(['CREATE']);
    await clock.advance(1_999);
    expect(attempts).toBe(1);
    await clock.advance(1);
    await settle();
    expect(attempts).toBe(2);
    expect(queuedIds(h, 'out1')).toEqual([]);
    expect(stored(h)).toEqual([]);
    await h.engine.close();
  });

  it('lists the claims a session stopped using, so the repository can free them', async () => {
    const repository = new HoldingRepository();
    const h = harness({ repository, store: repository.store });
    behaviour = (_ctx, session) => {
      const ff = session.get()!;
      session.transfer(session.write(ff, 'rewritten'), 'success');
    };
    await h.engine.enqueue('under', [{ attributes: { filename: 'a' }, content: 'x' }]);
    const original = repository.transactions.at(-1)!.upserts[0]!.flowFile.contentClaim!;
    await h.engine.runOnce('under');
    const tx = repository.transactions.at(-1)!;
    expect(tx.released).toEqual([original]);
    expect(tx.upserts[0]!.flowFile.contentClaim).not.toBe(original);

    behaviour = passThrough;
    await h.engine.enqueue('under', [{ attributes: { filename: 'b' }, content: 'y' }]);
    await h.engine.runOnce('under');
    expect(repository.transactions.at(-1)!.released).toEqual([]);
  });
});

function plainHost(input: ConnectionQueue): SessionHost & { commits: SessionOutcome[] } {
  const out = new ConnectionQueue('out', 'p', 'q');
  const commits: SessionOutcome[] = [];
  let n = 0;
  return {
    flowId: 'f',
    id: 'p',
    clock: new TestClock(1000),
    penaltyMs: 500,
    incoming: [input],
    hasRelationship: (name) => name === 'success',
    destinations: (rel): Destinations => (rel === 'success' ? [out] : null),
    readContent: async () => new Uint8Array(0),
    newId: () => `id-${++n}`,
    commit: async (o) => void commits.push(o),
    commits,
  };
}

const ff = (uuid: string): FlowFile => ({ uuid, attributes: { uuid }, contentClaim: null, size: 0, lineageStartDate: 100, entryDate: 100, parentUuids: [], penaltyExpiration: 0 });

describe('transfer to self in the session', () => {
  it('penalize takes an explicit duration', () => {
    const s = new StandardProcessSession(plainHost(new ConnectionQueue('in', null, 'p')));
    expect(s.penalize(s.create(), 4_000).penaltyExpiration).toBe(5000);
  });

  it('transfers a taken FlowFile back to its own queue, and refuses that for a created one', async () => {
    const input = new ConnectionQueue('in', null, 'p');
    input.offer(ff('a'), 0);
    const s = new StandardProcessSession(plainHost(input));
    expect(() => s.transfer(s.create())).toThrow('has no queue to go back to');
    s.rollback();
    const a = s.get()!;
    s.transfer(s.penalize(a));
    const outcome = await s.commit();
    expect(outcome.transaction.upserts.map((u) => [u.connectionId, u.flowFile.penaltyExpiration])).toEqual([['in', 1500]]);
    expect(outcome.enqueued.map((e) => e.queue)).toEqual([input]);
    expect(outcome.transaction.deletes).toEqual([]);
    expect(outcome.events).toEqual([]);
    expect(outcome.flowFilesOut).toBe(0);
  });
});
