import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { checkpointOffTheLoop } from './wal-checkpointer.js';

/** SQLite through better-sqlite3 by default (TypeORM 1 has no node-sqlite3 driver); Postgres by configuration. */
export function dataSourceOptions(config: Pick<AppConfig, 'database'>, extraEntities: DataSourceOptions['entities'] = []): DataSourceOptions {
  const entities = [...ENTITIES, ...((extraEntities as Function[]) ?? [])];
  const common = { entities, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: false } as const;
  if (config.database.type === 'postgres') return { type: 'postgres', url: config.database.url, ...common };
  return {
    type: 'better-sqlite3',
    database: config.database.path,
    statementCacheSize: 200,
    // WAL with synchronous=NORMAL survives a killed process; only a power loss can drop the last commits.
    prepareDatabase: (db: { pragma(s: string, o?: { simple: boolean }): unknown; exec(sql: string): unknown }) => {
      // Incremental auto-vacuum lets retention give freed pages back to the file system. A database made before has
      // to be rebuilt once to switch (instant when it is new).
      if (Number(db.pragma('auto_vacuum', { simple: true })) !== 2) {
        db.pragma('auto_vacuum = INCREMENTAL');
        db.exec('VACUUM');
      }
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      // A write-ahead log that grew during a burst is cut back to this size once checkpointed.
      db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    },
    ...common,
  };
}

export async function openDataSource(config: Pick<AppConfig, 'database'>): Promise<DataSource> {
  return serializeTransactions(await new DataSource(dataSourceOptions(config)).initialize());
}

/**
 * SQLite has one connection, shared by TypeORM's single query runner: two transactions begun concurrently (a group
 * commit of FlowFiles, an execution finishing) would both issue BEGIN, or one would run as a savepoint inside the
 * other. Top-level transactions therefore wait for each other here. Writes outside a transaction are single statements
 * and need no turn. Postgres pools connections and is left alone. Its checkpoints move to a thread of their own.
 */
export function serializeTransactions(ds: DataSource): DataSource {
  if (ds.options.type !== 'better-sqlite3') return ds;
  if (quietMoments.has(ds)) return ds;
  const runner = ds.createQueryRunner();
  const start = runner.startTransaction.bind(runner);
  const commit = runner.commitTransaction.bind(runner);
  const rollback = runner.rollbackTransaction.bind(runner);
  let turn: Promise<void> = Promise.resolve();
  let release: (() => void) | null = null;
  const finish = () => {
    const r = release;
    release = null;
    r?.();
  };
  runner.startTransaction = async (isolation) => {
    const previous = turn;
    let done!: () => void;
    turn = new Promise<void>((resolve) => (done = resolve));
    await previous;
    release = done;
    try {
      await start(isolation);
    } catch (e) {
      finish();
      throw e;
    }
  };
  runner.commitTransaction = async () => {
    try {
      await commit();
    } finally {
      finish();
    }
  };
  runner.rollbackTransaction = async () => {
    try {
      await rollback();
    } finally {
      finish();
    }
  };
  quietMoments.set(ds, async (work) => {
    const previous = turn;
    let done!: () => void;
    turn = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      return await work();
    } finally {
      done();
    }
  });
  checkpointOffTheLoop(ds);
  return ds;
}

const quietMoments = new WeakMap<DataSource, <T>(work: () => Promise<T>) => Promise<T>>();

/**
 * Runs `work` while no transaction is open on SQLite's single connection (statements such as a WAL checkpoint must
 * not land inside one); on Postgres at once.
 */
export function betweenTransactions<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  const run = quietMoments.get(ds);
  return run ? run(work) : work();
}
