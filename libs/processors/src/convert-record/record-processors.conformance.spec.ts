import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { CSVRecordSetWriter } from '../record-services/csv-record-set-writer.service.js';
import { JsonRecordSetWriter } from '../record-services/json-record-set-writer.service.js';
import { JsonTreeReader } from '../record-services/json-tree-reader.service.js';
import { SplitRecord } from '../split-record/split-record.processor.js';
import { ConvertRecord } from './convert-record.processor.js';

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
