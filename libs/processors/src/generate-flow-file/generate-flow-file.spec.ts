import { validateProcessor } from '@sluice/flow-api';
import { checkExpression } from '@sluice/expression';
import { describe, expect, it } from 'vitest';
import { ProcessorHarness } from '../record-shared/processor-harness.testing.js';
import { GenerateFlowFile, randomContent } from './generate-flow-file.processor.js';

describe('GenerateFlowFile', () => {
  it('creates Batch Size FlowFiles of custom text with attributes from user-added properties', async () => {
    const h = new ProcessorHarness(
      GenerateFlowFile,
      { 'Custom Text': '{"list":"#{list}","at":"${literal(7):plus(1)}"}', 'Batch Size': '3', 'Mime Type': 'application/json', source: '${literal("erp")}' },
      { list: 'L1' },
    );
    await h.runOnce();
    const out = h.transferred('success');
    expect(out).toHaveLength(3);
    for (const f of out) {
      expect(f.json()).toEqual({ list: 'L1', at: '8' });
      expect(f.attributes).toMatchObject({ 'mime.type': 'application/json', source: 'erp' });
    }
    expect(new Set(out.map((f) => f.flowFile.uuid)).size).toBe(3);
  });

  it('creates random content of File Size, shared unless Unique FlowFiles is set', async () => {
    const shared = new ProcessorHarness(GenerateFlowFile, { 'File Size': '2 KB', 'Batch Size': '2' });
    await shared.runOnce();
    const [a, b] = shared.transferred('success');
    expect(a!.flowFile.size).toBe(2048);
    expect(a!.text).toBe(b!.text);

    const unique = new ProcessorHarness(GenerateFlowFile, { 'File Size': '2 KB', 'Batch Size': '2', 'Unique FlowFiles': 'true' });
    await unique.runOnce();
    const [c, d] = unique.transferred('success');
    expect(c!.text).not.toBe(d!.text);
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
    expect(JSON.parse(JSON.stringify(GenerateFlowFile.descriptor))).toEqual(GenerateFlowFile.descriptor);
  });
});
