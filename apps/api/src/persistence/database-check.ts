import { ConfigError, type AppConfig } from '../config/app-config.js';

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
  }
}

/**
 * Checks, before anything else starts, that the configured database can be used at all: a missing driver or an
 * unreachable server is a configuration error (exit code 2) rather than ten connection retries and a stack trace.
 */
export async function checkDatabase(config: Pick<AppConfig, 'database'>): Promise<void> {
  if (config.database.type !== 'postgres') return;
  const url = config.database.url;
  let pg: typeof import('pg');
  try {
    pg = (await import('pg')).default as unknown as typeof import('pg');
  } catch {
    throw new ConfigError('SLUICE_DB_TYPE=postgres needs the PostgreSQL driver, which is not installed: run `npm install pg`');
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (e) {
    throw new ConfigError(`SLUICE_DB_URL: cannot use the database at ${redactUrl(url)}: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
