import { SteppingClock, TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { LIST_BATCH, MergeContent } from './merge-content.processor.js';

function runner(config: Record<string, string>) {
  const r = new TestRunner(MergeContent);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  return r;
}
const merged = (r: TestRunner) => r.flowFilesFor('merged');
const keep = { stopOnFinish: false };

describe('MergeContent bins held across triggers', () => {
  it('Max Bin Age merges FlowFiles that arrived over many triggers, aged from the first', async () => {
    const r = runner({ 'Minimum Number of Entries': '100', 'Max Bin Age': '10 sec' });
    for (const c of 'abcdefgh') {
      r.enqueue(c);
      await r.run(1, keep);
      await r.clock.advance(1000);
    }
    expect(merged(r)).toHaveLength(0);
    expect(r.queueSize()).toBe(8);
    await r.clock.advance(2500);
    await r.run(1, keep);
    const [bundle] = merged(r);
    bundle!.assertContentEquals('abcdefgh');
    bundle!.assertAttributeEquals('merge.reason', 'TIMEOUT');
    bundle!.assertAttributeEquals('merge.bin.age', '10500');
    r.assertQueueEmpty();
  });

  it('evicts the oldest bin when another is needed and Maximum Number of Bins are open', async () => {
    const r = runner({ 'Correlation Attribute Name': 'g', 'Minimum Number of Entries': '10', 'Maximum Number of Bins': '2' });
    for (const [content, g] of [['a1', 'a'], ['b1', 'b'], ['a2', 'a'], ['c1', 'c'], ['b2', 'b']]) {
      r.enqueue(content, { g: g! });
      await r.run(1, keep);
      await r.clock.advance(100);
    }
    expect(merged(r).map((m) => [m.contentText(), m.getAttribute('merge.reason')])).toEqual([['a1a2', 'BIN_MANAGER_FULL']]);
    expect(r.queued().map((f) => f.contentText())).toEqual(['b1', 'c1', 'b2']);
    r.enqueue('d1', { g: 'd' });
    await r.run(1, keep);
    expect(merged(r).map((m) => m.contentText())).toEqual(['a1a2', 'b1b2']);
    expect(r.queued().map((f) => f.contentText())).toEqual(['c1', 'd1']);
  });

  it('a restart rebuilds the bins from the queue: nothing lost, nothing merged twice, age counted from the restart', async () => {
    const r = runner({ 'Minimum Number of Entries': '4', 'Max Bin Age': '10 sec' });
    r.enqueue('a');
    r.enqueue('b');
    await r.run(1, keep);
    await r.clock.advance(8000);
    await r.run(1);
    r.enqueue('c');
    await r.clock.advance(8000);
    await r.run(1, keep);
    expect(merged(r)).toHaveLength(0);
    expect(r.queueSize()).toBe(3);
    // 18.5 s after a and b arrived, but only 2.5 s after the restart.
    await r.clock.advance(2500);
    await r.run(1, keep);
    expect(merged(r)).toHaveLength(0);
    await r.clock.advance(8000);
    await r.run(1, keep);
    expect(merged(r).map((m) => [m.contentText(), m.getAttribute('merge.reason'), m.getAttribute('merge.bin.age')])).toEqual([['abc', 'TIMEOUT', '10500']]);
    expect(r.flowFilesFor('original').map((o) => o.contentText())).toEqual(['a', 'b', 'c']);
    r.assertQueueEmpty();
  });

  it('works through a queue longer than one look, in order, each FlowFile merged once', async () => {
    const total = LIST_BATCH * 2 + 500;
    const r = runner({ 'Maximum Number of Entries': '1000', 'Demarcator': ',', 'Delimiter Strategy': 'Text' });
    for (let i = 0; i < total; i++) r.enqueue(String(i));
    let triggers = 0;
    while (r.queueSize() > 0 && triggers < 10) {
      await r.run(1, keep);
      triggers++;
    }
    r.assertQueueEmpty();
    const bundles = merged(r);
    expect(bundles).toHaveLength(Math.ceil(total / 1000));
    expect(bundles.flatMap((b) => b.contentText().split(',')).map(Number)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(bundles.at(-1)!.getAttribute('merge.reason')).toBe('MIN_THRESHOLDS_REACHED');
    expect(r.flowFilesFor('original')).toHaveLength(total);
  });

  it('merges the ready bins while the time slice lasts and the rest, in order, in the next triggers', async () => {
    // Each read of the time costs 1 ms, so a 3 ms slice lasts a bin or two of the ten ready at once.
    const r = new TestRunner(MergeContent, { clock: new SteppingClock(1), timeSliceMs: 3 });
    r.setProperty('Maximum Number of Entries', '2');
    for (let i = 0; i < 20; i++) r.enqueue(String.fromCharCode(97 + i));
    await r.run(1, keep);
    const first = merged(r).length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(10);
    expect(r.queueSize()).toBe(20 - 2 * first);
    for (let n = 0; n < 20 && r.queueSize() > 0; n++) await r.run(1, keep);
    expect(merged(r).map((m) => m.contentText()).join('')).toBe('abcdefghijklmnopqrst');
    expect(merged(r).every((m) => m.getAttribute('merge.reason') === 'MAX_ENTRIES_THRESHOLD_REACHED')).toBe(true);
  });
});
