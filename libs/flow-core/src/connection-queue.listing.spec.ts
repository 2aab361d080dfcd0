import type { FlowFile } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { ConnectionQueue } from './connection-queue.js';

const NOW = 1_000_000;

function ff(uuid: string, size = 1, penaltyExpiration = 0): FlowFile {
  return { uuid, attributes: { uuid }, contentClaim: null, size, lineageStartDate: NOW, entryDate: NOW, parentUuids: [], penaltyExpiration };
}

const ids = (list: readonly FlowFile[]) => list.map((f) => f.uuid);

function filled(n: number): ConnectionQueue {
  const q = new ConnectionQueue('c', 'a', 'b', 1_000_000);
  for (let i = 0; i < n; i++) q.offer(ff(String(i)), NOW);
  return q;
}

describe('ConnectionQueue listing', () => {
  it('lists the whole queue first, then only what arrived since, without taking anything', () => {
    const q = filled(3);
    const first = q.listNew(null, 10, NOW);
    expect(ids(first.flowFiles)).toEqual(['0', '1', '2']);
    expect(first.complete).toBe(true);
    expect(first.more).toBe(false);
    q.offer(ff('3'), NOW);
    q.offer(ff('4'), NOW);
    const next = q.listNew(first.epoch, 10, NOW);
    expect(ids(next.flowFiles)).toEqual(['3', '4']);
    expect(next.complete).toBe(false);
    expect(next.epoch).toBe(first.epoch);
    expect(q.listNew(next.epoch, 10, NOW).flowFiles).toEqual([]);
    expect(q.count).toBe(5);
  });

  it('lists at most max at a time and says more are left', () => {
    const q = filled(5);
    const a = q.listNew(null, 2, NOW);
    expect([ids(a.flowFiles), a.more]).toEqual([['0', '1'], true]);
    const b = q.listNew(a.epoch, 2, NOW);
    expect([ids(b.flowFiles), b.more, b.complete]).toEqual([['2', '3'], true, false]);
    const c = q.listNew(b.epoch, 2, NOW);
    expect([ids(c.flowFiles), c.more]).toEqual([['4'], false]);
  });

  it('lists a penalized FlowFile once its penalty is over', () => {
    const q = new ConnectionQueue('c', 'a', 'b');
    const first = q.listNew(null, 10, NOW);
    q.offer(ff('late', 1, NOW + 500), NOW);
    q.offer(ff('ready'), NOW);
    expect(ids(q.listNew(first.epoch, 10, NOW).flowFiles)).toEqual(['ready']);
    expect(ids(q.listNew(first.epoch, 10, NOW + 100).flowFiles)).toEqual([]);
    expect(ids(q.listNew(first.epoch, 10, NOW + 500).flowFiles)).toEqual(['late']);
  });

  it('starts over from the whole queue after FlowFiles left it other than by takeListed', () => {
    for (const leave of [
      (q: ConnectionQueue) => q.poll(NOW),
      (q: ConnectionQueue) => q.take('1'),
      (q: ConnectionQueue) => q.clear(),
      (q: ConnectionQueue) => q.returnToHead([], NOW),
      (q: ConnectionQueue) => q.pollMatching(NOW, () => 'REJECT_AND_TERMINATE'),
    ]) {
      const q = filled(3);
      const { epoch } = q.listNew(null, 10, NOW);
      leave(q);
      const again = q.listNew(epoch, 10, NOW);
      expect(again.complete).toBe(true);
      expect(again.epoch).not.toBe(epoch);
      expect(ids(again.flowFiles)).toEqual(ids(q.list()));
    }
  });

  it('never matches the epoch of another queue', () => {
    const a = filled(1);
    const b = filled(1);
    const { epoch } = a.listNew(null, 10, NOW);
    b.listNew(null, 10, NOW);
    expect(b.listNew(epoch, 10, NOW).complete).toBe(true);
  });

  it('takes exactly the listed FlowFiles asked for, keeping the order and place of the rest', () => {
    const q = filled(6);
    const listed = q.listNew(null, 10, NOW).flowFiles;
    const wanted = new Set([listed[4]!, listed[1]!, listed[2]!]);
    const taken = q.takeListed(wanted);
    expect(ids(taken)).toEqual(['1', '2', '4']);
    expect(wanted.size).toBe(0);
    expect(ids(q.list())).toEqual(['0', '3', '5']);
    expect(q.count).toBe(3);
    expect(q.bytes).toBe(3);
    expect(q.inFlightCount).toBe(3);
    q.offer(ff('6'), NOW);
    expect(ids(q.list())).toEqual(['0', '3', '5', '6']);
    expect(ids(q.listNew(q.listingEpoch(), 10, NOW).flowFiles)).toEqual(['6']);
    expect(q.poll(NOW)!.uuid).toBe('0');
  });

  it('leaves out a FlowFile no longer queued and keeps it in wanted', () => {
    const q = filled(2);
    const gone = ff('gone');
    const wanted = new Set([q.list()[1]!, gone]);
    expect(ids(q.takeListed(wanted))).toEqual(['1']);
    expect([...wanted]).toEqual([gone]);
    expect(ids(q.list())).toEqual(['0']);
  });

  it('takes from the head many times over a long queue and keeps every FlowFile once', () => {
    const q = filled(10_000);
    const { epoch } = q.listNew(null, 10, NOW);
    const seen: string[] = [];
    for (let round = 0; round < 100; round++) {
      const head = q.list(100);
      // Every other FlowFile of the head goes now; the ones left behind go in the next round.
      seen.push(...ids(q.takeListed(new Set(head.filter((_, i) => i % 2 === 0 || round % 2 === 1)))));
    }
    seen.push(...ids(q.takeListed(new Set(q.list()))));
    expect(seen.map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(q.count).toBe(0);
    expect(q.listNew(epoch, 10, NOW).complete).toBe(false);
  });
});
