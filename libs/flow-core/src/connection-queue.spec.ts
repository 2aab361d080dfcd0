import type { FlowFile } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { ConnectionQueue } from './connection-queue.js';

const NOW = 1_000_000;

function ff(uuid: string, size = 1, penaltyExpiration = 0): FlowFile {
  return { uuid, attributes: { uuid }, contentClaim: null, size, lineageStartDate: NOW, entryDate: NOW, parentUuids: [], penaltyExpiration };
}

function drain(q: ConnectionQueue, now: number): string[] {
  const out: string[] = [];
  for (let f = q.poll(now); f; f = q.poll(now)) out.push(f.uuid);
  return out;
}

describe('ConnectionQueue', () => {
  it('hands FlowFiles out first in, first out', () => {
    const q = new ConnectionQueue('c', 'a', 'b');
    for (const id of ['1', '2', '3', '4']) q.offer(ff(id), NOW);
    expect(q.count).toBe(4);
    expect(drain(q, NOW)).toEqual(['1', '2', '3', '4']);
    expect(q.poll(NOW)).toBeNull();
  });

  it('keeps FIFO order across the compaction of its internal array', () => {
    const q = new ConnectionQueue('c', 'a', 'b', 100_000);
    for (let i = 0; i < 3000; i++) q.offer(ff(String(i)), NOW);
    const first = [];
    for (let i = 0; i < 2000; i++) first.push(q.poll(NOW)!.uuid);
    for (let i = 3000; i < 3100; i++) q.offer(ff(String(i)), NOW);
    const rest = drain(q, NOW);
    expect(first.concat(rest)).toEqual(Array.from({ length: 3100 }, (_, i) => String(i)));
  });

  it('skips penalized FlowFiles until their penalty expires', () => {
    const q = new ConnectionQueue('c', 'a', 'b');
    q.offer(ff('late', 1, NOW + 5000), NOW);
    q.offer(ff('ready'), NOW);
    expect(q.hasReady(NOW)).toBe(true);
    expect(q.poll(NOW)!.uuid).toBe('ready');
    expect(q.hasReady(NOW)).toBe(false);
    expect(q.poll(NOW)).toBeNull();
    expect(q.count).toBe(1);
    expect(q.nextPenaltyExpiry()).toBe(NOW + 5000);
    expect(q.poll(NOW + 5000)!.uuid).toBe('late');
    expect(q.nextPenaltyExpiry()).toBeNull();
  });

  it('puts rolled-back FlowFiles back at the head in their original order', () => {
    const q = new ConnectionQueue('c', 'a', 'b');
    for (const id of ['1', '2', '3', '4']) q.offer(ff(id), NOW);
    const taken = [q.poll(NOW)!, q.poll(NOW)!];
    q.acknowledge(2, 2);
    q.returnToHead(taken, NOW);
    expect(drain(q, NOW)).toEqual(['1', '2', '3', '4']);
  });

  it('returns more FlowFiles to the head than it has free slots before its head', () => {
    const q = new ConnectionQueue('c', 'a', 'b');
    q.offer(ff('3'), NOW);
    q.returnToHead([ff('1'), ff('2')], NOW);
    expect(drain(q, NOW)).toEqual(['1', '2', '3']);
  });

  it('counts in-flight FlowFiles towards back pressure until they are acknowledged', () => {
    const q = new ConnectionQueue('c', 'a', 'b', 2, 1024 ** 3);
    q.offer(ff('1'), NOW);
    q.offer(ff('2'), NOW);
    expect(q.isFull()).toBe(true);
    q.poll(NOW);
    expect(q.count).toBe(1);
    expect(q.isFull()).toBe(true);
    q.acknowledge(1, 1);
    expect(q.isFull()).toBe(false);
    expect(q.fill()).toBe(0.5);
  });

  it('applies back pressure on data size', () => {
    const q = new ConnectionQueue('c', 'a', 'b', 10_000, 100);
    q.offer(ff('1', 60), NOW);
    expect(q.isFull()).toBe(false);
    expect(q.bytes).toBe(60);
    q.offer(ff('2', 40), NOW);
    expect(q.isFull()).toBe(true);
    expect(q.fill()).toBe(1);
  });

  it('lists penalized FlowFiles first, finds by uuid and clears everything queued', () => {
    const q = new ConnectionQueue('c', 'a', 'b');
    q.offer(ff('1'), NOW);
    q.offer(ff('p', 1, NOW + 1), NOW);
    q.offer(ff('2'), NOW);
    expect(q.list().map((f) => f.uuid)).toEqual(['p', '1', '2']);
    expect(q.list(2).map((f) => f.uuid)).toEqual(['p', '1']);
    expect(q.find('2')?.uuid).toBe('2');
    expect(q.find('nope')).toBeUndefined();
    expect(q.clear().map((f) => f.uuid)).toEqual(['p', '1', '2']);
    expect(q.count).toBe(0);
    expect(q.bytes).toBe(0);
  });
});
