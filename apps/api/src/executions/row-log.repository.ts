import type { Page, RowLogDto } from '@sluice/contracts';
import type { RowLog, RowStatus } from '@sluice/processors';
import { SqlRepository } from '../persistence/sql-repository.js';
import { decodeJournal, encodeJournal } from './row-journal.codec.js';

export interface RowEntry {
  executionId: string;
  /** The FlowFile the row came from (a digest of its uuid); with the row's key it makes the row unique. */
  source: string | null;
  row: RowLog;
  at: number;
  /** The journal row that holds this line until it is in row_log. */
  journal?: number;
}

/** Rows of one execution and status that an insert stored. */
export interface StoredCount {
  executionId: string;
  status: RowStatus;
  count: number;
}

const ROWS_PER_STATEMENT = 400;
const ROW_COLUMNS = 8;
/** Insert sizes kept built: a flush's statements are full but for the last, so few sizes recur. */
const STATEMENT_SIZES = 32;
/** Index entries one counting statement reads. */
const COUNT_PAGE = 10_000;
/** Lines one statement of a SQLite search reads (a few ms). */
const SEARCH_RANGE = 5000;

/** What the row log uses of better-sqlite3's connection. */
interface SqliteStatement {
  run(params: readonly unknown[]): { changes: number };
  get(params: readonly unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  readonly inTransaction: boolean;
}

const JOURNAL_INSERT = `INSERT INTO "row_journal" ("execution_id","source","rows","created_at") VALUES (?,?,?,?) RETURNING "id"`;

interface StoredLine {
  id: string | number;
  execution_id: string;
  sku: string | null;
  status: RowLogDto['status'];
  message: string;
  step: string | null;
  created_at: string | number;
}

/** The queries of the row log level: row_log and the journal that holds recorded chunks until they are in it. */
export class RowLogRepository extends SqlRepository {
  private readonly inserts = new Map<number, string>();
  private readonly statements = new WeakMap<SqliteConnection, Map<number, SqliteStatement>>();
  private readonly journalInserts = new WeakMap<SqliteConnection, SqliteStatement>();

  /**
   * Stores row logs in one transaction; a keyed row its FlowFile already logged in the execution is skipped.
   * Returns how many rows were actually stored per execution and status, so counts follow the row log exactly.
   * The journal rows deleted with them are `emptied` when given (the journals whose last lines these are), else
   * every journal the lines name.
   */
  async insertRows(entries: readonly RowEntry[], emptied?: readonly number[]): Promise<StoredCount[]> {
    if (entries.length === 0) return [];
    const journals = emptied ?? [...new Set(entries.map((e) => e.journal).filter((j): j is number => j !== undefined))];
    return this.ds.transaction(async (m) => {
      const stored: StoredCount[] = [];
      // The journal rows go in the same transaction as the lines they held.
      for (let i = 0; i < journals.length; i += ROWS_PER_STATEMENT) {
        const chunk = journals.slice(i, i + ROWS_PER_STATEMENT);
        await m.query(`DELETE FROM "row_journal" WHERE "id" IN (${chunk.map((_, k) => this.p(k + 1)).join(',')})`, chunk);
      }
      for (let i = 0; i < entries.length; i += ROWS_PER_STATEMENT) {
        const chunk = entries.slice(i, i + ROWS_PER_STATEMENT);
        const values = rowValues(chunk);
        const insert = this.insertStatement(chunk.length);
        if (!this.pg) {
          // On the driver's connection, inside this transaction: through TypeORM every insert copied and spread its
          // 3,200 parameters. RETURNING costs SQLite about a third of the insert; only a chunk that skipped a row
          // needs to know which, so it is rolled back to its savepoint and repeated with RETURNING.
          const db = this.sqlite();
          db.exec(`SAVEPOINT "row_log_insert"`);
          const { changes } = this.prepared(db, chunk.length).run(values);
          if (changes === chunk.length) {
            db.exec(`RELEASE "row_log_insert"`);
            for (const c of countsOf(chunk)) stored.push(c);
            continue;
          }
          db.exec(`ROLLBACK TO "row_log_insert"; RELEASE "row_log_insert"`);
        }
        const returning = `${insert} RETURNING "execution_id","status"`;
        // Postgres counts in the statement: a row per stored line outlived the young generation while the
        // transaction ran. SQLite takes no INSERT in a WITH.
        const rows = (await m.query(
          this.pg ? `WITH stored AS (${returning}) SELECT "execution_id","status",COUNT(*) AS n FROM stored GROUP BY "execution_id","status"` : returning,
          values,
        )) as { execution_id: string; status: RowStatus; n?: string | number }[];
        for (const r of rows) stored.push({ executionId: r.execution_id, status: r.status, count: r.n === undefined ? 1 : Number(r.n) });
      }
      return stored;
    });
  }

