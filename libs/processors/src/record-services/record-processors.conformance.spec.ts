import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { CSVRecordSetWriter } from './csv-record-set-writer.service.js';
import { JsonRecordSetWriter } from './json-record-set-writer.service.js';
import { JsonTreeReader } from './json-tree-reader.service.js';
import { SplitRecord } from '../split-record/split-record.processor.js';
import { ConvertRecord } from '../convert-record/convert-record.processor.js';
import { MergeRecord } from '../merge-record/merge-record.processor.js';

/** NiFi's documented behaviour of ConvertRecord and SplitRecord, case by case. */
describe('ConvertRecord conformance', () => {
  const balanceSchema = (type: string) => JSON.stringify({ type: 'record', name: 'account', fields: [{ name: 'id', type: 'int' }, { name: 'balance', type }, { name: 'owner', type: ['null', 'string'] }] });

  async function convert(writerSchema: string, content: string) {
    const r = new TestRunner(ConvertRecord)
      .addControllerService('reader', JsonTreeReader)
      .addControllerService('writer', JsonRecordSetWriter, { 'Schema Access Strategy': 'schema-text-property', 'Schema Text': writerSchema })
      .setProperty('Record Reader', 'reader')
      .setProperty('Record Writer', 'writer');
    r.enqueue(content);
    await r.run();
    return JSON.parse(r.flowFilesFor('success')[0]!.contentText()) as unknown;
  }

  it('a double field written with a string schema is coerced to text', async () => {
    expect(await convert(balanceSchema('string'), '[{"id":1,"balance":12.5,"owner":"a"}]')).toEqual([{ id: 1, balance: '12.5', owner: 'a' }]);
  });

  it('a field the output schema lacks is left out; a field only the output schema has is null', async () => {
    expect(await convert(balanceSchema('double'), '[{"id":1,"balance":3,"extra":true}]')).toEqual([{ id: 1, balance: 3, owner: null }]);
  });

  it('a value that cannot be coerced to the output type routes the FlowFile to failure unchanged', async () => {
    const r = new TestRunner(ConvertRecord)
      .addControllerService('reader', JsonTreeReader)
      .addControllerService('writer', JsonRecordSetWriter, { 'Schema Access Strategy': 'schema-text-property', 'Schema Text': balanceSchema('double') })
      .setProperty('Record Reader', 'reader')
      .setProperty('Record Writer', 'writer');
    r.enqueue('[{"id":"one","balance":1}]');
    await r.run();
    r.assertAllTransferred('failure', 1);
    r.flowFilesFor('failure')[0]!.assertContentEquals('[{"id":"one","balance":1}]');
  });
});

describe('SplitRecord conformance (NiFi TestSplitRecord cases)', () => {
  const people = JSON.stringify([{ id: 1, name: 'John Doe' }, { id: 2, name: 'Jane Doe' }, { id: 3, name: 'Jake Doe' }]);
  const split = async (per: string, content: string) => {
    const r = new TestRunner(SplitRecord)
      .addControllerService('reader', JsonTreeReader)
      .addControllerService('writer', CSVRecordSetWriter, { 'Include Header Line': 'false' })
      .setProperty('Record Reader', 'reader')
      .setProperty('Record Writer', 'writer')
      .setProperty('Records Per Split', per);
    r.enqueue(content);
    await r.run();
    return r;
  };

  it('one record per split gives one FlowFile per record', async () => {
    const r = await split('1', people);
    expect(r.flowFilesFor('splits').map((s) => s.contentText())).toEqual(['1,John Doe\n', '2,Jane Doe\n', '3,Jake Doe\n']);
    r.assertTransferCount('original', 1);
  });

  it('two per split gives a full split and the remainder', async () => {
    const r = await split('2', people);
    expect(r.flowFilesFor('splits').map((s) => s.getAttribute('record.count'))).toEqual(['2', '1']);
  });

  it('more per split than records gives one split with every record', async () => {
    const r = await split('5', people);
    expect(r.flowFilesFor('splits').map((s) => s.contentText())).toEqual(['1,John Doe\n2,Jane Doe\n3,Jake Doe\n']);
  });

  it('no records gives no splits, the original still goes to original', async () => {
    const r = await split('2', '[]');
    r.assertTransferCount('splits', 0);
    r.assertTransferCount('original', 1);
  });
});

describe('MergeRecord conformance (NiFi documentation)', () => {
  const merge = (props: Record<string, string>) => {
    const r = new TestRunner(MergeRecord)
      .addControllerService('reader', JsonTreeReader)
      .addControllerService('writer', JsonRecordSetWriter)
      .setProperty('Record Reader', 'reader')
      .setProperty('Record Writer', 'writer');
    for (const [k, v] of Object.entries(props)) r.setProperty(k, v);
    return r;
  };
  const records = (n: number, field = 'id') => JSON.stringify(Array.from({ length: n }, (_, i) => ({ [field]: i })));

  it("Maximum Number of Records is a soft limit: a FlowFile's records all join the bin, exceeding it by up to that FlowFile's count", async () => {
    const r = merge({ 'Maximum Number of Records': '5' });
    r.enqueue(records(3));
    r.enqueue(records(3));
    r.enqueue(records(3));
    await r.run();
    expect(r.flowFilesFor('merged').map((m) => m.getAttribute('record.count'))).toEqual(['6', '3']);
  });

  it('only FlowFiles with the same schema are like FlowFiles and share a bin', async () => {
    const r = merge({});
    r.enqueue(records(1, 'a'));
    r.enqueue(records(1, 'b'));
    r.enqueue(records(1, 'a'));
    await r.run();
    expect(r.flowFilesFor('merged').map((m) => m.getAttribute('merge.count'))).toEqual(['2', '1']);
  });

  it('a bin below the minimum waits; when Max Bin Age is reached it is merged anyway', async () => {
    const r = merge({ 'Minimum Number of Records': '100', 'Max Bin Age': '1 min' });
    r.enqueue(records(2));
    await r.run();
    r.assertTransferCount('merged', 0);
    await r.clock.advance(60_000);
    await r.run();
    r.assertTransferCount('merged', 1);
    r.assertTransferCount('original', 1);
  });

  it('with no correlation attribute, FlowFiles are bundled in the order they are queued', async () => {
    const r = merge({ 'Maximum Number of Records': '2' });
    for (let i = 0; i < 4; i++) r.enqueue(JSON.stringify([{ n: i }]));
    await r.run();
    expect(r.flowFilesFor('merged').map((m) => m.contentText())).toEqual(['[{"n":0},{"n":1}]', '[{"n":2},{"n":3}]']);
  });
});
