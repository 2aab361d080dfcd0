import type { DataSource } from 'typeorm';

/** Rows deleted per statement; each statement is its own short transaction, so flows' commits get in between. */
export const PRUNE_BATCH = 2000;
const IDS_PER_STATEMENT = 500;
/** Pages freed per incremental vacuum step (4 MB with SQLite's default 4 KB pages). */
const VACUUM_PAGES = 1000;

/** The deletes and space reclaiming behind retention, on SQLite and Postgres. */
export class RetentionRepository {
  private readonly pg: boolean;

  constructor(private readonly ds: DataSource) {
    this.pg = ds.options.type === 'postgres';
  }

  get sqlite(): boolean {
    return this.ds.options.type === 'better-sqlite3';
  }

  /** Finished executions that ended before the cutoff, oldest first. */
  async expiredExecutions(cutoff: number, limit: number): Promise<string[]> {
    const rows = (await this.ds.query(
      `SELECT "id" FROM "execution" WHERE "finished_at" IS NOT NULL AND "finished_at" < ${this.p(1)} ORDER BY "finished_at" LIMIT ${Math.trunc(limit)}`,
      [cutoff],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** Deletes up to one batch of the executions' row logs; returns how many went. */
  async deleteRowLogs(executionIds: readonly string[]): Promise<number> {
    const rows = (await this.ds.query(`SELECT "id" FROM "row_log" WHERE "execution_id" IN (${this.list(executionIds.length)}) LIMIT ${PRUNE_BATCH}`, [
      ...executionIds,
    ])) as { id: string | number }[];
    await this.deleteIds('row_log', rows.map((r) => Number(r.id)));
    return rows.length;
  }

  /** Deletes the executions and their steps (their row logs are gone already). */
  async deleteExecutions(executionIds: readonly string[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(`DELETE FROM "execution_step" WHERE "execution_id" IN (${this.list(executionIds.length)})`, [...executionIds]);
      await m.query(`DELETE FROM "execution" WHERE "id" IN (${this.list(executionIds.length)})`, [...executionIds]);
    });
  }

  /**
   * Deletes up to one batch of provenance older than the cutoff. Events are numbered in time order, so the oldest
   * are the first ids: no index on the timestamp is needed, and a table with nothing to prune costs one short read.
   */
  async deleteProvenance(cutoff: number): Promise<number> {
    const rows = (await this.ds.query(`SELECT "id","timestamp" FROM "provenance_event" ORDER BY "id" LIMIT ${PRUNE_BATCH}`)) as { id: string | number; timestamp: string | number }[];
    let last: number | null = null;
    let n = 0;
    for (const r of rows) {
      if (Number(r.timestamp) >= cutoff) break;
      last = Number(r.id);
      n++;
    }
    if (last === null) return 0;
    await this.ds.query(`DELETE FROM "provenance_event" WHERE "id" <= ${this.p(1)}`, [last]);
    return n;
  }

  /** Deletes up to one batch of the contents kept for provenance that were recorded before the cutoff. */
  async deleteProvenanceContent(cutoff: number): Promise<number> {
    const rows = (await this.ds.query(`SELECT "claim" FROM "provenance_content" WHERE "created_at" < ${this.p(1)} LIMIT ${PRUNE_BATCH}`, [cutoff])) as { claim: string }[];
    if (rows.length === 0) return 0;
    await this.ds.transaction(async (m) => {
      for (let i = 0; i < rows.length; i += IDS_PER_STATEMENT) {
        const chunk = rows.slice(i, i + IDS_PER_STATEMENT).map((r) => r.claim);
        await m.query(`DELETE FROM "provenance_content" WHERE "claim" IN (${this.list(chunk.length)})`, chunk);
      }
    });
    return rows.length;
  }

  /** Deletes up to one batch of bulletins raised before the cutoff (each processor keeps only its newest anyway). */
  async deleteBulletins(cutoff: number): Promise<number> {
    const rows = (await this.ds.query(`SELECT "id" FROM "bulletin" WHERE "created_at" < ${this.p(1)} LIMIT ${PRUNE_BATCH}`, [cutoff])) as { id: string | number }[];
    await this.deleteIds('bulletin', rows.map((r) => Number(r.id)));
    return rows.length;
  }

  /** Deletes up to one batch of Idempotency-Keys created before the cutoff. */
  async deleteIdempotencyKeys(cutoff: number): Promise<number> {
    const rows = (await this.ds.query(`SELECT "flow_id","key" FROM "idempotency_key" WHERE "created_at" < ${this.p(1)} LIMIT ${PRUNE_BATCH}`, [cutoff])) as { flow_id: string; key: string }[];
    if (rows.length === 0) return 0;
    await this.ds.transaction(async (m) => {
      for (const r of rows) await m.query(`DELETE FROM "idempotency_key" WHERE "flow_id" = ${this.p(1)} AND "key" = ${this.p(2)}`, [r.flow_id, r.key]);
    });
    return rows.length;
  }

  /** SQLite pages the file could give back. */
  async freePages(): Promise<number> {
    if (!this.sqlite) return 0;
    const [row] = (await this.ds.query('PRAGMA freelist_count')) as { freelist_count: number }[];
    return Number(row?.freelist_count ?? 0);
  }

  /** Gives up to one step of free pages back to the file system (SQLite with incremental auto-vacuum). */
  async vacuumStep(): Promise<void> {
    if (!this.sqlite) return;
    // A prepared statement frees one page per step and the driver steps it once; exec runs it to the end.
    (this.ds.driver as unknown as { databaseConnection: { exec(sql: string): void } }).databaseConnection.exec(`PRAGMA incremental_vacuum(${VACUUM_PAGES})`);
  }

  /** Folds the write-ahead log into the database and truncates it, so the files on disk shrink too. */
  async checkpoint(): Promise<void> {
    if (this.sqlite) await this.ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  private async deleteIds(table: string, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.ds.transaction(async (m) => {
      for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
        const chunk = ids.slice(i, i + IDS_PER_STATEMENT);
        await m.query(`DELETE FROM "${table}" WHERE "id" IN (${this.list(chunk.length)})`, chunk);
      }
    });
  }

  private list(n: number): string {
    return Array.from({ length: n }, (_, i) => this.p(i + 1)).join(',');
  }

  private p(n: number): string {
    return this.pg ? `$${n}` : '?';
  }
}
