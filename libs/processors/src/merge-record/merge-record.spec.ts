import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { CSVReader } from '../record-services/csv-reader.service.js';
import { CSVRecordSetWriter } from '../record-services/csv-record-set-writer.service.js';
import { JsonRecordSetWriter } from '../record-services/json-record-set-writer.service.js';
import { JsonTreeReader } from '../record-services/json-tree-reader.service.js';
import { MergeRecord } from './merge-record.processor.js';

function runner(props: Record<string, string> = {}) {
  const r = new TestRunner(MergeRecord)
    .addControllerService('reader', JsonTreeReader)
    .addControllerService('writer', JsonRecordSetWriter)
    .setProperty('Record Reader', 'reader')
    .setProperty('Record Writer', 'writer');
  for (const [k, v] of Object.entries(props)) r.setProperty(k, v);
  return r;
}

const rows = (from: number, n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: from + i })));
const ids = (content: string) => (JSON.parse(content) as { id: number }[]).map((r) => r.id);

describe('MergeRecord', () => {
  it('merged + original: bins up to Maximum Number of Records, the remainder once the queue is drained', async () => {
    const r = runner({ 'Maximum Number of Records': '4' });
    for (let i = 0; i < 5; i++) r.enqueue(rows(i * 2, 2), { batch: 'b', part: String(i) });
    await r.run();
    const merged = r.flowFilesFor('merged');
    expect(merged.map((m) => ids(m.contentText()))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(merged.map((m) => m.getAttribute('record.count'))).toEqual(['4', '4', '2']);
    expect(merged.map((m) => m.getAttribute('merge.count'))).toEqual(['2', '2', '1']);
    expect(merged.map((m) => m.getAttribute('merge.completion.reason'))).toEqual(['Bin is full', 'Bin is full', 'Bin has met minimum thresholds and no more FlowFiles are queued']);
    merged[0]!.assertAttributeEquals('mime.type', 'application/json');
    merged[0]!.assertAttributeEquals('batch', 'b');
    merged[0]!.assertAttributeNotExists('part');
    const originals = r.flowFilesFor('original');
    expect(originals).toHaveLength(5);
    expect(originals[0]!.getAttribute('merge.uuid')).toBe(merged[0]!.uuid);
  });

  it('Minimum Number of Records keeps FlowFiles queued until enough arrive; Max Bin Age merges what waited too long', async () => {
    const r = runner({ 'Minimum Number of Records': '5', 'Max Bin Age': '10 sec' });
    r.enqueue(rows(0, 2));
    await r.run();
    r.assertTransferCount('merged', 0);
    expect(r.queueSize()).toBe(1);
    r.enqueue(rows(2, 3));
    await r.run();
    expect(ids(r.flowFilesFor('merged')[0]!.contentText())).toEqual([0, 1, 2, 3, 4]);
    r.enqueue(rows(9, 1));
    await r.run();
    r.assertTransferCount('merged', 1);
    await r.clock.advance(10_000);
    await r.run();
    r.assertTransferCount('merged', 2);
    r.flowFilesFor('merged')[1]!.assertAttributeEquals('merge.completion.reason', 'Bin has reached Max Bin Age');
    r.flowFilesFor('merged')[1]!.assertAttributeEquals('merge.bin.age', 10_000);
  });

  it('Correlation Attribute Name and the schema keep unlike FlowFiles apart; Keep All Unique Attributes keeps non-conflicting ones', async () => {
    const r = runner({ 'Correlation Attribute Name': 'shop', 'Attribute Strategy': 'Keep All Unique Attributes' });
    r.enqueue(rows(0, 1), { shop: 'a', x: '1' });
    r.enqueue(rows(1, 1), { shop: 'b' });
    r.enqueue(rows(2, 1), { shop: 'a', y: '2' });
    r.enqueue('[{"other":true}]', { shop: 'a' });
    await r.run();
    const merged = r.flowFilesFor('merged');
    expect(merged.map((m) => m.contentText())).toEqual(['[{"id":0},{"id":2}]', '[{"id":1}]', '[{"other":true}]']);
    merged[0]!.assertAttributeEquals('x', '1');
    merged[0]!.assertAttributeEquals('y', '2');
  });

  it('Defragment rebuilds split FlowFiles in fragment.index order; incomplete ones go to failure at Max Bin Age', async () => {
    const r = runner({ 'Merge Strategy': 'Defragment', 'Max Bin Age': '5 sec' });
    const frag = (id: string, index: number, count: number) => ({ 'fragment.identifier': id, 'fragment.index': String(index), 'fragment.count': String(count) });
    r.enqueue(rows(2, 1), frag('f1', 1, 2));
    r.enqueue(rows(9, 1), frag('f2', 0, 3));
    r.enqueue(rows(0, 2), frag('f1', 0, 2));
    await r.run();
    expect(r.flowFilesFor('merged').map((m) => ids(m.contentText()))).toEqual([[0, 1, 2]]);
    await r.clock.advance(5_000);
    await r.run();
    expect(r.flowFilesFor('failure')[0]!.getAttribute('record.error.message')).toBe("only 1 of 3 fragments of 'f2' arrived before Max Bin Age");
    r.enqueue(rows(0, 1));
    await r.run();
    expect(r.flowFilesFor('failure')[1]!.getAttribute('record.error.message')).toBe('Defragment needs fragment.identifier, and fragment.index and fragment.count as whole numbers');
  });

  it('failure: an unreadable FlowFile goes to failure alone; Maximum Number of Bins merges the oldest waiting bin', async () => {
    const r = runner({ 'Correlation Attribute Name': 'k', 'Minimum Number of Records': '100', 'Maximum Number of Bins': '1' });
    r.enqueue('nope', { k: 'x' });
    r.enqueue(rows(0, 1), { k: 'a' });
    r.enqueue(rows(1, 1), { k: 'b' });
    await r.run();
    r.assertTransferCount('failure', 1);
    expect(r.flowFilesFor('merged').map((m) => m.getAttribute('merge.completion.reason'))).toEqual(['Maximum number of bins has been exceeded']);
    expect(r.queueSize()).toBe(1);
  });

  it('Record Writer: merges CSV into CSV with one header; Maximum Bin Size closes a bin; min above max is invalid', async () => {
    const r = new TestRunner(MergeRecord)
      .addControllerService('reader', CSVReader)
      .addControllerService('writer', CSVRecordSetWriter)
      .setProperty('Record Reader', 'reader')
      .setProperty('Record Writer', 'writer')
      .setProperty('Maximum Bin Size', '10 B');
    r.enqueue('a,b\n1,2\n');
    r.enqueue('a,b\n3,4\n');
    r.enqueue('a,b\n5,6\n');
    await r.run();
    expect(r.flowFilesFor('merged').map((m) => m.contentText())).toEqual(['a,b\n1,2\n3,4\n', 'a,b\n5,6\n']);
    expect(runner({ 'Minimum Number of Records': '5', 'Maximum Number of Records': '2' }).validate().map((v) => v.message)).toEqual(['Maximum Number of Records (2) must not be less than Minimum Number of Records (5)']);
  });

  it('migrates the NiFi 1.x keys', () => {
    const r = new TestRunner(MergeRecord).setProperty('record-reader', 'a').setProperty('min-records', '3').setProperty('max.bin.count', '4').setProperty('max-bin-age', '1 min');
    r.migrateProperties();
    expect(r.configuredProperties).toEqual({ 'Record Reader': 'a', 'Minimum Number of Records': '3', 'Maximum Number of Bins': '4', 'Max Bin Age': '1 min' });
  });
});
