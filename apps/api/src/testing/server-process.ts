import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDatabase } from './test-database.js';

const apiRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The built server; specs and benchmarks that kill it need a real process. */
export const SERVER_MAIN = join(apiRoot, 'dist', 'main.js');
/** The admin's password on a server started here. */
export const SERVER_ADMIN_PASSWORD = 'server-process-password';
const PASSWORD = SERVER_ADMIN_PASSWORD;

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly token: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  request(path: string, init?: { method?: string; json?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Resident memory of the process now, and its peak (Linux /proc), in bytes. */
  memory(): { rss: number; peak: number } | null;
  /** SIGKILL: nothing after this instant reaches the disk. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `dist/main.js` as a child process on a loopback port picked by the OS, with the given data directory
 * (reused across restarts) and database (see testDatabase), and logs in as the admin. The log level stays at `log`
 * at least: the port is read from the "listening on" line.
 */
export async function startServerProcess(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const db = await testDatabase(dataDir);
  const child = spawn(process.execPath, ['--no-node-snapshot', SERVER_MAIN], {
    cwd: apiRoot,
    env: {
      ...process.env,
      NO_COLOR: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      SLUICE_DATA_DIR: dataDir,
      SLUICE_ADMIN_PASSWORD: PASSWORD,
      SLUICE_LOG_LEVEL: 'log',
      SLUICE_SCRIPT_WARMUP: 'false',
      SLUICE_WEB_DIR: join(dataDir, 'no-web'),
      ...db.env,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${output}`));
    }, 60_000);
    const scan = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 200_000) output = output.slice(-100_000);
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', scan);
    child.stderr!.on('data', scan);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  const { token } = (await res.json()) as { token: string };
  return {
    child,
    url,
    token,
    output: () => output,
    request: (path, init = {}) =>
      fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: { authorization: `Bearer ${token}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      }),
    memory: () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
        return { rss: kb('VmRSS'), peak: kb('VmHWM') };
      } catch {
        return null;
      }
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
