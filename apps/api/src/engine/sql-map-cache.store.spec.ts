import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDataSource } from '../testing/test-database.js';
import { SqlMapCacheStore } from './sql-map-cache.store.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-map-cache-'));
let ds: DataSource;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ ds, close } = await openTestDataSource(dir));
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqlMapCacheStore', () => {
  it('puts if absent once, per flow and cache, and keeps entries for a new store (a restart, another node)', async () => {
    const a = new SqlMapCacheStore(ds, 'flow-a');
    expect(await a.getAndPutIfAbsent('localhost:4557', 'sku-1', 'first')).toBeNull();
    expect(await a.getAndPutIfAbsent('localhost:4557', 'sku-1', 'second')).toEqual({ value: 'first', revision: 1 });
    expect(await a.getAndPutIfAbsent('other:1', 'sku-1', 'x')).toBeNull();
    expect(await new SqlMapCacheStore(ds, 'flow-b').fetch('localhost:4557', 'sku-1')).toBeNull();
    expect(await new SqlMapCacheStore(ds, 'flow-a').fetch('localhost:4557', 'sku-1')).toEqual({ value: 'first', revision: 1 });
  });

  it('replaces only at the revision read, and inserts at null only while absent', async () => {
    const s = new SqlMapCacheStore(ds, 'flow-r');
    expect(await s.replace('c', 'sig', 'v1', null)).toBe(true);
    expect(await s.replace('c', 'sig', 'again', null)).toBe(false);
    expect(await s.replace('c', 'sig', 'v2', 1)).toBe(true);
    expect(await s.replace('c', 'sig', 'stale', 1)).toBe(false);
    expect(await s.fetch('c', 'sig')).toEqual({ value: 'v2', revision: 2 });
    await s.put('c', 'sig', 'v3');
    expect(await s.fetch('c', 'sig')).toEqual({ value: 'v3', revision: 3 });
    expect(await s.remove('c', 'sig', 2)).toBe(false);
    expect(await s.remove('c', 'sig', 3)).toBe(true);
    expect(await s.remove('c', 'sig')).toBe(false);
  });

  it('concurrent compare-and-set: exactly one of many writers at one revision wins', async () => {
    const s = new SqlMapCacheStore(ds, 'flow-c');
    await s.put('c', 'k', '0');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => new SqlMapCacheStore(ds, 'flow-c').replace('c', 'k', String(i), 1)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('expired entries are gone for reads and writes, and swept', async () => {
    let now = 1_000;
    const s = new SqlMapCacheStore(ds, 'flow-e', () => now);
    expect(await s.getAndPutIfAbsent('c', 'k', 'old', 2_000)).toBeNull();
    expect(await s.fetch('c', 'k')).not.toBeNull();
    now = 2_000;
    expect(await s.fetch('c', 'k')).toBeNull();
    expect(await s.getAndPutIfAbsent('c', 'k', 'new', null)).toBeNull();
    expect((await s.fetch('c', 'k'))!.value).toBe('new');
    await s.put('c', 'gone', 'x', 2_500);
    now = 100_000;
    await s.getAndPutIfAbsent('c', 'other', 'y');
    const rows = (await ds.query(`SELECT "entry_key" FROM "map_cache_entry" WHERE "flow_id" = 'flow-e' ORDER BY "entry_key"`)) as { entry_key: string }[];
    expect(rows.map((r) => r.entry_key)).toEqual(['k', 'other']);
  });

  it('refuses keys longer than 1024 characters', async () => {
    await expect(new SqlMapCacheStore(ds, 'f').fetch('c', 'k'.repeat(1025))).rejects.toThrow(/at most 1024/);
  });
});
