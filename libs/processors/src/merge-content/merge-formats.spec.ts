import { TestRunner } from '@sluice/flow-testing';
import { describe, expect, it } from 'vitest';
import { MergeContent } from './merge-content.processor.js';
import { readFlowFileStream, readTar, readZip } from './merge-formats.testing.js';

function runner(config: Record<string, string>) {
  const r = new TestRunner(MergeContent).setProperties({ 'Minimum Number of Entries': '3', ...config });
  r.assertValid();
  return r;
}
const three = (r: TestRunner, extra: Record<string, string> = {}) => {
  r.enqueue('Hello', { filename: 'a.txt', path: './in/', ...extra });
  r.enqueue(', ', { filename: 'b.txt', path: 'deep/er', ...extra });
  r.enqueue('World!', { filename: 'c.txt', ...extra });
};

const mergedBytes = (r: TestRunner): Uint8Array => r.flowFilesFor('merged')[0]!.content;

describe('MergeContent Merge Format', () => {
  it('ZIP: one entry per FlowFile named by filename; Keep Path adds the path; mime.type and .zip', async () => {
    const r = runner({ 'Merge Format': 'ZIP', 'Compression Level': '9' });
    three(r);
    await r.run(2);
    expect(readZip(mergedBytes(r))).toEqual({ 'a.txt': 'Hello', 'b.txt': ', ', 'c.txt': 'World!' });
    const out = r.flowFilesFor('merged')[0]!;
    out.assertAttributeEquals('mime.type', 'application/zip');
    expect(out.getAttribute('filename')).toMatch(/^\d+\.zip$/);
    const kept = runner({ 'Merge Format': 'ZIP', 'Keep Path': 'true' });
    three(kept);
    await kept.run(2);
    expect(Object.keys(readZip(mergedBytes(kept)))).toEqual(['in/a.txt', 'deep/er/b.txt', 'c.txt']);
  });

  it('TAR: entries with Keep Path, tar.permissions (parsed as NiFi parses it) and Tar Modified Time', async () => {
    const r = runner({ 'Merge Format': 'TAR', 'Keep Path': 'true' });
    three(r, { 'file.lastModifiedTime': '2024-05-01T10:00:00Z', 'tar.permissions': '420' });
    await r.run(2);
    const entries = await readTar(mergedBytes(r));
    expect(entries.map((e) => [e.name, e.text])).toEqual([['in/a.txt', 'Hello'], ['deep/er/b.txt', ', '], ['c.txt', 'World!']]);
    expect(entries[0]!.mode).toBe(0o644);
    expect(entries[0]!.mtime).toBe(Date.parse('2024-05-01T10:00:00Z'));
    r.flowFilesFor('merged')[0]!.assertAttributeEquals('mime.type', 'application/tar');
    expect(r.flowFilesFor('merged')[0]!.getAttribute('filename')).toMatch(/\.tar$/);
  });

  it('FlowFile Stream, v3 and v2: every FlowFile with its attributes, for another NiFi to unpack', async () => {
    for (const [format, v3, mime] of [['FlowFile Stream, v3', true, 'application/flowfile-v3'], ['FlowFile Stream, v2', false, 'application/flowfile-v2']] as const) {
      const r = runner({ 'Merge Format': format });
      three(r, { 'long.value': 'x'.repeat(70_000) });
      await r.run(2);
      const unpacked = readFlowFileStream(mergedBytes(r), v3);
      expect(unpacked.map((u) => u.text)).toEqual(['Hello', ', ', 'World!']);
      expect(unpacked[1]!.attributes).toMatchObject({ filename: 'b.txt', path: 'deep/er' });
      expect(unpacked[0]!.attributes['long.value']).toHaveLength(70_000);
      r.flowFilesFor('merged')[0]!.assertAttributeEquals('mime.type', mime);
      expect(r.flowFilesFor('merged')[0]!.getAttribute('filename')).toMatch(/\.pkg$/);
    }
  });

  it('FlowFile Tar, v1: per FlowFile a TAR of flowfile.attributes (Java properties XML) and flowfile.content', async () => {
    const r = runner({ 'Merge Format': 'FlowFile Tar, v1', 'Minimum Number of Entries': '1' });
    r.enqueue('<rows/>', { filename: 'x & y.xml' });
    await r.run(2);
    const entries = await readTar(mergedBytes(r));
    expect(entries.map((e) => e.name)).toEqual(['flowfile.attributes', 'flowfile.content']);
    expect(entries[0]!.text).toContain('<entry key="filename">x &amp; y.xml</entry>');
    expect(entries[1]!.text).toBe('<rows/>');
    r.flowFilesFor('merged')[0]!.assertAttributeEquals('mime.type', 'application/flowfile-v1');
  });

  it('Header, Footer and Demarcator apply to Binary Concatenation only', async () => {
    const r = runner({ 'Merge Format': 'ZIP', 'Delimiter Strategy': 'Text', Header: '[', Demarcator: ',', Footer: ']' });
    three(r);
    await r.run(2);
    expect(readZip(mergedBytes(r))['a.txt']).toBe('Hello');
  });
});