  private sqlite(): SqliteConnection {
    return (this.ds.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  }

  /** The insert of `rows` lines prepared on `db`, once per size. */
  private prepared(db: SqliteConnection, rows: number): SqliteStatement {
    let cache = this.statements.get(db);
    if (!cache) this.statements.set(db, (cache = new Map()));
    let statement = cache.get(rows);
    if (!statement) {
      if (cache.size >= STATEMENT_SIZES) cache.clear();
      statement = db.prepare(this.insertStatement(rows));
      cache.set(rows, statement);
    }
    return statement;
  }

  /** The insert of `rows` lines, built once per size: the same few sizes come back for every transaction. */
  private insertStatement(rows: number): string {
    let sql = this.inserts.get(rows);
    if (sql === undefined) {
      const tuples = Array.from({ length: rows }, (_, j) => `(${Array.from({ length: ROW_COLUMNS }, (_, k) => this.p(j * ROW_COLUMNS + k + 1)).join(',')})`);
      sql = `INSERT INTO "row_log" ("execution_id","sku","status","message","step","created_at","source","row_key") VALUES ${tuples.join(',')}
           ON CONFLICT ("execution_id","source","row_key") DO NOTHING`;
      if (this.inserts.size >= STATEMENT_SIZES) this.inserts.clear();
      this.inserts.set(rows, sql);
    }
    return sql;
  }

  /** Stores one chunk's row logs of one FlowFile as a single row: cheap enough to wait for before the next chunk. */
  async journal(executionId: string, source: string | null, rows: readonly RowLog[], at: number): Promise<number> {
    const params = [executionId, source, encodeJournal(rows), at];
    if (!this.pg) {
      const db = this.sqlite();
      // With no transaction open on the shared connection the insert commits on its own as it returns (the driver is
      // synchronous, so none can begin meanwhile): no BEGIN and COMMIT round through the transaction queue.
      if (!db.inTransaction) {
        let insert = this.journalInserts.get(db);
        if (!insert) this.journalInserts.set(db, (insert = db.prepare(JOURNAL_INSERT)));
        return Number((insert.get(params) as { id: number }).id);
      }
    }
    // Otherwise in a transaction of its own: a lone statement would land in the open one and be durable only when
    // that commits.
    return this.ds.transaction(async (m) => {
      const [row] = (await m.query(`INSERT INTO "row_journal" ("execution_id","source","rows","created_at") VALUES (${this.ps(4)}) RETURNING "id"`, params)) as { id: string | number }[];
      return Number(row!.id);
    });
  }

  /** Journal rows not yet expanded into row_log (after a crash). */
  async journals(): Promise<RowEntry[]> {
    const rows = (await this.ds.query(`SELECT * FROM "row_journal" ORDER BY "id"`)) as { id: string | number; execution_id: string; source: string | null; rows: string; created_at: string | number }[];
    return rows.flatMap((r) => decodeJournal(r.rows).map((row) => ({ executionId: r.execution_id, source: r.source, row, at: Number(r.created_at), journal: Number(r.id) })));
  }

  async logged(executionId: string, source: string): Promise<Map<string, RowStatus>> {
    const rows = (await this.ds.query(`SELECT "row_key","status" FROM "row_log" WHERE "execution_id" = ${this.p(1)} AND "source" = ${this.p(2)}`, [executionId, source])) as {
      row_key: string | null;
      status: RowStatus;
    }[];
    return new Map(rows.filter((r) => r.row_key !== null).map((r) => [r.row_key!, r.status]));
  }

  /**
   * Counted a page of the execution's index entries at a time, with the event loop free between pages: one COUNT
   * over a large execution's rows held it for over 100 ms on SQLite. Keyed rows are paged by their key, the others
   * by id; SQLite is told the index, as its planner would rather walk the primary key through every execution's rows.
   * A page is counted by status in the database and found by its last entry, so no page of rows is read out.
   * Postgres counts off the event loop, in one statement.
   */
  async rowCounts(executionId: string): Promise<{ written: number; failed: number }> {
    const c = { written: 0, failed: 0 };
    if (this.pg) {
      const rows = (await this.ds.query(`SELECT "status",COUNT(*) AS n FROM "row_log" WHERE "execution_id" = $1 GROUP BY "status"`, [executionId])) as { status: RowStatus; n: string }[];
      for (const r of rows) countStatus(c, r.status, Number(r.n));
      return c;
    }
    await this.countInPages(executionId, c, ['source', 'row_key'], ` AND "source" IS NOT NULL`);
    await this.countInPages(executionId, c, ['id'], ` AND "source" IS NULL AND "row_key" IS NULL`);
    return c;
  }

  private async countInPages(executionId: string, c: { written: number; failed: number }, keys: readonly string[], filter: string): Promise<void> {
    const hint = ' INDEXED BY "ux_row_key"';
    const cols = keys.map((k) => `"${k}"`).join(',');
    const after = (from: number) => `(${cols}) > (${keys.map((_, i) => this.p(from + i)).join(',')})`;
    for (let last: unknown[] | null = null; ; ) {
      const args: unknown[] = [executionId, ...(last ?? [])];
      const from = `FROM "row_log"${hint} WHERE "execution_id" = ${this.p(1)}${filter}${last ? ` AND ${after(2)}` : ''}`;
      // The page counted first: an execution within one page (most) takes one statement, and only a full page
      // needs its last entry found to go on after it.
      const counted = (await this.ds.query(`SELECT "status", COUNT(*) AS n FROM (SELECT "status" ${from} ORDER BY ${cols} LIMIT ${COUNT_PAGE}) GROUP BY "status"`, args)) as {
        status: RowStatus;
        n: string | number;
      }[];
      let total = 0;
      for (const r of counted) {
        countStatus(c, r.status, Number(r.n));
        total += Number(r.n);
      }
      if (total < COUNT_PAGE) return;
      const [end] = (await this.ds.query(`SELECT ${cols} ${from} ORDER BY ${cols} LIMIT 1 OFFSET ${COUNT_PAGE - 1}`, args)) as Record<string, unknown>[];
      last = keys.map((k) => end![k]);
      await yieldToLoop();
    }
  }

  /**
   * A page of the execution's lines in id order, with the total that match. PostgreSQL answers in two statements
   * off the event loop. SQLite runs on it, and one statement over a large execution's lines held it for over 100 ms,
   * so it reads ranges of at most SEARCH_RANGE lines by the (execution, id) index with a turn of the loop between
   * them; the lines logged once the search began (ids past its first id bound) are left out, as a single statement
   * would not have seen them either.
   */
  async rowLogs(id: string, q: { status?: string; sku?: string; offset: number; limit: number }): Promise<Page<RowLogDto>> {
    const args: unknown[] = [id];
    let filter = '';
    if (q.status) {
      args.push(q.status);
      filter += ` AND "status" = ${this.p(args.length)}`;
    }
    if (q.sku) {
      // Case-insensitive substring on both databases (Postgres LIKE is case-sensitive, SQLite's is not).
      args.push(`%${q.sku.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      filter += ` AND LOWER("sku") LIKE ${this.p(args.length)} ESCAPE '\\'`;
    }
    const offset = Math.trunc(q.offset);
    const limit = Math.trunc(q.limit);
    let total: number;
    let rows: StoredLine[];
    if (this.pg) {
      const clause = `WHERE "execution_id" = $1${filter}`;
      const [{ n }] = (await this.ds.query(`SELECT COUNT(*) AS n FROM "row_log" ${clause}`, args)) as { n: string | number }[];
      total = Number(n);
      rows = (await this.ds.query(`SELECT * FROM "row_log" ${clause} ORDER BY "id" LIMIT ${limit} OFFSET ${offset}`, args)) as StoredLine[];
    } else {
      ({ total, rows } = await this.searchInRanges(args, filter, offset, limit));
    }
    return {
      items: rows.map((r) => ({
        id: Number(r.id),
        executionId: r.execution_id,
        sku: r.sku,
        status: r.status,
        message: r.message,
        step: r.step,
        createdAt: new Date(Number(r.created_at)).toISOString(),
      })),
      total,
      offset: q.offset,
      limit: q.limit,
    };
  }

  /** SQLite's search: `filter` holds the status and SKU conditions, `args` the execution's id and then their values. */
  private async searchInRanges(args: unknown[], filter: string, offset: number, limit: number): Promise<{ total: number; rows: StoredLine[] }> {
    const [id, ...values] = args;
    const from = `FROM "row_log" INDEXED BY "ix_row_execution_id" WHERE "execution_id" = ? AND "id" > ? AND "id" <= ?`;
    const [{ top }] = (await this.ds.query(`SELECT MAX("id") AS top FROM "row_log" INDEXED BY "ix_row_execution_id" WHERE "execution_id" = ?`, [id])) as { top: number | null }[];
    const rows: StoredLine[] = [];
    let total = 0;
    if (top === null) return { total, rows };
    for (let last = 0; ; ) {
      const [end] = (await this.ds.query(`SELECT "id" ${from} ORDER BY "id" LIMIT 1 OFFSET ${SEARCH_RANGE - 1}`, [id, last, top])) as { id: number }[];
      const bound = end ? Number(end.id) : Number(top);
      const within = [id, last, bound, ...values];
      const [{ n }] = (await this.ds.query(`SELECT COUNT(*) AS n ${from}${filter}`, within)) as { n: number }[];
      if (rows.length < limit && total + Number(n) > offset) {
        const skip = Math.max(0, offset - total);
        rows.push(...((await this.ds.query(`SELECT * ${from}${filter} ORDER BY "id" LIMIT ${limit - rows.length} OFFSET ${skip}`, within)) as StoredLine[]));
      }
      total += Number(n);
      if (bound >= Number(top)) return { total, rows };
      last = bound;
      await yieldToLoop();
    }
  }
}

/** The insert's parameters, in an array of its final length (pushing 3,200 grew it a few times over). */
function rowValues(chunk: readonly RowEntry[]): unknown[] {
  const values = new Array<unknown>(chunk.length * ROW_COLUMNS);
  let i = 0;
  for (const b of chunk) {
    values[i++] = b.executionId;
    values[i++] = b.row.sku;
    values[i++] = b.row.status;
    values[i++] = b.row.message;
    values[i++] = b.row.step ?? null;
    values[i++] = b.at;
    values[i++] = b.row.key === undefined ? null : b.source;
    values[i++] = b.row.key ?? null;
  }
  return values;
}

/** A chunk's lines counted per execution and status, as Postgres's insert answers them: not an object per line. */
function countsOf(chunk: readonly RowEntry[]): StoredCount[] {
  const counts: StoredCount[] = [];
  // A chunk is mostly one execution's run of lines with one status: the last count found usually takes the next.
  let last: StoredCount | undefined;
  for (const e of chunk) {
    if (last?.executionId !== e.executionId || last.status !== e.row.status) {
      last = counts.find((c) => c.executionId === e.executionId && c.status === e.row.status);
      if (!last) counts.push((last = { executionId: e.executionId, status: e.row.status, count: 0 }));
    }
    last.count++;
  }
  return counts;
}

/** Adds stored rows (one by default) to the counts of their status (skipped rows count as neither). */
export function countStatus(c: { written: number; failed: number }, status: RowStatus, rows = 1): void {
  if (status === 'success') c.written += rows;
  else if (status === 'failed') c.failed += rows;
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
