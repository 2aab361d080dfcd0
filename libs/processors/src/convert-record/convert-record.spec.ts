import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { CSVReader } from '../record-services/csv-reader.service.js';
import { JsonRecordSetWriter } from '../record-services/json-record-set-writer.service.js';
import { JsonTreeReader } from '../record-services/json-tree-reader.service.js';
import { ConvertRecord } from './convert-record.processor.js';

function runner() {
  return new TestRunner(ConvertRecord)
    .addControllerService('csv', CSVReader)
    .addControllerService('json', JsonRecordSetWriter)
    .setProperty('Record Reader', 'csv')
    .setProperty('Record Writer', 'json');
}

describe('ConvertRecord', () => {
  it('success: writes the records with record.count and the writer mime.type, keeping the FlowFile', async () => {
    const r = runner();
    const input = r.enqueue('a,b\n1,x\n2,y\n', { filename: 'rows.csv' });
    await r.run();
    r.assertAllTransferred('success', 1);
    const out = r.flowFilesFor('success')[0]!;
    expect(out.uuid).toBe(input.uuid);
    expect(JSON.parse(out.contentText())).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
    out.assertAttributeEquals('record.count', 2);
    out.assertAttributeEquals('mime.type', 'application/json');
    out.assertAttributeEquals('filename', 'rows.csv');
  });

  it('failure: content the reader cannot read goes unchanged to failure with record.error.message', async () => {
    const r = runner().setProperty('Record Reader', 'jsonIn').addControllerService('jsonIn', JsonTreeReader);
    r.enqueue('not json');
    await r.run();
    r.assertAllTransferred('failure', 1);
    const out = r.flowFilesFor('failure')[0]!;
    out.assertContentEquals('not json');
    expect(out.getAttribute('record.error.message')).toMatch(/^content is not JSON: /);
  });

  it('Include Zero Record FlowFiles: true sends an empty record set on, false drops the FlowFile', async () => {
    const keep = runner();
    keep.enqueue('a,b\n');
    await keep.run();
    keep.flowFilesFor('success')[0]!.assertContentEquals('[]');
    keep.flowFilesFor('success')[0]!.assertAttributeEquals('record.count', 0);
    const drop = runner().setProperty('Include Zero Record FlowFiles', 'false');
    drop.enqueue('a,b\n');
    await drop.run();
    drop.assertTransferCount('success', 0);
    drop.assertTransferCount('failure', 0);
  });

  it('Record Reader / Record Writer: a missing, disabled, wrong-kind or unset service makes it invalid, naming the property', () => {
    expect(runner().setProperty('Record Reader', 'nope').validate()).toEqual([
      { property: 'Record Reader', message: "Record Reader: controller service 'nope' does not exist in this flow", code: 'required' },
    ]);
    expect(runner().disableControllerService('json').validate()).toEqual([
      { property: 'Record Writer', message: "Record Writer: controller service 'json' is disabled", code: 'required' },
    ]);
    expect(runner().setProperty('Record Writer', 'csv').validate()).toEqual([
      { property: 'Record Writer', message: "Record Writer: controller service 'csv' is a CSVReader, which is not a RecordSetWriterFactory", code: 'invalid' },
    ]);
    expect(runner().removeProperty('Record Reader').validate().map((v) => v.message)).toEqual(['Record Reader is required']);
    runner().assertValid();
  });

  it('migrates the NiFi 1.x property keys', () => {
    const r = new TestRunner(ConvertRecord).setProperty('record-reader', 'a').setProperty('record-writer', 'b').setProperty('include-zero-record-flowfiles', 'false');
    r.migrateProperties();
    expect(r.configuredProperties).toEqual({ 'Record Reader': 'a', 'Record Writer': 'b', 'Include Zero Record FlowFiles': 'false' });
  });
});
