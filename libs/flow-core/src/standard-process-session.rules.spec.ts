import type { FlowFile } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { ConnectionQueue } from './connection-queue.js';
import { TestClock } from './engine-harness.testing.js';
import { SessionError, StandardProcessSession, type Destinations, type SessionHost, type SessionOutcome } from './standard-process-session.js';

/** A SessionHost over plain queues, for the session's own rules. */
function plainHost(overrides: Partial<SessionHost> & { out?: ConnectionQueue; input?: ConnectionQueue } = {}): SessionHost & { commits: SessionOutcome[] } {
  const clock = new TestClock(1000);
  const input = overrides.input ?? new ConnectionQueue('in', null, 'p');
  const out = overrides.out ?? new ConnectionQueue('out', 'p', 'q');
  const commits: SessionOutcome[] = [];
  let n = 0;
  return {
    flowId: 'f',
    id: 'p',
    clock,
    penaltyMs: 500,
    incoming: [input],
    hasRelationship: (name) => ['success', 'failure', 'loose'].includes(name),
    destinations: (rel): Destinations => (rel === 'success' ? [out] : rel === 'failure' ? 'drop' : null),
    readContent: async () => new Uint8Array(0),
    newId: () => `id-${++n}`,
    commit: async (o) => void commits.push(o),
    commits,
    ...overrides,
  };
}

function ff(uuid: string, attributes: Record<string, string> = {}): FlowFile {
  return { uuid, attributes: { uuid, ...attributes }, contentClaim: null, size: 0, lineageStartDate: 100, entryDate: 100, parentUuids: [], penaltyExpiration: 0 };
}

