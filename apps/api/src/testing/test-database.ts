import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The database a test server uses. By default SQLite inside the server's data directory; with
 * `SLUICE_TEST_DB=postgres` a fresh Postgres database per data directory, created on the server given by
 * `SLUICE_TEST_DB_URL` (a URL whose user may create databases). A restart with the same data directory reuses it.
 */
export interface TestDatabase {
  /** Environment for the server: empty for SQLite. */
  readonly env: Record<string, string>;
  /** Removes the database (Postgres); nothing for SQLite, whose file goes with the data directory. */
  drop(): Promise<void>;
}

const NAME_FILE = 'test-database';

export async function testDatabase(dataDir: string, env: Record<string, string | undefined> = process.env): Promise<TestDatabase> {
  const kind = env['SLUICE_TEST_DB'] ?? 'sqlite';
  if (kind === 'sqlite') return { env: {}, drop: async () => undefined };
  if (kind !== 'postgres') throw new Error(`SLUICE_TEST_DB must be sqlite or postgres, not ${kind}`);
  const base = env['SLUICE_TEST_DB_URL'];
  if (!base) throw new Error('SLUICE_TEST_DB=postgres needs SLUICE_TEST_DB_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)');
  const file = join(dataDir, NAME_FILE);
  let name: string;
  if (existsSync(file)) name = readFileSync(file, 'utf8').trim();
  else {
    name = `sluice_test_${randomBytes(6).toString('hex')}`;
    await admin(base, `CREATE DATABASE "${name}"`);
    writeFileSync(file, name);
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { SLUICE_DB_TYPE: 'postgres', SLUICE_DB_URL: url.toString() },
    drop: () => admin(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A migrated DataSource on the test database (SQLite in `dataDir`, or a fresh Postgres database with
 * `SLUICE_TEST_DB=postgres`), for repository specs; `close` also drops a Postgres database.
 */
export async function openTestDataSource(dataDir: string): Promise<{ ds: import('typeorm').DataSource; postgres: boolean; close(): Promise<void> }> {
  const db = await testDatabase(dataDir);
  const { openDataSource } = await import('../persistence/data-source.js');
  const url = db.env['SLUICE_DB_URL'];
  const ds = await openDataSource({ database: url ? { type: 'postgres', url } : { type: 'sqlite', path: join(dataDir, 'test.sqlite') } });
  return {
    ds,
    postgres: url !== undefined,
    close: async () => {
      await ds.destroy();
      await db.drop();
    },
  };
}
