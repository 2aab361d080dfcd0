import { CoreAttributes, utf8, type FlowFile } from '@sluice/flow-api';
import { zipSync, type Zippable } from 'fflate';

/** One FlowFile of a bundle with its content, as the archive writers take them. */
export interface Entry {
  readonly flowFile: FlowFile;
  readonly content: Uint8Array;
}

/** The archive a format writes, with what NiFi calls the merged content type and the filename's extension. */
export interface Archive {
  readonly content: Uint8Array;
  readonly mimeType: string;
  readonly extension: string;
  /** Entries NiFi's writer refused (a ZIP entry name used twice): a copy of each goes to failure. */
  readonly refused: readonly FlowFile[];
}

export const FLOWFILE_STREAM_V3 = 'FlowFile Stream, v3';
export const FLOWFILE_STREAM_V2 = 'FlowFile Stream, v2';
export const FLOWFILE_TAR_V1 = 'FlowFile Tar, v1';
const MAGIC_V3 = utf8('NiFiFF3');
const TAR_PERMISSIONS = 'tar.permissions';

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** NiFi's getPath: the path attribute without a leading './', with a trailing '/'; empty for './' or none. */
export function entryPath(ff: FlowFile): string {
  const parts = (ff.attributes[CoreAttributes.PATH] ?? '').split('/').filter((p) => p !== '');
  if (parts[0] === '.') parts.shift();
  return parts.length ? `${parts.join('/')}/` : '';
}

const entryName = (ff: FlowFile, keepPath: boolean) => (keepPath ? entryPath(ff) : '') + (ff.attributes[CoreAttributes.FILENAME] ?? ff.uuid);

/** FlowFile Stream v2/v3 lengths: two bytes, or 0xFFFF and four bytes from 65535 on. */
function fieldLength(n: number): Uint8Array {
  if (n < 65535) return Uint8Array.of(n >>> 8, n & 0xff);
  return Uint8Array.of(0xff, 0xff, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function packString(s: string, out: Uint8Array[]): void {
  const b = utf8(s);
  out.push(fieldLength(b.length), b);
}

function long(n: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
}

/** NiFi's FlowFilePackagerV3 (and V2, the same without the magic header per FlowFile). */
export function flowFileStream(entries: readonly Entry[], v3: boolean): Uint8Array {
  const out: Uint8Array[] = [];
  for (const { flowFile, content } of entries) {
    if (v3) out.push(MAGIC_V3);
    const attrs = Object.entries(flowFile.attributes);
    out.push(fieldLength(attrs.length));
    for (const [k, v] of attrs) {
      packString(k, out);
      packString(v, out);
    }
    out.push(long(content.length), content);
  }
  return concat(out);
}

/** Java's Properties.storeToXML as NiFi's FlowFilePackagerV1 writes it (XML 1.1 escaping). */
function attributesXml(attributes: Readonly<Record<string, string>>): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
  let xml = '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE properties\n  SYSTEM "http://java.sun.com/dtd/properties.dtd">\n<properties>';
  for (const [k, v] of Object.entries(attributes)) xml += `\n  <entry key="${esc(k)}">${esc(v)}</entry>`;
  return `${xml}</properties>`;
}

interface TarFile {
  readonly name: string;
  readonly content: Uint8Array;
  readonly mode: number;
  readonly mtime: Date;
}

/** tar-stream takes Node Buffers; the archive writers run in the server, where Buffer exists. */
function toBuffer(b: Uint8Array): Uint8Array {
  const B = (globalThis as { Buffer?: { from(a: ArrayBufferLike, offset: number, length: number): Uint8Array } }).Buffer;
  if (!B) throw new Error('TAR archives are written only where Node.js Buffers exist');
  return B.from(b.buffer, b.byteOffset, b.length);
}

async function tar(files: readonly TarFile[]): Promise<Uint8Array> {
  // Loaded on use: the designer bundles this library's descriptors, never its archive writer.
  const { pack } = await import('tar-stream');
  const p = pack();
  const chunks: Uint8Array[] = [];
  p.on('data', (c) => chunks.push(c as Uint8Array));
  const done = new Promise<void>((resolve, reject) => {
    p.on('end', resolve);
    p.on('error', reject);
  });
  for (const f of files) {
    await new Promise<void>((resolve, reject) =>
      p.entry({ name: f.name, size: f.content.length, mode: f.mode, mtime: f.mtime, type: 'file' }, toBuffer(f.content) as never, (e) => (e ? reject(e) : resolve())),
    );
  }
  p.finalize();
  await done;
  return concat(chunks);
}

/** NiFi's FlowFilePackagerV1: per FlowFile, a whole TAR of its attributes (flowfile.attributes) and content (flowfile.content). */
export async function flowFileTar(entries: readonly Entry[], now: number): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  for (const { flowFile, content } of entries) {
    const mtime = new Date(now);
    out.push(await tar([
      { name: 'flowfile.attributes', content: utf8(attributesXml(flowFile.attributes)), mode: 0o644, mtime },
      { name: 'flowfile.content', content, mode: 0o644, mtime },
    ]));
  }
  return concat(out);
}

/**
 * MergeContent's TAR: one entry per FlowFile named by its filename (and path with Keep Path). The mode comes from
 * tar.permissions, which NiFi parses as a decimal number (so '644' is not rw-r--r--); kept as NiFi does it.
 */
export async function tarArchive(entries: readonly Entry[], keepPath: boolean, modifiedTime: (ff: FlowFile) => string | undefined, now: number): Promise<Uint8Array> {
  return tar(entries.map(({ flowFile, content }) => {
    const perm = flowFile.attributes[TAR_PERMISSIONS];
    const mode = perm !== undefined && /^[+-]?\d+$/.test(perm.trim()) ? Number(perm.trim()) : 0o644;
    const modTime = modifiedTime(flowFile)?.trim();
    const parsed = modTime ? Date.parse(modTime) : NaN;
    return { name: entryName(flowFile, keepPath), content, mode, mtime: new Date(Number.isNaN(parsed) ? now : parsed) };
  }));
}

/** MergeContent's ZIP at the Compression Level; a second entry with a name already used is refused, as Java's ZipOutputStream refuses it. */
export function zipArchive(entries: readonly Entry[], keepPath: boolean, level: number, now: number): { content: Uint8Array; refused: FlowFile[] } {
  const files: Zippable = {};
  const refused: FlowFile[] = [];
  const lvl = Math.min(9, Math.max(0, level)) as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  for (const { flowFile, content } of entries) {
    const name = entryName(flowFile, keepPath);
    if (Object.prototype.hasOwnProperty.call(files, name)) refused.push(flowFile);
    else files[name] = [content, { level: lvl, mtime: now }];
  }
  return { content: zipSync(files), refused };
}
