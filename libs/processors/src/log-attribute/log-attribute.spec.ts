import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { attributeSelection, LogAttribute, selectAttributes } from './log-attribute.processor.js';

describe('LogAttribute', () => {
  it('logs every attribute sorted by name, one per line, and passes the FlowFile on unchanged', async () => {
    const h = new TestRunner(LogAttribute).setProperties({ 'Log Prefix': 'sku ${sku}' });
    h.enqueue('body', { sku: 'A1', b: '2' });
    await h.run(h.queueSize());
    const [out] = h.flowFilesFor('success');
    expect(out!.contentText()).toBe('body');
    expect(h.logs()).toHaveLength(1);
    const { level, message } = h.logs()[0]!;
    expect(level).toBe('info');
    expect(message).toContain(`${'-'.repeat(22)}sku A1${'-'.repeat(22)}`);
    expect(message).toContain("FlowFile Attribute Map Content\nKey: 'b'\n\tValue: '2'\nKey: 'filename'");
    expect(message).toContain("Key: 'path'\n\tValue: './'\nKey: 'sku'\n\tValue: 'A1'\nKey: 'uuid'");
    expect(message).toContain("Key: 'fileSize'\n\tValue: '4'");
  });

  it('logs on a single line at the chosen level, with the payload', async () => {
    const h = new TestRunner(LogAttribute).setProperties({ 'Output Format': 'Single Line', 'Log Level': 'warn', 'Log Payload': 'true', 'Log FlowFile Properties': 'false', 'Attributes to Ignore': 'uuid' });
    h.enqueue('{"qty":3}', { sku: 'A1' });
    await h.run(h.queueSize());
    expect(h.logs()[0]!.level).toBe('warn');
    expect(h.logs()[0]!.message).toMatch(/^logging for FlowFile FlowFile\[uuid=(ff-\d+),name=\1,size=9\]\nFlowFile Properties: \{filename=\1, path=\.\/, sku=A1\}\n\{"qty":3\}$/);
  });

  it('handles one FlowFile per run so its schedule paces the flow', async () => {
    const h = new TestRunner(LogAttribute).setProperties({});
    h.enqueue('1');
    h.enqueue('2');
    await h.run();
    expect(h.flowFilesFor('success')).toHaveLength(1);
    expect(h.queueSize()).toBe(1);
  });

  it('passes FlowFiles on in chunks without formatting when its level is not written', async () => {
    const h = new TestRunner(LogAttribute).setProperties({ 'Log Level': 'debug' });
    h.setLogLevels(['info', 'warn', 'error']);
    h.enqueue('1');
    await h.run();
    expect(h.flowFilesFor('success')).toHaveLength(1);
    expect(h.logs()).toEqual([]);
  });

  it('selects by names and whole-name regexes, ignoring wins', () => {
    const attrs = { sku: '1', 'erp.id': '2', 'erp.page': '3', uuid: 'u' };
    expect(selectAttributes(attrs, attributeSelection({ include: 'sku' })).map(([k]) => k)).toEqual(['sku']);
    expect(selectAttributes(attrs, attributeSelection({ include: 'sku , uuid' })).map(([k]) => k)).toEqual(['sku', 'uuid']);
    expect(selectAttributes(attrs, attributeSelection({ includeRegex: 'erp\\..*', ignore: 'erp.page' })).map(([k]) => k)).toEqual(['erp.id']);
    expect(selectAttributes(attrs, attributeSelection({ includeRegex: 'erp' })).map(([k]) => k)).toEqual([]);
    expect(selectAttributes(attrs, attributeSelection({ ignoreRegex: 'erp.*|uuid' })).map(([k]) => k)).toEqual(['sku']);
    expect(selectAttributes(attrs, attributeSelection({ includeRegex: '\\Qerp.\\E\\p{Alpha}+' })).map(([k]) => k)).toEqual(['erp.id', 'erp.page']);
  });

  it('refuses invalid name regexes and ones that could backtrack exponentially, naming the property', () => {
    const validate = (config: Record<string, string>) => {
      const r = new TestRunner(LogAttribute);
      for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
      return r.validate();
    };
    expect(validate({ 'Attributes to Log Regular Expression': 'erp\\..*', 'Attributes to Ignore Regular Expression': 'uuid|tmp\\.\\w+' })).toEqual([]);
    expect(validate({ 'Attributes to Log Regular Expression': '[a' })).toEqual([expect.objectContaining({ property: 'Attributes to Log Regular Expression', code: 'invalid' })]);
    expect(validate({ 'Attributes to Ignore Regular Expression': '(.|\\s)*' })).toEqual([]);
    const unsafe = validate({ 'Attributes to Ignore Regular Expression': '(.|\\s)*\\1' });
    expect(unsafe).toEqual([expect.objectContaining({ property: 'Attributes to Ignore Regular Expression', code: 'invalid' })]);
    expect(unsafe[0]!.message).toMatch(/regular expression '\(\.\|\\s\)\*\\1' is refused: .*exponential time, and it uses a back reference/);
  });
});
