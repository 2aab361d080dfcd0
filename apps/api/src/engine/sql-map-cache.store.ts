import type { MapCacheEntry, MapCacheStore } from '@sluice/flow-api';
import type { DataSource } from 'typeorm';

const MAX_KEY_LENGTH = 1024;
const MAX_CACHE_NAME_LENGTH = 300;
/** How often, at most, one store deletes the flow's expired entries. */
const SWEEP_EVERY_MS = 60_000;

type Row = { value: string; revision: string | number };

/**
 * A flow's map caches in the database: every operation is one statement, so cluster nodes on one Postgres (or
 * concurrent tasks on SQLite) see each other's writes and compare-and-set stays exact without locks.
 */
export class SqlMapCacheStore implements MapCacheStore {
  private readonly pg: boolean;
  private lastSweep = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly flowId: string,
    private readonly now: () => number = Date.now,
  ) {
    this.pg = ds.options.type === 'postgres';
  }

  /** `$n` placeholders in order; SQLite takes `?`. */
  private sql(text: string): string {
    return this.pg ? text : text.replace(/\$\d+/g, '?');
  }

  private async run(text: string, params: unknown[]): Promise<Row[]> {
    const result = (await this.ds.query(this.sql(text), params)) as unknown;
    // TypeORM answers a Postgres UPDATE or DELETE as [rows, affected count]; everything else as the rows.
    if (this.pg && /^\s*(UPDATE|DELETE)/i.test(text) && Array.isArray(result) && Array.isArray(result[0])) return result[0] as Row[];
    return result as Row[];
  }

  private check(cache: string, key: string): void {
    if (key.length > MAX_KEY_LENGTH) throw new Error(`a cache key is at most ${MAX_KEY_LENGTH} characters (got ${key.length})`);
    if (cache.length > MAX_CACHE_NAME_LENGTH) throw new Error(`a cache name is at most ${MAX_CACHE_NAME_LENGTH} characters`);
  }

  private async dropExpired(cache: string, key: string): Promise<void> {
    const now = this.now();
    await this.run(`DELETE FROM "map_cache_entry" WHERE "flow_id" = $1 AND "cache_name" = $2 AND "entry_key" = $3 AND "expires_at" <= $4`, [this.flowId, cache, key, now]);
    if (now - this.lastSweep >= SWEEP_EVERY_MS) {
      this.lastSweep = now;
      await this.run(`DELETE FROM "map_cache_entry" WHERE "flow_id" = $1 AND "expires_at" <= $2`, [this.flowId, now]);
    }
  }

  async fetch(cache: string, key: string): Promise<MapCacheEntry | null> {
    this.check(cache, key);
    const [row] = await this.run(
      `SELECT "value", "revision" FROM "map_cache_entry" WHERE "flow_id" = $1 AND "cache_name" = $2 AND "entry_key" = $3 AND ("expires_at" IS NULL OR "expires_at" > $4)`,
      [this.flowId, cache, key, this.now()],
    );
    return row ? { value: row.value, revision: Number(row.revision) } : null;
  }

  private async insert(cache: string, key: string, value: string, expiresAt: number | null): Promise<boolean> {
    const rows = await this.run(
      `INSERT INTO "map_cache_entry" ("flow_id", "cache_name", "entry_key", "value", "revision", "expires_at") VALUES ($1, $2, $3, $4, 1, $5) ON CONFLICT DO NOTHING RETURNING "revision"`,
      [this.flowId, cache, key, value, expiresAt],
    );
    return rows.length > 0;
  }

  async getAndPutIfAbsent(cache: string, key: string, value: string, expiresAt: number | null = null): Promise<MapCacheEntry | null> {
    this.check(cache, key);
    await this.dropExpired(cache, key);
    // An entry removed between the refused insert and the read: try again rather than answer a put that did not happen.
    for (let i = 0; i < 3; i++) {
      if (await this.insert(cache, key, value, expiresAt)) return null;
      const existing = await this.fetch(cache, key);
      if (existing) return existing;
    }
    throw new Error(`the entry '${key}' kept changing`);
  }

  async put(cache: string, key: string, value: string, expiresAt: number | null = null): Promise<void> {
    this.check(cache, key);
    await this.run(
      `INSERT INTO "map_cache_entry" ("flow_id", "cache_name", "entry_key", "value", "revision", "expires_at") VALUES ($1, $2, $3, $4, 1, $5)
       ON CONFLICT ("flow_id", "cache_name", "entry_key") DO UPDATE SET "value" = excluded."value", "revision" = "map_cache_entry"."revision" + 1, "expires_at" = excluded."expires_at"`,
      [this.flowId, cache, key, value, expiresAt],
    );
  }

  async replace(cache: string, key: string, value: string, revision: number | null): Promise<boolean> {
    this.check(cache, key);
    if (revision === null) {
      await this.dropExpired(cache, key);
      return this.insert(cache, key, value, null);
    }
    const rows = await this.run(
      `UPDATE "map_cache_entry" SET "value" = $1, "revision" = "revision" + 1 WHERE "flow_id" = $2 AND "cache_name" = $3 AND "entry_key" = $4 AND "revision" = $5 AND ("expires_at" IS NULL OR "expires_at" > $6) RETURNING "revision"`,
      [value, this.flowId, cache, key, revision, this.now()],
    );
    return rows.length > 0;
  }

  async remove(cache: string, key: string, revision?: number): Promise<boolean> {
    this.check(cache, key);
    const params: unknown[] = [this.flowId, cache, key, this.now()];
    if (revision !== undefined) params.push(revision);
    const rows = await this.run(
      `DELETE FROM "map_cache_entry" WHERE "flow_id" = $1 AND "cache_name" = $2 AND "entry_key" = $3 AND ("expires_at" IS NULL OR "expires_at" > $4)${revision !== undefined ? ' AND "revision" = $5' : ''} RETURNING "revision"`,
      params,
    );
    return rows.length > 0;
  }
}
