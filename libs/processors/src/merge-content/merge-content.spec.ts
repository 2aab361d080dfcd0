import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { MergeContent } from './merge-content.processor.js';

function runner(config: Record<string, string> = {}) {
  const r = new TestRunner(MergeContent);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  return r;
}
const merged = (r: TestRunner) => r.flowFilesFor('merged');

describe('MergeContent relationships', () => {
  it('merged and original: one bundle, originals carry merge.uuid; the queue empties only with the commit', async () => {
    const r = runner({ 'Minimum Number of Entries': '3', 'Maximum Number of Entries': '3' });
    r.enqueue('a', { 'mime.type': 'text/plain', batch: '7' });
    r.enqueue('b', { 'mime.type': 'text/plain', batch: '7' });
    await r.run();
    // Two of three: nothing merged, both still queued (durable until a bundle is committed).
    expect(merged(r)).toHaveLength(0);
    expect(r.queueSize()).toBe(2);
    r.enqueue('c', { 'mime.type': 'text/plain', batch: '7' });
    await r.run();
    const [bundle] = merged(r);
    bundle!.assertContentEquals('abc');
    bundle!.assertAttributeEquals('merge.count', '3');
    bundle!.assertAttributeEquals('merge.reason', 'MAX_ENTRIES_THRESHOLD_REACHED');
    bundle!.assertAttributeEquals('mime.type', 'text/plain');
    bundle!.assertAttributeEquals('batch', '7');
    bundle!.assertAttributeExists('merge.bin.age');
    const originals = r.flowFilesFor('original');
    expect(originals.map((o) => o.contentText())).toEqual(['a', 'b', 'c']);
    for (const o of originals) o.assertAttributeEquals('merge.uuid', bundle!.uuid);
    r.assertQueueEmpty();
  });

  it('failure: Defragment with fragments whose fragment.count disagree', async () => {
    const r = runner({ 'Merge Strategy': 'Defragment', 'Max Bin Age': '1 sec' });
    r.enqueue('a', { 'fragment.identifier': 'x', 'fragment.index': '0', 'fragment.count': '2' });
    r.enqueue('b', { 'fragment.identifier': 'x', 'fragment.index': '1', 'fragment.count': '3' });
    await r.run(1, { stopOnFinish: false });
    await r.clock.advance(1500);
    await r.run();
    r.assertAllTransferred('failure', 2);
    expect(r.logs('error')[0]!.message).toMatch(/differing values for the fragment.count attribute: 2 and 3/);
  });
});

