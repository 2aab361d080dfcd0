/** Wait and Notify against the cases of NiFi's TestWait and TestNotify, restated, with Notify writing the signals. */
import type { MapCacheStore } from '@sluice/flow-api';
import { describe, expect, it } from 'vitest';
import { loopBack, signal, signalEntry, texts, waitNotifyPair } from '../map-cache/wait-notify.testing.js';

const gateAttributes = { batch: 'key', targetSignalCount: '3', signalCounterName: 'counter', fragmentCount: '6' };
const gateConfig = { 'Target Signal Count': '${targetSignalCount}', 'Signal Counter Name': '${signalCounterName}', 'Wait Buffer Count': '2' };

describe('Wait and Notify (NiFi TestWait / TestNotify cases)', () => {
  it('testWaitForTotalCount: counters add up to the target; cached attributes fill in, the FlowFile keeps its own; the signal is removed', async () => {
    const { wait: w, notify: n, store } = waitNotifyPair({ 'Target Signal Count': '${targetSignalCount}' }, { 'Signal Counter Name': '${counter}', 'Attribute Cache Regular Expression': '.*' });
    const cached = { batch: 'key', both: 'notifyValue', 'notify.only': 'notifyValue' };
    await signal(n, { ...cached, counter: 'counter-A' });
    w.enqueue('content', { batch: 'key', targetSignalCount: '3', 'wait.only': 'waitValue', both: 'waitValue' });
    await w.run();
    const started = w.flowFilesFor('wait')[0]!.getAttribute('wait.start.timestamp');
    loopBack(w);
    await signal(n, { ...cached, counter: 'counter-B' });
    await w.clock.advance(10);
    await w.run();
    w.assertAllTransferred('wait', 1);
    expect(w.flowFilesFor('wait')[0]!.getAttribute('wait.start.timestamp')).toBe(started);
    loopBack(w);
    await signal(n, { ...cached, counter: 'counter-C' });
    await w.run();
    w.assertAllTransferred('success', 1);
    const out = w.flowFilesFor('success')[0]!;
    out.assertAttributeNotExists('wait.start.timestamp');
    out.assertAttributeEquals('notify.only', 'notifyValue');
    out.assertAttributeEquals('wait.only', 'waitValue');
    out.assertAttributeEquals('both', 'waitValue');
    expect(await signalEntry(store, 'key')).toBeNull();
  });

  it('testReleaseMultipleFlowFiles: one target buys Releasable FlowFile Count passes, kept with the signal', async () => {
    const { wait: w, notify: n, store } = waitNotifyPair({ ...gateConfig, 'Releasable FlowFile Count': '${fragmentCount}' }, { 'Signal Counter Name': 'counter', 'Signal Counter Delta': '3' });
    for (let i = 1; i <= 6; i++) w.enqueue(String(i), gateAttributes);
    await w.run();
    expect(texts(loopBack(w))).toEqual(['1', '2']);
    expect(await signalEntry(store, 'key')).toBeNull();
    await signal(n, { batch: 'key' });
    await w.run();
    expect(texts(w.flowFilesFor('success'))).toEqual(['3', '4']);
    expect((await signalEntry(store, 'key'))!).toMatchObject({ counts: { counter: 0 }, releasableCount: 4 });
    w.clearTransferState();
    await w.run();
    expect(texts(w.flowFilesFor('success'))).toEqual(['5', '6']);
    expect((await signalEntry(store, 'key'))!.releasableCount).toBe(2);
  });

  it('testOpenGate: Releasable FlowFile Count 0 lets everything through while the counter is at the target, without consuming it', async () => {
    const { wait: w, notify: n, store } = waitNotifyPair({ ...gateConfig, 'Releasable FlowFile Count': '0' }, { 'Signal Counter Name': 'counter', 'Signal Counter Delta': '3' });
    for (let i = 1; i <= 6; i++) w.enqueue(String(i), gateAttributes);
    await w.run();
    expect(texts(loopBack(w))).toEqual(['1', '2']);
    await signal(n, { batch: 'key' });
    await w.run();
    expect(texts(w.flowFilesFor('success'))).toEqual(['3', '4']);
    await w.run();
    expect(texts(w.flowFilesFor('success'))).toEqual(['3', '4', '5', '6']);
    expect((await signalEntry(store, 'key'))!).toMatchObject({ counts: { counter: 3 }, releasableCount: 0 });
  });

  it('testWaitProgressedRollsBackOnConcurrentReplaceFailure / testWaitCompletedRollsBack…: a signal changed meanwhile rolls back', async () => {
    for (const count of [2, 1]) {
      const { wait: w, notify: n, store } = waitNotifyPair();
      await signal(n, { batch: 'key' }, count);
      // Another node notifies between this Wait's read and its write.
      const racing: MapCacheStore = {
        ...store,
        fetch: async (c, k) => {
          const e = await store.fetch(c, k);
          await store.put(c, k, e!.value);
          return e;
        },
        getAndPutIfAbsent: store.getAndPutIfAbsent.bind(store),
        put: store.put.bind(store),
        replace: store.replace.bind(store),
        remove: store.remove.bind(store),
      };
      (w.services as { mapCache?: MapCacheStore }).mapCache = racing;
      w.enqueue('', { batch: 'key' });
      await expect(w.run()).rejects.toThrow(/concurrently/);
      expect(w.queueSize()).toBe(1);
      expect((await signalEntry(store, 'key'))!.counts.default).toBe(count);
    }
  });

  it('TestNotify testNotifyCounters / testNotifyCountersBatch: deltas add per counter and buffer per identifier', async () => {
    const { notify: n, store } = waitNotifyPair({}, { 'Signal Counter Name': '${status}', 'Signal Counter Delta': '${delta}', 'Signal Buffer Count': '4' });
    n.enqueue('', { batch: '1', status: 'success', delta: '2' });
    n.enqueue('', { batch: '1', status: 'success', delta: '3' });
    n.enqueue('', { batch: '1', status: 'failure', delta: '1' });
    n.enqueue('', { batch: '2', status: 'success', delta: '10' });
    await n.run();
    n.assertAllTransferred('success', 4);
    expect((await signalEntry(store, '1'))!.counts).toEqual({ success: 5, failure: 1 });
    expect((await signalEntry(store, '2'))!.counts).toEqual({ success: 10 });
  });
});
