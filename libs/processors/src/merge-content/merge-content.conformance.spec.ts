/**
 * MergeContent against the cases of NiFi's TestMergeContent for the Binary Concatenation format, restated, through the
 * real session and context. NiFi's tests sleep past Max Bin Age; here the test clock moves instead.
 */
import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { MergeContent } from './merge-content.processor.js';
import { readFlowFileStream, readTar, readZip } from './merge-formats.testing.js';

function runner(config: Record<string, string>) {
  const r = new TestRunner(MergeContent);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  return r;
}
/** NiFi's createFlowFiles: Hello / , / World! with a mime.type, and a fragment.index bin-packing must ignore. */
function helloWorld(r: TestRunner) {
  for (const text of ['Hello', ', ', 'World!']) r.enqueue(text, { 'mime.type': 'application/plain-text', 'fragment.index': '1' });
}
const fragment = (r: TestRunner, text: string, index: number, count?: number, id = '1') =>
  r.enqueue(text, { 'fragment.identifier': id, 'fragment.index': String(index), ...(count === undefined ? {} : { 'fragment.count': String(count) }) });
const keep = { stopOnFinish: false };

describe('MergeContent (NiFi TestMergeContent cases)', () => {
  it('testSimpleBinaryConcat / testCountAttribute: one bundle, mime.type kept, merge.count and merge.bin.age, merge.uuid on originals', async () => {
    const r = runner({ 'Max Bin Age': '1 sec', 'Merge Format': 'Binary Concatenation' });
    helloWorld(r);
    await r.run(2);
    r.assertQueueEmpty();
    r.assertTransferCount('merged', 1);
    r.assertTransferCount('original', 3);
    const bundle = r.flowFilesFor('merged')[0]!;
    bundle.assertContentEquals('Hello, World!');
    bundle.assertAttributeEquals('mime.type', 'application/plain-text');
    bundle.assertAttributeEquals('merge.count', '3');
    bundle.assertAttributeExists('merge.bin.age');
    for (const o of r.flowFilesFor('original')) o.assertAttributeEquals('merge.uuid', bundle.uuid);
  });

  it('testSimpleBinaryConcatSingleBin: the same with Maximum Number of Bins 1', async () => {
    const r = runner({ 'Max Bin Age': '1 sec', 'Maximum Number of Bins': '1' });
    helloWorld(r);
    await r.run(2);
    r.flowFilesFor('merged')[0]!.assertContentEquals('Hello, World!');
  });

  it('testSimpleBinaryConcatWithTextDelimiters / HeaderOnly', async () => {
    const r = runner({ 'Delimiter Strategy': 'Text', Header: '@', Demarcator: '#', Footer: '$' });
    helloWorld(r);
    await r.run(2);
    r.flowFilesFor('merged')[0]!.assertContentEquals('@Hello#, #World!$');
    const h = runner({ 'Delimiter Strategy': 'Text', Header: '@' });
    helloWorld(h);
    await h.run(2);
    h.flowFilesFor('merged')[0]!.assertContentEquals('@Hello, World!');
  });

  it('testMimeTypeIsOctetStreamIfConflictingWithBinaryConcat', async () => {
    const r = runner({});
    helloWorld(r);
    r.enqueue('!', { 'mime.type': 'application/zip' });
    await r.run(2);
    r.flowFilesFor('merged')[0]!.assertAttributeEquals('mime.type', 'application/octet-stream');
  });

  it('testSimpleBinaryConcatWaitsForMin', async () => {
    const r = runner({ 'Minimum Group Size': '20 KB' });
    helloWorld(r);
    await r.run();
    r.assertTransferCount('merged', 0);
    r.assertTransferCount('original', 0);
  });

  it('testFlowFileLargerThanBin: the large FlowFile is merged alone, the small one keeps waiting', async () => {
    const r = runner({ 'Minimum Number of Entries': '2', 'Maximum Number of Entries': '2', 'Minimum Group Size': '1 KB', 'Maximum Group Size': '5 KB' });
    r.enqueue(new Uint8Array(1026));
    r.enqueue(new Uint8Array(6 * 1024));
    await r.run(2);
    r.assertTransferCount('original', 1);
    r.assertTransferCount('merged', 1);
    expect(r.flowFilesFor('merged')[0]!.size).toBe(6 * 1024);
    expect(r.flowFilesFor('original')[0]!.getAttribute('merge.uuid')).toBe(r.flowFilesFor('merged')[0]!.uuid);
    r.assertQueueNotEmpty();
  });

  it('testLeavesSmallBinUnmerged: 17 FlowFiles in bins of 5 leave 2 queued', async () => {
    const r = runner({ 'Minimum Number of Entries': '5', 'Maximum Number of Entries': '5', 'Maximum Number of Bins': '3' });
    for (let i = 0; i < 17; i++) r.enqueue(`${i}\n`);
    await r.run(5);
    r.assertTransferCount('merged', 3);
    r.assertTransferCount('original', 15);
    expect(r.queueSize()).toBe(2);
  });

  it('testOldestBinIsExpired: the 51st bin evicts the oldest', async () => {
    const r = runner({ 'Max Bin Age': '1 day', 'Maximum Number of Bins': '50', 'Minimum Number of Entries': '10', 'Maximum Number of Entries': '10', 'Correlation Attribute Name': 'correlationId' });
    for (let i = 0; i < 49; i++) for (let j = 0; j < 5; j++) r.enqueue('', { correlationId: String(i) });
    await r.run();
    r.assertTransferCount('merged', 0);
    await r.run(1, keep);
    r.enqueue('');
    r.enqueue('', { correlationId: 'abc' });
    await r.run();
    r.assertTransferCount('merged', 1);
    r.assertTransferCount('original', 5);
    r.flowFilesFor('merged')[0]!.assertAttributeEquals('merge.reason', 'BIN_MANAGER_FULL');
  });

  it('testMergeBasedOnCorrelation', async () => {
    const r = runner({ 'Max Bin Age': '1 min', 'Correlation Attribute Name': 'attr', 'Maximum Number of Entries': '3', 'Minimum Number of Entries': '1' });
    r.enqueue('A Man ', { attr: 'b' });
    r.enqueue('A Plan ', { attr: 'b' });
    r.enqueue('A Canal ', { attr: 'c' });
    r.enqueue('Panama', { attr: 'b' });
    await r.run(2);
    const byAttr = Object.fromEntries(r.flowFilesFor('merged').map((m) => [m.getAttribute('attr'), m.contentText()]));
    expect(byAttr).toEqual({ b: 'A Man A Plan Panama', c: 'A Canal ' });
  });

  it('testMaxBinAge / testBinReleasedWhenOnlyMaxBinAgeConditionIsFulfilled', async () => {
    const r = runner({ 'Max Bin Age': '2 sec', 'Correlation Attribute Name': 'attr', 'Maximum Number of Entries': '500', 'Minimum Number of Entries': '500' });
    for (let i = 0; i < 50; i++) r.enqueue('');
    await r.run(5, keep);
    r.assertTransferCount('merged', 0);
    await r.clock.advance(3000);
    await r.run();
    r.assertTransferCount('merged', 1);
  });

  it('testUniqueAttributes and testCommonAttributesOnly', async () => {
    const attr1 = { abc: 'xyz', xyz: '123', hello: 'good-bye' };
    const attr2 = { abc: 'xyz', xyz: '321', world: 'aaa' };
    const unique = runner({ 'Attribute Strategy': 'Keep All Unique Attributes', 'Maximum Group Size': '2 B', 'Minimum Group Size': '2 B' });
    unique.enqueue('a', attr1);
    unique.enqueue('b', attr2);
    await unique.run();
    const u = unique.flowFilesFor('merged')[0]!;
    expect(u.attributes).toMatchObject({ abc: 'xyz', hello: 'good-bye', world: 'aaa' });
    u.assertAttributeNotExists('xyz');
    const common = runner({ 'Attribute Strategy': 'Keep Only Common Attributes', 'Maximum Group Size': '2 B', 'Minimum Group Size': '2 B' });
    common.enqueue('a', attr1);
    common.enqueue('b', attr2);
    await common.run();
    const c = common.flowFilesFor('merged')[0]!;
    c.assertAttributeEquals('abc', 'xyz');
    for (const gone of ['hello', 'world', 'xyz']) c.assertAttributeNotExists(gone);
    expect(new Set([c.uuid, ...common.flowFilesFor('original').map((o) => o.uuid)]).size).toBe(3);
  });

  it('testBinTerminationTrigger StartOfBin / EndOfBin / Isolated', async () => {
    const expected: Record<string, { merged: string[]; originals: number }> = {
      'First in New Bin': { merged: ['0\n1\n2\n3\n4\n', '5\n6\n7\n8\n9\n10\n', '11\n12\n13\n14\n15\n16\n'], originals: 17 },
      'Last in Bin': { merged: ['0\n1\n2\n3\n4\n5\n', '6\n7\n8\n9\n10\n11\n', '12\n13\n14\n15\n16\n17\n'], originals: 18 },
    };
    for (const [insertion, want] of Object.entries(expected)) {
      const r = runner({ 'Minimum Number of Entries': '10', 'Maximum Number of Entries': '25', 'Maximum Number of Bins': '3', 'Bin Termination Check': "${termination:equals('true')}", 'FlowFile Insertion Strategy': insertion });
      let n = 0;
      for (let j = 0; j < 3; j++) for (let i = 0; i < 6; i++) r.enqueue(`${n++}\n`, i === 5 ? { termination: 'true' } : {});
      await r.run(2);
      expect(r.flowFilesFor('merged').map((m) => m.contentText()), insertion).toEqual(want.merged);
      r.assertTransferCount('original', want.originals);
    }
    const iso = runner({ 'Minimum Number of Entries': '10', 'Maximum Number of Entries': '25', 'Maximum Number of Bins': '3', 'Bin Termination Check': "${termination:equals('true')}", 'FlowFile Insertion Strategy': 'Isolated' });
    let n = 0;
    for (let j = 0; j < 3; j++) for (let i = 0; i < 6; i++) iso.enqueue(`${n++}\n`, i === 5 ? { termination: 'true' } : {});
    await iso.run(2);
    expect(iso.flowFilesFor('merged').map((m) => m.contentText())).toEqual(['0\n1\n2\n3\n4\n', '5\n', '6\n7\n8\n9\n10\n', '11\n', '12\n13\n14\n15\n16\n', '17\n']);
  });
});

