import { DataSource, type DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';

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
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
    },
    ...common,
  };
}

export async function openDataSource(config: Pick<AppConfig, 'database'>): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  return ds;
}
