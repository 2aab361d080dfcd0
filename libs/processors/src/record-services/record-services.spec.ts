import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { ConvertRecord } from '../convert-record/convert-record.processor.js';
import { CSVReader } from './csv-reader.service.js';
import { CSVRecordSetWriter } from './csv-record-set-writer.service.js';
import { JsonRecordSetWriter } from './json-record-set-writer.service.js';
import { JsonTreeReader } from './json-tree-reader.service.js';
import { XMLReader } from './xml-reader.service.js';
import { XMLRecordSetWriter } from './xml-record-set-writer.service.js';
import type { ControllerServiceDefinition } from '@sluice/flow-api';

/** Converts `content` with the given reader and writer services through ConvertRecord on the real session. */
async function convert(
  content: string,
  reader: [ControllerServiceDefinition, Record<string, string>],
  writer: [ControllerServiceDefinition, Record<string, string>],
  attributes: Record<string, string> = {},
) {
  const runner = new TestRunner(ConvertRecord)
    .addControllerService('reader', reader[0], reader[1])
    .addControllerService('writer', writer[0], writer[1])
    .setProperty('Record Reader', 'reader')
    .setProperty('Record Writer', 'writer');
  runner.assertValid();
  runner.enqueue(content, attributes);
  await runner.run();
  return runner;
}

const jsonOut = (runner: TestRunner) => JSON.parse(runner.flowFilesFor('success')[0]!.contentText()) as unknown;

describe('CSVReader', () => {
  it('infers the schema from the header and the values: numbers and booleans, text with leading zeros stays text', async () => {
    const r = await convert('sku,qty,price,active\n00123,5,9.90,true\nB-2,12,10,false\n', [CSVReader, {}], [JsonRecordSetWriter, {}]);
    expect(jsonOut(r)).toEqual([
      { sku: '00123', qty: 5, price: 9.9, active: true },
      { sku: 'B-2', qty: 12, price: 10, active: false },
    ]);
  });

  it('reads quoted values with separators, quotes and line breaks, trims, and maps the Null String to null', async () => {
    const csv = 'name;note;qty\n A ;"x; ""y""\nz";NULL\n';
    const r = await convert(csv, [CSVReader, { 'Value Separator': ';', 'Null String': 'NULL' }], [JsonRecordSetWriter, {}]);
    expect(jsonOut(r)).toEqual([{ name: 'A', note: 'x; "y"\nz', qty: null }]);
  });

  it('reads by position into an Avro Schema Text when there is no header, coercing to the declared types', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'stock', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: ['null', 'long'] }] });
    const r = await convert('A1,7\nA2,\n', [CSVReader, { 'Schema Access Strategy': 'schema-text-property', 'Schema Text': schema }], [JsonRecordSetWriter, {}]);
    expect(jsonOut(r)).toEqual([{ sku: 'A1', qty: 7 }, { sku: 'A2', qty: null }]);
  });

  it('takes Schema Text from an attribute with ${avro.schema}, and sends a value the schema refuses to failure', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'r', fields: [{ name: 'qty', type: 'int' }] });
    const r = await convert('qty\nmany\n', [CSVReader, { 'Schema Access Strategy': 'schema-text-property', 'Treat First Line as Header': 'true' }], [JsonRecordSetWriter, {}], { 'avro.schema': schema });
    r.assertAllTransferred('failure', 1);
    expect(r.flowFilesFor('failure')[0]!.getAttribute('record.error.message')).toBe('field \'qty\': "many" cannot be read as int');
  });

  it('is invalid with a Schema Text that is not an Avro record schema', async () => {
    const runner = new TestRunner(ConvertRecord)
      .addControllerService('reader', CSVReader, { 'Schema Access Strategy': 'schema-text-property', 'Schema Text': '{"type":"string"}' })
      .addControllerService('writer', JsonRecordSetWriter)
      .setProperty('Record Reader', 'reader')
      .setProperty('Record Writer', 'writer');
    expect(runner.validate().map((v) => v.message)).toEqual(["Record Reader: controller service 'reader' is invalid: Schema Text must be an Avro schema of type 'record'"]);
  });
});

describe('CSVRecordSetWriter', () => {
  it('writes a header and quotes only what needs it (MINIMAL), nulls as the Null String', async () => {
    const r = await convert('[{"a":"x,y","b":1,"c":null},{"a":"say \\"hi\\"","b":2.5,"c":true}]', [JsonTreeReader, {}], [CSVRecordSetWriter, { 'Null String': 'N/A' }]);
    expect(r.flowFilesFor('success')[0]!.contentText()).toBe('a,b,c\n"x,y",1,N/A\n"say ""hi""",2.5,true\n');
    expect(r.flowFilesFor('success')[0]!.getAttribute('mime.type')).toBe('text/csv');
  });

  it('quotes every non-numeric value with NON_NUMERIC and writes only the schema fields of its own Schema Text', async () => {
    const schema = JSON.stringify({ type: 'record', name: 'r', fields: [{ name: 'b', type: 'string' }, { name: 'a', type: 'int' }] });
    const r = await convert('[{"a":1,"b":"x","extra":3}]', [JsonTreeReader, {}], [CSVRecordSetWriter, { 'Quote Mode': 'NON_NUMERIC', 'Schema Access Strategy': 'schema-text-property', 'Schema Text': schema, 'Escape Character': '"' }]);
    expect(r.flowFilesFor('success')[0]!.contentText()).toBe('"b","a"\n"x",1\n');
  });
});

