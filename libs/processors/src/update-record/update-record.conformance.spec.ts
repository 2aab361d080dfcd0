/**
 * UpdateRecord against NiFi 2.x's property names and the cases of NiFi's TestUpdateRecord that apply to JSON
 * records (restated here), through the real session and context. NiFi reads and writes records through controller
 * services; Sluice reads and writes JSON, so those two properties are refused.
 */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { UpdateRecord } from './update-record.processor.js';

const PEOPLE = [{ id: 0, name: 'John Doe', age: 35, nickname: 'Johnny' }];

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(UpdateRecord);
});

async function updated(records: unknown = PEOPLE, attributes: Record<string, string> = {}): Promise<unknown> {
  runner.assertValid();
  runner.enqueue(records as object, attributes);
  await runner.run();
  runner.assertAllTransferred('success', 1);
  return runner.flowFilesFor('success')[0]!.contentJson();
}

describe('UpdateRecord (NiFi TestUpdateRecord cases, on JSON records)', () => {
  it('sets a literal value, and one from Expression Language', async () => {
    runner.setProperty('Replacement Value Strategy', 'literal-value').setProperty('/name', 'Jane Doe');
    expect(await updated()).toEqual([{ ...PEOPLE[0], name: 'Jane Doe' }]);
    runner.clearTransferState();
    runner.setProperty('/name', '${newName}');
    expect(await updated(PEOPLE, { newName: 'Jane Doe' })).toEqual([{ ...PEOPLE[0], name: 'Jane Doe' }]);
  });

  it('sets a field from a record path', async () => {
    runner.setProperty('Replacement Value Strategy', 'record-path-value').setProperty('/name', '/age');
    expect(await updated()).toEqual([{ ...PEOPLE[0], name: 35 }]);
  });

  it('routes to failure when Expression Language makes a value that is not a record path', async () => {
    runner.setProperty('Replacement Value Strategy', 'record-path-value').setProperty('/name', '${recordPath}');
    runner.assertValid();
    runner.enqueue(PEOPLE, { recordPath: 'hello' });
    await runner.run();
    runner.assertAllTransferred('failure', 1);
  });

  it('numbers records from 1 in record.index', async () => {
    runner.setProperty('Replacement Value Strategy', 'literal-value').setProperty('/id', '${record.index}');
    const rows = [{ id: 0, name: 'a' }, { id: 0, name: 'b' }, { id: 0, name: 'c' }];
    expect(await updated(rows)).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }]);
  });

  it('sets null from a record path that selects nothing', async () => {
    runner.setProperty('Replacement Value Strategy', 'record-path-value').setProperty('/name', '/siblings[0]/name');
    expect(await updated()).toEqual([{ ...PEOPLE[0], name: null }]);
  });

  it('reads a record path relative to the field', async () => {
    runner.setProperty('Replacement Value Strategy', 'record-path-value').setProperty('/name', '../nickname');
    expect(await updated()).toEqual([{ ...PEOPLE[0], name: 'Johnny' }]);
  });

  it('refuses RecordPath functions and wildcards, saying they are not supported', () => {
    runner.setProperty('Replacement Value Strategy', 'record-path-value').setProperty('/hasAge', 'not(isEmpty(/age))');
    expect(runner.validate()[0]!.message).toContain("is not a record path; it must start with '/'");
    runner.removeProperty('/hasAge').setProperty('/addresses[*]/full', '/street');
    expect(runner.validate()[0]!.message).toContain('RecordPath predicates, functions and wildcards are not supported');
  });

  it('renames the NiFi 1.x keys as its migrateProperties does', () => {
    runner.setProperty('replacement-value-strategy', 'literal-value').setProperty('record-reader', 'r').setProperty('record-writer', 'w');
    expect(runner.migrateProperties().renamed).toEqual({
      'record-reader': 'Record Reader',
      'record-writer': 'Record Writer',
      'replacement-value-strategy': 'Replacement Value Strategy',
    });
  });
});

describe('UpdateRecord (NiFi property names)', () => {
  it("has NiFi's properties by their names, Replacement Value Strategy with NiFi's values plus Sluice's record expressions", () => {
    expect(UpdateRecord.descriptor.properties.map((p) => p.name)).toEqual(['Replacement Value Strategy', 'Record Reader', 'Record Writer']);
    const strategy = UpdateRecord.descriptor.properties[0]!;
    expect(strategy.allowableValues!.map((v) => v.value)).toEqual(['record-expression', 'literal-value', 'record-path-value']);
  });

  it('refuses Record Reader and Record Writer: Sluice reads and writes JSON', () => {
    runner.setProperty('Record Reader', 'json-reader').setProperty('Record Writer', 'json-writer').setProperty('/a', 'row.b');
    expect(runner.validate().map((r) => [r.property, r.code])).toEqual([['Record Reader', 'invalid'], ['Record Writer', 'invalid']]);
    expect(runner.validate()[0]!.message).toContain('controller services are not supported');
  });

  it("writes NiFi's field.type names for the JSON value being replaced", async () => {
    runner.setProperty('Replacement Value Strategy', 'literal-value');
    for (const f of ['/n', '/d', '/s', '/b', '/r', '/a']) runner.setProperty(f, '${field.type}');
    expect(await updated([{ n: 1, d: 1.5, s: 'x', b: false, r: { x: 1 }, a: [1] }])).toEqual([
      { n: 'INT', d: 'DOUBLE', s: 'STRING', b: 'BOOLEAN', r: 'RECORD', a: 'ARRAY' },
    ]);
  });
});
