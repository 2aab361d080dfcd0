/**
 * UpdateAttribute against NiFi 2.x's documented behaviour and the cases of NiFi's TestUpdateAttribute (restated
 * here), through the real session and context. Advanced-UI rules (NiFi's annotation data) are not part of Sluice.
 */
import { MemoryStateManager, TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { UpdateAttribute } from './update-attribute.processor.js';

const ATTRS = {
  'attribute.1': 'value.1',
  'attribute.2': 'value.2',
  'attribute.6': 'value.6',
  sampleSize: 'value.size',
  'sample.1': 'value.sample.1',
  'simple.1': 'value.simple.1',
};

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(UpdateAttribute);
});

async function one(attributes: Record<string, string> = {}) {
  runner.enqueue('', attributes);
  await runner.run();
  runner.assertAllTransferred('success', 1);
  return runner.flowFilesFor('success')[0]!;
}

describe('UpdateAttribute (NiFi TestUpdateAttribute cases)', () => {
  it("has NiFi 2.x's properties, by their names", () => {
    expect(UpdateAttribute.descriptor.properties.map((p) => p.name)).toEqual([
      'Delete Attributes Expression', 'Store State', 'Stateful Variables Initial Value', 'Cache Value Lookup Cache Size',
    ]);
  });

  it('adds and replaces attributes from user-added properties', async () => {
    runner.setProperty('attribute.1', 'value.1').setProperty('attribute.2', 'new.value.2');
    const ff = await one({ 'attribute.2': 'old.value.2' });
    ff.assertAttributeEquals('attribute.1', 'value.1');
    ff.assertAttributeEquals('attribute.2', 'new.value.2');
  });

  it('sets an empty string', async () => {
    runner.setProperty('attribute.1', '');
    runner.assertValid();
    (await one()).assertAttributeEquals('attribute.1', '');
    runner.clearTransferState();
    (await one({ 'attribute.1': 'old.value.1' })).assertAttributeEquals('attribute.1', '');
  });

  it('evaluates Expression Language against the incoming attributes', async () => {
    runner.setProperty('NewAttr', '${one:plus(${two})}');
    (await one({ one: '1', two: '2' })).assertAttributeEquals('NewAttr', '3');
  });

  it('refuses an expression that does not compile', () => {
    runner.setProperty('NewId', '${UUID(}');
    runner.assertNotValid();
  });

  it("writes a Boolean's text, and $${a} as the literal ${a}", async () => {
    runner.setProperty('NewAttr', "${a:equals('b'):toString()}");
    (await one({ a: 'b' })).assertAttributeEquals('NewAttr', 'true');
    runner.clearTransferState();
    runner.removeProperty('NewAttr').setProperty('NewAttr', '$${a}');
    (await one({ a: 'b' })).assertAttributeEquals('NewAttr', '${a}');
  });

  it('keeps count and sum in the processor state, read back with getStateValue', async () => {
    runner.setProperty('Store State', 'Store state locally');
    runner.setProperty('count', "${getStateValue('count'):plus(1)}");
    runner.setProperty('sum', "${getStateValue('sum'):plus(${pencils})}");
    runner.assertNotValid();
    runner.setProperty('Stateful Variables Initial Value', '0');
    runner.assertValid();
    for (const pencils of ['2', '2', '3', '3', '5']) runner.enqueue('', { pencils });
    await runner.run(5);
    runner.assertAllTransferred('success', 5);
    const last = runner.flowFilesFor('success')[4]!;
    last.assertAttributeEquals('count', '5');
    last.assertAttributeEquals('sum', '15');
    expect(await runner.stateManager.get('local')).toEqual({ count: '5', sum: '15' });
  });

  it('starts stateful variables at the initial value', async () => {
    runner.setProperty('Store State', 'Store state locally').setProperty('Stateful Variables Initial Value', '10');
    runner.setProperty('count', "${getStateValue('count'):plus(1)}");
    runner.setProperty('sum', "${getStateValue('sum'):plus(${pencils})}");
    runner.assertValid();
    for (const pencils of ['2', '2', '3', '3', '5']) runner.enqueue('', { pencils });
    await runner.run(5);
    const last = runner.flowFilesFor('success')[4]!;
    last.assertAttributeEquals('count', '15');
    last.assertAttributeEquals('sum', '25');
  });

  it("leaves the FlowFile queued when the state cannot be read, and routes it to 'set state fail' when it cannot be stored", async () => {
    runner.setProperty('Store State', 'Store state locally').setProperty('Stateful Variables Initial Value', '0');
    runner.setProperty('count', "${getStateValue('count'):plus(1)}");
    runner.setProperty('sum', "${getStateValue('sum'):plus(${pencils})}");
    expect(UpdateAttribute.descriptor.relationships.map((r) => r.name)).toContain('set state fail');
    const state = runner.stateManager as MemoryStateManager;
    // Scheduled once (the state starts at the initial value), then triggered, as NiFi's case does.
    const scheduled = { stopOnFinish: false };
    await runner.run(0, scheduled);
    state.failOnGet.add('local');
    runner.enqueue('', { pencils: '2' });
    await expect(runner.run(1, scheduled)).rejects.toThrow(/Failed to get the state/);
    runner.assertQueueNotEmpty();
    state.failOnGet.delete('local');
    state.failOnSet.add('local');
    await runner.clock.advance(60_000); // past the penalty of the rolled-back FlowFile
    await runner.run(1, scheduled);
    runner.assertQueueEmpty();
    runner.assertAllTransferred('set state fail', 1);
    const ff = runner.flowFilesFor('set state fail')[0]!;
    ff.assertAttributeEquals('count', '1');
    ff.assertAttributeEquals('sum', '2');
  });

  it('deletes attributes whose whole name matches the regular expression', async () => {
    runner.setProperty('Delete Attributes Expression', 'attribute.2');
    const simple = await one({ 'attribute.1': 'value.1', 'attribute.2': 'value.2', attributex2: 'valuex2' });
    simple.assertAttributeEquals('attribute.1', 'value.1');
    simple.assertAttributeNotExists('attribute.2');
    simple.assertAttributeNotExists('attributex2');
    runner.clearTransferState();
    runner.setProperty('Delete Attributes Expression', 'attribute\\.2');
    const literalDot = await one({ 'attribute.1': 'value.1', 'attribute.2': 'value.2', attributex2: 'valuex2' });
    literalDot.assertAttributeNotExists('attribute.2');
    literalDot.assertAttributeExists('attributex2');
  });

  it('deletes by groups, alternatives and regular expressions built with Expression Language', async () => {
    const cases: [string, string[], string[]][] = [
      ['(attribute\\.[2-5]|sample.*)', ['attribute.1', 'attribute.6', 'simple.1'], ['attribute.2', 'sampleSize', 'sample.1']],
      ["${literal('attribute\\.'):append(${literal(6)})}", ['attribute.1', 'attribute.2', 'sampleSize', 'sample.1', 'simple.1'], ['attribute.6']],
      [
        "${literal('(attribute\\.'):append(${literal('[2-5]')}):append(${literal('|sample.*)')})}",
        ['attribute.1', 'attribute.6', 'simple.1'],
        ['attribute.2', 'sampleSize', 'sample.1'],
      ],
      ['attribute.1|attribute.2|sample.1|simple.1', ['attribute.6', 'sampleSize'], ['attribute.1', 'attribute.2', 'sample.1', 'simple.1']],
    ];
    for (const [regex, kept, deleted] of cases) {
      runner.clearTransferState();
      runner.setProperty('Delete Attributes Expression', regex);
      const ff = await one(ATTRS);
      for (const k of kept) ff.assertAttributeExists(k);
      for (const d of deleted) ff.assertAttributeNotExists(d);
    }
  });

  it('refuses an invalid regular expression, and fails at run time when Expression Language makes one', async () => {
    runner.setProperty('Delete Attributes Expression', '(');
    runner.assertNotValid();
    runner.setProperty('Delete Attributes Expression', '${butter}');
    runner.assertValid();
    runner.enqueue('', { butter: '(' });
    await expect(runner.run()).rejects.toThrow(/not a valid regular expression/);
    runner.assertQueueNotEmpty();
  });

  it('fails the FlowFile (rolled back, penalized) when a value cannot be evaluated', async () => {
    runner.setProperty('attribute.1', "${test:toDate('yyyy-MM-dd')}");
    runner.assertValid();
    runner.enqueue('', { test: 'chocolate' });
    await expect(runner.run()).rejects.toThrow(/Unable to evaluate new value for attribute 'attribute.1'/);
    expect(runner.queued()[0]!.isPenalized(runner.clock.now())).toBe(true);
  });

  it('renames the NiFi 1.x key as its migrateProperties does', () => {
    runner.setProperty('canonical-value-lookup-cache-size', '50');
    expect(runner.migrateProperties().renamed).toEqual({ 'canonical-value-lookup-cache-size': 'Cache Value Lookup Cache Size' });
    runner.assertValid();
  });
});

