import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import type { AppConfig } from '../config/app-config.js';

/**
 * The SQLite database (and its WAL and shared-memory files, which SQLite creates with the database's mode) is
 * readable by the server's user only: it holds flows, users and sealed secrets. Files a previous version created
 * with looser modes are tightened at start.
 */
export function secureDataFiles(config: Pick<AppConfig, 'database'>): void {
  if (config.database.type !== 'sqlite') return;
  const db = config.database.path;
  if (!existsSync(db)) closeSync(openSync(db, 'a', 0o600));
  for (const file of [db, `${db}-wal`, `${db}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}
