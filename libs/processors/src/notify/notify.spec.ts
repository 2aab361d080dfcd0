import { MemoryMapCacheStore, SteppingClock, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { MapCacheClientService } from '../map-cache/map-cache-client.service.js';
import { signalEntry, texts, waitNotifyPair } from '../map-cache/wait-notify.testing.js';
import { Notify } from './notify.processor.js';

describe('Notify relationships', () => {
  it('success: the signal is written, notified=true', async () => {
    const { notify: n, store } = waitNotifyPair();
    n.assertValid();
    n.enqueue('', { batch: 'b1' });
    await n.run();
    n.assertAllTransferred('success', 1);
    n.flowFilesFor('success')[0]!.assertAttributeEquals('notified', 'true');
    expect(await signalEntry(store, 'b1')).toEqual({ counts: { default: 1 }, attributes: {}, releasableCount: 0 });
  });

  it('failure: a blank signal identifier or a delta that is not a whole number, notified=false', async () => {
    const { notify: n, store } = waitNotifyPair({}, { 'Signal Counter Delta': '${delta}' });
    n.enqueue('');
    n.enqueue('', { batch: 'b1', delta: 'lots' });
    await n.run(2);
    n.assertAllTransferred('failure', 2);
    for (const f of n.flowFilesFor('failure')) f.assertAttributeEquals('notified', 'false');
    expect(await signalEntry(store, 'b1')).toBeNull();
  });

  it('a cache that cannot be reached rolls back: the FlowFile stays queued', async () => {
    const { notify: n, store } = waitNotifyPair();
    store.failing = true;
    n.enqueue('', { batch: 'b1' });
    await expect(n.run()).rejects.toThrow();
    expect(n.queueSize()).toBe(1);
  });
});

describe('Notify properties', () => {
  it('Signal Counter Name and Signal Counter Delta add per counter; 0 resets the counter', async () => {
    const { notify: n, store } = waitNotifyPair({}, { 'Signal Counter Name': '${kind}', 'Signal Counter Delta': '${rows}' });
    n.enqueue('', { batch: 'b', kind: 'ok', rows: '40' });
    n.enqueue('', { batch: 'b', kind: 'ok', rows: '2' });
    n.enqueue('', { batch: 'b', kind: '', rows: '-1' });
    await n.run(3);
    expect((await signalEntry(store, 'b'))!.counts).toEqual({ ok: 42, default: -1 });
    n.enqueue('', { batch: 'b', kind: 'ok', rows: '0' });
    await n.run();
    expect((await signalEntry(store, 'b'))!.counts).toEqual({ ok: 0, default: -1 });
  });

  it('Signal Buffer Count: FlowFiles of one trigger are added up per signal identifier', async () => {
    const { notify: n, store } = waitNotifyPair({}, { 'Signal Buffer Count': '10' });
    for (const b of ['x', 'y', 'x', 'x']) n.enqueue('', { batch: b });
    await n.run();
    n.assertAllTransferred('success', 4);
    expect((await signalEntry(store, 'x'))!.counts).toEqual({ default: 3 });
    expect((await signalEntry(store, 'y'))!.counts).toEqual({ default: 1 });
  });

  it('Attribute Cache Regular Expression: matching attributes (whole names, never uuid) are cached with the signal', async () => {
    const { notify: n, store } = waitNotifyPair({}, { 'Attribute Cache Regular Expression': 'file.*|uuid' });
    n.enqueue('', { batch: 'b', filename: 'a.csv', 'my.file': 'no' });
    await n.run();
    expect((await signalEntry(store, 'b'))!.attributes).toEqual({ filename: 'a.csv' });
  });

  it('Attribute Cache Regular Expression must be a valid regular expression; the identifier is required', () => {
    const { notify: n } = waitNotifyPair({}, { 'Attribute Cache Regular Expression': '(' });
    n.removeProperty('Release Signal Identifier');
    expect(n.validate().map((i) => i.property).sort()).toEqual(['Attribute Cache Regular Expression', 'Release Signal Identifier']);
  });

  it('migrates NiFi 1 property keys', () => {
    const { notify: n } = waitNotifyPair();
    n.setProperty('signal-counter-delta', '5').setProperty('attribute-cache-regex', 'a.*');
    n.migrateProperties();
    expect(n.configuredProperties).toMatchObject({ 'Signal Counter Delta': '5', 'Attribute Cache Regular Expression': 'a.*' });
  });
});

describe('Notify and the engine time slice', () => {
  it('Signal Buffer Count is an upper bound: a trigger stops taking once the slice is spent, the rest are signalled next, in order', async () => {
    const store = new MemoryMapCacheStore();
    // Each read of the time costs 1 ms, so a 6 ms slice lasts a few FlowFiles of the buffer of 30.
    const n = new TestRunner(Notify, { services: { mapCache: store }, clock: new SteppingClock(1), timeSliceMs: 6 }).addControllerService('cache', MapCacheClientService);
    n.setProperties({ 'Distributed Cache Service': 'cache', 'Release Signal Identifier': '${batch}', 'Signal Buffer Count': '30' });
    for (let i = 0; i < 30; i++) n.enqueue(String(i), { batch: 'b1' });
    await n.run();
    const first = n.flowFilesFor('success').length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(30);
    expect(n.queueSize()).toBe(30 - first);
    expect((await signalEntry(store, 'b1'))!.counts).toEqual({ default: first });
    let triggers = 1;
    while (n.queueSize() > 0 && triggers < 30) {
      await n.run();
      triggers++;
    }
    n.assertQueueEmpty();
    expect(triggers).toBeGreaterThan(2);
    expect(texts(n.flowFilesFor('success'))).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
    expect((await signalEntry(store, 'b1'))!.counts).toEqual({ default: 30 });
  });

  it('takes the whole buffer in one trigger while the slice lasts', async () => {
    const n = new TestRunner(Notify, { services: { mapCache: new MemoryMapCacheStore() }, clock: new SteppingClock(1), timeSliceMs: 10_000 }).addControllerService('cache', MapCacheClientService);
    n.setProperties({ 'Distributed Cache Service': 'cache', 'Release Signal Identifier': '${batch}', 'Signal Buffer Count': '30' });
    for (let i = 0; i < 30; i++) n.enqueue(String(i), { batch: 'b1' });
    await n.run();
    n.assertAllTransferred('success', 30);
  });
});
