import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataSource } from './data-source.js';

describe('SQLite data source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-ds-'));
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openDataSource({ database: { type: 'sqlite', path: join(dir, 'test.sqlite') } });
    await ds.query('CREATE TABLE "probe" ("tx" integer, "step" integer)');
  });
  afterAll(async () => {
    await ds?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs concurrent transactions one after another instead of failing on a second BEGIN', async () => {
    const work = Array.from({ length: 20 }, (_, tx) =>
      ds.transaction(async (m) => {
        await m.query('INSERT INTO "probe" VALUES (?, 1)', [tx]);
        await new Promise((r) => setTimeout(r, 1));
        await m.query('INSERT INTO "probe" VALUES (?, 2)', [tx]);
      }),
    );
    await Promise.all(work);
    const [{ n }] = (await ds.query('SELECT COUNT(*) AS n FROM "probe"')) as { n: number }[];
    expect(n).toBe(40);
  });

  it('rolls back a failed transaction alone and lets the next one in', async () => {
    const failing = ds.transaction(async (m) => {
      await m.query('INSERT INTO "probe" VALUES (100, 1)');
      await new Promise((r) => setTimeout(r, 1));
      throw new Error('step failed');
    });
    const next = ds.transaction(async (m) => {
      await m.query('INSERT INTO "probe" VALUES (101, 1)');
    });
    await expect(failing).rejects.toThrow('step failed');
    await next;
    const rows = (await ds.query('SELECT "tx" FROM "probe" WHERE "tx" >= 100')) as { tx: number }[];
    expect(rows.map((r) => r.tx)).toEqual([101]);
  });
});