describe('JsonTreeReader and JsonRecordSetWriter', () => {
  it('reads one object as one record and records under a nested field', async () => {
    expect(jsonOut(await convert('{"a":1}', [JsonTreeReader, {}], [JsonRecordSetWriter, {}]))).toEqual([{ a: 1 }]);
    const nested = await convert('{"meta":{"n":2},"data":{"items":[{"a":1},{"a":2}]}}', [JsonTreeReader, { 'Starting Field Strategy': 'NESTED_FIELD', 'Starting Field Name': 'items' }], [JsonRecordSetWriter, {}]);
    expect(jsonOut(nested)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('writes one object per line, suppresses nulls, and sends content that is not JSON records to failure', async () => {
    const lines = await convert('[{"a":1,"b":null},{"a":2}]', [JsonTreeReader, {}], [JsonRecordSetWriter, { 'Output Grouping': 'output-oneline', 'Suppress Null Values': 'always-suppress' }]);
    expect(lines.flowFilesFor('success')[0]!.contentText()).toBe('{"a":1}\n{"a":2}');
    const bad = await convert('[1,2]', [JsonTreeReader, {}], [JsonRecordSetWriter, {}]);
    expect(bad.flowFilesFor('failure')[0]!.getAttribute('record.error.message')).toBe('record 1 is number, not a JSON object');
  });
});

describe('XMLReader and XMLRecordSetWriter', () => {
  const xml = '<?xml version="1.0"?><products><product id="7"><sku>A1</sku><qty>3</qty><tag>x</tag><tag>y</tag></product><product id="8"><sku>0012</sku><qty>4</qty><tag>z</tag></product></products>';

  it('reads the children of the root as records, attributes as fields, repeated elements as arrays, types inferred', async () => {
    const r = await convert(xml, [XMLReader, { 'Expect Records as Array': 'true' }], [JsonRecordSetWriter, {}]);
    expect(jsonOut(r)).toEqual([
      { id: 7, sku: 'A1', qty: 3, tag: ['x', 'y'] },
      { id: 8, sku: '0012', qty: 4, tag: ['z'] },
    ]);
  });

  it('reads the root as the one record when records are not expected as an array, and refuses content that is not XML', async () => {
    const one = await convert('<p><sku>A</sku></p>', [XMLReader, {}], [JsonRecordSetWriter, {}]);
    expect(jsonOut(one)).toEqual([{ sku: 'A' }]);
    const bad = await convert('<p><sku>A</p>', [XMLReader, {}], [JsonRecordSetWriter, {}]);
    expect(bad.flowFilesFor('failure')[0]!.getAttribute('record.error.message')).toMatch(/^content is not XML: /);
  });

  it('writes a root and record tags with escaped text, wraps arrays as configured, and needs a root tag for several records', async () => {
    const r = await convert('[{"sku":"A&B","tags":["x","y"],"n":null}]', [JsonTreeReader, {}], [XMLRecordSetWriter, { 'Name of Root Tag': 'items', 'Name of Record Tag': 'item', 'Wrap Elements of Arrays': 'use-property-for-elements', 'Array Tag Name': 'tag', 'Suppress Null Values': 'always-suppress' }]);
    expect(r.flowFilesFor('success')[0]!.contentText()).toBe('<?xml version="1.0" encoding="UTF-8"?><items><item><sku>A&amp;B</sku><tags><tag>x</tag><tag>y</tag></tags></item></items>');
    const many = await convert('[{"a":1},{"a":2}]', [JsonTreeReader, {}], [XMLRecordSetWriter, {}]);
    expect(many.flowFilesFor('failure')[0]!.getAttribute('record.error.message')).toBe('Name of Root Tag must be set to write more than one record');
  });

  it('round-trips XML through CSV and back with the same values', async () => {
    const csv = (await convert(xml.replace(/<tag>[^<]*<\/tag>/g, ''), [XMLReader, { 'Expect Records as Array': 'true' }], [CSVRecordSetWriter, {}])).flowFilesFor('success')[0]!.contentText();
    expect(csv).toBe('sku,qty,id\nA1,3,7\n0012,4,8\n');
    const back = await convert(csv, [CSVReader, {}], [XMLRecordSetWriter, { 'Name of Root Tag': 'products', 'Name of Record Tag': 'product', 'Omit XML Declaration': 'true' }]);
    expect(back.flowFilesFor('success')[0]!.contentText()).toBe('<products><product><sku>A1</sku><qty>3</qty><id>7</id></product><product><sku>0012</sku><qty>4</qty><id>8</id></product></products>');
  });
});
