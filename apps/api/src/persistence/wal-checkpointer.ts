import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { DataSource } from 'typeorm';

const require = createRequire(import.meta.url);
/** How often the thread copies committed pages from the write-ahead log into the database file. */
const INTERVAL_MS = 250;
/** SQLite's own default, restored when the thread is gone. */
const AUTO_CHECKPOINT_PAGES = 1000;

/*
 * A passive checkpoint on a connection of its own: it never holds a writer up, and the main connection only ever
 * appends to the log. What a commit made durable (the log) is not touched, only copied.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next tick tries again */ }
}, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the commit that fills the log past 1000 pages copies
 * them into the database file and syncs it, on the loop: 100–200 ms during a large batch. The main connection stops
 * checkpointing while the thread runs, and takes it up again if the thread ever stops.
 */
export function checkpointOffTheLoop(ds: DataSource): void {
  const path = ds.options.database;
  if (ds.options.type !== 'better-sqlite3' || typeof path !== 'string' || path === ':memory:') return;
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { driver: require.resolve('better-sqlite3'), path, intervalMs: INTERVAL_MS } });
  worker.unref();
  void ds.query('PRAGMA wal_autocheckpoint = 0').catch(() => undefined);
  const restore = () => {
    if (ds.isInitialized) void ds.query(`PRAGMA wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`).catch(() => undefined);
  };
  worker.once('error', restore);
  worker.once('exit', restore);
  const destroy = ds.destroy.bind(ds);
  ds.destroy = async () => {
    worker.off('exit', restore);
    // Held while it closes its connection, or an idle process would exit before the data source is destroyed.
    worker.ref();
    worker.postMessage('stop');
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      setTimeout(() => void worker.terminate().then(() => resolve()), 1000).unref();
    });
    return destroy();
  };
}
