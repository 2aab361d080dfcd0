import { validateProcessor } from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { describe, expect, it } from 'vitest';
import { TestRunner } from '@sluice/flow-testing';
import { GenerateFlowFile, randomContent } from './generate-flow-file.processor.js';

describe('GenerateFlowFile', () => {
  it('creates Batch Size FlowFiles of custom text with attributes from user-added properties', async () => {
    const h = new TestRunner(GenerateFlowFile, { parameters: { list: 'L1' } }).setProperties({
      'Custom Text': '{"list":"#{list}","at":"${literal(7):plus(1)}"}',
      'Batch Size': '3',
      'Mime Type': 'application/json',
      source: '${literal("erp")}',
    });
    await h.run();
    const out = h.flowFilesFor('success');
    expect(out).toHaveLength(3);
    for (const f of out) {
      expect(f.contentJson()).toEqual({ list: 'L1', at: '8' });
      expect(f.attributes).toMatchObject({ 'mime.type': 'application/json', source: 'erp' });
    }
    expect(new Set(out.map((f) => f.flowFile.uuid)).size).toBe(3);
  });

  it('creates random content of File Size, shared unless Unique FlowFiles is set', async () => {
    const shared = new TestRunner(GenerateFlowFile).setProperties({ 'File Size': '2 KB', 'Batch Size': '2' });
    await shared.run();
    const [a, b] = shared.flowFilesFor('success');
    expect(a!.flowFile.size).toBe(2048);
    expect(a!.contentText()).toBe(b!.contentText());

    const unique = new TestRunner(GenerateFlowFile).setProperties({ 'File Size': '2 KB', 'Batch Size': '2', 'Unique FlowFiles': 'true' });
    await unique.run();
    const [c, d] = unique.flowFilesFor('success');
    expect(c!.contentText()).not.toBe(d!.contentText());
  });

  it('makes printable text, or raw bytes larger than one random-source call', () => {
    const text = randomContent(4096, 'Text');
    expect([...text].every((b) => b >= 9 && b < 127)).toBe(true);
    const binary = randomContent(200_000, 'Binary');
    expect(binary.length).toBe(200_000);
    // The tail is filled too (getRandomValues takes at most 64 KiB at a time).
    expect(binary.subarray(190_000).some((b) => b !== 0)).toBe(true);
  });

  it('refuses a batch size that is not a positive whole number, and takes no input', () => {
    expect(validateProcessor(GenerateFlowFile, { 'Batch Size': 'many' }, { checkExpression })[0]).toMatchObject({ property: 'Batch Size', code: 'invalid' });
    expect(validateProcessor(GenerateFlowFile, { 'Batch Size': '0' }, { checkExpression })[0]?.message).toContain('at least 1');
    expect(validateProcessor(GenerateFlowFile, { 'File Size': 'big' }, { checkExpression })[0]?.property).toBe('File Size');
    expect(GenerateFlowFile.descriptor.inputRequirement).toBe('forbidden');
  });
});