describe('StandardProcessSession rules', () => {
  it('refuses a stale FlowFile version', () => {
    const input = new ConnectionQueue('in', null, 'p');
    input.offer(ff('a'), 0);
    const s = new StandardProcessSession(plainHost({ input }));
    const v1 = s.get()!;
    s.putAttribute(v1, 'k', 'v');
    expect(() => s.transfer(v1, 'success')).toThrow(SessionError);
    expect(() => s.transfer(v1, 'success')).toThrow(/not the latest version/);
  });

  it('refuses FlowFiles from elsewhere and FlowFiles already removed', () => {
    const input = new ConnectionQueue('in', null, 'p');
    input.offer(ff('a'), 0);
    const s = new StandardProcessSession(plainHost({ input }));
    expect(() => s.transfer(ff('x'), 'success')).toThrow('FlowFile x does not belong to this session');
    const a = s.get()!;
    s.remove(a);
    expect(() => s.transfer(a, 'success')).toThrow('FlowFile a was already removed');
  });

  it('fails on a relationship that is neither connected nor auto-terminated', async () => {
    const input = new ConnectionQueue('in', null, 'p');
    input.offer(ff('a'), 0);
    const host = plainHost({ input });
    const s = new StandardProcessSession(host);
    s.transfer(s.get()!, 'loose');
    await expect(s.commit()).rejects.toThrow("relationship 'loose' is neither connected nor auto-terminated");
    expect(host.commits).toHaveLength(0);
    expect(input.list().map((f) => f.uuid)).toEqual(['a']);
    expect(input.inFlightCount).toBe(0);
  });

  it('removes a taken FlowFile: deleted in the transaction, DROP recorded', async () => {
    const input = new ConnectionQueue('in', null, 'p');
    input.offer(ff('a'), 0);
    const host = plainHost({ input });
    const s = new StandardProcessSession(host);
    s.remove(s.get()!);
    const outcome = await s.commit();
    expect(outcome.transaction.deletes).toEqual(['a']);
    expect(outcome.events.map((e) => [e.eventType, e.details])).toEqual([['DROP', 'removed by the processor']]);
  });

  it('create with several parents keeps only their common attributes and the oldest lineage', async () => {
    const input = new ConnectionQueue('in', null, 'p');
    input.offer({ ...ff('a', { shared: '1', only: 'a', differs: 'x' }), lineageStartDate: 50 }, 0);
    input.offer({ ...ff('b', { shared: '1', differs: 'y' }), lineageStartDate: 80 }, 0);
    const s = new StandardProcessSession(plainHost({ input }));
    const [a, b] = s.getBatch(10);
    const merged = s.create([a!, b!]);
    expect(merged.attributes).toEqual({ shared: '1', uuid: merged.uuid });
    expect(merged.parentUuids).toEqual(['a', 'b']);
    expect(merged.lineageStartDate).toBe(50);
    s.transfer(merged, 'success');
    s.remove(a!);
    s.remove(b!);
    const outcome = await s.commit();
    expect(outcome.events.map((e) => e.eventType)).toEqual(['JOIN', 'ROUTE', 'DROP', 'DROP']);
    expect(outcome.events[0]).toMatchObject({ flowFileUuid: merged.uuid, parentUuids: ['a', 'b'], details: 'joined 2 parents' });
    expect(outcome.transaction.deletes).toEqual(['a', 'b']);
  });

  it('takes from several incoming queues in turn', () => {
    const q1 = new ConnectionQueue('in1', null, 'p');
    const q2 = new ConnectionQueue('in2', null, 'p');
    for (const id of ['a1', 'a2', 'a3']) q1.offer(ff(id), 0);
    for (const id of ['b1']) q2.offer(ff(id), 0);
    const s = new StandardProcessSession(plainHost({ incoming: [q1, q2] }));
    expect(s.queueSize()).toBe(4);
    expect(s.getBatch(10).map((f) => f.uuid)).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(s.get()).toBeNull();
  });

  it('a root FlowFile gets uuid, filename and path, and a CREATE event', async () => {
    const s = new StandardProcessSession(plainHost());
    const root = s.create();
    expect(root.attributes).toEqual({ uuid: root.uuid, filename: root.uuid, path: './' });
    s.transfer(root, 'success');
    const outcome = await s.commit();
    expect(outcome.events.map((e) => e.eventType)).toEqual(['CREATE']);
    expect(outcome.flowFilesOut).toBe(1);
  });

  it('never changes the uuid attribute', () => {
    const s = new StandardProcessSession(plainHost());
    const root = s.create();
    expect(s.putAttribute(root, 'uuid', 'other')).toBe(root);
    const next = s.putAllAttributes(root, { uuid: 'other', a: '1' });
    expect(next.attributes['uuid']).toBe(root.uuid);
    expect(s.removeAllAttributes(next, /.*/).attributes).toEqual({ uuid: root.uuid });
  });

  it('penalize marks the FlowFile until now + penalty', () => {
    const s = new StandardProcessSession(plainHost());
    expect(s.penalize(s.create()).penaltyExpiration).toBe(1500);
  });

  it('rollback returns taken FlowFiles to the head of their queue in order, unpenalized unless asked', () => {
    const input = new ConnectionQueue('in', null, 'p');
    for (const id of ['a', 'b', 'c']) input.offer(ff(id), 0);
    const s = new StandardProcessSession(plainHost({ input }));
    s.get();
    s.get();
    expect(s.queueSize()).toBe(1);
    s.rollback();
    expect(input.list().map((f) => f.uuid)).toEqual(['a', 'b', 'c']);
    expect(input.hasReady(1000)).toBe(true);
    expect(input.inFlightCount).toBe(0);
    expect(s.isEmpty).toBe(true);
  });

  it('getFiltered takes what the filter accepts, leaves the rest queued in order, and stops on TERMINATE', async () => {
    const input = new ConnectionQueue('in', null, 'p');
    for (const [id, kind] of [['a', 'txt'], ['b', 'csv'], ['c', 'txt'], ['d', 'txt'], ['e', 'txt']] as const) input.offer(ff(id, { kind }), 0);
    input.offer({ ...ff('late', { kind: 'txt' }), penaltyExpiration: 5000 }, 0);
    const s = new StandardProcessSession(plainHost({ input }));
    const seen: string[] = [];
    const got = s.getFiltered((f) => {
      seen.push(f.uuid);
      if (f.uuid === 'd') return 'ACCEPT_AND_TERMINATE';
      return f.attributes['kind'] === 'txt' ? 'ACCEPT_AND_CONTINUE' : 'REJECT_AND_CONTINUE';
    });
    expect(got.map((f) => f.uuid)).toEqual(['a', 'c', 'd']);
    // Penalized FlowFiles are not offered; nothing after TERMINATE is asked about.
    expect(seen).toEqual(['a', 'b', 'c', 'd']);
    expect(input.list().map((f) => f.uuid)).toEqual(['late', 'b', 'e']);
    expect(input.inFlightCount).toBe(3);
    for (const f of got) s.transfer(f, 'success');
    await s.commit();
    expect(s.get()!.uuid).toBe('b');
  });

  it('getFiltered FlowFiles go back to their queue on rollback', () => {
    const input = new ConnectionQueue('in', null, 'p');
    for (const id of ['a', 'b']) input.offer(ff(id), 0);
    const s = new StandardProcessSession(plainHost({ input }));
    expect(s.getFiltered((f) => (f.uuid === 'b' ? 'ACCEPT_AND_CONTINUE' : 'REJECT_AND_CONTINUE')).map((f) => f.uuid)).toEqual(['b']);
    s.rollback();
    expect(input.list().map((f) => f.uuid).sort()).toEqual(['a', 'b']);
    expect(input.inFlightCount).toBe(0);
  });

  it('records provenance a processor adds (SEND with its transit URI)', async () => {
    const s = new StandardProcessSession(plainHost());
    const root = s.create();
    s.provenance(root, 'SEND', 'https://omnitron.example/api/stock', 'sent 3 rows');
    s.transfer(root, 'failure');
    const outcome = await s.commit();
    expect(outcome.events.map((e) => e.eventType)).toEqual(['SEND', 'DROP']);
    expect(outcome.events[0]).toMatchObject({ transitUri: 'https://omnitron.example/api/stock', details: 'sent 3 rows' });
  });

  it('works out details given as a function once, at the commit, with the event keeping the time it was recorded', async () => {
    const host = plainHost();
    const s = new StandardProcessSession(host);
    const root = s.create();
    let calls = 0;
    s.provenance(root, 'SEND', 'https://omnitron.example/api/stock', () => `sent chunk ${++calls}`);
    expect(calls).toBe(0);
    await (host.clock as TestClock).advance(250);
    s.transfer(root, 'failure');
    const outcome = await s.commit();
    expect(calls).toBe(1);
    expect(outcome.events[0]).toMatchObject({ eventType: 'SEND', details: 'sent chunk 1', timestamp: 1000 });

    // A session rolled back never writes its details out.
    const again = new StandardProcessSession(host);
    const other = again.create();
    again.provenance(other, 'SEND', 'https://omnitron.example/api/stock', () => `sent chunk ${++calls}`);
    again.rollback();
    expect(calls).toBe(1);
  });
});
