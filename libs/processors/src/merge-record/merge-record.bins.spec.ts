import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { JsonRecordSetWriter } from '../record-services/json-record-set-writer.service.js';
import { JsonTreeReader } from '../record-services/json-tree-reader.service.js';
import { MergeRecord, RECORD_LIST_BATCH } from './merge-record.processor.js';

function runner(props: Record<string, string>) {
  const r = new TestRunner(MergeRecord)
    .addControllerService('reader', JsonTreeReader)
    .addControllerService('writer', JsonRecordSetWriter)
    .setProperty('Record Reader', 'reader')
    .setProperty('Record Writer', 'writer');
  for (const [k, v] of Object.entries(props)) r.setProperty(k, v);
  r.assertValid();
  return r;
}

const row = (id: number) => JSON.stringify([{ id }]);
const ids = (content: string) => (JSON.parse(content) as { id: number }[]).map((r) => r.id);
const merged = (r: TestRunner) => r.flowFilesFor('merged');

describe('MergeRecord bins held across triggers', () => {
  it('Max Bin Age merges records that arrived over many triggers, aged from the first', async () => {
    const r = runner({ 'Minimum Number of Records': '100', 'Max Bin Age': '10 sec' });
    for (let i = 0; i < 6; i++) {
      r.enqueue(row(i));
      await r.run();
      await r.clock.advance(1000);
    }
    expect(merged(r)).toHaveLength(0);
    await r.clock.advance(4000);
    await r.run();
    expect(merged(r).map((m) => [ids(m.contentText()), m.getAttribute('merge.completion.reason'), m.getAttribute('merge.bin.age')])).toEqual([
      [[0, 1, 2, 3, 4, 5], 'Bin has reached Max Bin Age', '10000'],
    ]);
    r.assertQueueEmpty();
  });

  it('merges the oldest bin when a new one would exceed Maximum Number of Bins', async () => {
    const r = runner({ 'Correlation Attribute Name': 'k', 'Minimum Number of Records': '10', 'Maximum Number of Bins': '2' });
    for (const [id, k] of [[0, 'a'], [1, 'b'], [2, 'a'], [3, 'c']] as const) {
      r.enqueue(row(id), { k });
      await r.run();
      await r.clock.advance(100);
    }
    expect(merged(r).map((m) => [ids(m.contentText()), m.getAttribute('merge.completion.reason')])).toEqual([[[0, 2], 'Maximum number of bins has been exceeded']]);
    expect(r.queued().map((f) => ids(f.contentText()))).toEqual([[1], [3]]);
  });

  it('rebuilds its bins from the queue when its state is lost: nothing lost, nothing merged twice', async () => {
    const r = runner({ 'Minimum Number of Records': '5' });
    for (let i = 0; i < 3; i++) r.enqueue(row(i));
    await r.run();
    // A new configuration is a new processor instance with no bins.
    r.setProperty('Minimum Number of Records', '4');
    r.enqueue(row(3));
    await r.run();
    expect(merged(r).map((m) => ids(m.contentText()))).toEqual([[0, 1, 2, 3]]);
    expect(r.flowFilesFor('original')).toHaveLength(4);
    r.assertQueueEmpty();
  });

  it('reads a queue longer than one look over several triggers, each FlowFile once', async () => {
    const total = RECORD_LIST_BATCH * 2 + 10;
    const r = runner({ 'Maximum Number of Records': '1000' });
    for (let i = 0; i < total; i++) r.enqueue(row(i));
    await r.run();
    // The first look saw part of the queue: full bins go, the partial one waits for the rest.
    expect(merged(r).every((m) => m.getAttribute('record.count') === '1000')).toBe(true);
    await r.run(4);
    r.assertQueueEmpty();
    expect(merged(r).flatMap((m) => ids(m.contentText()))).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(merged(r).at(-1)!.getAttribute('merge.completion.reason')).toBe('Bin has met minimum thresholds and no more FlowFiles are queued');
  });
});
