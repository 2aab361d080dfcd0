/**
 * The server's worst event-loop block (its own measurement, GET /api/metrics) under abusive requests four at a
 * time — slow regexes, deep nesting, string growth, bodies at the test panes' limit, endless scripts, processor
 * tests, failed logins — against the same server under benign traffic (health, flow reads, small pane runs) in the
 * same run. The goal is that abuse does not hold the loop longer than ordinary use; no request may hold it 100 ms.
 * Run after building apps/api: sh bench/run.sh bench/event-loop.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventLoopFigures } from '../src/metrics/event-loop.testing.js';
import { RECENT_WINDOW_S } from '../src/metrics/event-loop-monitor.js';
import { abusiveRequests, settle, type Abuse } from '../src/security/event-loop-abuse.testing.js';
import { startServerProcess } from '../src/testing/server-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-loop-'));
const server = await startServerProcess(dataDir, { SLUICE_LOGIN_RATE: '10000', SLUICE_LOGIN_MAX_FAILURES: '1000', SLUICE_LOG_LEVEL: 'log' });
try {
  const abuse = await abusiveRequests(server);
  const get = (path: string): Abuse => () => server.request(path);
  const post = (path: string, json: unknown): Abuse => () => server.request(path, { method: 'POST', json });
  const benignOnce: Abuse[] = [
    get('/api/health'),
    get('/api/flows'),
    post('/api/test/expression', { expression: '${sku:toUpper()}', attributes: { sku: 'abc-1' } }),
    post('/api/test/mapping', { spec: [{ operation: 'shift', spec: { sku: 'product_sku' } }], input: '{"sku":"A-1"}' }),
    post('/api/test/script', { language: 'javascript', script: 'function transform(i) { return { n: i.n + 1 }; }', input: '{"n":1}' }),
    get('/api/auth/me'),
  ];
  const benign = Array.from({ length: 10 }, () => benignOnce).flat();
  // Warm-up (each route's first run compiles its code), then let the recent-max window forget it.
  await settle(server, [...benignOnce, ...abuse.slice(0, 4)]);
  const quiet = () => new Promise((r) => setTimeout(r, (RECENT_WINDOW_S + 1) * 1000));
  await quiet();
  const phase = async (requests: Abuse[]) => {
    const t = performance.now();
    await settle(server, requests, 4);
    const seconds = (performance.now() - t) / 1000;
    await new Promise((r) => setTimeout(r, 1_000));
    if (seconds + 1 > RECENT_WINDOW_S) throw new Error(`phase took ${seconds.toFixed(0)} s, longer than the ${RECENT_WINDOW_S} s window`);
    return { ...(await eventLoopFigures(server.url, server.token)), seconds };
  };
  const calm = await phase(benign);
  await quiet();
  const abused = await phase(abuse);
  const row = (name: string, f: typeof calm) => console.log(`${name.padEnd(8)} ${f.seconds.toFixed(1)} s: worst block ${f.recentBlockMs.toFixed(0)} ms, worst stall (with waits for a CPU) ${f.recentStallMs.toFixed(0)} ms`);
  row('benign', calm);
  row('abuse', abused);
  console.log(`ratio event-loop.worst-block-abuse-vs-benign: ${(abused.recentBlockMs / Math.max(1, calm.recentBlockMs)).toFixed(2)}`);
  console.log(`abuse worst block ${abused.recentBlockMs < 100 ? 'under' : 'OVER'} the 100 ms limit`);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
