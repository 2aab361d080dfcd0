/**
 * EvaluateJsonPath against the cases of NiFi's TestEvaluateJsonPath, restated here (a trimmed copy of its sample
 * document, the paths it configures and the results it expects), through the real session and context.
 */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { EvaluateJsonPath } from './evaluate-json-path.processor.js';

const SAMPLE = JSON.stringify([
  {
    _id: '54df94072d5dbf7dc6340cc5',
    index: 0,
    isActive: true,
    balance: '$3,200.07',
    name: { first: 'Shaffer', last: 'Pearson' },
    friends: [{ id: 0, name: 'Holloway Kim' }, { id: 1, name: 'Clark Medina' }, { id: 2, name: 'Rosemarie Salazar' }],
  },
  { _id: '54df94073ab1785758128418', index: 1, name: { first: 'Kim', last: 'Walker' }, friends: [{ id: 7, name: 'A B' }] },
], null, 4);

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(EvaluateJsonPath);
});

async function runWith(config: Record<string, string>, content = SAMPLE) {
  for (const [k, v] of Object.entries(config)) runner.setProperty(k, v);
  runner.enqueue(content);
  await runner.run();
}

describe('EvaluateJsonPath (NiFi TestEvaluateJsonPath cases)', () => {
  it('refuses invalid paths and accepts the ones Jayway 2.4 accepts', () => {
    runner.setProperty('Destination', 'flowfile-attribute');
    for (const bad of ['$..', 'LoremIpsum []', 'LoremIpsum[]', '$.xyz.', '   ']) {
      runner.setProperty('DefinitelyNotJsonPath', bad);
      runner.assertNotValid();
    }
    for (const good of ['LoremIpsum@$Q#$^Q$%Q#', "TestTest['sdfadsf']#$%#$^#$^.xyz", '$', '$.xyz', "$['xyz']", "$.*['xyz']"]) {
      runner.setProperty('DefinitelyNotJsonPath', good);
      runner.assertValid();
    }
  });

  it('routes a document that is not JSON to failure', async () => {
    await runWith({ Destination: 'flowfile-attribute', 'xpath.element.value': '$.id' }, '<?xml version="1.0"?><firstElement><testElement>Some Value</testElement></firstElement>');
    runner.assertAllTransferred('failure', 1);
  });

  it('needs exactly one path for flowfile-content, and no whitespace inside a path', () => {
    runner.setProperty('Destination', 'flowfile-content').setProperty('JsonPath1', '$[0]._id').setProperty('JsonPath2', '$[0].name');
    runner.assertNotValid();
    runner.removeProperty('JsonPath2').setProperty('JsonPath1', '$[0]. _id');
    runner.assertNotValid();
  });

  it('sends an object read as a scalar to failure, even next to a good path', async () => {
    await runWith({ Destination: 'flowfile-attribute', JsonPath1: '$[0]._id', JsonPath2: '$[0].name' });
    runner.assertAllTransferred('failure', 1);
  });

  it('extracts to attributes: scalars as text, objects as JSON with Return Type json', async () => {
    await runWith({ Destination: 'flowfile-attribute', 'Return Type': 'json', 'evaluatejson.id': '$[0]._id', 'evaluatejson.name': '$[0].name' });
    runner.assertAllTransferred('matched', 1);
    const out = runner.flowFilesFor('matched')[0]!;
    out.assertAttributeEquals('evaluatejson.id', '54df94072d5dbf7dc6340cc5');
    out.assertAttributeEquals('evaluatejson.name', '{"first":"Shaffer","last":"Pearson"}');
  });

  it('sets empty attributes for paths not found (warn and ignore), none with skip; always matched', async () => {
    await runWith({ Destination: 'flowfile-attribute', 'Path Not Found Behavior': 'warn', 'evaluatejson.id': '$[0]._id.nonexistent', 'evaluatejson.name': '$[0].name.nonexistent' });
    runner.assertAllTransferred('matched', 1);
    expect(runner.flowFilesFor('matched')[0]!.attributes).toMatchObject({ 'evaluatejson.id': '', 'evaluatejson.name': '' });

    runner = new TestRunner(EvaluateJsonPath);
    await runWith({ Destination: 'flowfile-attribute', 'evaluatejson.id': '$[0]._id', 'evaluatejson.name': '$[0].name.nonexistent' });
    expect(runner.flowFilesFor('matched')[0]!.attributes).toMatchObject({ 'evaluatejson.id': '54df94072d5dbf7dc6340cc5', 'evaluatejson.name': '' });

    runner = new TestRunner(EvaluateJsonPath);
    await runWith({ Destination: 'flowfile-attribute', 'Path Not Found Behavior': 'skip', 'evaluatejson.id': '$[0]._id', 'evaluatejson.name': '$[0].name.nonexistent' });
    runner.flowFilesFor('matched')[0]!.assertAttributeNotExists('evaluatejson.name');
  });

  it('writes the result to the content: a scalar, an indefinite result and a filter', async () => {
    await runWith({ 'evaluatejson.id': '$[0]._id' });
    runner.flowFilesFor('matched')[0]!.assertContentEquals('54df94072d5dbf7dc6340cc5');
    for (const path of ['$[0].friends.[*].id', '$[0].friends[?(@.id < 3)].id']) {
      runner = new TestRunner(EvaluateJsonPath);
      await runWith({ 'friends.indefinite.id.list': path });
      runner.assertAllTransferred('matched', 1);
      runner.flowFilesFor('matched')[0]!.assertContentEquals('[0,1,2]');
    }
  });

  it('routes to unmatched, content untouched, when the content path is not found', async () => {
    await runWith({ jsonPath: '$[0].nonexistent.key' });
    runner.assertAllTransferred('unmatched', 1);
    runner.flowFilesFor('unmatched')[0]!.assertContentEquals(SAMPLE);
  });

  it('sends an array to failure when a scalar is required for content', async () => {
    await runWith({ 'Return Type': 'scalar', 'friends.indefinite.id.list': '$[0].friends[?(@.id < 3)].id' });
    runner.assertAllTransferred('failure', 1);
    runner.flowFilesFor('failure')[0]!.assertContentEquals(SAMPLE);
  });

  it('writes null and missing fields as "" and a null field as "null" when asked', async () => {
    const doc = '{"stringField": "String Value", "nullField": null}';
    const config = { 'Return Type': 'json', Destination: 'flowfile-attribute', stringField: '$.stringField', missingField: '$.missingField', nullField: '$.nullField' };
    await runWith(config, doc);
    expect(runner.flowFilesFor('matched')[0]!.attributes).toMatchObject({ stringField: 'String Value', missingField: '', nullField: '' });
    runner = new TestRunner(EvaluateJsonPath);
    await runWith({ ...config, 'Null Value Representation': "the string 'null'" }, doc);
    expect(runner.flowFilesFor('matched')[0]!.attributes).toMatchObject({ stringField: 'String Value', missingField: '', nullField: 'null' });
  });

  it('handles ASCII control characters escaped in the document', async () => {
    await runWith({ Destination: 'flowfile-attribute', 'Return Type': 'json', 'jinxing.json.object.property': '$.jinxing_json.object.property' },
      '{"jinxing_json": {"object": {"property": "\\u0001\\u0002 value \\u001f"}}}');
    runner.assertAllTransferred('matched', 1);
    runner.flowFilesFor('matched')[0]!.assertAttributeEquals('jinxing.json.object.property', '\u0001\u0002 value \u001f');
  });
});
