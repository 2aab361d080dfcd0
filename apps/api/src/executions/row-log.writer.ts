import type { RowStatus } from '@sluice/flow-api';
import type { ExecutionsRepository, RowEntry } from './executions.repository.js';

const FLUSH_MS = 250;
/** Buffered row logs are written on a timer, off the write path; only a buffer this large is flushed at once. */
const BUFFER_MAX = 25_000;

export interface RowLogWriterOptions {
  /** Rows the database actually stored (a retry's duplicates are not), per execution. */
  stored(executionId: string, written: number, failed: number): void;
  error(message: string): void;
  setTimer?: (cb: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Writes row logs in order: buffered lines on a timer, and recorded ones (a chunk a step must not send twice) at
 * once, resolving only when stored. Every insert skips keyed rows already logged.
 */
export class RowLogWriter {
  private buffer: RowEntry[] = [];
  private timer: unknown = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: ExecutionsRepository,
    private readonly options: RowLogWriterOptions,
  ) {}

  /** Queues lines for the next flush; a write error is reported, not thrown (the step already moved on). */
  add(entries: readonly RowEntry[]): void {
    if (entries.length === 0) return;
    for (const e of entries) this.buffer.push(e);
    if (this.buffer.length >= BUFFER_MAX) void this.flush();
    else if (this.timer === null) this.timer = (this.options.setTimer ?? setTimeout)(() => void this.flush(), FLUSH_MS);
  }

  /** Stores lines after everything queued before them; rejects when they could not be stored. */
  record(entries: readonly RowEntry[]): Promise<void> {
    const pending = this.take();
    const result = this.chain.then(async () => {
      if (pending.length) await this.write(pending).catch((e: unknown) => this.options.error(`row logs not written: ${String(e)}`));
      await this.write(entries);
    });
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every line handed in so far is stored (or reported as not written). */
  flush(): Promise<void> {
    const pending = this.take();
    if (pending.length) this.chain = this.chain.then(() => this.write(pending)).catch((e: unknown) => this.options.error(`row logs not written: ${String(e)}`));
    return this.chain;
  }

  get pending(): number {
    return this.buffer.length;
  }

  private take(): RowEntry[] {
    if (this.timer !== null) (this.options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout)))(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    return batch;
  }

  private async write(entries: readonly RowEntry[]): Promise<void> {
    const stored = await this.repository.insertRows(entries);
    const per = new Map<string, { written: number; failed: number }>();
    for (const s of stored) {
      let c = per.get(s.executionId);
      if (!c) per.set(s.executionId, (c = { written: 0, failed: 0 }));
      count(c, s.status);
    }
    for (const [id, c] of per) this.options.stored(id, c.written, c.failed);
  }
}

function count(c: { written: number; failed: number }, status: RowStatus): void {
  if (status === 'success') c.written++;
  else if (status === 'failed') c.failed++;
}
