/**
 * LogAttribute against NiFi 2.x's documented behaviour and the cases of NiFi's TestLogAttribute (restated here),
 * through the real session and context, reading the message from the runner's log capture.
 */
import { ManualClock, TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { LogAttribute } from './log-attribute.processor.js';

const ATTRS = { foo: 'foo-value', bar: 'bar-value', foobaz: 'foobaz-value' };

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(LogAttribute);
});

async function logged(content = 'content', attributes: Record<string, string> = ATTRS): Promise<string> {
  runner.enqueue(content, attributes);
  await runner.run();
  runner.assertAllTransferred('success', 1);
  const lines = runner.logs();
  expect(lines).toHaveLength(1);
  return lines[0]!.message;
}

/** Which of foo, bar, foobaz the message shows. */
const shown = (message: string) => Object.keys(ATTRS).filter((k) => message.includes(`${k}-value`));

describe('LogAttribute (NiFi TestLogAttribute cases)', () => {
  it("has NiFi 2.x's properties, by their names", () => {
    expect(LogAttribute.descriptor.properties.map((p) => p.name)).toEqual([
      'Log Level', 'Log Payload', 'Attributes to Log', 'Attributes to Log Regular Expression', 'Attributes to Ignore',
      'Attributes to Ignore Regular Expression', 'Log FlowFile Properties', 'Output Format', 'Log Prefix', 'Character Set',
    ]);
  });

  const cases: [string, Record<string, string>, string[]][] = [
    ['a list of names', { 'Attributes to Log': 'foo, bar' }, ['foo', 'bar']],
    ['a regular expression', { 'Attributes to Log Regular Expression': 'foo.*' }, ['foo', 'foobaz']],
    ['a list AND a regular expression', { 'Attributes to Log': 'foo, bar', 'Attributes to Log Regular Expression': 'foo*' }, ['foo']],
    ['an ignore list', { 'Attributes to Ignore': 'bar' }, ['foo', 'foobaz']],
    ['an ignore regular expression', { 'Attributes to Ignore Regular Expression': 'foo.*' }, ['bar']],
    ['an ignore list OR an ignore regular expression', { 'Attributes to Ignore': 'foo,bar', 'Attributes to Ignore Regular Expression': 'foo.*' }, []],
    ['a list with an ignore regular expression', { 'Attributes to Log': 'foo', 'Attributes to Ignore Regular Expression': 'foo.*' }, []],
    ['a list with an ignore list', { 'Attributes to Log': 'foo,foobaz', 'Attributes to Ignore': 'foobaz' }, ['foo']],
    ['a regular expression with an ignore regular expression', { 'Attributes to Log Regular Expression': 'foo.*', 'Attributes to Ignore Regular Expression': 'foobaz.*' }, ['foo']],
  ];
  for (const [what, properties, expected] of cases) {
    it(`selects attributes by ${what}`, async () => {
      for (const [k, v] of Object.entries(properties)) runner.setProperty(k, v);
      expect(shown(await logged())).toEqual(expected);
    });
  }

  it('renames the NiFi 1.x keys as its migrateProperties does, and the names earlier Sluice versions stored', () => {
    runner.setProperty('attributes-to-log-regex', 'a.*').setProperty('attributes-to-ignore-regex', 'b.*');
    runner.setProperty('character-set', 'UTF-8').setProperty('Log prefix', 'p');
    expect(runner.migrateProperties().renamed).toEqual({
      'attributes-to-log-regex': 'Attributes to Log Regular Expression',
      'attributes-to-ignore-regex': 'Attributes to Ignore Regular Expression',
      'character-set': 'Character Set',
      'Log prefix': 'Log Prefix',
    });
    runner.assertValid();
    const old = new TestRunner(LogAttribute).setProperty('Attributes to Log by Regular Expression', 'x').setProperty('Attributes to Ignore by Regular Expression', 'y');
    old.assertNotValid();
    old.migrateProperties();
    expect(old.configuredProperties).toEqual({ 'Attributes to Log Regular Expression': 'x', 'Attributes to Ignore Regular Expression': 'y' });
    old.assertValid();
  });
});

