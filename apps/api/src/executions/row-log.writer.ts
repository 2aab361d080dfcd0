import type { RowStatus } from '@sluice/processors';
import { countStatus, type RowEntry, type RowLogRepository, type StoredCount } from './row-log.repository.js';
import { yieldToLoop } from '../common/slices.js';

const FLUSH_MS = 250;
/** Buffered row logs are written on a timer, off the write path; only a buffer this large is flushed at once. */
const BUFFER_MAX = 25_000;
/**
 * Recorded lines not yet in row_log beyond which `record` waits for the writer: a step that sends faster than the
 * database stores (Postgres, a busy disk) otherwise piled up a large batch's lines in memory until its end, where
 * they outlived young-generation collections and each one's copying paused the loop.
 */
const RECORD_WINDOW = 10_000;
/**
 * A flush is stored in transactions of about this many milliseconds, with the event loop free between them: on
 * SQLite every statement runs on the loop, and one transaction of a large buffer held it for hundreds of ms.
 */
const SLICE_BUDGET_MS = 25;
const SLICE_ROWS_START = 400;
const SLICE_ROWS_MAX = 5000;

/** A write that stopped part-way: `remaining` are the lines no committed transaction holds. */
class PartialWrite extends Error {
  constructor(
    readonly reason: unknown,
    readonly remaining: readonly RowEntry[],
  ) {
    super(String(reason));
  }
}

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
  /** Lines per transaction, adapted to what the last one took against the budget. */
  private sliceRows = SLICE_ROWS_START;
  /** Lines handed in whose write has not ended (stored, or failed and queued again). */
  private unstored = 0;
  /** Records waiting for the writer to catch up; woken at the end of each transaction. */
  private waiters: (() => void)[] = [];
  /** The last write failed: records do not wait for a writer that cannot catch up. */
  private failing = false;

  constructor(
    private readonly repository: RowLogRepository,
    private readonly options: RowLogWriterOptions,
  ) {}

  /** Queues lines for the next flush; a write error is reported, not thrown (the step already moved on). */
  add(entries: readonly RowEntry[]): void {
    if (entries.length === 0) return;
    for (const e of entries) this.buffer.push(e);
    this.unstored += entries.length;
    if (this.buffer.length >= BUFFER_MAX) void this.flush();
    else if (this.timer === null) this.timer = (this.options.setTimer ?? setTimeout)(() => void this.flush(), FLUSH_MS);
  }

  /**
   * Journals lines durably and queues them for row_log; rejects when they could not be stored. It waits for the
   * expansion of earlier lines only while more than RECORD_WINDOW of them are not stored yet, so a step pays one
   * small insert per chunk and a large batch holds a bounded number of lines in memory.
   */
  record(entries: readonly RowEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const work = (async () => {
      const groups = bySource(entries);
      for (const g of groups) {
        const journal = await this.repository.journal(g[0]!.executionId, g[0]!.source, g.map((e) => e.row), g[0]!.at);
        // The lines are the writer's from here on: marked rather than copied, as the buffer keeps them until stored.
        for (const e of g) e.journal = journal;
      }
      // Queued a journal's lines together, as a cut between transactions relies on.
      this.add(groups.length === 1 ? groups[0]! : groups.flat());
    })();
    this.journaling.add(work);
    // Waited outside `work`: a flush waits for the journal writes, and this waits for a flush.
    return work.finally(() => this.journaling.delete(work)).then(() => this.caughtUp());
  }

  /** Resolves once at most RECORD_WINDOW lines wait for row_log (or a write failed, so waiting would not help). */
  private async caughtUp(): Promise<void> {
    if (this.unstored <= RECORD_WINDOW) return;
    void this.flush();
    while (this.unstored > RECORD_WINDOW && !this.failing) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Notes lines whose write ended and wakes the records waiting for room. */
  private settled(lines: number, failed: boolean): void {
    this.unstored -= lines;
    this.failing = failed;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
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
          this.options.error(`row logs not written: ${String(e instanceof PartialWrite ? e.reason : e)}`);
          // Journaled lines are durable already: keep them for the next flush (or the next start). Lines an earlier
          // transaction of this flush committed are not kept: unkeyed ones would be logged twice.
          const kept = (e instanceof PartialWrite ? e.remaining : pending).filter((p) => p.journal !== undefined);
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
    let done = 0;
    try {
      const lastLine = new Map<number, number>();
      entries.forEach((e, i) => e.journal !== undefined && lastLine.set(e.journal, i));
      for (let from = 0; from < entries.length; ) {
        const to = sliceEnd(entries, from, this.sliceRows);
        const emptied = [...lastLine].filter(([, last]) => last >= from && last < to).map(([journal]) => journal);
        const started = performance.now();
        let stored: StoredCount[];
        try {
          stored = await this.repository.insertRows(entries.slice(from, to), emptied);
        } catch (e) {
          throw new PartialWrite(e, entries.slice(from));
        }
        this.adapt(to - from, performance.now() - started);
        this.report(stored);
        this.settled(to - from, false);
        done += to - from;
        from = to;
        // Let requests and timers run before the next transaction.
        if (from < entries.length) await yieldToLoop();
      }
    } finally {
      this.writing.delete(entries);
      // Lines of a failed write that are kept come back through `add`.
      if (done < entries.length) this.settled(entries.length - done, true);
    }
  }

  private adapt(rows: number, ms: number): void {
    const fit = ms > 0 ? Math.floor((rows * SLICE_BUDGET_MS) / ms) : SLICE_ROWS_MAX;
    // At most double per step: one fast transaction (a warm cache) says little about the next.
    this.sliceRows = Math.max(1, Math.min(SLICE_ROWS_MAX, fit, this.sliceRows * 2));
  }

  private report(stored: readonly StoredCount[]): void {
    const per = new Map<string, { written: number; failed: number }>();
    for (const s of stored) {
      let c = per.get(s.executionId);
      if (!c) per.set(s.executionId, (c = { written: 0, failed: 0 }));
      countStatus(c, s.status, s.count);
    }
    for (const [id, c] of per) this.options.stored(id, c.written, c.failed);
  }
}

/**
 * Where a transaction of about `rows` lines starting at `from` ends. A journal row is deleted with its last lines;
 * its earlier lines may go in earlier transactions only when keyed, as a replay of the journal after a crash skips
 * keyed lines already stored but would store unkeyed ones twice.
 */
function sliceEnd(entries: readonly RowEntry[], from: number, rows: number): number {
  let to = Math.min(entries.length, from + Math.max(1, rows));
  while (to < entries.length && !safeCut(entries, from, to)) to++;
  return to;
}

function safeCut(entries: readonly RowEntry[], from: number, to: number): boolean {
  const journal = entries[to]!.journal;
  if (journal === undefined || entries[to - 1]!.journal !== journal) return true;
  for (let i = to - 1; i >= from && entries[i]!.journal === journal; i--) if (entries[i]!.row.key === undefined) return false;
  return true;
}

/** Lines by execution and FlowFile, in order; a step's chunk is all of one, which needs no key per line. */
function bySource(entries: readonly RowEntry[]): (readonly RowEntry[])[] {
  const first = entries[0]!;
  if (entries.every((e) => e.executionId === first.executionId && e.source === first.source)) return [entries];
  const groups = new Map<string, RowEntry[]>();
  for (const e of entries) {
    const k = `${e.executionId}\u0000${e.source ?? ''}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(e);
  }
  return [...groups.values()];
}
