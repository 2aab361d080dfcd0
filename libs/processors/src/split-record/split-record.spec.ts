import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { JsonRecordSetWriter } from '../record-services/json-record-set-writer.service.js';
import { JsonTreeReader } from '../record-services/json-tree-reader.service.js';
import { CSVRecordSetWriter } from '../record-services/csv-record-set-writer.service.js';
import { SplitRecord } from './split-record.processor.js';

function runner(per = '2') {
  return new TestRunner(SplitRecord)
    .addControllerService('reader', JsonTreeReader)
    .addControllerService('writer', JsonRecordSetWriter)
    .setProperty('Record Reader', 'reader')
    .setProperty('Record Writer', 'writer')
    .setProperty('Records Per Split', per);
}

const rows = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ i })));

describe('SplitRecord', () => {
  it('splits: at most Records Per Split records each, with fragment attributes; original goes to original', async () => {
    const r = runner();
    r.enqueue(rows(5), { filename: 'in.json' });
    await r.run();
    const splits = r.flowFilesFor('splits');
    expect(splits.map((s) => JSON.parse(s.contentText()))).toEqual([[{ i: 0 }, { i: 1 }], [{ i: 2 }, { i: 3 }], [{ i: 4 }]]);
    expect(splits.map((s) => s.getAttribute('record.count'))).toEqual(['2', '2', '1']);
    expect(splits.map((s) => s.getAttribute('fragment.index'))).toEqual(['0', '1', '2']);
    expect(new Set(splits.map((s) => s.getAttribute('fragment.identifier'))).size).toBe(1);
    for (const s of splits) {
      s.assertAttributeEquals('fragment.count', 3);
      s.assertAttributeEquals('segment.original.filename', 'in.json');
      s.assertAttributeEquals('mime.type', 'application/json');
    }
    r.assertTransferCount('original', 1);
    r.flowFilesFor('original')[0]!.assertContentEquals(rows(5));
  });

  it('Records Per Split from an attribute; a value that is not a whole number sends the FlowFile to failure', async () => {
    const r = runner('${per}');
    r.enqueue(rows(3), { per: '3' });
    r.enqueue(rows(3), { per: 'zero' });
    await r.run(2);
    r.assertTransferCount('splits', 1);
    expect(r.flowFilesFor('failure')[0]!.getAttribute('record.error.message')).toBe("Records Per Split: 'zero' is not a whole number of at least 1");
    expect(runner('0').validate().map((v) => v.message)).toEqual(["Records Per Split: '0' is not a whole number of at least 1"]);
  });

  it('failure: content the reader cannot read, unchanged; no splits', async () => {
    const r = runner();
    r.enqueue('{oops');
    await r.run();
    r.assertAllTransferred('failure', 1);
  });

  it('Record Writer: the splits are written in the writer format', async () => {
    const r = runner().addControllerService('csv', CSVRecordSetWriter).setProperty('Record Writer', 'csv');
    r.enqueue('[{"a":1},{"a":2},{"a":3}]');
    await r.run();
    expect(r.flowFilesFor('splits').map((s) => s.contentText())).toEqual(['a\n1\n2\n', 'a\n3\n']);
  });
});
