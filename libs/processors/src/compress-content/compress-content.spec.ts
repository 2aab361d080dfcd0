import { CompressionError, type CompressionCodec } from '@sluice/flow-api';
import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { CompressContent } from './compress-content.processor.js';

/** A stand-in codec that records calls and frames data as `<format>:<level>:` (the server's zlib codecs have their own spec). */
class RecordingCodec implements CompressionCodec {
  readonly formats = ['gzip', 'deflate', 'brotli'];
  readonly calls: string[] = [];
  async compress(format: string, data: Uint8Array, level: number): Promise<Uint8Array> {
    this.calls.push(`compress ${format} ${level}`);
    return new Uint8Array([...new TextEncoder().encode(`${format}:${level}:`), ...data]);
  }
  async decompress(format: string, data: Uint8Array, max: number): Promise<Uint8Array> {
    this.calls.push(`decompress ${format} ${max}`);
    const text = new TextDecoder().decode(data);
    const m = /^(\w+):\d:/.exec(text);
    if (!m || m[1] !== format) throw new CompressionError(`not ${format} data`);
    return data.subarray(m[0].length);
  }
}

async function run(config: Record<string, string>, content: string, attributes: Record<string, string> = {}, codec: CompressionCodec | undefined = new RecordingCodec()) {
  const r = new TestRunner(CompressContent, { services: { compression: codec } });
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  r.enqueue(content, { filename: 'rows.csv', ...attributes });
  await r.run();
  return { r, codec: codec as RecordingCodec };
}

describe('CompressContent relationships', () => {
  it('success: compressed with the mime.type of the format', async () => {
    const { r } = await run({ 'Compression Format': 'gzip' }, 'abc');
    const out = r.flowFilesFor('success')[0]!;
    out.assertContentEquals('gzip:1:abc');
    out.assertAttributeEquals('mime.type', 'application/gzip');
  });

  it('failure: data not in the format, and no mime.type to go by', async () => {
    const { r } = await run({ Mode: 'decompress', 'Compression Format': 'gzip' }, 'brotli:1:abc');
    r.assertAllTransferred('failure', 1);
    r.flowFilesFor('failure')[0]!.assertContentEquals('brotli:1:abc');
    const noMime = await run({ Mode: 'decompress' }, 'x');
    noMime.r.assertAllTransferred('failure', 1);
    expect(noMime.r.logs('error')[0]!.message).toContain('No mime.type attribute');
  });
});

describe('CompressContent properties', () => {
  it('Mode decompress removes mime.type', async () => {
    const { r } = await run({ Mode: 'decompress', 'Compression Format': 'deflate' }, 'deflate:1:abc', { 'mime.type': 'application/gzip' });
    r.flowFilesFor('success')[0]!.assertContentEquals('abc');
    r.flowFilesFor('success')[0]!.assertAttributeNotExists('mime.type');
  });

  it("Compression Format 'use mime.type attribute' picks the format, and passes other types on untouched", async () => {
    const { r, codec } = await run({ Mode: 'decompress' }, 'brotli:1:abc', { 'mime.type': 'application/x-brotli' });
    r.flowFilesFor('success')[0]!.assertContentEquals('abc');
    expect(codec.calls).toEqual(['decompress brotli 268435456']);
    const plain = await run({ Mode: 'decompress' }, 'abc', { 'mime.type': 'text/csv' });
    plain.r.flowFilesFor('success')[0]!.assertContentEquals('abc');
    plain.r.flowFilesFor('success')[0]!.assertAttributeEquals('mime.type', 'text/csv');
    expect(plain.codec.calls).toEqual([]);
  });

  it('a mime.type naming a format the server does not code goes to failure with the reason', async () => {
    const { r } = await run({ Mode: 'decompress' }, 'x', { 'mime.type': 'application/zstd' });
    r.assertAllTransferred('failure', 1);
    expect(r.logs('error')[0]!.message).toContain("'zstd' is not supported");
  });

  it('Compression Level is passed to the codec', async () => {
    const { codec } = await run({ 'Compression Format': 'brotli', 'Compression Level': '9' }, 'abc');
    expect(codec.calls).toEqual(['compress brotli 9']);
  });

  it('Update Filename adds the extension, and removes it only when it is there', async () => {
    expect((await run({ 'Compression Format': 'deflate', 'Update Filename': 'true' }, 'a')).r.flowFilesFor('success')[0]!.getAttribute('filename')).toBe('rows.csv.zlib');
    expect((await run({ Mode: 'decompress', 'Compression Format': 'gzip', 'Update Filename': 'true' }, 'gzip:1:a', { filename: 'rows.csv.GZ' })).r.flowFilesFor('success')[0]!.getAttribute('filename')).toBe('rows.csv');
    expect((await run({ Mode: 'decompress', 'Compression Format': 'gzip', 'Update Filename': 'true' }, 'gzip:1:a')).r.flowFilesFor('success')[0]!.getAttribute('filename')).toBe('rows.csv');
  });

  it('Maximum Decompressed Size bounds the codec', async () => {
    const { codec } = await run({ Mode: 'decompress', 'Compression Format': 'gzip', 'Maximum Decompressed Size': '2 KB' }, 'gzip:1:a');
    expect(codec.calls).toEqual(['decompress gzip 2048']);
  });

  it('throws (the FlowFile stays queued) on a host without codecs', async () => {
    const r = new TestRunner(CompressContent).setProperty('Compression Format', 'gzip');
    r.enqueue('a');
    await expect(r.run()).rejects.toThrow(/compression codecs/);
    r.assertQueueNotEmpty();
  });
});
