import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, listen } from '../app.js';
import { loadConfig } from '../config/app-config.js';
import { testDatabase } from './test-database.js';

export { testDatabase, type TestDatabase } from './test-database.js';

export interface StartedApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** A bearer token of the admin user. */
  readonly token: string;
  readonly dataDir: string;
  readonly adminPassword: string;
  /** Logs in and returns a bearer token. */
  login(username: string, password: string): Promise<string>;
  /** fetch against the API with the admin token; `path` starts with `/api`. */
  request(path: string, init?: RequestInit & { json?: unknown; token?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

export interface StartApiOptions {
  /** Reuse a data directory (restarts); a fresh temporary one otherwise, removed on close. */
  dataDir?: string;
  env?: Record<string, string>;
  /** Serve the built web app (apps/web/dist) when present. */
  web?: boolean;
}

const ADMIN_PASSWORD = 'admin-password-for-tests';

/** Starts the whole server in-process on a free loopback port, for tests (database: see testDatabase). */
export async function startApi(options: StartApiOptions = {}): Promise<StartedApi> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sluice-test-'));
  const db = await testDatabase(dataDir);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SLUICE_DATA_DIR: dataDir,
    SLUICE_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SLUICE_LOG_LEVEL: 'error',
    SLUICE_SCRIPT_WARMUP: 'false',
    ...db.env,
    ...(options.web === false ? { SLUICE_WEB_DIR: join(dataDir, 'no-web') } : {}),
    ...options.env,
  });
  const app = await createApp(config);
  const url = await listen(app, config);
  const login = async (username: string, password: string) => {
    const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!res.ok) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };
  const token = await login('admin', ADMIN_PASSWORD);
  return {
    url,
    token,
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    login,
    request: (path, init = {}) => {
      const { json, token: as, ...rest } = init;
      const headers = new Headers(rest.headers);
      const bearer = as === undefined ? token : as;
      if (bearer) headers.set('authorization', `Bearer ${bearer}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
    },
    close: async () => {
      await app.close();
      if (!options.dataDir) {
        await db.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