describe('UpdateAttribute (NiFi documented behaviour)', () => {
  it('treats every other property as an attribute to set, including one named like a NiFi 1.x key it does not know', () => {
    runner.setProperty('some-attribute', 'x').setProperty('Delete Attributes Expression', 'tmp.*');
    runner.assertValid();
  });

  it('deletes an existing attribute even when a property sets it, but adds a new one', async () => {
    runner.setProperty('Delete Attributes Expression', 'temp\\..*').setProperty('temp.a', 'new').setProperty('temp.b', 'added');
    const ff = await one({ 'temp.a': 'old' });
    ff.assertAttributeNotExists('temp.a');
    ff.assertAttributeEquals('temp.b', 'added');
  });

  it('ignores a uuid property, as NiFi does, saying so in the log', async () => {
    runner.setProperty('uuid', 'mine').setProperty('x', '1');
    runner.assertValid();
    const ff = await one();
    expect(ff.uuid).not.toBe('mine');
    ff.assertAttributeEquals('uuid', ff.uuid);
    expect(runner.logs('warn')[0]!.message).toContain("the 'uuid' property is ignored");
  });

  it('needs the initial value only when storing state, and allows it empty', () => {
    runner.setProperty('count', "${getStateValue('count'):plus(1)}");
    runner.assertValid();
    runner.setProperty('Store State', 'Store state locally');
    expect(runner.validate()[0]).toMatchObject({ property: 'Stateful Variables Initial Value', code: 'required' });
    runner.setProperty('Stateful Variables Initial Value', '');
    runner.assertValid();
  });

  it('reads parameters in values and in the deletion expression, and reports undefined ones', async () => {
    runner.setProperty('region', '#{region}').setProperty('Delete Attributes Expression', '#{drop}');
    expect(runner.validate().map((r) => r.message)).toEqual([
      "Delete Attributes Expression: references parameter 'drop', which the flow does not define",
      "region: references parameter 'region', which the flow does not define",
    ]);
    runner.setParameter('region', 'TR').setParameter('drop', '(');
    expect(runner.validate()[0]!.message).toContain("Delete Attributes Expression: '(' is not a valid regular expression");
    runner.setParameter('drop', 'tmp\\..*');
    runner.assertValid();
    const ff = await one({ 'tmp.x': '1', keep: '2' });
    ff.assertAttributeEquals('region', 'TR');
    ff.assertAttributeNotExists('tmp.x');
    ff.assertAttributeExists('keep');
  });
});