describe('MergeContent properties', () => {
  it('Minimum Number of Entries: a partial bin waits while FlowFiles keep coming, then goes once nothing new arrived', async () => {
    const r = runner({ 'Minimum Number of Entries': '2', 'Maximum Number of Entries': '10' });
    r.enqueue('a');
    r.enqueue('b');
    r.enqueue('c');
    await r.run(1, { stopOnFinish: false });
    expect(merged(r)).toHaveLength(0);
    await r.run();
    merged(r)[0]!.assertContentEquals('abc');
    merged(r)[0]!.assertAttributeEquals('merge.reason', 'MIN_THRESHOLDS_REACHED');
  });

  it('Minimum Number of Entries not met: nothing merges and the processor yields', async () => {
    const r = runner({ 'Minimum Number of Entries': '5' });
    r.enqueue('a');
    await r.run(3);
    expect(merged(r)).toHaveLength(0);
    expect(r.yields).toBeGreaterThan(0);
    expect(r.queueSize()).toBe(1);
  });

  it('Maximum Number of Entries splits a long queue into full bins', async () => {
    const r = runner({ 'Maximum Number of Entries': '2' });
    for (const c of 'abcde') r.enqueue(c);
    await r.run(2);
    expect(merged(r).map((m) => m.contentText())).toEqual(['ab', 'cd', 'e']);
    expect(merged(r).map((m) => m.getAttribute('merge.reason'))).toEqual(['MAX_ENTRIES_THRESHOLD_REACHED', 'MAX_ENTRIES_THRESHOLD_REACHED', 'MIN_THRESHOLDS_REACHED']);
  });

  it('Minimum Group Size holds a bin until it has enough bytes', async () => {
    const r = runner({ 'Minimum Group Size': '4 B' });
    r.enqueue('ab');
    await r.run(2);
    expect(merged(r)).toHaveLength(0);
    r.enqueue('cd');
    await r.run(2);
    merged(r)[0]!.assertContentEquals('abcd');
  });

  it('Maximum Group Size: a FlowFile that does not fit starts a new bin; one larger than the maximum is merged alone', async () => {
    const r = runner({ 'Maximum Group Size': '4 B' });
    r.enqueue('aa');
    r.enqueue('bb');
    r.enqueue('c');
    r.enqueue('dddddd');
    await r.run(2);
    const out = merged(r);
    expect(out.map((m) => m.contentText()).sort()).toEqual(['aabb', 'c', 'dddddd']);
    expect(out.find((m) => m.contentText() === 'aabb')!.getAttribute('merge.reason')).toBe('MAX_BYTES_THRESHOLD_REACHED');
    // NiFi leaves the reason unset for a FlowFile too large for any bin.
    expect(out.find((m) => m.contentText() === 'dddddd')!.getAttribute('merge.reason')).toBe('UNSET');
  });

  it('stopping the processor resets bin ages, as NiFi destroys its bins on stop', async () => {
    const r = runner({ 'Minimum Number of Entries': '100', 'Max Bin Age': '5 sec' });
    r.enqueue('a');
    await r.run();
    await r.clock.advance(6000);
    await r.run(1, { stopOnFinish: false });
    expect(merged(r)).toHaveLength(0);
  });

  it('Max Bin Age merges a bin below its minimum once it is older, with merge.bin.age', async () => {
    const r = runner({ 'Minimum Number of Entries': '100', 'Max Bin Age': '5 sec' });
    r.enqueue('a');
    await r.run(1, { stopOnFinish: false });
    await r.clock.advance(4000);
    await r.run(1, { stopOnFinish: false });
    expect(merged(r)).toHaveLength(0);
    await r.clock.advance(1500);
    await r.run();
    merged(r)[0]!.assertAttributeEquals('merge.reason', 'TIMEOUT');
    merged(r)[0]!.assertAttributeEquals('merge.bin.age', '5500');
  });

  it('Correlation Attribute Name bins like FlowFiles together', async () => {
    const r = runner({ 'Correlation Attribute Name': 'channel', 'Minimum Number of Entries': '2' });
    r.enqueue('a1', { channel: 'A' });
    r.enqueue('b1', { channel: 'B' });
    r.enqueue('a2', { channel: 'A' });
    r.enqueue('b2', { channel: 'B' });
    await r.run(2);
    expect(merged(r).map((m) => [m.getAttribute('channel'), m.contentText()]).sort()).toEqual([['A', 'a1a2'], ['B', 'b1b2']]);
  });

  it('Maximum Number of Bins: when another bin is needed, the oldest is merged (BIN_MANAGER_FULL)', async () => {
    const r = runner({ 'Correlation Attribute Name': 'channel', 'Minimum Number of Entries': '10', 'Maximum Number of Bins': '2' });
    r.enqueue('a', { channel: 'A' });
    r.enqueue('b', { channel: 'B' });
    r.enqueue('c', { channel: 'C' });
    await r.run();
    expect(merged(r).map((m) => [m.contentText(), m.getAttribute('merge.reason')])).toEqual([['a', 'BIN_MANAGER_FULL']]);
    expect(r.queueSize()).toBe(2);
  });

  it('Delimiter Strategy Text: Header, Demarcator and Footer, with Expression Language against the first FlowFile', async () => {
    const r = runner({ 'Delimiter Strategy': 'Text', Header: '[', Demarcator: ',\n', Footer: ']${suffix}' });
    r.enqueue('{"a":1}', { suffix: '!' });
    r.enqueue('{"b":2}', { suffix: '?' });
    await r.run(2);
    merged(r)[0]!.assertContentEquals('[{"a":1},\n{"b":2}]!');
  });

  it('Delimiter Strategy Do Not Use Delimiters ignores Header and Footer', async () => {
    const r = runner({ Header: 'H', Footer: 'F' });
    r.enqueue('x');
    await r.run(2);
    merged(r)[0]!.assertContentEquals('x');
  });

  it('Attribute Strategy: Keep Only Common drops conflicting and partial ones; Keep All Unique keeps partial ones', async () => {
    for (const [strategy, expected] of [['Keep Only Common Attributes', { shared: '1' }], ['Keep All Unique Attributes', { shared: '1', only: 'x' }]] as const) {
      const r = runner({ 'Attribute Strategy': strategy });
      r.enqueue('a', { shared: '1', differs: 'p', only: 'x' });
      r.enqueue('b', { shared: '1', differs: 'q' });
      await r.run(2);
      const m = merged(r)[0]!;
      expect(m.attributes).toMatchObject(expected);
      m.assertAttributeNotExists('differs');
      if (strategy === 'Keep Only Common Attributes') m.assertAttributeNotExists('only');
    }
  });

  it('mime.type is application/octet-stream when the FlowFiles differ; filename from segment.original.filename', async () => {
    const r = runner();
    r.enqueue('a', { 'mime.type': 'text/plain', 'segment.original.filename': 'stock.csv' });
    r.enqueue('b', { 'mime.type': 'text/csv' });
    await r.run(2);
    merged(r)[0]!.assertAttributeEquals('mime.type', 'application/octet-stream');
    merged(r)[0]!.assertAttributeEquals('filename', 'stock.csv');
  });

  it('Merge Strategy Defragment puts fragments back in fragment.index order, whatever the queue order', async () => {
    const r = runner({ 'Merge Strategy': 'Defragment' });
    r.enqueue('c', { 'fragment.identifier': 'f1', 'fragment.index': '3', 'fragment.count': '3', 'segment.original.filename': 'rows.txt' });
    r.enqueue('a', { 'fragment.identifier': 'f1', 'fragment.index': '1', 'fragment.count': '3', 'segment.original.filename': 'rows.txt' });
    r.enqueue('z', { 'fragment.identifier': 'f2', 'fragment.index': '1', 'fragment.count': '2' });
    await r.run();
    expect(merged(r)).toHaveLength(0);
    r.enqueue('b', { 'fragment.identifier': 'f1', 'fragment.index': '2', 'segment.original.filename': 'rows.txt' });
    await r.run();
    merged(r)[0]!.assertContentEquals('abc');
    merged(r)[0]!.assertAttributeEquals('filename', 'rows.txt');
    expect(r.queueSize()).toBe(1);
  });

  it('Bin Termination Check with FlowFile Insertion Strategy', async () => {
    const cases: [string, string[]][] = [['Last in Bin', ['ab!', 'c']], ['First in New Bin', ['a', 'b!c']], ['Isolated', ['a', 'b!', 'c']]];
    for (const [insertion, expected] of cases) {
      const r = runner({ 'Bin Termination Check': '${end:equals("yes")}', 'FlowFile Insertion Strategy': insertion });
      r.enqueue('a');
      r.enqueue('b!', { end: 'yes' });
      r.enqueue('c');
      await r.run(2);
      expect(merged(r).map((m) => m.contentText()).sort(), insertion).toEqual(expected);
    }
  });

  it('refuses formats and delimiter sources Sluice does not implement, and min above max', () => {
    const check = (config: Record<string, string>) => {
      const r = new TestRunner(MergeContent);
      for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
      return r.validate().map((v) => `${v.property}: ${v.message}`);
    };
    expect(check({ 'Merge Format': 'Avro' }).join()).toMatch(/Merge Format 'Avro' is not supported: Sluice has no Avro/);
    expect(check({ 'Merge Format': 'ZIP' })).toEqual([]);
    expect(check({ 'Delimiter Strategy': 'Filename' }).join()).toMatch(/does not read files/);
    expect(check({ 'Minimum Number of Entries': '5', 'Maximum Number of Entries': '2' }).join()).toMatch(/Min Entries must be less than or equal to Max Entries/);
  });

  it('migrates NiFi 1.x property names', () => {
    const r = new TestRunner(MergeContent).setProperty('Maximum number of Bins', '9').setProperty('Demarcator File', ',');
    r.migrateProperties();
    expect(r.configuredProperties).toEqual({ 'Maximum Number of Bins': '9', Demarcator: ',' });
  });
});
