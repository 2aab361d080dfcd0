import type { RowStatus } from '@sluice/processors';
import type { RowEntry, RowLogRepository } from './row-log.repository.js';

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
 * Writes row logs in order, on a timer and off the steps' path. Recorded lines (a chunk a step must not send twice)
 * are first journaled in one row, which resolves the step's promise; the journal is expanded into row_log with the
 * buffered lines, in one transaction. Every insert skips keyed rows already logged.
 */
export class RowLogWriter {
  private buffer: RowEntry[] = [];
  /** Lines taken from the buffer whose write has not finished. */
  private readonly writing = new Set<readonly RowEntry[]>();
  /** Journal writes in progress: a flush waits for them, so it covers every line handed in before it. */
  private readonly journaling = new Set<Promise<unknown>>();
  private timer: unknown = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly repository: RowLogRepository,
    private readonly options: RowLogWriterOptions,
  ) {}

  /** Queues lines for the next flush; a write error is reported, not thrown (the step already moved on). */
  add(entries: readonly RowEntry[]): void {
    if (entries.length === 0) return;
    for (const e of entries) this.buffer.push(e);
    if (this.buffer.length >= BUFFER_MAX) void this.flush();
    else if (this.timer === null) this.timer = (this.options.setTimer ?? setTimeout)(() => void this.flush(), FLUSH_MS);
  }

  /**
   * Journals lines durably and queues them for row_log; rejects when they could not be stored. It does not wait
   * for the expansion of earlier lines, so a step pays one small insert per chunk.
   */
  record(entries: readonly RowEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const work = (async () => {
      const groups = new Map<string, RowEntry[]>();
      for (const e of entries) {
        const k = `${e.executionId}\u0000${e.source ?? ''}`;
        let g = groups.get(k);
        if (!g) groups.set(k, (g = []));
        g.push(e);
      }
      const journaled: RowEntry[] = [];
      for (const g of groups.values()) {
        const journal = await this.repository.journal(g[0]!.executionId, g[0]!.source, g.map((e) => e.row), g[0]!.at);
        for (const e of g) journaled.push({ ...e, journal });
      }
      this.add(journaled);
    })();
    this.journaling.add(work);
    return work.finally(() => this.journaling.delete(work));
  }

  /** Expands what a crash left in the journal into row_log (before anything runs after a restart). */
  async replayJournal(): Promise<void> {
    const entries = await this.repository.journals();
    if (entries.length) {
      this.add(entries);
      await this.flush();
    }
  }

  /** Resolves once every line handed in so far is stored (or reported as not written). */
  async flush(): Promise<void> {
    if (this.journaling.size) await Promise.allSettled([...this.journaling]);
    const pending = this.take();
    if (pending.length) {
      this.chain = this.chain
        .then(() => this.write(pending))
        .catch((e: unknown) => {
          this.options.error(`row logs not written: ${String(e)}`);
          // Journaled lines are durable already: keep them for the next flush (or the next start).
          const kept = pending.filter((p) => p.journal !== undefined);
          if (kept.length) this.add(kept);
        });
    }
    await this.chain;
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Keyed lines of the FlowFile handed in but not yet in row_log; with row_log's they are everything logged. */
  pendingKeys(executionId: string, source: string): Map<string, RowStatus> {
    const keys = new Map<string, RowStatus>();
    const scan = (list: readonly RowEntry[]) => {
      for (const e of list) if (e.row.key !== undefined && e.executionId === executionId && e.source === source && !keys.has(e.row.key)) keys.set(e.row.key, e.row.status);
    };
    scan(this.buffer);
    for (const batch of this.writing) scan(batch);
    return keys;
  }

  private take(): RowEntry[] {
    if (this.timer !== null) (this.options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout)))(this.timer);
    this.timer = null;
    const batch = this.buffer;
    this.buffer = [];
    return batch;
  }

  private async write(entries: readonly RowEntry[]): Promise<void> {
    this.writing.add(entries);
    let stored: Awaited<ReturnType<RowLogRepository['insertRows']>>;
    try {
      stored = await this.repository.insertRows(entries);
    } finally {
      this.writing.delete(entries);
    }
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
