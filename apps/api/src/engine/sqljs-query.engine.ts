import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { SqlQueryError, type SqlEngine, type SqlQueryRequest, type SqlQueryResult } from '@sluice/flow-api';

const require = createRequire(import.meta.url);
/** SQLite's own allocator limit inside the engine: a query that needs more fails instead of growing the server. */
const HEAP_LIMIT_BYTES = 128 * 1024 * 1024;
const CHECK_TIMEOUT_MS = 5_000;

// Runs in the worker: sql.js (SQLite compiled to WebAssembly) answers one request at a time on a fresh database.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const initSqlJs = require(workerData.sqlJs);
const ready = initSqlJs({ locateFile: () => workerData.wasm });
const quote = (n) => '"' + String(n).replace(/"/g, '""') + '"';
function open() {
  return ready.then((SQL) => {
    const db = new SQL.Database();
    db.run('PRAGMA hard_heap_limit = ' + workerData.heapLimit);
    return db;
  });
}
async function query(req) {
  const db = await open();
  try {
    const t = req.table;
    db.run('CREATE TABLE ' + quote(t.name) + ' (' + (t.columns.length ? t.columns.map(quote).join(', ') : '"_"') + ')');
    if (t.columns.length && t.rows.length) {
      const insert = db.prepare('INSERT INTO ' + quote(t.name) + ' VALUES (' + t.columns.map(() => '?').join(', ') + ')');
      db.run('BEGIN');
      for (const row of t.rows) insert.run(row);
      db.run('COMMIT');
      insert.free();
    }
    const results = [];
    for (let i = 0; i < req.queries.length; i++) {
      let stmt;
      try {
        stmt = db.prepare(req.queries[i]);
      } catch (e) {
        return { error: { message: e.message, code: 'query', index: i } };
      }
      const rows = [];
      try {
        while (stmt.step()) {
          if (rows.length >= req.maxRows) return { error: { message: 'the result has more than ' + req.maxRows + ' rows', code: 'limit', index: i } };
          rows.push(stmt.get());
        }
        results.push({ columns: stmt.getColumnNames(), rows });
      } catch (e) {
        return { error: { message: e.message, code: /out of memory/i.test(e.message) ? 'limit' : 'query', index: i } };
      } finally {
        stmt.free();
      }
    }
    return { results };
  } finally {
    db.close();
  }
}
async function check(sql) {
  const db = await open();
  try {
    db.run('CREATE TABLE "FLOWFILE" ("_")');
    db.prepare(sql).free();
    return null;
  } catch (e) {
    // Columns come from the records at run time: only that is left to then.
    return /^no such column/.test(e.message) ? null : e.message;
  } finally {
    db.close();
  }
}
parentPort.on('message', async (msg) => {
  try {
    const value = msg.kind === 'check' ? { problem: await check(msg.sql) } : await query(msg.request);
    parentPort.postMessage({ id: msg.id, value });
  } catch (e) {
    parentPort.postMessage({ id: msg.id, value: { error: { message: e.message, code: /out of memory/i.test(e.message) ? 'limit' : 'query', index: 0 } } });
  }
});
`;

type Answer = { results?: SqlQueryResult[]; problem?: string | null; error?: { message: string; code: 'query' | 'limit'; index: number } };

/** Only queries: NiFi's QueryRecord takes a SELECT, and a statement that changes data has no place here. */
function notAQuery(sql: string): string | null {
  const head = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)*/, '');
  return /^(select|with|values)\b/i.test(head) ? null : 'only a query (SELECT, WITH … SELECT or VALUES) can be run';
}

/**
 * QueryRecord's SQL engine: SQLite (sql.js, WebAssembly) in a worker thread, one request at a time. A request
 * that runs past its deadline has the worker stopped (and a new one started for the next), so no query can hold
 * the server; SQLite's heap is capped, so none can take its memory either.
 */
export class SqlJsQueryEngine implements SqlEngine {
  readonly dialect = 'SQLite 3 (sql.js)';
  private worker: Worker | null = null;
  private seq = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<number, (a: Answer) => void>();

  private spawn(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { sqlJs: require.resolve('sql.js/dist/sql-wasm.js'), wasm: require.resolve('sql.js/dist/sql-wasm.wasm'), heapLimit: HEAP_LIMIT_BYTES },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    w.unref();
    w.on('message', (m: { id: number; value: Answer }) => {
      const done = this.pending.get(m.id);
      this.pending.delete(m.id);
      done?.(m.value);
    });
    const gone = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const [id, done] of this.pending) {
        this.pending.delete(id);
        done({ error: { message: `the SQL engine stopped: ${why}`, code: 'limit', index: 0 } });
      }
    };
    w.on('error', (e) => gone(e.message));
    w.on('exit', (code) => gone(`exit code ${code}`));
    this.worker = w;
    return w;
  }

  /** One request at a time; past the deadline the worker is stopped. */
  private ask(message: object, timeoutMs: number): Promise<Answer> {
    const run = async (): Promise<Answer> => {
      const w = this.spawn();
      const id = ++this.seq;
      return new Promise<Answer>((resolve) => {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          if (this.worker === w) this.worker = null;
          void w.terminate();
          resolve({ error: { message: `the query ran longer than ${timeoutMs} ms and was stopped`, code: 'limit', index: 0 } });
        }, timeoutMs);
        this.pending.set(id, (a) => {
          clearTimeout(timer);
          resolve(a);
        });
        w.postMessage({ id, ...message });
      });
    };
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  async query(request: SqlQueryRequest): Promise<readonly SqlQueryResult[]> {
    for (let i = 0; i < request.queries.length; i++) {
      const refused = notAQuery(request.queries[i]!);
      if (refused) throw new SqlQueryError(refused, 'query', i);
    }
    const a = await this.ask({ kind: 'query', request }, request.timeoutMs);
    if (a.error) throw new SqlQueryError(a.error.message, a.error.code, a.error.index);
    return a.results!;
  }

  async check(sql: string): Promise<string | null> {
    const refused = notAQuery(sql);
    if (refused) return refused;
    const a = await this.ask({ kind: 'check', sql }, CHECK_TIMEOUT_MS);
    return a.error ? a.error.message : (a.problem ?? null);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}

export const SQLJS_ENGINE = new SqlJsQueryEngine();
