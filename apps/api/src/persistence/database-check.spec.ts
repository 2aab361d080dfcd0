import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redactUrl } from './database-check.js';

const apiRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function runMain(env: Record<string, string>): Promise<{ code: number | null; output: string; ms: number }> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-dbcheck-'));
  const child = spawn(process.execPath, ['--no-node-snapshot', join(apiRoot, 'dist', 'main.js')], {
    cwd: apiRoot,
    env: { PATH: process.env['PATH'] ?? '', PORT: '0', SLUICE_DATA_DIR: dataDir, SLUICE_SCRIPT_WARMUP: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, output, ms: Date.now() - started });
    }),
  );
}

describe('database configuration errors', () => {
  it('exits with code 2 and one line naming SLUICE_DB_URL when Postgres cannot be reached, without the password', async () => {
    const port = await closedPort();
    const { code, output } = await runMain({ SLUICE_DB_TYPE: 'postgres', SLUICE_DB_URL: `postgres://sluice:hunter22@127.0.0.1:${port}/sluice` });
    expect(code).toBe(2);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`SLUICE_DB_URL: cannot use the database at postgres://sluice:***@127.0.0.1:${port}/sluice`);
    expect(output).not.toContain('hunter22');
  });

  it('exits with code 2 when SLUICE_DB_TYPE=postgres has no URL', async () => {
    const { code, output } = await runMain({ SLUICE_DB_TYPE: 'postgres' });
    expect(code).toBe(2);
    expect(output).toContain('SLUICE_DB_URL: required when SLUICE_DB_TYPE=postgres');
  });

  it('redacts the password of a connection URL', () => {
    expect(redactUrl('postgres://a:b@h:5432/d')).toBe('postgres://a:***@h:5432/d');
    expect(redactUrl('postgres://h/d')).toBe('postgres://h/d');
  });
});
