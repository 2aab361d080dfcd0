import { unzipSync } from 'fflate';
import { extract } from 'tar-stream';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** The entries of a TAR (name, mode, mtime, text), read with the same library another tool would use. */
export async function readTar(bytes: Uint8Array): Promise<{ name: string; mode: number | undefined; mtime: number | undefined; text: string }[]> {
  const out: { name: string; mode: number | undefined; mtime: number | undefined; text: string }[] = [];
  const x = extract();
  const done = new Promise<void>((resolve, reject) => {
    x.on('entry', (header, stream, next) => {
      const chunks: Uint8Array[] = [];
      stream.on('data', (c: Uint8Array) => chunks.push(c));
      stream.on('end', () => {
        out.push({ name: header.name, mode: header.mode, mtime: header.mtime?.getTime(), text: text(Buffer.concat(chunks)) });
        next();
      });
      stream.resume();
    });
    x.on('finish', resolve);
    x.on('error', reject);
  });
  x.end(Buffer.from(bytes));
  await done;
  return out;
}

export function readZip(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, text(v)]));
}

/** Unpacks NiFi's FlowFile Stream v3 (or v2 without the magic), as NiFi's FlowFileUnpackagerV3 reads it. */
export function readFlowFileStream(bytes: Uint8Array, v3 = true): { attributes: Record<string, string>; text: string }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  let at = 0;
  const len = () => {
    const n = view.getUint16(at);
    at += 2;
    if (n < 0xffff) return n;
    const big = view.getUint32(at);
    at += 4;
    return big;
  };
  const str = () => {
    const n = len();
    const s = text(bytes.subarray(at, at + n));
    at += n;
    return s;
  };
  const out: { attributes: Record<string, string>; text: string }[] = [];
  while (at < bytes.length) {
    if (v3) {
      if (text(bytes.subarray(at, at + 7)) !== 'NiFiFF3') throw new Error(`no NiFiFF3 header at ${at}`);
      at += 7;
    }
    const attributes: Record<string, string> = {};
    for (let i = len(); i > 0; i--) attributes[str()] = str();
    const size = Number(view.getBigUint64(at));
    at += 8;
    out.push({ attributes, text: text(bytes.subarray(at, at + size)) });
    at += size;
  }
  return out;
}
