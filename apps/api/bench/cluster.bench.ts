/**
 * Cluster mode: outbound Stock rows/s with one node and with three nodes on one Postgres, on this machine. Twelve
 * 5000-row batches go round-robin to the nodes (a 429 at the flow's limit is tried again; the work queue hands each
 * execution to whichever node has room), and the clock stops when the last execution finished. Both runs use a fresh
 * database on the same throwaway PostgreSQL server, which this benchmark starts itself (e2e/tools/with-postgres.sh)
 * when SLUICE_TEST_DB_URL is not set, and skips (saying so) when the PostgreSQL server binaries are not installed.
 * Run after building apps/api: sh bench/run.sh bench/cluster.bench.ts
 */
import type { ExecutionDto, FlowDto } from '@sluice/contracts';
import { startOmnitronSim } from '@sluice/omnitron-sim';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startServerProcess, type ServerProcess } from '../dist/testing/server-process.js';

const BATCHES = 12;
const ROWS = 5000;

const PG_ROOT = '/usr/lib/postgresql';
if (!process.env['SLUICE_TEST_DB_URL'] && !(existsSync(PG_ROOT) && readdirSync(PG_ROOT).some((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb'))))) {
  console.log('cluster benchmark skipped: no PostgreSQL server binaries (apt-get install -y postgresql) and no SLUICE_TEST_DB_URL');
  process.exit(0);
}
if (!process.env['SLUICE_TEST_DB_URL']) {
  const tool = fileURLToPath(new URL('../../../e2e/tools/with-postgres.sh', import.meta.url));
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync('bash', [tool, process.execPath, ...process.execArgv, self], { stdio: 'inherit', env: process.env });
  process.exit(r.status ?? 1);
}
const base = process.env['SLUICE_TEST_DB_URL']!;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const omnitron = await startOmnitronSim({ generatedProducts: ROWS, requestLogLimit: 100 });
const rows = (offset: number) => Array.from({ length: ROWS }, (_, i) => ({ product_sku: `SKU-${String(i + 1).padStart(6, '0')}`, stock: (i + offset) % 50, stock_list: '1', unit_type: 'qty' }));

async function json<T>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

async function admit(node: ServerProcess, flowId: string, body: unknown): Promise<string> {
  for (;;) {
    const r = await node.request(`/api/outbound/${flowId}`, { method: 'POST', json: body });
    if (r.status === 202) return ((await r.json()) as { executionId: string }).executionId;
    if (r.status !== 429) throw new Error(`${r.status} ${await r.text()}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

async function finished(node: ServerProcess, id: string): Promise<ExecutionDto> {
  for (;;) {
    const e = await json<ExecutionDto>(node.request(`/api/executions/${id}`));
    if (e.state === 'finished') return e;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Rows per second through `count` nodes. */
async function run(count: number): Promise<number> {
  const name = `sluice_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const env = {
    SLUICE_DB_TYPE: 'postgres',
    SLUICE_DB_URL: url.toString(),
    SLUICE_CLUSTER: 'true',
    SLUICE_JWT_SECRET: randomBytes(32).toString('hex'),
    SLUICE_SECRET_KEY: randomBytes(32).toString('hex'),
    SLUICE_LOG_LEVEL: 'log',
    // As many executions per node as the flow's limit, so one node is not held below what three nodes may run.
    SLUICE_NODE_CONCURRENCY: '5',
  };
  const dirs: string[] = [];
  const nodes: ServerProcess[] = [];
  try {
    const start = async (i: number) => {
      const dir = mkdtempSync(join(tmpdir(), `sluice-bench-node${i}-`));
      dirs.push(dir);
      nodes.push(await startServerProcess(dir, { ...env, SLUICE_NODE_NAME: `node-${i}` }));
    };
    await start(1);
    for (let i = 2; i <= count; i++) await start(i);
    const first = nodes[0]!;
    const flow = await json<FlowDto>(
      first.request('/api/flows/from-template', {
        method: 'POST',
        json: { templateId: 'stock-outbound', name: 'bench cluster', parameters: { 'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' } },
      }),
    );
    await json(first.request(`/api/flows/${flow.id}/start`, { method: 'POST' }));
    // One warm-up batch per node (logins, JIT), not counted.
    await Promise.all(nodes.map(async (n, i) => finished(n, await admit(n, flow.id, rows(100 + i)))));
    const before = omnitron.state.counters.stockRowsReceived;
    const t0 = performance.now();
    const ids = await Promise.all(Array.from({ length: BATCHES }, (_, i) => admit(nodes[i % count]!, flow.id, rows(i))));
    const done = await Promise.all(ids.map((id) => finished(first, id)));
    const seconds = (performance.now() - t0) / 1000;
    const sent = omnitron.state.counters.stockRowsReceived - before;
    if (sent !== BATCHES * ROWS || done.some((e) => e.status !== 'success')) throw new Error(`expected ${BATCHES * ROWS} rows, Omnitron got ${sent}`);
    const spread = new Set(done.map((e) => e.node)).size;
    const rate = (BATCHES * ROWS) / seconds;
    console.log(`${count} node(s): ${BATCHES} x ${ROWS} rows in ${seconds.toFixed(2)} s = ${Math.round(rate)} rows/s, executions ran on ${spread} node(s)`);
    return rate;
  } finally {
    for (const n of nodes) await n.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

try {
  const one = await run(1);
  const three = await run(3);
  console.log(`ratio cluster.outbound-3-nodes-vs-1: ${(three / one).toFixed(2)} (rows/s on one machine with ${cpus().length} cores)`);
} finally {
  await omnitron.close();
}
