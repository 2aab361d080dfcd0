/**
 * CompressContent on the server's real zlib codecs, against the cases of NiFi's TestCompressContent for the formats
 * Sluice supports (gzip, deflate, brotli), restated with our own sample text, through the real session and context.
 */
import { getProcessor } from '@sluice/processors';
import { TestRunner } from '@sluice/flow-testing';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ZLIB_COMPRESSION } from './zlib-compression.codec.js';

const CompressContent = getProcessor('CompressContent')!;
const SAMPLE = new TextEncoder().encode('Sample text for CompressContent.\n'.repeat(200));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

function runner(config: Record<string, string>) {
  const r = new TestRunner(CompressContent, { services: { compression: ZLIB_COMPRESSION } });
  for (const [k, v] of Object.entries(config)) r.setProperty(k, v);
  r.assertValid();
  return r;
}
async function once(r: TestRunner, content: Uint8Array, attributes: Record<string, string>) {
  r.clearTransferState();
  r.enqueue(content, attributes);
  await r.run();
  return r;
}

describe('CompressContent (NiFi TestCompressContent cases)', () => {
  it('decompresses gzip, also concatenated members and by mime.type, removing .gz from the filename', async () => {
    const r = runner({ Mode: 'decompress', 'Compression Format': 'gzip', 'Update Filename': 'true' });
    await once(r, gzipSync(SAMPLE), { filename: 'SampleFile.txt.gz' });
    r.assertAllTransferred('success', 1);
    r.flowFilesFor('success')[0]!.assertContentEquals(SAMPLE);
    r.flowFilesFor('success')[0]!.assertAttributeEquals('filename', 'SampleFile.txt');
    const half = SAMPLE.length / 2;
    await once(r, concat(gzipSync(SAMPLE.subarray(0, half)), gzipSync(SAMPLE.subarray(half))), { filename: 'SampleFile1.txt.gz' });
    r.flowFilesFor('success')[0]!.assertContentEquals(SAMPLE);
    r.flowFilesFor('success')[0]!.assertAttributeEquals('filename', 'SampleFile1.txt');
    const byMime = runner({ Mode: 'decompress', 'Update Filename': 'true' });
    await once(byMime, gzipSync(SAMPLE), { filename: 'SampleFile.txt.gz', 'mime.type': 'application/x-gzip' });
    byMime.flowFilesFor('success')[0]!.assertContentEquals(SAMPLE);
    byMime.flowFilesFor('success')[0]!.assertAttributeNotExists('mime.type');
  });

  it('compresses and decompresses deflate as the zlib stream Java writes, level 6 byte for byte', async () => {
    const zlibFile = deflateSync(SAMPLE, { level: 6 });
    const d = runner({ Mode: 'decompress', 'Compression Format': 'deflate', 'Update Filename': 'true' });
    await once(d, zlibFile, { filename: 'SampleFile.txt.zlib' });
    d.flowFilesFor('success')[0]!.assertContentEquals(SAMPLE);
    d.flowFilesFor('success')[0]!.assertAttributeEquals('filename', 'SampleFile.txt');
    const c = runner({ Mode: 'compress', 'Compression Level': '6', 'Compression Format': 'deflate', 'Update Filename': 'true' });
    await once(c, SAMPLE, { filename: 'SampleFile.txt' });
    c.flowFilesFor('success')[0]!.assertContentEquals(zlibFile);
    c.flowFilesFor('success')[0]!.assertAttributeEquals('filename', 'SampleFile.txt.zlib');
    // NiFi labels deflate output application/gzip.
    c.flowFilesFor('success')[0]!.assertAttributeEquals('mime.type', 'application/gzip');
  });

  it('adds .gz when compressing with gzip, and the output inflates back', async () => {
    const r = runner({ Mode: 'compress', 'Compression Format': 'gzip', 'Update Filename': 'true' });
    await once(r, SAMPLE, { filename: 'SampleFile.txt' });
    const out = r.flowFilesFor('success')[0]!;
    out.assertAttributeEquals('filename', 'SampleFile.txt.gz');
    out.assertAttributeEquals('mime.type', 'application/gzip');
    const back = runner({ Mode: 'decompress', 'Compression Format': 'gzip' });
    await once(back, out.content, {});
    back.flowFilesFor('success')[0]!.assertContentEquals(SAMPLE);
  });

  it('routes data that is not gzip to failure, unchanged', async () => {
    const data = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const r = runner({ Mode: 'decompress', 'Compression Format': 'gzip', 'Update Filename': 'true' });
    await once(r, data, {});
    r.assertQueueEmpty();
    r.assertAllTransferred('failure', 1);
    r.flowFilesFor('failure')[0]!.assertContentEquals(data);
  });

  it('compresses and decompresses brotli', async () => {
    const c = runner({ Mode: 'compress', 'Compression Format': 'brotli', 'Update Filename': 'true' });
    await once(c, SAMPLE, { filename: 'SampleFile.txt' });
    c.flowFilesFor('success')[0]!.assertAttributeEquals('mime.type', 'application/x-brotli');
    c.flowFilesFor('success')[0]!.assertAttributeEquals('filename', 'SampleFile.txt.br');
    const d = runner({ Mode: 'decompress', 'Compression Format': 'brotli', 'Update Filename': 'true' });
    await once(d, brotliCompressSync(SAMPLE), { filename: 'SampleFile.txt.br' });
    d.flowFilesFor('success')[0]!.assertContentEquals(SAMPLE);
    d.flowFilesFor('success')[0]!.assertAttributeEquals('filename', 'SampleFile.txt');
  });

  it("refuses snappy-hadoop decompression (NiFi's rule) and formats Node's zlib does not code", () => {
    const r = new TestRunner(CompressContent).setProperty('Mode', 'decompress').setProperty('Compression Format', 'snappy-hadoop');
    expect(r.validate()[0]!.message).toContain('is not permitted');
    for (const format of ['bzip2', 'xz-lzma2', 'lzma', 'snappy', 'snappy framed', 'lz4-framed', 'zstd']) {
      expect(new TestRunner(CompressContent).setProperty('Compression Format', format).validate()[0]!.message).toContain('is not supported');
    }
  });

  it('stops a small archive that inflates past Maximum Decompressed Size', async () => {
    const bomb = gzipSync(new Uint8Array(5 * 1024 * 1024));
    const r = runner({ Mode: 'decompress', 'Compression Format': 'gzip', 'Maximum Decompressed Size': '1 MB' });
    await once(r, bomb, {});
    r.assertAllTransferred('failure', 1);
    expect(r.logs('error')[0]!.message).toMatch(/inflates past 1048576 bytes/);
  });
});
