import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { SplitText } from './split-text.processor.js';

async function split(config: Record<string, string>, content: string) {
  const r = new TestRunner(SplitText);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  r.enqueue(content, { filename: 'rows.csv' });
  await r.run();
  return r;
}
const texts = (r: TestRunner) => r.flowFilesFor('splits').map((s) => s.contentText());

describe('SplitText relationships', () => {
  it('splits and original: fragment attributes on both, indexes from 1', async () => {
    const r = await split({ 'Line Split Count': '2' }, 'a\nb\nc\n');
    expect(texts(r)).toEqual(['a\nb', 'c']);
    const [first, second] = r.flowFilesFor('splits');
    expect(first!.attributes).toMatchObject({ 'fragment.index': '1', 'fragment.count': '2', 'text.line.count': '2', 'fragment.size': '3', 'segment.original.filename': 'rows.csv' });
    second!.assertAttributeEquals('fragment.index', '2');
    const original = r.flowFilesFor('original')[0]!;
    original.assertContentEquals('a\nb\nc\n');
    original.assertAttributeEquals('fragment.identifier', first!.getAttribute('fragment.identifier')!);
    original.assertAttributeEquals('fragment.count', '2');
  });

  it('failure: a header larger than the fragment size', async () => {
    const r = await split({ 'Line Split Count': '1', 'Header Line Count': '1', 'Maximum Fragment Size': '3 B' }, 'header\nrow\n');
    r.assertAllTransferred('failure', 1);
    expect(r.logs('error')[0]!.message).toMatch(/header is larger than Maximum Fragment Size/);
  });
});

describe('SplitText properties', () => {
  it('Line Split Count and Maximum Fragment Size: whichever limit comes first', async () => {
    expect(texts(await split({ 'Line Split Count': '3', 'Maximum Fragment Size': '4 B' }, 'a\nb\nc\nd\n'))).toEqual(['a\nb', 'c\nd']);
    // NiFi's quirk: a split made only of the line that did not fit the previous one keeps its newline.
    expect(texts(await split({ 'Line Split Count': '0', 'Maximum Fragment Size': '6 B' }, 'a\nb\nc\nd\n'))).toEqual(['a\nb\nc', 'd\n']);
  });

  it('Header Line Count copies the header into each split', async () => {
    expect(texts(await split({ 'Line Split Count': '1', 'Header Line Count': '1' }, 'sku,qty\nA,1\nB,2\n'))).toEqual(['sku,qty\nA,1', 'sku,qty\nB,2']);
  });

  it('Header Line Marker Characters: leading lines with the marker; a file without any keeps its first line as data', async () => {
    expect(texts(await split({ 'Line Split Count': '2', 'Header Line Marker Characters': '#' }, '# one\n# two\nA\nB\nC\n'))).toEqual(['# one\n# two\nA\nB', '# one\n# two\nC']);
    // NiFi's quirk: the first line after a marker header is carried into the first split on top of Line Split Count 1.
    expect(texts(await split({ 'Line Split Count': '1', 'Header Line Marker Characters': '#' }, '# one\nA\nB\nC\n'))).toEqual(['# one\nA\nB', '# one\nC']);
    expect(texts(await split({ 'Line Split Count': '1', 'Header Line Marker Characters': '#' }, 'A\nB\nC'))).toEqual(['A\nB', 'C']);
  });

  it('Remove Trailing Newlines false keeps them (and emits blank splits)', async () => {
    expect(texts(await split({ 'Line Split Count': '1', 'Remove Trailing Newlines': 'false' }, 'a\n\nb\n'))).toEqual(['a\n', '\n', 'b\n']);
    expect(texts(await split({ 'Line Split Count': '1' }, 'a\n\nb\n'))).toEqual(['a', 'b']);
  });
});
