import { SteppingClock } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { loopBack, signal, signalEntry, texts, waitNotifyPair } from '../map-cache/wait-notify.testing.js';

describe('Wait relationships', () => {
  it('wait until the signal arrives, then success', async () => {
    const { wait: w, notify: n } = waitNotifyPair();
    w.assertValid();
    w.enqueue('row', { batch: 'b1' });
    await w.run();
    w.assertAllTransferred('wait', 1);
    w.flowFilesFor('wait')[0]!.assertAttributeEquals('wait.start.timestamp', String(w.clock.now()));
    expect(w.yields).toBe(1);
    loopBack(w);
    await signal(n, { batch: 'b1' });
    await w.run();
    w.assertAllTransferred('success', 1);
    const out = w.flowFilesFor('success')[0]!;
    out.assertAttributeNotExists('wait.start.timestamp');
    out.assertAttributeEquals('wait.counter.default', '1');
    out.assertAttributeEquals('wait.counter.total', '1');
  });

  it('expired: waited longer than Expiration Duration', async () => {
    const { wait: w } = waitNotifyPair({ 'Expiration Duration': '1 sec' });
    w.enqueue('row', { batch: 'b1' });
    await w.run();
    loopBack(w);
    await w.clock.advance(1001);
    await w.run();
    w.assertAllTransferred('expired', 1);
    w.flowFilesFor('expired')[0]!.assertAttributeNotExists('wait.start.timestamp');
  });

  it('failure: a blank signal identifier or a wait.start.timestamp that is not a number, penalized', async () => {
    const { wait: w } = waitNotifyPair();
    w.enqueue('a');
    w.enqueue('b', { batch: 'b1', 'wait.start.timestamp': 'yesterday' });
    await w.run();
    w.assertAllTransferred('failure', 2);
    for (const f of w.flowFilesFor('failure')) expect(f.isPenalized(w.clock.now())).toBe(true);
  });

  it('a cache that cannot be reached rolls the session back and leaves the FlowFiles queued', async () => {
    const { wait: w, store } = waitNotifyPair();
    store.failing = true;
    w.enqueue('a', { batch: 'b1' });
    await expect(w.run()).rejects.toThrow(/fetch/);
    expect(w.queueSize()).toBe(1);
  });
});

