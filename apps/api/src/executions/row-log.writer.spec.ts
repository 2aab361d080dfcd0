import type { RowLog } from '@sluice/processors';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDataSource } from '../testing/test-database.js';
import { RowLogRepository } from './row-log.repository.js';
import { RowLogWriter } from './row-log.writer.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-rowlog-'));
let ds: DataSource;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ ds, close } = await openTestDataSource(dir));
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

const entries = (executionId: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({
    executionId,
    source: 'ff-source-000001',
    at: Date.now(),
    row: { sku: `SKU-${from + i}`, status: 'success', message: 'written', step: 'write', key: String(from + i) } satisfies RowLog,
  }));
const count = async (table: string) => Number(((await ds.query(`SELECT COUNT(*) AS n FROM "${table}"`)) as { n: string | number }[])[0]!.n);

describe('RowLogWriter', () => {
  it('has a recorded chunk stored when its promise resolves, and expands it after a crash exactly once', async () => {
    const repository = new RowLogRepository(ds);
    const stored: number[] = [];
    // A writer whose timer never fires: the process is killed before it expands the journal.
    const killed = new RowLogWriter(repository, { stored: (_id, written) => stored.push(written), error: (m) => expect.fail(m), setTimer: () => null, clearTimer: () => undefined });
    await killed.record(entries('e1', 0, 1000));
    expect([await count('row_journal'), await count('row_log')]).toEqual([1, 0]);
    expect([...killed.pendingKeys('e1', 'ff-source-000001').keys()]).toHaveLength(1000);

    const restarted = new RowLogWriter(repository, { stored: (_id, written) => stored.push(written), error: (m) => expect.fail(m) });
    await restarted.replayJournal();
    expect([await count('row_journal'), await count('row_log')]).toEqual([0, 1000]);
    expect(stored.reduce((a, b) => a + b, 0)).toBe(1000);
    // The step sends again what it cannot see as logged, and logs the overlap once.
    await restarted.record(entries('e1', 500, 1500));
    await restarted.flush();
    expect([await count('row_journal'), await count('row_log')]).toEqual([0, 1500]);
    expect(stored.reduce((a, b) => a + b, 0)).toBe(1500);
    expect((await repository.logged('e1', 'ff-source-000001')).size).toBe(1500);
  });

  it('stores a large journaled chunk in several transactions, and one killed between them leaves every line logged once', async () => {
    const repository = new RowLogRepository(ds);
    await ds.query('DELETE FROM "row_log"');
    // The process dies after the first transaction of the expansion: the later ones never run.
    let transactions = 0;
    const dying = Object.create(repository) as RowLogRepository;
    dying.insertRows = (...args) => (transactions++ === 0 ? repository.insertRows(...args) : Promise.reject(new Error('killed')));
    const killed = new RowLogWriter(dying, { stored: () => undefined, error: () => undefined });
    await killed.record(entries('e2', 0, 3000));
    await killed.flush();
    const partial = await count('row_log');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(3000);
    expect(await count('row_journal')).toBe(1);

    const stored: number[] = [];
    const restarted = new RowLogWriter(repository, { stored: (_id, written) => stored.push(written), error: (m) => expect.fail(m) });
    await restarted.replayJournal();
    expect([await count('row_journal'), await count('row_log')]).toEqual([0, 3000]);
    expect(stored.reduce((a, b) => a + b, 0)).toBe(3000 - partial);
    expect(transactions).toBeGreaterThan(1);
  });

  it('keeps a step that records faster than the database stores within a window of unstored lines, and stores every line once', async () => {
    const repository = new RowLogRepository(ds);
    // A database slower than the step: a transaction takes 2 ms and 1 ms per 100 lines more.
    const slow = Object.create(repository) as RowLogRepository;
    slow.insertRows = async (...args) => {
      await new Promise((r) => setTimeout(r, 2 + args[0].length / 100));
      return repository.insertRows(...args);
    };
    let written = 0;
    const writer = new RowLogWriter(slow, { stored: (_id, n) => (written += n), error: (m) => expect.fail(m) });
    let most = 0;
    for (let from = 0; from < 40_000; from += 1000) {
      await writer.record(entries('e3', from, from + 1000));
      most = Math.max(most, writer.pendingKeys('e3', 'ff-source-000001').size);
    }
    await writer.flush();
    expect(most).toBeGreaterThan(1000);
    // Lines in memory at most: the window, a chunk and a transaction's worth; without a window all 40,000.
    expect(most).toBeLessThanOrEqual(16_000);
    expect(written).toBe(40_000);
    expect((await repository.logged('e3', 'ff-source-000001')).size).toBe(40_000);
  });

  it('does not hold a step back while the row log cannot be written', async () => {
    const repository = new RowLogRepository(ds);
    const broken = Object.create(repository) as RowLogRepository;
    broken.insertRows = () => Promise.reject(new Error('disk full'));
    const errors: string[] = [];
    const writer = new RowLogWriter(broken, { stored: () => undefined, error: (m) => errors.push(m) });
    for (let from = 0; from < 15_000; from += 1000) await writer.record(entries('e4', from, from + 1000));
    await writer.flush();
    expect(errors.length).toBeGreaterThan(0);
    // Journaled, so kept for a later flush.
    expect(writer.pendingKeys('e4', 'ff-source-000001').size).toBe(15_000);
  });

  it('counts an execution by status across counting pages, keyed lines and lines without a key alike', async () => {
    const repository = new RowLogRepository(ds);
    const line = (i: number, keyed: boolean) => ({
      executionId: 'e5',
      source: keyed ? `ff-source-${String(i % 3).padStart(6, '0')}` : null,
      at: Date.now(),
      row: { sku: `SKU-${i}`, status: i % 7 === 0 ? 'failed' : i % 11 === 0 ? 'skipped' : 'success', message: 'm', ...(keyed ? { key: String(i) } : {}) } satisfies RowLog,
    });
    const expected = { written: 0, failed: 0 };
    // One page and a bit of keyed lines (three FlowFiles), and exactly a page of lines without a key.
    for (const [n, keyed] of [[10_001, true], [10_000, false]] as const) {
      const lines = Array.from({ length: n }, (_, i) => line(i, keyed));
      for (const l of lines) if (l.row.status === 'success') expected.written++;
      else if (l.row.status === 'failed') expected.failed++;
      for (let i = 0; i < lines.length; i += 2000) await repository.insertRows(lines.slice(i, i + 2000));
    }
    expect(await repository.rowCounts('e5')).toEqual(expected);
    expect(await repository.rowCounts('no such execution')).toEqual({ written: 0, failed: 0 });
  });
});
