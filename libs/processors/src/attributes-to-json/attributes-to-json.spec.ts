import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { AttributesToJSON } from './attributes-to-json.processor.js';

async function run(config: Record<string, string>, attributes: Record<string, string>, content = '') {
  const r = new TestRunner(AttributesToJSON);
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  r.enqueue(content, attributes);
  await r.run();
  return r;
}

const ATTRS = { sku: 'A-1', 'stock.qty': '5', payload: ' {"a": [1, 2.0]} ' };

describe('AttributesToJSON relationships', () => {
  it('success: JSONAttributes holds every attribute, content untouched', async () => {
    const r = await run({}, ATTRS, 'body');
    const out = r.flowFilesFor('success')[0]!;
    expect(JSON.parse(out.getAttribute('JSONAttributes')!)).toEqual({ ...ATTRS, filename: out.getAttribute('filename'), path: './', uuid: out.uuid });
    out.assertContentEquals('body');
  });

  it('failure: a Nested value that looks like JSON but is not', async () => {
    const r = await run({ 'JSON Handling Strategy': 'NESTED' }, { bad: '{not json}' });
    r.assertAllTransferred('failure', 1);
    expect(r.logs('error')[0]!.message).toContain('expecting');
  });
});

describe('AttributesToJSON properties', () => {
  it('Attributes List picks names in list order; missing ones are "" or null (Null Value)', async () => {
    const r = await run({ 'Attributes List': ' stock.qty , sku,missing' }, ATTRS);
    expect(r.flowFilesFor('success')[0]!.getAttribute('JSONAttributes')).toBe('{"stock.qty":"5","sku":"A-1","missing":""}');
    const n = await run({ 'Attributes List': 'missing', 'Null Value': 'true' }, ATTRS);
    expect(n.flowFilesFor('success')[0]!.getAttribute('JSONAttributes')).toBe('{"missing":null}');
  });

  it('Attributes Regular Expression adds attributes whose whole name matches, with Expression Language from parameters', async () => {
    const r = new TestRunner(AttributesToJSON, { parameters: { prefix: 'stock' } });
    r.setProperty('Attributes Regular Expression', '#{prefix}\\..*').setProperty('Attributes List', 'sku');
    r.enqueue('', ATTRS);
    await r.run();
    expect(r.flowFilesFor('success')[0]!.getAttribute('JSONAttributes')).toBe('{"sku":"A-1","stock.qty":"5"}');
    expect(new TestRunner(AttributesToJSON).setProperty('Attributes Regular Expression', '(a+)+').validate()).toEqual([]);
    expect(new TestRunner(AttributesToJSON).setProperty('Attributes Regular Expression', '(a+)+\\1').validate()).toEqual([
      expect.objectContaining({ property: 'Attributes Regular Expression', message: expect.stringContaining('exponential') }),
    ]);
    expect(new TestRunner(AttributesToJSON).setProperty('Attributes Regular Expression', '[').validate()[0]!.property).toBe('Attributes Regular Expression');
  });

  it('Destination flowfile-content writes the JSON as content with mime.type application/json; Pretty Print uses Jackson\'s layout', async () => {
    const r = await run({ Destination: 'flowfile-content', 'Attributes List': 'sku,stock.qty' }, ATTRS, 'old');
    const out = r.flowFilesFor('success')[0]!;
    out.assertContentEquals('{"sku":"A-1","stock.qty":"5"}');
    out.assertAttributeEquals('mime.type', 'application/json');
    out.assertAttributeNotExists('JSONAttributes');
    const pretty = await run({ Destination: 'flowfile-content', 'Attributes List': 'sku,stock.qty', 'Pretty Print': 'true' }, ATTRS);
    pretty.flowFilesFor('success')[0]!.assertContentEquals('{\n  "sku" : "A-1",\n  "stock.qty" : "5"\n}');
  });

  it('Include Core Attributes false drops core attributes only when writing all attributes', async () => {
    const r = await run({ 'Include Core Attributes': 'false' }, { sku: '1', 'mime.type': 'text/plain' });
    expect(r.flowFilesFor('success')[0]!.getAttribute('JSONAttributes')).toBe('{"sku":"1"}');
    const listed = await run({ 'Include Core Attributes': 'false', 'Attributes List': 'sku,path' }, { sku: '1' });
    expect(listed.flowFilesFor('success')[0]!.getAttribute('JSONAttributes')).toBe('{"sku":"1","path":"./"}');
  });

  it('JSON Handling Strategy Nested writes JSON values as JSON (trimmed, Java doubles kept); Escaped as strings', async () => {
    const nested = await run({ 'JSON Handling Strategy': 'NESTED', 'Attributes List': 'payload,sku' }, ATTRS);
    expect(nested.flowFilesFor('success')[0]!.getAttribute('JSONAttributes')).toBe('{"payload":{"a":[1,2.0]},"sku":"A-1"}');
    const escaped = await run({ 'Attributes List': 'payload' }, ATTRS);
    expect(escaped.flowFilesFor('success')[0]!.getAttribute('JSONAttributes')).toBe('{"payload":" {\\"a\\": [1, 2.0]} "}');
  });

  it("migrates NiFi 1.x's attributes-to-json-regex", () => {
    const r = new TestRunner(AttributesToJSON).setProperty('attributes-to-json-regex', 'a.*');
    expect(r.migrateProperties().changes).toEqual(["renamed 'attributes-to-json-regex' to 'Attributes Regular Expression'"]);
    expect(r.configuredProperties).toEqual({ 'Attributes Regular Expression': 'a.*' });
  });
});