describe('Wait properties', () => {
  it('Target Signal Count and Signal Counter Name: releases when that counter reaches the target, and consumes it', async () => {
    const { wait: w, notify: n, store } = waitNotifyPair({ 'Target Signal Count': '2', 'Signal Counter Name': 'ok' }, { 'Signal Counter Name': '${kind}' });
    w.enqueue('row', { batch: 'b1' });
    await signal(n, { batch: 'b1', kind: 'ok' });
    await signal(n, { batch: 'b1', kind: 'error' }, 3);
    await w.run();
    w.assertAllTransferred('wait', 1);
    loopBack(w);
    await signal(n, { batch: 'b1', kind: 'ok' });
    await w.run();
    w.assertAllTransferred('success', 1);
    expect((await signalEntry(store, 'b1'))!.counts).toEqual({ ok: 0, error: 3 });
  });

  it('Wait Buffer Count: several FlowFiles of one signal per trigger; Releasable FlowFile Count: how many one target releases', async () => {
    const { wait: w, notify: n } = waitNotifyPair({ 'Wait Buffer Count': '5', 'Releasable FlowFile Count': '2' });
    for (let i = 1; i <= 5; i++) w.enqueue(String(i), { batch: 'b1' });
    await signal(n, { batch: 'b1' });
    await w.run();
    expect(texts(w.flowFilesFor('success'))).toEqual(['1', '2']);
    expect(texts(w.flowFilesFor('wait'))).toEqual(['3', '4', '5']);
  });

  it('Releasable FlowFile Count 0: an open gate while the count holds; a Notify delta of 0 closes it', async () => {
    const { wait: w, notify: n } = waitNotifyPair({ 'Releasable FlowFile Count': '0', 'Wait Buffer Count': '10' }, { 'Signal Counter Delta': '${delta}' });
    await signal(n, { batch: 'g', delta: '1' });
    for (let i = 1; i <= 3; i++) w.enqueue(String(i), { batch: 'g' });
    await w.run();
    w.assertAllTransferred('success', 3);
    w.clearTransferState();
    await signal(n, { batch: 'g', delta: '0' });
    w.enqueue('4', { batch: 'g' });
    await w.run();
    w.assertAllTransferred('wait', 1);
  });

  it('Attribute Copy Mode: keep original, or replace if present', async () => {
    for (const [mode, expected] of [['keeporiginal', 'mine'], ['replace', 'theirs']] as const) {
      const { wait: w, notify: n } = waitNotifyPair({ 'Attribute Copy Mode': mode }, { 'Attribute Cache Regular Expression': 'both|notify\\..*' });
      await signal(n, { batch: 'b', both: 'theirs', 'notify.only': 'x' });
      w.enqueue('row', { batch: 'b', both: 'mine' });
      await w.run();
      const out = w.flowFilesFor('success')[0]!;
      out.assertAttributeEquals('both', expected);
      out.assertAttributeEquals('notify.only', 'x');
    }
  });

  it('Wait Mode keep: FlowFiles still waiting go back to their queue', async () => {
    const { wait: w } = waitNotifyPair({ 'Wait Mode': 'keep' });
    w.enqueue('row', { batch: 'b1' });
    await w.run();
    expect(w.transferredRelationships()).toEqual([]);
    expect(w.queued()[0]!.getAttribute('wait.start.timestamp')).toBe(String(w.clock.now()));
  });

  it('Wait Penalty Duration: a signal that released nothing is skipped for a while, so another gets its turn', async () => {
    const { wait: w, notify: n } = waitNotifyPair({ 'Wait Penalty Duration': '5 sec', 'Wait Mode': 'keep' });
    w.enqueue('first', { batch: 'slow' });
    w.enqueue('second', { batch: 'fast' });
    await signal(n, { batch: 'fast' });
    await w.run(2, { stopOnFinish: false });
    expect(texts(w.flowFilesFor('success'))).toEqual(['second']);
  });

  it('Release Signal Identifier: one identifier per trigger; others wait for the next', async () => {
    const { wait: w, notify: n } = waitNotifyPair({ 'Wait Buffer Count': '10' });
    await signal(n, { batch: 'a' });
    await signal(n, { batch: 'b' });
    w.enqueue('a1', { batch: 'a' });
    w.enqueue('b1', { batch: 'b' });
    await w.run();
    expect(texts(w.flowFilesFor('success'))).toEqual(['a1']);
    await w.run();
    expect(texts(w.flowFilesFor('success'))).toEqual(['a1', 'b1']);
  });

  it('validates counts and the buffer, and needs the cache service', () => {
    const { wait: w } = waitNotifyPair({ 'Target Signal Count': '-1', 'Wait Buffer Count': '0', 'Releasable FlowFile Count': 'some' });
    expect(w.validate().map((i) => i.property).sort()).toEqual(['Releasable FlowFile Count', 'Target Signal Count', 'Wait Buffer Count']);
    w.setProperties({ 'Target Signal Count': '${n}', 'Wait Buffer Count': '1', 'Releasable FlowFile Count': '1', 'Distributed Cache Service': 'nope' });
    expect(w.validate()[0]!.message).toMatch(/does not exist/);
  });

  it('migrates NiFi 1 property keys', () => {
    const { wait: w } = waitNotifyPair();
    w.removeProperty('Release Signal Identifier').setProperty('release-signal-id', '${x}').setProperty('wait-mode', 'keep');
    w.migrateProperties();
    expect(w.configuredProperties).toMatchObject({ 'Release Signal Identifier': '${x}', 'Wait Mode': 'keep' });
  });
});

describe('Wait and the engine time slice', () => {
  it('Wait Buffer Count is an upper bound: a trigger stops taking once the slice is spent, the rest are released next, in order', async () => {
    // Each read of the time costs 1 ms, so a 6 ms slice lasts a few FlowFiles of the buffer of 30.
    const { wait: w, notify: n } = waitNotifyPair({ 'Wait Buffer Count': '30', 'Releasable FlowFile Count': '0' }, {}, { clock: new SteppingClock(1), timeSliceMs: 6 });
    for (let i = 0; i < 30; i++) w.enqueue(String(i), { batch: 'b1' });
    await signal(n, { batch: 'b1' });
    await w.run();
    const first = w.flowFilesFor('success').length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(30);
    expect(w.flowFilesFor('wait')).toEqual([]);
    expect(w.queueSize()).toBe(30 - first);
    let triggers = 1;
    while (w.queueSize() > 0 && triggers < 30) {
      await w.run();
      triggers++;
    }
    w.assertQueueEmpty();
    expect(triggers).toBeGreaterThan(2);
    w.assertAllTransferred('success', 30);
    expect(texts(w.flowFilesFor('success'))).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
  });
});
