/** AttributesToJSON against the cases of NiFi's TestAttributesToJSON, restated, through the real session and context. */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { AttributesToJSON } from './attributes-to-json.processor.js';

const CORE = ['filename', 'path', 'absolute.path', 'mime.type', 'priority', 'discard.reason', 'alternate.identifier', 'uuid'];
let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(AttributesToJSON);
});

async function runWith(attributes: Record<string, string> = {}) {
  runner.clearTransferState();
  runner.enqueue('', attributes);
  await runner.run();
  runner.assertTransferCount('failure', 0);
  runner.assertTransferCount('success', 1);
  return runner.flowFilesFor('success').at(-1)!;
}
const json = (s: string | undefined) => JSON.parse(s!) as Record<string, unknown>;

describe('AttributesToJSON (NiFi TestAttributesToJSON cases)', () => {
  it('refuses an empty Attributes List and a non-boolean Include Core Attributes', () => {
    runner.setProperty('Attributes List', '');
    runner.assertNotValid();
    runner.setProperty('Attributes List', 'val1,val2').setProperty('Include Core Attributes', 'maybe');
    runner.assertNotValid();
  });

  it('writes null, or "", for a listed attribute that does not exist', async () => {
    runner.setProperty('Attributes List', 'NonExistingAttributeKey').setProperty('Null Value', 'true');
    expect(json((await runWith()).getAttribute('JSONAttributes'))['NonExistingAttributeKey']).toBeNull();
    runner = new TestRunner(AttributesToJSON).setProperty('Attributes List', 'NonExistingAttributeKey').setProperty('Null Value', 'false');
    expect(json((await runWith()).getAttribute('JSONAttributes'))['NonExistingAttributeKey']).toBe('');
  });

  it('escapes characters that are not valid in JSON', async () => {
    (await runWith({ TestAttribute: "'badjson'" })).assertAttributeExists('JSONAttributes');
  });

  it('writes every attribute without a list, and {} as content when core attributes are excluded', async () => {
    expect(json((await runWith({ TestAttribute: 'TestValue' })).getAttribute('JSONAttributes'))['TestAttribute']).toBe('TestValue');
    runner = new TestRunner(AttributesToJSON).setProperty('Destination', 'flowfile-content').setProperty('Include Core Attributes', 'false');
    (await runWith()).assertContentEquals('{}');
  });

  it('writes one listed attribute, trimming the list', async () => {
    for (const list of ['TestAttribute', ' TestAttribute ']) {
      runner = new TestRunner(AttributesToJSON).setProperty('Attributes List', list);
      expect(json((await runWith({ TestAttribute: 'TestValue' })).getAttribute('JSONAttributes'))).toEqual({ TestAttribute: 'TestValue' });
    }
    runner = new TestRunner(AttributesToJSON).setProperty('Attributes List', 'NonExistingAttribute');
    expect(json((await runWith({ TestAttribute: 'TestValue' })).getAttribute('JSONAttributes'))).toEqual({ NonExistingAttribute: '' });
  });

  it('keeps listed and regex-matched core attributes even when core attributes are excluded', async () => {
    runner.setProperty('Attributes List', ' TestAttribute , path ').setProperty('Include Core Attributes', 'false');
    expect(json((await runWith({ TestAttribute: 'TestValue', path: 'TestValue' })).getAttribute('JSONAttributes'))).toEqual({ TestAttribute: 'TestValue', path: 'TestValue' });
    runner = new TestRunner(AttributesToJSON).setProperty('Attributes Regular Expression', 'path.*').setProperty('Include Core Attributes', 'false');
    expect(json((await runWith({ TestAttribute: 'TestValue', path: 'TestValue' })).getAttribute('JSONAttributes'))).toEqual({ path: 'TestValue' });
    runner = new TestRunner(AttributesToJSON).setProperty('Destination', 'flowfile-content').setProperty('Include Core Attributes', 'false');
    expect((await runWith({ TestAttribute: 'TestValue', path: 'TestValue' })).contentJson()).toEqual({ TestAttribute: 'TestValue' });
  });

  it('includes the three core attributes of a new FlowFile, in content (with mime.type) or in the attribute (without)', async () => {
    runner.setProperty('Destination', 'flowfile-content').setProperty('Include Core Attributes', 'true');
    const content = await runWith();
    content.assertAttributeEquals('mime.type', 'application/json');
    const keys = Object.keys(content.contentJson<Record<string, string>>());
    expect(keys).toHaveLength(3);
    expect(keys.every((k) => CORE.includes(k))).toBe(true);
    runner = new TestRunner(AttributesToJSON).setProperty('Include Core Attributes', 'true');
    const attr = await runWith();
    attr.assertAttributeNotExists('mime.type');
    expect(Object.keys(json(attr.getAttribute('JSONAttributes'))).every((k) => CORE.includes(k))).toBe(true);
  });

  it('combines the list with an Expression Language regex, and drops the matches once the regex is removed', async () => {
    const attributes = {
      'delimited.header.column.1': 'Registry', 'delimited.header.column.2': 'Assignment', 'delimited.header.column.3': 'Organization Name',
      'delimited.header.column.4': 'Organization Address', 'delimited.footer.column.1': 'not included', test: 'test', test1: 'test1',
    };
    runner = new TestRunner(AttributesToJSON, { parameters: { regex: 'delimited\\.header\\.column\\.[0-9]+' } });
    runner.setProperty('Attributes Regular Expression', '#{regex}').setProperty('Attributes List', 'test, test1');
    const val = json((await runWith(attributes)).getAttribute('JSONAttributes'));
    expect(Object.keys(val).sort()).toEqual(['delimited.header.column.1', 'delimited.header.column.2', 'delimited.header.column.3', 'delimited.header.column.4', 'test', 'test1']);
    runner.removeProperty('Attributes Regular Expression');
    expect(Object.keys(json((await runWith(attributes)).getAttribute('JSONAttributes'))).sort()).toEqual(['test', 'test1']);
  });

  it('writes nested JSON objects and arrays as JSON with Nested, in content and attribute; as strings with Escaped', async () => {
    for (const [nestedJson, isArray] of [['{"key": "value"}', false], ['[{"key": "value"}]', true]] as const) {
      for (const destination of ['flowfile-content', 'flowfile-attribute']) {
        runner = new TestRunner(AttributesToJSON).setProperty('Destination', destination).setProperty('JSON Handling Strategy', 'NESTED');
        const out = await runWith({ TestAttribute: nestedJson });
        const val = destination === 'flowfile-content' ? out.contentJson<Record<string, unknown>>() : json(out.getAttribute('JSONAttributes'));
        expect(Array.isArray(val['TestAttribute'])).toBe(isArray);
        expect(typeof val['TestAttribute']).toBe('object');
      }
      runner = new TestRunner(AttributesToJSON);
      expect(typeof json((await runWith({ TestAttribute: nestedJson })).getAttribute('JSONAttributes'))['TestAttribute']).toBe('string');
    }
  });

  it('routes look-alike JSON to failure with Nested, logging a parse error', async () => {
    for (const lookAlike of ['[THIS IS NOT JSON]', '{THIS IS NOT JSON}']) {
      runner = new TestRunner(AttributesToJSON).setProperty('Destination', 'flowfile-content').setProperty('JSON Handling Strategy', 'NESTED');
      runner.enqueue('', { TestAttribute: lookAlike });
      await runner.run();
      runner.assertAllTransferred('failure', 1);
      expect(runner.logs('error')[0]!.message).toContain('expecting');
    }
  });

  it('nests JSON surrounded by whitespace', async () => {
    runner.setProperty('Destination', 'flowfile-content').setProperty('JSON Handling Strategy', 'NESTED');
    const out = await runWith({ TestAttribute: '  \n {"name": "Smith", "age": 40}\t ' });
    expect(out.contentJson<Record<string, unknown>>()['TestAttribute']).toEqual({ name: 'Smith', age: 40 });
  });

  it('renames attributes-to-json-regex on migration', () => {
    runner.setProperty('attributes-to-json-regex', 'a');
    expect(runner.migrateProperties().changes).toEqual(["renamed 'attributes-to-json-regex' to 'Attributes Regular Expression'"]);
  });
});