describe('MergeContent Defragment (NiFi TestMergeContent cases)', () => {
  const palindrome = ['A Man ', 'A Plan ', 'A Canal ', 'Panama'];

  it('testDefragment, with fragment.count on the last or a middle fragment only, and out of order', async () => {
    const layouts: [number[], (i: number) => number | undefined][] = [
      [[1, 2, 3, 4], () => 4], [[1, 2, 3, 4], (i) => (i === 4 ? 4 : undefined)], [[1, 2, 3, 4], (i) => (i === 2 ? 4 : undefined)], [[4, 2, 1, 3], () => 4],
    ];
    for (const [order, count] of layouts) {
      const r = runner({ 'Merge Strategy': 'Defragment', 'Max Bin Age': '1 min' });
      for (const i of order) fragment(r, palindrome[i - 1]!, i, count(i));
      await r.run();
      r.assertTransferCount('merged', 1);
      r.flowFilesFor('merged')[0]!.assertContentEquals('A Man A Plan A Canal Panama');
    }
  });

  it('testDefragmentWithDifferentFragmentCounts: failure once the bin times out', async () => {
    const r = runner({ 'Merge Strategy': 'Defragment', 'Max Bin Age': '1 sec' });
    fragment(r, palindrome[0]!, 1, 4);
    fragment(r, palindrome[1]!, 2, 5);
    fragment(r, palindrome[2]!, 3, 4);
    fragment(r, palindrome[3]!, 4, 4);
    await r.run(1, keep);
    await r.clock.advance(1100);
    await r.run();
    r.assertTransferCount('failure', 4);
  });

  it('testDefragmentDuplicateFragment: merged, then the duplicate fails after Max Bin Age', async () => {
    const r = runner({ 'Merge Strategy': 'Defragment', 'Max Bin Age': '1 sec' });
    fragment(r, 'A Man ', 1, 4);
    fragment(r, 'A Plan ', 2, 4);
    fragment(r, 'A Plan ', 2, 4);
    fragment(r, 'A Canal ', 3, 4);
    fragment(r, 'Panama', 4, 4);
    await r.run(1, keep);
    r.assertTransferCount('failure', 0);
    r.flowFilesFor('merged')[0]!.assertContentEquals('A Man A Plan A Canal Panama');
    r.clearTransferState();
    await r.clock.advance(1100);
    await r.run();
    r.assertTransferCount('failure', 1);
    r.assertTransferCount('merged', 0);
  });

  it('testDefragmentWithTooManyFragments: Maximum Number of Entries does not limit a defragment bin', async () => {
    const r = runner({ 'Merge Strategy': 'Defragment', 'Maximum Number of Entries': '3' });
    palindrome.forEach((t, i) => fragment(r, t, i + 1, 4));
    await r.run();
    r.flowFilesFor('merged')[0]!.assertContentEquals('A Man A Plan A Canal Panama');
  });

  it('testDefragmentWithTooFewFragments: failure after Max Bin Age', async () => {
    const r = runner({ 'Merge Strategy': 'Defragment', 'Max Bin Age': '2 secs' });
    palindrome.forEach((t, i) => fragment(r, t, i + 1, 5));
    await r.run(1, keep);
    await r.clock.advance(3000);
    await r.run();
    r.assertTransferCount('failure', 4);
  });

  it('testDefragmentMultipleMingledSegments', async () => {
    const r = runner({ 'Merge Strategy': 'Defragment', 'Max Bin Age': '1 min' });
    palindrome.forEach((t, i) => {
      fragment(r, t, i + 1, 4, '1');
      fragment(r, `${t}?`, i + 1, 4, '2');
    });
    await r.run();
    expect(r.flowFilesFor('merged').map((m) => m.contentText()).sort()).toEqual(['A Man ?A Plan ?A Canal ?Panama?', 'A Man A Plan A Canal Panama']);
  });

  it('testMigrateProperties', () => {
    const r = new TestRunner(MergeContent);
    for (const [k, v] of Object.entries({ 'Maximum number of Bins': '4', 'mergecontent-metadata-strategy': 'Ignore Metadata', 'Header File': 'h', 'Footer File': 'f', 'Demarcator File': 'd' })) r.setProperty(k, v);
    r.migrateProperties();
    expect(r.configuredProperties).toEqual({ 'Maximum Number of Bins': '4', 'Metadata Strategy': 'Ignore Metadata', Header: 'h', Footer: 'f', Demarcator: 'd' });
  });

  it('testZip: Hello / , / World! as three ZIP entries, application/zip', async () => {
    const r = runner({ 'Max Bin Age': '1 sec', 'Merge Format': 'ZIP' });
    helloWorld(r);
    await r.run(2);
    r.assertQueueEmpty();
    r.assertTransferCount('merged', 1);
    r.assertTransferCount('failure', 0);
    r.assertTransferCount('original', 3);
    expect(Object.values(readZip(r.flowFilesFor('merged')[0]!.content))).toEqual(['Hello', ', ', 'World!']);
    r.flowFilesFor('merged')[0]!.assertAttributeEquals('mime.type', 'application/zip');
  });

  it('testZipException: three FlowFiles with one filename; the two duplicates go to failure as copies, all three to original', async () => {
    const r = runner({ 'Max Bin Age': '1 sec', 'Merge Format': 'ZIP' });
    for (const text of ['Hello', ', ', 'World!']) r.enqueue(text, { 'mime.type': 'application/plain-text', filename: 'duplicate-filename.txt' });
    await r.run(2);
    r.assertQueueEmpty();
    r.assertTransferCount('merged', 1);
    r.assertTransferCount('failure', 2);
    r.assertTransferCount('original', 3);
  });

  it('testTar: entry names up to a 100+ character filename, application/tar', async () => {
    const r = runner({ 'Max Bin Age': '1 sec', 'Merge Format': 'TAR' });
    const names = ['AShortFileName', 'ALongerrrFileName', `AReallyLong${'g'.repeat(90)}FileName`];
    ['Hello', ', ', 'World!'].forEach((text, i) => r.enqueue(text, { 'mime.type': 'application/plain-text', filename: names[i]! }));
    await r.run(2);
    r.assertTransferCount('merged', 1);
    r.assertTransferCount('original', 3);
    const entries = await readTar(r.flowFilesFor('merged')[0]!.content);
    expect(entries.map((e) => [e.name, e.text])).toEqual([[names[0], 'Hello'], [names[1], ', '], [names[2], 'World!']]);
    r.flowFilesFor('merged')[0]!.assertAttributeEquals('mime.type', 'application/tar');
  });

  it('testFlowFileStream: two FlowFiles with path=folder as FlowFile Stream v3', async () => {
    const r = runner({ 'Max Bin Age': '1 sec', 'Minimum Number of Entries': '2', 'Maximum Number of Entries': '2', 'Merge Format': 'FlowFile Stream, v3' });
    r.enqueue('cal', { path: 'folder' });
    r.enqueue('date', { path: 'folder' });
    await r.run();
    r.assertTransferCount('merged', 1);
    r.assertTransferCount('failure', 0);
    r.assertTransferCount('original', 2);
    const merged = r.flowFilesFor('merged')[0]!;
    merged.assertAttributeEquals('mime.type', 'application/flowfile-v3');
    expect(readFlowFileStream(merged.content).map((u) => [u.attributes['path'], u.text])).toEqual([['folder', 'cal'], ['folder', 'date']]);
  });
});
