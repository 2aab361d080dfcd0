/**
 * GenerateFlowFile against NiFi 2.x's documented behaviour and the cases of NiFi's TestGenerateFlowFile (restated
 * here), through the real session and context.
 */
import { TestRunner } from '@sluice/flow-testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { GenerateFlowFile } from './generate-flow-file.processor.js';

let runner: TestRunner;
beforeEach(() => {
  runner = new TestRunner(GenerateFlowFile);
});

describe('GenerateFlowFile (NiFi TestGenerateFlowFile cases)', () => {
  it("has NiFi 2.x's properties, by their names, and the relationship success", () => {
    expect(GenerateFlowFile.descriptor.properties.map((p) => p.name)).toEqual([
      'File Size', 'Batch Size', 'Data Format', 'Unique FlowFiles', 'Custom Text', 'Character Set', 'Mime Type',
    ]);
    expect(GenerateFlowFile.descriptor.relationships.map((r) => r.name)).toEqual(['success']);
  });

  it('writes the custom text and ignores File Size; no mime.type unless set', async () => {
    runner.setProperty('File Size', '100MB').setProperty('Data Format', 'Text').setProperty('Custom Text', 'This is my custom text!');
    runner.assertValid();
    await runner.run();
    runner.assertTransferCount('success', 1);
    const [ff] = runner.flowFilesFor('success');
    ff!.assertContentEquals('This is my custom text!');
    ff!.assertAttributeNotExists('mime.type');
  });

  it('refuses Custom Text with Data Format Binary, or with Unique FlowFiles', () => {
    runner.setProperty('File Size', '100MB').setProperty('Data Format', 'Binary').setProperty('Custom Text', 'This is my custom text!');
    runner.assertNotValid();
    expect(runner.validate()[0]).toMatchObject({ property: 'Custom Text', code: 'invalid' });
    expect(runner.validate()[0]!.message).toContain('Data Format must be Text and Unique FlowFiles must be false');
    runner.setProperty('Data Format', 'Text').setProperty('Unique FlowFiles', 'true');
    runner.assertNotValid();
    runner.setProperty('Unique FlowFiles', 'false');
    runner.assertValid();
  });

  it('makes every user-added property an attribute, evaluating Expression Language; Mime Type sets mime.type', async () => {
    runner.setProperty('File Size', '1B').setProperty('Data Format', 'Text').setProperty('Mime Type', 'application/text');
    runner.setProperty('plain.dynamic.property', 'Plain Value');
    runner.setProperty('expression.dynamic.property', "${literal('Expression Value')}");
    runner.assertValid();
    await runner.run();
    runner.assertTransferCount('success', 1);
    const [ff] = runner.flowFilesFor('success');
    ff!.assertAttributeEquals('plain.dynamic.property', 'Plain Value');
    ff!.assertAttributeEquals('expression.dynamic.property', 'Expression Value');
    ff!.assertAttributeEquals('mime.type', 'application/text');
    expect(ff!.size).toBe(1);
  });

  it('resolves parameters in user-added properties', async () => {
    runner.setParameter('context.parameter.property', 'context.parameter.value');
    runner.setProperty('File Size', '1B').setProperty('Data Format', 'Text').setProperty('Mime Type', 'application/text');
    runner.setProperty('expression.context.parameter', '#{context.parameter.property}');
    runner.assertValid();
    await runner.run();
    const [ff] = runner.flowFilesFor('success');
    ff!.assertAttributeEquals('expression.context.parameter', 'context.parameter.value');
    ff!.assertAttributeEquals('mime.type', 'application/text');
  });

  it('evaluates File Size per FlowFile when unique, once per schedule otherwise', async () => {
    runner.setProperty('File Size', '${nextInt()}B').setProperty('Unique FlowFiles', 'true').setProperty('Batch Size', '2');
    runner.assertValid();
    await runner.run();
    runner.assertTransferCount('success', 2);
    const [a, b] = runner.flowFilesFor('success');
    expect(a!.size).toBeLessThan(b!.size);
    runner.clearTransferState();

    runner.setProperty('Unique FlowFiles', 'false');
    runner.assertValid();
    await runner.run();
    runner.assertTransferCount('success', 2);
    const [c, d] = runner.flowFilesFor('success');
    expect(c!.size).toBe(d!.size);
    expect(c!.contentText()).toBe(d!.contentText());
  });

  it('renames the NiFi 1.x keys as its migrateProperties does', () => {
    runner.setProperty('generate-ff-custom-text', 'hello').setProperty('character-set', 'UTF-16BE').setProperty('mime-type', 'text/plain');
    expect(runner.migrateProperties().renamed).toEqual({
      'generate-ff-custom-text': 'Custom Text',
      'character-set': 'Character Set',
      'mime-type': 'Mime Type',
    });
    expect(runner.configuredProperties).toEqual({ 'Custom Text': 'hello', 'Character Set': 'UTF-16BE', 'Mime Type': 'text/plain' });
  });
});

describe('GenerateFlowFile (NiFi documented behaviour)', () => {
  it('writes Custom Text in the Character Set', async () => {
    runner.setProperty('Custom Text', 'é').setProperty('Character Set', 'UTF-16BE');
    await runner.run();
    expect([...runner.flowFilesFor('success')[0]!.content]).toEqual([0x00, 0xe9]);
    runner.clearTransferState();
    runner.setProperty('Character Set', 'ISO-8859-1');
    await runner.run();
    expect([...runner.flowFilesFor('success')[0]!.content]).toEqual([0xe9]);
  });

  it('refuses a character set it cannot write, naming it', () => {
    runner.setProperty('Character Set', 'Klingon-8');
    expect(runner.validate()[0]!.message).toContain("Character Set: 'Klingon-8' is not a known character set");
    runner.setProperty('Character Set', 'windows-1254');
    expect(runner.validate()[0]!.message).toContain('can be read but not written');
  });

  it('makes Binary content of random bytes and Text content of printable characters', async () => {
    runner.setProperty('File Size', '4 KB').setProperty('Data Format', 'Text');
    await runner.run();
    const text = runner.flowFilesFor('success')[0]!;
    expect(text.size).toBe(4096);
    expect([...text.content].every((b) => b === 9 || b === 10 || (b >= 32 && b < 127))).toBe(true);
  });

  it('accepts File Size from a parameter, checked as a data size once substituted', () => {
    runner.setProperty('File Size', '#{File Size}');
    runner.setParameter('File Size', '12 KB');
    runner.assertValid();
    runner.setParameter('File Size', '12 parsecs');
    expect(runner.validate()[0]!.message).toBe("File Size: '#{File Size}' = '12 parsecs' is not a data size such as '10 KB' or '1 GB'");
  });

  it('checks a File Size holding Expression Language when it runs', async () => {
    runner.setProperty('File Size', '${literal("big")}');
    runner.assertValid();
    await expect(runner.run()).rejects.toThrow("File Size: 'big' is not a data size");
  });

  it('takes any user-added property as an attribute to set, as NiFi does (none is unknown)', () => {
    runner.setProperty('anything.at.all', 'x');
    runner.assertValid();
  });

  it('collapses $$ escapes in literal values, as NiFi does', async () => {
    runner.setProperty('Custom Text', '$${not.an.expression}').setProperty('escaped', '$${a}');
    await runner.run();
    const [ff] = runner.flowFilesFor('success');
    ff!.assertContentEquals('${not.an.expression}');
    ff!.assertAttributeEquals('escaped', '${a}');
  });
});
