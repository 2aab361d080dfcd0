import { readFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { DataSource } from 'typeorm';
import type { StartedApi } from '../testing/start-api.js';

/** Helpers shared by the security specs. */
export async function addUser(api: StartedApi, username: string, role: 'admin' | 'editor' | 'viewer', password = `${role}-password-1`, adminToken?: string): Promise<{ id: string; token: string; password: string }> {
  const res = await api.request('/api/users', { method: 'POST', json: { username, password, role }, ...(adminToken ? { token: adminToken } : {}) });
  if (res.status !== 201) throw new Error(`creating ${username}: ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  return { id, token: await api.login(username, password), password };
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** A stopped flow with a pure step (UpdateAttribute) and an Integrator Login that reads the flow's password parameter. */
export function flowWithSecrets(name = 'secrets flow') {
  return {
    name,
    parameters: { 'omnitron.url': 'http://127.0.0.1:9', 'omnitron.username': 'integrator', 'omnitron.password': 'omni-secret-pass-42', 'erp.api.key': 'erp-key-0123456789' },
    sensitiveParameters: ['erp.api.key'],
    processors: [
      {
        id: 'login',
        type: 'IntegratorLogin',
        name: 'Login',
        properties: { 'Omnitron Domain URL': '#{omnitron.url}', 'Omnitron Username': '#{omnitron.username}', 'Omnitron Password': '#{omnitron.password}', 'ERP Auth Type': 'permanent-token', 'ERP Token': '#{erp.api.key}', 'Retry Count': '0' },
        autoTerminated: ['failure'],
      },
      { id: 'tag', type: 'UpdateAttribute', name: 'Tag', properties: { checked: 'yes' }, autoTerminated: ['success'] },
    ],
    connections: [{ id: 'c1', sourceId: 'login', relationships: ['success'], targetId: 'tag' }],
  };
}

export function connectSocket(api: StartedApi, token: string | undefined, extra: Parameters<typeof io>[1] = {}): Socket {
  return io(api.url, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, ...extra });
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

export function disconnected(socket: Socket, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('socket stayed connected')), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(t);
      resolve(reason);
    });
  });
}

export function join(socket: Socket, flowId: unknown): Promise<boolean> {
  return new Promise((resolve) => socket.emit('flow.join', flowId as string, (ok: boolean) => resolve(ok)));
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not met in time');
}

/** Milliseconds /api/health takes to answer. */
export async function healthLatency(api: StartedApi): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${api.url}/api/health`);
  if (res.status !== 200) throw new Error(`health answered ${res.status}`);
  await res.text();
  return performance.now() - t;
}

/** Rows straight from the server's database, bypassing the API. */
export async function readRows(api: StartedApi, sql: string, params: unknown[]): Promise<unknown[]> {
  const ds = process.env['SLUICE_TEST_DB'] === 'postgres'
    ? new DataSource({ type: 'postgres', url: dbUrl(api) })
    : new DataSource({ type: 'better-sqlite3', database: joinPath(api.dataDir, 'sluice.db') });
  await ds.initialize();
  try {
    return (await ds.query(sql, params)) as unknown[];
  } finally {
    await ds.destroy();
  }
}

function dbUrl(api: StartedApi): string {
  const url = new URL(process.env['SLUICE_TEST_DB_URL']!);
  url.pathname = `/${readFileSync(joinPath(api.dataDir, 'test-database'), 'utf8').trim()}`;
  return url.toString();
}
