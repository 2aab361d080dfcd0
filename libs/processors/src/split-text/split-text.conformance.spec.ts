/**
 * SplitText against the cases of NiFi's TestSplitText, restated (its test file holds two header lines and ten data
 * lines, the last without a newline), through the real session and context.
 */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { SplitText } from './split-text.processor.js';

const FILE = `Header Line #1\nHeader Line #2\n${Array.from({ length: 10 }, (_, i) => `Line #${i + 1}`).join('\n')}`;
const TEST_INPUT_DATA = 'HeaderLine1\nLine2SpacesAtEnd  \nLine3\nLine4\n\n\nLine8\nLine9\n\n\n13\n14\n15    EndofLine15\n16\n' + '\n'.repeat(33) + 'LastLine\n';

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(SplitText);
});

async function split(config: Record<string, string>, content: string, filename = 'file.txt') {
  for (const [k, v] of Object.entries(config)) runner.setProperty(k, v);
  runner.clearTransferState();
  runner.enqueue(content, { filename });
  await runner.run();
  return runner.flowFilesFor('splits');
}
const original = () => runner.flowFilesFor('original')[0]!;

describe('SplitText (NiFi TestSplitText cases)', () => {
  it('gives a last line over the size limit a split of its own', async () => {
    const splits = await split({ 'Header Line Count': '0', 'Line Split Count': '2', 'Maximum Fragment Size': '20 B' }, 'Line #1\nLine #2\nLine #3\nLong line exceeding limit');
    runner.assertTransferCount('failure', 0);
    original().assertAttributeEquals('fragment.count', '3');
    original().assertAttributeExists('fragment.identifier');
    expect(splits).toHaveLength(3);
  });

  it('routes a file with fewer lines than the header to failure', async () => {
    await split({ 'Header Line Count': '2', 'Line Split Count': '2', 'Maximum Fragment Size': '50 B' }, 'Header Line #1');
    runner.assertAllTransferred('failure', 1);
    runner = new TestRunner(SplitText);
    await split({ 'Header Line Count': '100', 'Line Split Count': '3' }, FILE);
    runner.assertAllTransferred('failure', 1);
  });

  it('takes header lines by marker characters, and Header Line Count over the marker', async () => {
    const data = 'Header 1\nHeader 2\nHeader 3\nLine 1\nLine 2\nLine 3\nLine 4\nLine 5\nLine 6\nLine 7\nLine 8\nLine 9\nLine 10\n';
    const splits = await split({ 'Line Split Count': '7', 'Header Line Marker Characters': 'H', 'Remove Trailing Newlines': 'false' }, data);
    original().assertAttributeEquals('fragment.count', '2');
    expect(splits.map((s) => [s.getAttribute('text.line.count'), s.contentText()])).toEqual([
      ['7', 'Header 1\nHeader 2\nHeader 3\nLine 1\nLine 2\nLine 3\nLine 4\nLine 5\nLine 6\nLine 7\n'],
      ['3', 'Header 1\nHeader 2\nHeader 3\nLine 8\nLine 9\nLine 10\n'],
    ]);
    splits.forEach((s, i) => {
      s.assertAttributeEquals('fragment.index', i + 1);
      s.assertAttributeEquals('fragment.count', 2);
      s.assertAttributeEquals('fragment.identifier', splits[0]!.getAttribute('fragment.identifier')!);
      s.assertAttributeEquals('segment.original.filename', 'file.txt');
      s.assertAttributeEquals('fragment.size', s.size);
    });
    runner = new TestRunner(SplitText);
    const counted = await split({ 'Header Line Count': '1', 'Header Line Marker Characters': 'Head', 'Line Split Count': '5', 'Remove Trailing Newlines': 'false' }, data);
    expect(counted.map((s) => s.getAttribute('text.line.count'))).toEqual(['5', '5', '2']);
    expect(counted[0]!.contentText().startsWith('Header 1\nHeader 2\n')).toBe(true);
  });

  it('needs Maximum Fragment Size when Line Split Count is 0', () => {
    runner.setProperty('Line Split Count', '0');
    runner.assertNotValid();
    runner.setProperty('Maximum Fragment Size', '1 KB');
    runner.assertValid();
  });

  it('splits by lines and by size together, header copied into each split', async () => {
    const data = 'Header Line #1\nHeader Line #2\nLine #1\nLine #2\nLine #3 This line has additional text added so that it exceeds the maximum fragment size\nLine #4\nLine #5\nLine #6\nLine #7\nLine #8\nLine #9\nLine #10\n';
    const splits = await split({ 'Header Line Count': '2', 'Line Split Count': '2', 'Maximum Fragment Size': '50 B', 'Remove Trailing Newlines': 'false' }, data);
    original().assertAttributeEquals('fragment.count', '6');
    expect(splits.map((s) => s.size)).toEqual([46, 119, 46, 46, 46, 39]);
  });

  it('emits the header alone when the file is only a header', async () => {
    for (const [config, content] of [
      [{ 'Header Line Count': '0', 'Line Split Count': '2', 'Maximum Fragment Size': '50 B', 'Header Line Marker Characters': 'Head' }, 'Header Line #1\nHeaderLine#2\n'],
      [{ 'Header Line Count': '2', 'Line Split Count': '2', 'Maximum Fragment Size': '50 B' }, 'Header Line #1\nHeaderLine #2\n'],
      [{ 'Header Line Count': '1', 'Line Split Count': '2', 'Maximum Fragment Size': '50 B' }, 'Header Line #1'],
    ] as const) {
      runner = new TestRunner(SplitText);
      const splits = await split(config, content);
      runner.assertTransferCount('failure', 0);
      original().assertAttributeEquals('fragment.count', '1');
      expect(splits).toHaveLength(1);
    }
  });

  it('splits by size alone, with and without a header', async () => {
    let splits = await split({ 'Header Line Count': '2', 'Line Split Count': '0', 'Maximum Fragment Size': '71 B', 'Remove Trailing Newlines': 'false' }, FILE);
    original().assertAttributeEquals('fragment.count', '2');
    for (const s of splits) {
      s.assertAttributeEquals('text.line.count', '5');
      s.assertAttributeEquals('fragment.size', '70');
    }
    runner = new TestRunner(SplitText);
    splits = await split({ 'Header Line Count': '0', 'Line Split Count': '0', 'Maximum Fragment Size': '71 B', 'Remove Trailing Newlines': 'false' }, FILE);
    splits[0]!.assertContentEquals('Header Line #1\nHeader Line #2\nLine #1\nLine #2\nLine #3\nLine #4\nLine #5\n');
    splits[1]!.assertContentEquals('Line #6\nLine #7\nLine #8\nLine #9\nLine #10');
    expect(splits.map((s) => [s.getAttribute('text.line.count'), s.getAttribute('fragment.size'), s.getAttribute('fragment.index')])).toEqual([['7', '70', '1'], ['5', '40', '2']]);
  });

  it('splits on lone carriage returns and on CRLF, trimming blank splits to the header', async () => {
    for (const nl of ['\r', '\r\n']) {
      runner = new TestRunner(SplitText);
      const body = ['1', '2', '3', '', '', '', '', '', '', '10', '11', '12', ''].join(nl);
      let splits = await split({ 'Header Line Count': '2', 'Line Split Count': '3' }, `H1${nl}H2${nl}${body}`);
      expect(splits.map((s) => s.contentText())).toEqual([`H1${nl}H2${nl}1${nl}2${nl}3`, `H1${nl}H2`, `H1${nl}H2`, `H1${nl}H2${nl}10${nl}11${nl}12`]);
      runner = new TestRunner(SplitText);
      splits = await split({ 'Header Line Count': '0', 'Line Split Count': '3' }, body);
      original().assertAttributeEquals('fragment.count', '2');
      expect(splits.map((s) => s.contentText())).toEqual([`1${nl}2${nl}3`, `10${nl}11${nl}12`]);
    }
  });

  it('sends empty content on as the original only', async () => {
    for (const header of ['0', '1']) {
      runner = new TestRunner(SplitText);
      const splits = await split({ 'Header Line Count': header, 'Line Split Count': '1' }, '');
      expect(splits).toHaveLength(0);
      runner.assertTransferCount('original', 1);
      runner.assertTransferCount('failure', 0);
    }
  });

  it('splits without a header by three lines', async () => {
    const splits = await split({ 'Header Line Count': '0', 'Line Split Count': '3' }, FILE);
    original().assertAttributeEquals('fragment.count', '4');
    expect(splits.map((s) => s.contentText())).toEqual(['Header Line #1\nHeader Line #2\nLine #1', 'Line #2\nLine #3\nLine #4', 'Line #5\nLine #6\nLine #7', 'Line #8\nLine #9\nLine #10']);
  });

  it('keeps or trims newlines of five-line splits, with and without a header', async () => {
    let splits = await split({ 'Header Line Count': '0', 'Line Split Count': '5', 'Remove Trailing Newlines': 'false' }, TEST_INPUT_DATA);
    expect(splits.map((s) => s.contentText())).toEqual([
      'HeaderLine1\nLine2SpacesAtEnd  \nLine3\nLine4\n\n', '\nLine8\nLine9\n\n\n', '13\n14\n15    EndofLine15\n16\n\n',
      ...Array(6).fill('\n\n\n\n\n'), '\n\nLastLine\n',
    ]);
    runner = new TestRunner(SplitText);
    splits = await split({ 'Header Line Count': '1', 'Line Split Count': '5', 'Remove Trailing Newlines': 'false' }, TEST_INPUT_DATA);
    expect(splits.map((s) => s.contentText())).toEqual([
      'HeaderLine1\nLine2SpacesAtEnd  \nLine3\nLine4\n\n\n', 'HeaderLine1\nLine8\nLine9\n\n\n13\n', 'HeaderLine1\n14\n15    EndofLine15\n16\n\n\n',
      ...Array(6).fill('HeaderLine1\n\n\n\n\n\n'), 'HeaderLine1\n\nLastLine\n',
    ]);
    runner = new TestRunner(SplitText);
    splits = await split({ 'Header Line Count': '1', 'Line Split Count': '5', 'Remove Trailing Newlines': 'true' }, TEST_INPUT_DATA);
    expect(splits.map((s) => s.contentText())).toEqual([
      'HeaderLine1\nLine2SpacesAtEnd  \nLine3\nLine4', 'HeaderLine1\nLine8\nLine9\n\n\n13', 'HeaderLine1\n14\n15    EndofLine15\n16',
      ...Array(6).fill('HeaderLine1'), 'HeaderLine1\n\nLastLine',
    ]);
  });
});
