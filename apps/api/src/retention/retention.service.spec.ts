import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../config/app-config.js';
import { DurableTokenCache } from '../engine/durable-token.cache.js';
import { SqlFlowFileRepository } from '../persistence/sql-flowfile.repository.js';
import { SecretBox } from '../secrets/secret-box.js';
import { openTestDataSource } from '../testing/test-database.js';
import { retentionInterval, RetentionService } from './retention.service.js';

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'sluice-retention-'));
const file = join(dir, 'test.sqlite');
let ds: DataSource;
let postgres = false;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ ds, postgres, close } = await openTestDataSource(dir));
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});
/** `(?,?,…)` or `($1,$2,…)` tuples for `rows` rows of `columns` values. */
const tuples = (rows: number, columns: number) =>
  Array.from({ length: rows }, (_, r) => `(${Array.from({ length: columns }, (_, c) => (postgres ? `$${r * columns + c + 1}` : '?')).join(',')})`).join(',');

const size = () => statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

async function execution(id: string, finishedAt: number | null, rows: number): Promise<void> {
  await ds.query(
    `INSERT INTO "execution" ("id","flow_id","trigger","state","status","params","started_at","finished_at") VALUES ${tuples(1, 8)}`,
    [id, 'f', 'outbound', finishedAt === null ? 'in-progress' : 'finished', finishedAt === null ? 'in-progress' : 'success', '{}', (finishedAt ?? Date.now()) - 1000, finishedAt],
  );
  await ds.query(`INSERT INTO "execution_step" ("id","execution_id","processor_id","name","started_at","duration_ms","input_size","output_size","flowfiles_in","flowfiles_out") VALUES ${tuples(1, 10)}`, [
    `${id}:write`, id, 'write', 'Write', 0, 1, 1, 1, 1, 1,
  ]);
  const message = `stock written to stock list 1 ${'x'.repeat(200)}`;
  await ds.transaction(async (m) => {
    for (let i = 0; i < rows; i += 100) {
      const values: unknown[] = [];
      const n = Math.min(100, rows - i);
      for (let j = 0; j < n; j++) values.push(id, `SKU-${i + j}`, 'success', message, 'write', finishedAt ?? Date.now(), id.slice(0, 16), String(i + j));
      await m.query(`INSERT INTO "row_log" ("execution_id","sku","status","message","step","created_at","source","row_key") VALUES ${tuples(n, 8)}`, values);
    }
  });
}

async function provenance(n: number, timestamp: number): Promise<void> {
  for (let i = 0; i < n; i += 100) {
    const values: unknown[] = [];
    const k = Math.min(100, n - i);
    for (let j = 0; j < k; j++) values.push('f', 'u', 'ROUTE', 'p', 'success', '[]', '[]', null, `{"k":"${'v'.repeat(100)}"}`, 1, timestamp);
    await ds.query(`INSERT INTO "provenance_event" ("flow_id","flowfile_uuid","event_type","processor_id","relationship","parents","children","details","attributes","size","timestamp") VALUES ${tuples(k, 11)}`, values);
  }
}

const count = async (sql: string) => Number(((await ds.query(sql)) as { n: number }[])[0]!.n);

describe('RetentionService', () => {
  it('runs a sixth of the retention apart, between 5 s and 10 min', () => {
    expect(retentionInterval(30 * 24 * HOUR)).toBe(600_000);
    expect(retentionInterval(60_000)).toBe(10_000);
    expect(retentionInterval(20_000)).toBe(5_000);
    expect(retentionInterval(30 * 60_000)).toBe(300_000);
  });

  it('removes what is older than the retention in small transactions, keeps the rest, and shrinks the file', async () => {
    const now = Date.now();
    for (let i = 0; i < 4; i++) await execution(`old-${i}`, now - 3 * HOUR, 6_000);
    await execution('recent', now - 10 * 60_000, 50);
    await execution('running', null, 50);
    await provenance(12_000, now - 3 * HOUR);
    await provenance(30, now);
    await ds.query(`INSERT INTO "content_claim" ("claim","data") VALUES ('orphan', ${postgres ? '$1' : '?'})`, [Buffer.alloc(50_000, 1)]);
    // Contents kept for provenance go with the provenance of their time.
    for (const [claim, at] of [['kept-old', now - 3 * HOUR], ['kept-new', now]] as const) {
      await ds.query(`INSERT INTO "provenance_content" ("claim","data","size","kept","created_at") VALUES ${tuples(1, 5)}`, [claim, Buffer.alloc(2_000, 2), 2_000, 2_000, at]);
    }
    const box = new SecretBox(new TextEncoder().encode('k'.repeat(40)));
    const tokens = new DurableTokenCache(ds, box);
    await tokens.set('expired', 'old token', now - 1);
    await ds.query(`INSERT INTO "idempotency_key" ("flow_id","key","execution_id","request_hash","created_at") VALUES ('f','old','old-0','h',${postgres ? '$1' : '?'}), ('f','new','recent','h',${postgres ? '$2' : '?'})`, [now - 25 * HOUR, now - 2 * HOUR]);
    await tokens.set('recipe', 'credentials', null);
    const flowFiles = new SqlFlowFileRepository(ds);
    await flowFiles.init();
    if (!postgres) await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
    const before = postgres ? 0 : size();

    const retention = new RetentionService(ds, { retentionMs: HOUR } as AppConfig, tokens, flowFiles);
    const pruning = retention.run();
    // A flow's commit during the prune gets in between its transactions instead of waiting for the whole run.
    let committedDuringPrune = false;
    const commit = ds
      .transaction((m) => m.query(`INSERT INTO "processor_state" ("flow_id","processor_id","scope","state") VALUES ('f','p','local','{}')`))
      .then(() => (committedDuringPrune = !settled));
    let settled = false;
    const report = await pruning;
    settled = true;
    await commit;
    expect(committedDuringPrune).toBe(true);

    expect(report).toMatchObject({ executions: 4, rowLogs: 24_000, provenance: 12_000 });
    if (!postgres) expect(report.pagesFreed).toBeGreaterThan(0);
    expect((await ds.query(`SELECT "id" FROM "execution" ORDER BY "id"`)).map((r: { id: string }) => r.id)).toEqual(['recent', 'running']);
    expect(await count(`SELECT COUNT(*) AS n FROM "row_log"`)).toBe(100);
    expect(await count(`SELECT COUNT(*) AS n FROM "execution_step"`)).toBe(2);
    expect(await count(`SELECT COUNT(*) AS n FROM "provenance_event"`)).toBe(30);
    expect(await count(`SELECT COUNT(*) AS n FROM "content_claim"`)).toBe(0);
    expect((await ds.query(`SELECT "claim" FROM "provenance_content"`)).map((r: { claim: string }) => r.claim)).toEqual(['kept-new']);
    expect((await ds.query(`SELECT "key" FROM "token_cache"`)).map((r: { key: string }) => r.key)).toEqual(['recipe']);
    // Keys live 24 hours whatever the retention, even after their execution went.
    expect((await ds.query(`SELECT "key" FROM "idempotency_key"`)).map((r: { key: string }) => r.key)).toEqual(['new']);
    if (!postgres) {
      // SQLite gave the pages back: the files on disk shrank.
      expect(Number((await ds.query('PRAGMA freelist_count'))[0].freelist_count)).toBe(0);
      expect(size()).toBeLessThan(before / 3);
    }
    expect((await retention.run()).executions).toBe(0);
  });
});
