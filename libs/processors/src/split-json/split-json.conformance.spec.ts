/**
 * SplitJson against NiFi 2.x's documented behaviour and the cases of NiFi's TestSplitJson (restated here, on a
 * document of our own with the same shape: an array of people, each with an _id, a name object and a range of
 * ten numbers), through the real session and context.
 */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { SplitJson } from './split-json.processor.js';

const FIRST = ['Shaffer', 'Kim', 'Ortiz', 'Lang', 'Moss', 'Young', 'Hale'];
const PEOPLE = FIRST.map((first, i) => ({
  _id: `id-${i}`,
  name: { first, last: `Last${i}` },
  range: Array.from({ length: 10 }, (_, n) => n),
  isActive: i % 2 === 0,
}));
const SNIPPET = JSON.stringify(PEOPLE, null, 2);

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(SplitJson);
});

async function split(content: string, attributes: Record<string, string> = {}) {
  runner.enqueue(content, attributes);
  await runner.run();
}

describe('SplitJson (NiFi TestSplitJson cases)', () => {
  it("has NiFi 2.x's properties, by their names, and its relationships", () => {
    expect(SplitJson.descriptor.properties.map((p) => p.name)).toEqual(['JsonPath Expression', 'Null Value Representation', 'Max String Length']);
    expect(SplitJson.descriptor.relationships.map((r) => r.name)).toEqual(['split', 'original', 'failure']);
  });

  it('refuses an invalid JsonPath', () => {
    runner.setProperty('JsonPath Expression', '$..');
    runner.assertNotValid();
  });

  it('routes content that is not JSON to failure, unchanged', async () => {
    const xml = '<root><a>1</a></root>';
    runner.setProperty('JsonPath Expression', '$');
    await split(xml);
    runner.assertAllTransferred('failure', 1);
    runner.flowFilesFor('failure')[0]!.assertContentEquals(xml);
  });

  it('routes a path to a value that is not an array to failure, unchanged', async () => {
    runner.setProperty('JsonPath Expression', '$[0]._id');
    await split(SNIPPET);
    runner.assertAllTransferred('failure', 1);
    runner.flowFilesFor('failure')[0]!.assertContentEquals(SNIPPET);
  });

  it('splits the result of a filter into scalars', async () => {
    runner.setProperty('JsonPath Expression', '$[0].range[?(@ == 0)]');
    await split(SNIPPET);
    runner.assertTransferCount('original', 1);
    runner.flowFilesFor('original')[0]!.assertAttributeEquals('fragment.count', '1');
    runner.flowFilesFor('original')[0]!.assertContentEquals(SNIPPET);
    runner.assertTransferCount('split', 1);
    runner.flowFilesFor('split')[0]!.assertContentEquals('0');
  });

  it('splits an array into one FlowFile per element and keeps the original', async () => {
    runner.setProperty('JsonPath Expression', '$[0].range');
    await split(SNIPPET);
    runner.assertTransferCount('original', 1);
    runner.flowFilesFor('original')[0]!.assertAttributeEquals('fragment.count', '10');
    runner.flowFilesFor('original')[0]!.assertContentEquals(SNIPPET);
    runner.assertTransferCount('split', 10);
  });

  it('applies a changed JsonPath, splitting objects as JSON with fragment attributes', async () => {
    runner.setProperty('JsonPath Expression', '$[0].range');
    await split(SNIPPET);
    runner.assertTransferCount('split', 10);
    runner.clearTransferState();
    runner.setProperty('JsonPath Expression', '$[*].name');
    await split(SNIPPET, { filename: 'test.json' });
    const [original] = runner.flowFilesFor('original');
    original!.assertAttributeExists('fragment.identifier');
    original!.assertAttributeEquals('fragment.count', '7');
    original!.assertContentEquals(SNIPPET);
    const splits = runner.flowFilesFor('split');
    expect(splits).toHaveLength(7);
    splits[0]!.assertContentEquals('{"first":"Shaffer","last":"Last0"}');
    for (const [i, ff] of [[0, splits[0]!], [6, splits[6]!]] as const) {
      ff.assertAttributeEquals('fragment.count', '7');
      ff.assertAttributeEquals('fragment.index', String(i));
      ff.assertAttributeEquals('segment.original.filename', 'test.json');
      ff.assertAttributeEquals('fragment.identifier', original!.getAttribute('fragment.identifier')!);
    }
  });

  it('routes a path that is not found to failure', async () => {
    runner.setProperty('JsonPath Expression', '$.nonexistent');
    await split(SNIPPET);
    runner.assertAllTransferred('failure', 1);
    runner.flowFilesFor('failure')[0]!.assertContentEquals(SNIPPET);
  });

  it('routes a path to null to failure', async () => {
    runner.setProperty('JsonPath Expression', '$.nullField');
    await split('{"stringField": "String Value", "nullField": null}');
    runner.assertAllTransferred('failure', 1);
  });

  it('writes null elements as the empty string, or as the string null', async () => {
    const doc = '{"stringField": "String Value", "arrayOfNulls": [null, null, null]}';
    runner.setProperty('JsonPath Expression', '$.arrayOfNulls');
    await split(doc);
    expect(runner.flowFilesFor('split').map((f) => f.contentText())).toEqual(['', '', '']);
    runner.clearTransferState();
    runner.setProperty('Null Value Representation', "the string 'null'");
    await split(doc);
    expect(runner.flowFilesFor('split').map((f) => f.contentText())).toEqual(['null', 'null', 'null']);
  });

  it('routes content that is JSON null to failure', async () => {
    runner.setProperty('JsonPath Expression', '$.*');
    await split('null');
    runner.assertAllTransferred('failure', 1);
    expect(runner.flowFilesFor('failure')[0]!.getAttribute('split.error')).toContain('JSON null');
  });
});

describe('SplitJson (NiFi documented behaviour)', () => {
  it('routes a document holding a string longer than Max String Length to failure', async () => {
    runner.setProperty('JsonPath Expression', '$.*').setProperty('Max String Length', '10 B');
    await split('["short", "much longer than ten"]');
    runner.assertAllTransferred('failure', 1);
    expect(runner.flowFilesFor('failure')[0]!.getAttribute('split.error')).toContain('longer than Max String Length (10 characters)');
    runner.clearTransferState();
    runner.setProperty('Max String Length', '1 KB');
    await split('["short", "much longer than ten"]');
    runner.assertTransferCount('split', 2);
  });

  it('refuses a Max String Length that is not a data size, and takes no user-added properties', () => {
    runner.setProperty('JsonPath Expression', '$.*').setProperty('Max String Length', 'long');
    runner.assertNotValid();
    runner.setProperty('Max String Length', '20 MB').setProperty('extra', 'x');
    expect(runner.validate()[0]!.message).toBe("'extra' is not a property of SplitJson, which takes no user-added properties");
  });

  it('splits the values of an object with $.*', async () => {
    runner.setProperty('JsonPath Expression', '$.*');
    await split('{"a": {"x": 1}, "b": 2}');
    expect(runner.flowFilesFor('split').map((f) => f.contentText())).toEqual(['{"x":1}', '2']);
  });
});
