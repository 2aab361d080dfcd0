import { CompressionError, type CompressionCodec } from '@sluice/flow-api';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate);
const brotli = promisify(zlib.brotliCompress);
const unbrotli = promisify(zlib.brotliDecompress);

const asBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const asBuffer = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/**
 * CompressContent's codecs on Node's zlib, which runs on the libuv thread pool: large content does not block the
 * event loop. gzip reads concatenated members (as NiFi's reader does); deflate is the zlib-wrapped stream Java's
 * DeflaterOutputStream writes; decompression stops at `maxOutputBytes` so an archive cannot inflate without bound.
 */
export class ZlibCompressionCodec implements CompressionCodec {
  readonly formats = ['gzip', 'deflate', 'brotli'];

  async compress(format: string, data: Uint8Array, level: number): Promise<Uint8Array> {
    const input = asBuffer(data);
    switch (format) {
      case 'gzip':
        return asBytes(await gzip(input, { level }));
      case 'deflate':
        return asBytes(await deflate(input, { level }));
      case 'brotli':
        return asBytes(await brotli(input, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: level, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
      default:
        throw new CompressionError(`format '${format}' is not available`);
    }
  }

  async decompress(format: string, data: Uint8Array, maxOutputBytes: number): Promise<Uint8Array> {
    const input = asBuffer(data);
    const options = { maxOutputLength: Math.max(1, maxOutputBytes) };
    try {
      switch (format) {
        case 'gzip':
          return asBytes(await gunzip(input, options));
        case 'deflate':
          return asBytes(await inflate(input, options));
        case 'brotli':
          return asBytes(await unbrotli(input, options));
        default:
          throw new CompressionError(`format '${format}' is not available`);
      }
    } catch (e) {
      if (e instanceof CompressionError) throw e;
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new CompressionError(`the content inflates past ${maxOutputBytes} bytes (Maximum Decompressed Size)`);
      throw new CompressionError(`the content is not valid ${format} data (${err.message})`);
    }
  }
}

/** One codec for the whole server: it holds no state. */
export const ZLIB_COMPRESSION = new ZlibCompressionCodec();
