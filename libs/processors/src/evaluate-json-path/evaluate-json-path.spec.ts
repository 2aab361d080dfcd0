import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { EvaluateJsonPath, jaywayPath } from './evaluate-json-path.processor.js';

const ORDER = JSON.stringify({ order: { id: 'SO-1', total: 12.5, qty: 3, paid: true, note: null, lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }] } });

function runner(config: Record<string, string>): TestRunner {
  const r = new TestRunner(EvaluateJsonPath);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  return r;
}

async function runOne(config: Record<string, string>, content = ORDER) {
  const r = runner(config);
  r.assertValid();
  r.enqueue(content);
  await r.run();
  return r;
}

describe('EvaluateJsonPath relationships', () => {
  it('matched: attributes hold each path\'s scalar, written as Java writes them', async () => {
    const r = await runOne({ Destination: 'flowfile-attribute', 'order.id': '$.order.id', total: '$.order.total', qty: '$.order.qty', paid: '$.order.paid' });
    const [out] = r.flowFilesFor('matched');
    expect(out!.attributes).toMatchObject({ 'order.id': 'SO-1', total: '12.5', qty: '3', paid: 'true' });
    out!.assertContentEquals(ORDER);
  });

  it('unmatched: with flowfile-content, a path that leads nowhere leaves the content as it was', async () => {
    const r = await runOne({ result: '$.order.missing' });
    r.assertAllTransferred('unmatched', 1);
    r.flowFilesFor('unmatched')[0]!.assertContentEquals(ORDER);
  });

  it('failure: content that is not JSON, and an object read as a scalar', async () => {
    const notJson = await runOne({ Destination: 'flowfile-attribute', id: '$.id' }, '<order/>');
    notJson.assertAllTransferred('failure', 1);
    expect(notJson.logs('error')[0]!.message).toMatch(/did not have valid JSON content/);
    const object = await runOne({ Destination: 'flowfile-attribute', lines: '$.order.lines' });
    object.assertAllTransferred('failure', 1);
    object.flowFilesFor('failure')[0]!.assertAttributeNotExists('lines');
  });
});

describe('EvaluateJsonPath properties', () => {
  it('Destination flowfile-content replaces the content with the one result (json by default)', async () => {
    const r = await runOne({ lines: '$.order.lines[*].sku' });
    r.flowFilesFor('matched')[0]!.assertContentEquals('["A","B"]');
    const scalar = await runOne({ id: '$.order.id' });
    scalar.flowFilesFor('matched')[0]!.assertContentEquals('SO-1');
  });

  it('Return Type json writes objects as JSON into attributes; scalar refuses them', async () => {
    const json = await runOne({ Destination: 'flowfile-attribute', 'Return Type': 'json', first: '$.order.lines[0]' });
    json.flowFilesFor('matched')[0]!.assertAttributeEquals('first', '{"sku":"A","qty":1}');
    const scalar = await runOne({ 'Return Type': 'scalar', first: '$.order.lines[0]' });
    scalar.assertAllTransferred('failure', 1);
  });

  it('Path Not Found Behavior: ignore sets "", warn also logs, skip sets nothing', async () => {
    const ignore = await runOne({ Destination: 'flowfile-attribute', gone: '$.order.gone' });
    ignore.flowFilesFor('matched')[0]!.assertAttributeEquals('gone', '');
    expect(ignore.logs('warn')).toEqual([]);
    const warn = await runOne({ Destination: 'flowfile-attribute', 'Path Not Found Behavior': 'warn', gone: '$.order.gone' });
    warn.flowFilesFor('matched')[0]!.assertAttributeEquals('gone', '');
    expect(warn.logs('warn')[0]!.message).toContain('could not find path $.order.gone for attribute key gone');
    const skip = await runOne({ Destination: 'flowfile-attribute', 'Path Not Found Behavior': 'skip', gone: '$.order.gone' });
    skip.flowFilesFor('matched')[0]!.assertAttributeNotExists('gone');
  });

  it('Null Value Representation writes a null value as "" or "null"', async () => {
    const empty = await runOne({ Destination: 'flowfile-attribute', note: '$.order.note' });
    empty.flowFilesFor('matched')[0]!.assertAttributeEquals('note', '');
    const text = await runOne({ Destination: 'flowfile-attribute', 'Null Value Representation': "the string 'null'", note: '$.order.note' });
    text.flowFilesFor('matched')[0]!.assertAttributeEquals('note', 'null');
  });

  it('Max String Length sends documents with a longer string to failure', async () => {
    const r = await runOne({ Destination: 'flowfile-attribute', 'Max String Length': '4 B', id: '$.order.id' }, '{"order": {"id": "far too long"}}');
    r.assertAllTransferred('failure', 1);
    const ok = await runOne({ Destination: 'flowfile-attribute', 'Max String Length': '4 B', id: '$.order.id' }, '{"order": {"id": "SO1"}}');
    ok.flowFilesFor('matched')[0]!.assertAttributeEquals('id', 'SO1');
  });

  it('dynamic properties must be JsonPaths; flowfile-content needs exactly one', () => {
    expect(runner({}).validate()).toEqual([expect.objectContaining({ property: null, code: 'required', message: expect.stringContaining('Exactly one JsonPath') })]);
    expect(runner({ a: '$.a', b: '$.b' }).validate()).toEqual([expect.objectContaining({ property: null, code: 'invalid' })]);
    expect(runner({ Destination: 'flowfile-attribute', bad: '$.a[' }).validate()).toEqual([expect.objectContaining({ property: 'bad', message: expect.stringContaining('specified expression was not valid') })]);
    runner({ Destination: 'flowfile-attribute', a: '$.a', b: '$.b' }).assertValid();
  });

  it('reads paths without $ from the root, as Jayway does', async () => {
    expect(jaywayPath('order.id')).toEqual({ path: '$.order.id' });
    const r = await runOne({ Destination: 'flowfile-attribute', id: 'order.id' });
    r.flowFilesFor('matched')[0]!.assertAttributeEquals('id', 'SO-1');
  });
});
