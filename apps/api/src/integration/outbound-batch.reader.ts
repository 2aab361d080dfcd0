import { BadInputError, DomainError } from '../common/errors.js';
import { appModule, WorkerPool } from '../common/worker-pool.js';
import type { RawBody } from '../common/request-body.js';
import { decodeBatch, type DecodedBatch, type RowRule } from './outbound-batch.js';

/** Longest one batch may take to decode before its worker is replaced (a 50 MB batch takes about a second). */
const DECODE_TIMEOUT_MS = 120_000;

/**
 * Batches up to this size (some 7000 stock rows) are decoded on the calling thread: about 5 ms of work, less than the
 * round trip to a worker, and no worker heap (each a V8 isolate with the processors loaded) is started or kept for them.
 */
export const INLINE_DECODE_MAX_BYTES = 512 * 1024;

const unavailable = (message: string) => new DomainError(message, 503, undefined, undefined, { 'Retry-After': '5' });

/**
 * Decodes outbound batches (parse, depth and row checks, canonical text and hash) in worker threads, so a batch of
 * tens of megabytes never holds the event loop; one of at most INLINE_DECODE_MAX_BYTES (about 5 ms) is decoded in place. The body goes to the worker and its content comes back as
 * transferred bytes, never as a parsed value the main thread would have to rebuild.
 */
export class OutboundBatchReader {
  private readonly pool: WorkerPool;

  /** `maxBodyBytes`: the largest batch; a worker's heap is sized for it (its text, parsed rows and content). */
  constructor(maxBodyBytes: number) {
    this.pool = new WorkerPool({
      source: new URL(appModule(new URL('./outbound-batch.worker.js', import.meta.url))),
      workers: 2,
      maxQueue: 64,
      memoryMb: Math.max(256, Math.ceil((maxBodyBytes / 2 ** 20) * 12)),
      errors: {
        failed: (e) => (e.name === 'BadInputError' ? new BadInputError(e.message, e['errors'] as ConstructorParameters<typeof BadInputError>[1]) : new Error(e.message)),
        timedOut: (ms) => unavailable(`reading the batch took longer than ${ms / 1000} s and was stopped; try again`),
        stopped: (why) => unavailable(`the batch could not be read: ${why}`),
        busy: (waiting) => unavailable(`the server is reading ${waiting} other batches; try again shortly`),
        startFailure: 'outbound batch worker failed to start',
        closed: 'the server is shutting down',
      },
    });
  }

  read(raw: RawBody, rule: RowRule | null): Promise<DecodedBatch> {
    if (raw.bytes.byteLength <= INLINE_DECODE_MAX_BYTES) {
      try {
        return Promise.resolve(decodeBatch(raw, rule));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    // A small body may share its memory with other buffers: copy it, so only its own bytes move to the worker.
    const own = raw.bytes.byteOffset === 0 && raw.bytes.byteLength === raw.bytes.buffer.byteLength ? raw.bytes : new Uint8Array(raw.bytes);
    return this.pool.run<DecodedBatch>('decode', { raw: { ...raw, bytes: own } satisfies RawBody, rule }, DECODE_TIMEOUT_MS, [own.buffer as ArrayBuffer]);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