describe('LogAttribute (NiFi documented behaviour)', () => {
  it('writes the line-per-attribute message NiFi writes: sorted attributes, FlowFile properties, dashed lines', async () => {
    runner = new TestRunner(LogAttribute, { clock: new ManualClock(Date.UTC(2026, 10, 22, 10, 5, 9)) });
    runner.setProperty('Attributes to Ignore', 'uuid, path');
    const message = await logged('body', { filename: 'f.json', sku: 'A1' });
    const [ff] = runner.flowFilesFor('success');
    // java.util.Date's toString, in UTC.
    const date = 'Sun Nov 22 10:05:09 UTC 2026';
    expect(message).toBe(
      `logging for FlowFile FlowFile[uuid=${ff!.uuid},name=f.json,size=4]\n${'-'.repeat(50)}\n` +
        `FlowFile Properties\nKey: 'entryDate'\n\tValue: '${date}'\nKey: 'lineageStartDate'\n\tValue: '${date}'\nKey: 'fileSize'\n\tValue: '4'\n` +
        `FlowFile Attribute Map Content\nKey: 'filename'\n\tValue: 'f.json'\nKey: 'sku'\n\tValue: 'A1'\n${'-'.repeat(50)}`,
    );
    ff!.assertContentEquals('body');
  });

  it('centres the Log Prefix (Expression Language) in the dashed lines, abbreviated past 40 characters', async () => {
    runner.setProperty('Log Prefix', 'sku ${sku}').setProperty('Log FlowFile Properties', 'false');
    const message = await logged('', { sku: 'A1' });
    expect(message.split('\n')[1]).toBe(`${'-'.repeat(22)}sku A1${'-'.repeat(22)}`);
    runner.clearTransferState();
    runner.setProperty('Log Prefix', 'x'.repeat(50));
    expect((await logged()).split('\n')[1]).toBe(`-----${'x'.repeat(37)}...-----`);
  });

  it('writes a single line as a sorted map, with the payload decoded in the Character Set', async () => {
    runner.setProperty('Output Format', 'Single Line').setProperty('Log FlowFile Properties', 'false').setProperty('Log Payload', 'true');
    runner.setProperty('Attributes to Log', 'sku,bar');
    runner.setProperty('Character Set', 'ISO-8859-1');
    runner.enqueue(Uint8Array.of(0x63, 0x61, 0x66, 0xe9), { sku: 'A1', bar: 'b' });
    await runner.run();
    expect(runner.logs()[0]!.message.split('\n').slice(1)).toEqual(['FlowFile Properties: {bar=b, sku=A1}', 'café']);
  });

  it('logs at the Log Level, trace at debug; at a level that is not written it passes FlowFiles on unformatted', async () => {
    runner.setProperty('Log Level', 'warn');
    await logged();
    expect(runner.logs()[0]!.level).toBe('warn');
    runner.clearTransferState();
    runner.setProperty('Log Level', 'trace');
    await logged();
    expect(runner.logs()[0]!.level).toBe('debug');
    runner.clearTransferState();
    runner.setLogLevels(['info', 'warn', 'error']);
    for (let i = 0; i < 3; i++) runner.enqueue(String(i));
    await runner.run();
    runner.assertAllTransferred('success', 3);
    expect(runner.logs()).toEqual([]);
  });

  it('handles one FlowFile per trigger when it logs', async () => {
    runner.enqueue('1');
    runner.enqueue('2');
    await runner.run();
    runner.assertTransferCount('success', 1);
    expect(runner.queueSize()).toBe(1);
  });

  it('refuses a property it does not have, as NiFi does (no user-added properties)', () => {
    runner.setProperty('Log prefix2', 'x');
    expect(runner.validate()[0]!.message).toBe("'Log prefix2' is not a property of LogAttribute, which takes no user-added properties");
  });

  it('refuses bad regular expressions and character sets; a Character Set holding Expression Language fails when it runs', async () => {
    runner.setProperty('Attributes to Log Regular Expression', '(');
    runner.assertNotValid();
    runner.removeProperty('Attributes to Log Regular Expression').setProperty('Character Set', 'Klingon-8');
    runner.assertNotValid();
    runner.setProperty('Character Set', '${cs}');
    runner.assertValid();
    runner.enqueue('x', { cs: 'Klingon-8' });
    await expect(runner.run()).rejects.toThrow("Character Set: 'Klingon-8' is not a known character set");
  });

  it('does not log a payload of 1 MB or more', async () => {
    runner.setProperty('Log Payload', 'true').setProperty('Log FlowFile Properties', 'false');
    const message = await logged('x'.repeat(1024 * 1024), {});
    expect(message.endsWith('\n\n Not including payload since it is larger than one mb.')).toBe(true);
  });
});
