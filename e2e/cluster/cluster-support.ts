import { startServerProcess, type ServerProcess } from '@sluice/api/testing/server-process';
import type { ExecutionDto, FlowDto, Page } from '@sluice/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type Node = ServerProcess & { name: string; dataDir: string };

const SECRETS = { SLUICE_JWT_SECRET: randomBytes(32).toString('hex'), SLUICE_SECRET_KEY: randomBytes(32).toString('hex') };

/** A fresh database on the Postgres server of SLUICE_TEST_DB_URL, shared by every node a test starts. */
export class ClusterDatabase {
  readonly url: string;
  private readonly dirs: string[] = [];
  readonly nodes: Node[] = [];

  private constructor(
    private readonly base: string,
    private readonly name: string,
  ) {
    const u = new URL(base);
    u.pathname = `/${name}`;
    this.url = u.toString();
  }

  static async create(): Promise<ClusterDatabase> {
    const base = process.env['SLUICE_TEST_DB_URL'];
    if (!base) throw new Error('the cluster suite needs SLUICE_TEST_DB_URL: run it with e2e/tools/cluster-pass.sh');
    const name = `sluice_cluster_${randomBytes(5).toString('hex')}`;
    await admin(base, `CREATE DATABASE "${name}"`);
    return new ClusterDatabase(base, name);
  }

  async start(name: string, env: Record<string, string> = {}): Promise<Node> {
    const dataDir = mkdtempSync(join(tmpdir(), `sluice-node-${name}-`));
    this.dirs.push(dataDir);
    const s = await startServerProcess(dataDir, { SLUICE_DB_TYPE: 'postgres', SLUICE_DB_URL: this.url, SLUICE_CLUSTER: 'true', SLUICE_NODE_NAME: name, ...SECRETS, ...env });
    const node = Object.assign(s, { name, dataDir });
    this.nodes.push(node);
    return node;
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async close(): Promise<void> {
    for (const n of this.nodes) await n.kill();
    await admin(this.base, `DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function json<T>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (!r.ok) throw new Error(`${r.status}: ${text}`);
  return JSON.parse(text) as T;
}

export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function createFlow(node: Node, doc: unknown): Promise<FlowDto> {
  const flow = await json<FlowDto>(node.request('/api/flows', { method: 'POST', json: doc }));
  return flow;
}

export async function executionsOf(node: Node, flowId: string): Promise<ExecutionDto[]> {
  return (await json<Page<ExecutionDto>>(node.request(`/api/executions?flowId=${flowId}&limit=500`))).items;
}

/** Rows for products the Omnitron simulator knows (SKU-000000 on); `offset` makes batches differ. */
export const stockRows = (n: number, offset: number) =>
  Array.from({ length: n }, (_, i) => ({ product_sku: `SKU-${String(i + 1).padStart(6, '0')}`, stock: (i + offset) % 50, stock_list: '1', unit_type: 'qty' }));
