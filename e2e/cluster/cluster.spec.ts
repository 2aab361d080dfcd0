import type { ExecutionDto, FlowDto } from '@sluice/contracts';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClusterDatabase, createFlow, executionsOf, json, stockRows, until, type Node } from './cluster-support.js';

const BATCHES = 12;
const ROWS = Number(process.env['SLUICE_CLUSTER_ROWS'] ?? 5000);

let db: ClusterDatabase;
let omnitron: OmnitronSimHandle;
let a: Node;
let b: Node;
let c: Node;
/** The nodes still running (the kill specs take some away). */
let live: Node[] = [];

async function stockFlow(on: Node, name: string): Promise<FlowDto> {
  const flow = await json<FlowDto>(
    on.request('/api/flows/from-template', {
      method: 'POST',
      json: { templateId: 'stock-outbound', name, parameters: { 'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' } },
    }),
  );
  expect((await on.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
  return flow;
}

/** Posts until admitted: a 429 at the flow's limit means "later". */
async function admit(on: Node, flowId: string, body: unknown): Promise<string> {
  for (;;) {
    const r = await on.request(`/api/outbound/${flowId}`, { method: 'POST', json: body });
    if (r.status === 202) return ((await r.json()) as { executionId: string }).executionId;
    if (r.status !== 429) throw new Error(`${on.name}: ${r.status} ${await r.text()}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function finished(on: Node, id: string, timeoutMs = 120_000): Promise<ExecutionDto> {
  return until(
    `execution ${id}`,
    async () => {
      const e = await json<ExecutionDto>(on.request(`/api/executions/${id}`));
      return e.state === 'finished' ? e : undefined;
    },
    timeoutMs,
  );
}

async function rowLogCount(on: Node, id: string): Promise<number> {
  return (await json<{ total: number }>(on.request(`/api/executions/${id}/rows?limit=1`))).total;
}

describe('cluster mode: three nodes on one Postgres', () => {
  beforeAll(async () => {
    [db, omnitron] = await Promise.all([ClusterDatabase.create(), startOmnitronSim({ generatedProducts: Math.max(ROWS, 100) })]);
    // The first node migrates the schema; the others join it.
    a = await db.start('a');
    [b, c] = await Promise.all([db.start('b'), db.start('c')]);
    live = [a, b, c];
  });
  // A failure shows what the nodes warned about meanwhile (their logs are otherwise not kept).
  beforeEach((ctx) => {
    ctx.onTestFailed(() => {
      for (const n of db.nodes) console.log(`---- node ${n.name}\n${n.output().split('\n').filter((l) => /WARN|ERROR|leader/.test(l)).slice(-30).join('\n')}`);
    });
  });
  afterAll(async () => {
    await db?.close();
    await omnitron?.close();
  });

  it('lists the three nodes with one leader, and a token from one node works on another', async () => {
    const view = await until('three live nodes', async () => {
      const v = await json<{ nodes: { name: string; role: string }[]; leader: string | null }>(b.request('/api/cluster'));
      return v.nodes.length === 3 && v.leader ? v : undefined;
    });
    expect(view.nodes.map((n) => n.name).sort()).toEqual(['a', 'b', 'c']);
    expect(view.nodes.filter((n) => n.role === 'leader')).toHaveLength(1);
    const fromA = await fetch(`${c.url}/api/flows`, { headers: { authorization: `Bearer ${a.token}` } });
    expect(fromA.status).toBe(200);
  });

  it('runs a flow created on one node through another, stops it everywhere, and shows events of work on A to a socket on B', async () => {
    const flow = await stockFlow(a, 'Made on A');
    expect((await b.request(`/api/flows/${flow.id}`)).status).toBe(200);
    const socket = io(b.url, { path: '/socket.io', transports: ['websocket'], auth: { token: b.token } });
    const seen: string[] = [];
    socket.onAny((_event: string, payload: { executionId?: string; state?: string }) => {
      if (payload?.executionId) seen.push(`${payload.executionId}:${payload.state ?? ''}`);
    });
    await until('socket connected', async () => socket.connected);
    const joined = await new Promise<boolean>((resolve) => socket.emit('flow.join', flow.id, (ok: boolean) => resolve(ok)));
    expect(joined).toBe(true);
    try {
      const ids = await nodeIds();
      const onB = await admit(b, flow.id, stockRows(20, 1));
      const e = await finished(b, onB);
      expect(`${e.status} ${e.error ?? ''}`).toBe('success ');
      // Each execution records the node that claimed and ran it.
      expect([...ids.values()]).toContain((await json<ExecutionDto>(a.request(`/api/executions/${onB}`))).node);
      // Work lands on whichever node has room: post until one execution ran elsewhere than B, and B's socket saw it.
      let elsewhere: ExecutionDto | undefined;
      for (let i = 0; i < 20 && !elsewhere; i++) {
        const run = await finished(a, await admit(a, flow.id, stockRows(20, 2 + i)));
        if (run.node !== ids.get(b)) elsewhere = run;
      }
      expect(elsewhere, 'an execution run on a node other than B').toBeDefined();
      // The finish is announced by the node that ran it.
      await until('an event of work on another node reaching the socket on B', async () => seen.includes(`${elsewhere!.id}:finished`));
    } finally {
      socket.close();
    }
    expect((await c.request(`/api/flows/${flow.id}/stop`, { method: 'POST' })).status).toBe(200);
    for (const n of [a, b, c]) {
      await until(`flow stopped on ${n.name}`, async () => {
        const s = await json<{ processors: { state: string }[] }>(n.request(`/api/flows/${flow.id}/status`));
        return s.processors.every((p) => p.state !== 'running');
      });
    }
  });

  it(`writes ${BATCHES} batches of ${ROWS} rows posted round-robin exactly once, spread over the nodes`, async () => {
    const flow = await stockFlow(b, 'Round robin');
    const before = omnitron.state.counters.stockRowsReceived;
    const nodes = [a, b, c];
    const ids = await Promise.all(Array.from({ length: BATCHES }, (_, i) => admit(nodes[i % 3]!, flow.id, stockRows(ROWS, i))));
    const done = await Promise.all(ids.map((id) => finished(a, id, 300_000)));
    expect(done.map((e) => `${e.status} ${e.error ?? ''}`)).toEqual(done.map(() => 'success '));
    expect(omnitron.state.counters.stockRowsReceived - before).toBe(BATCHES * ROWS);
    for (const e of done) {
      expect(e.counts.written).toBe(ROWS);
      expect(await rowLogCount(c, e.id)).toBe(ROWS);
    }
    expect(new Set(done.map((e) => e.node)).size).toBeGreaterThan(1);
  });

  it('spreads batches all posted to one node over the cluster (each execution queued once, claimed by one node)', async () => {
    const flow = await stockFlow(a, 'All to B');
    const before = omnitron.state.counters.stockRowsReceived;
    const rows = Math.min(ROWS, 1000);
    const ids = await Promise.all(Array.from({ length: BATCHES }, (_, i) => admit(b, flow.id, stockRows(rows, i))));
    const done = await Promise.all(ids.map((id) => finished(c, id, 300_000)));
    expect(done.map((e) => `${e.status} ${e.error ?? ''}`)).toEqual(done.map(() => 'success '));
    expect(omnitron.state.counters.stockRowsReceived - before).toBe(BATCHES * rows);
    for (const e of done) expect(await rowLogCount(a, e.id)).toBe(rows);
    expect(new Set(done.map((e) => e.node)).size).toBeGreaterThan(1);
  });

  it('admits exactly five of twelve concurrent posts to one flow across nodes', async () => {
    const flow = await stockFlow(c, 'Limit across nodes');
    // A slow Omnitron keeps the admitted executions running while the others ask.
    await fetch(`${omnitron.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delayMs: 1500 }) });
    try {
      const nodes = [a, b, c];
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => nodes[i % 3]!.request(`/api/outbound/${flow.id}`, { method: 'POST', json: stockRows(3, i) })));
      const statuses = answers.map((r) => r.status);
      expect(statuses.filter((s) => s === 202)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      const ids = await Promise.all(answers.filter((r) => r.status === 202).map(async (r) => ((await r.json()) as { executionId: string }).executionId));
      await Promise.all(ids.map((id) => finished(a, id)));
    } finally {
      await fetch(`${omnitron.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delayMs: 0 }) });
    }
  });

  it('runs a 3 s schedule about five times in 15 s across the cluster, and last.request never goes backwards', async () => {
    const flow = await createFlow(a, {
      name: 'Every 3 sec',
      integration: { kind: 'generic', direction: 'inbound', schedule: { type: 'every', value: '3 sec' } },
      processors: [{ id: 'log', type: 'LogAttribute', name: 'Log', properties: {}, autoTerminated: ['success'] }],
      connections: [],
    });
    expect((await b.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    const started = Date.now();
    const seen: string[] = [];
    while (Date.now() - started < 15_000) {
      const [row] = await db.query<{ state: string }>(`SELECT "state" FROM "processor_state" WHERE "flow_id" = $1 AND "processor_id" = '__flow'`, [flow.id]);
      const value = row ? (JSON.parse(row.state) as Record<string, string>)['last.request'] : undefined;
      if (value) seen.push(value);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await a.request(`/api/flows/${flow.id}/stop`, { method: 'POST' })).status).toBe(200);
    const runs = (await executionsOf(c, flow.id)).filter((e) => e.trigger === 'schedule');
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.length).toBeLessThanOrEqual(6);
    expect(seen.length).toBeGreaterThan(0);
    expect([...seen].sort()).toEqual(seen);
  });

  it('runs an execution that a node claimed and died before queuing on another node, exactly once', async () => {
    const flow = await stockFlow(b, 'Claimed by a ghost');
    const doc = (await json<FlowDto>(a.request(`/api/flows/${flow.id}`))).document;
    const targets = new Set(doc.connections.map((x) => x.targetId));
    const entry = doc.integration?.entryProcessorId ?? doc.processors.find((p) => !targets.has(p.id))!.id;
    // As a node leaves it when killed between claiming the job and queuing the FlowFile: claimed, input kept, no step.
    const ghost = randomUUID();
    const id = randomUUID();
    const now = Date.now();
    const rows = stockRows(300, 7);
    await db.query(`INSERT INTO "cluster_node" ("id","name","address","started_at","heartbeat_at","role") VALUES ($1,'ghost',NULL,$2,$2,'member')`, [ghost, now - 60_000]);
    await db.query(
      `INSERT INTO "execution" ("id","flow_id","trigger","triggered_by","state","status","rows_read","rows_written","rows_failed","params","error","started_at","finished_at","node_id")
       VALUES ($1,$2,'outbound','admin','start','in-progress',$3,0,0,'{}',NULL,$4,NULL,$5)`,
      [id, flow.id, rows.length, now, ghost],
    );
    const attributes = { 'execution.id': id, 'execution.trigger': 'outbound', 'flow.id': flow.id, 'flow.name': flow.name, 'flow.timezone': 'UTC', 'mime.type': 'application/json' };
    await db.query(`INSERT INTO "execution_input" ("execution_id","entry_id","attributes","content","created_at") VALUES ($1,$2,$3,$4,$5)`, [id, entry, JSON.stringify(attributes), JSON.stringify(rows), now]);
    const before = omnitron.state.counters.stockRowsReceived;
    const e = await finished(c, id, 60_000);
    expect(`${e.status} ${e.error ?? ''}`).toBe('success ');
    expect(e.node).not.toBe(ghost);
    expect([...(await nodeIds()).values()]).toContain(e.node);
    expect(await rowLogCount(a, id)).toBe(rows.length);
    expect(omnitron.state.counters.stockRowsReceived - before).toBe(rows.length);
    expect(await db.query(`SELECT 1 FROM "execution_input" WHERE "execution_id" = $1`, [id])).toEqual([]);
  });

  it('finishes the slow batch of a SIGKILLed node on another node, and a node joining mid-batch duplicates nothing', async () => {
    const flow = await stockFlow(a, 'Survives a kill');
    const before = omnitron.state.counters.stockRowsReceived;
    await fetch(`${omnitron.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delayMs: 200 }) });
    let joined: Node | undefined;
    try {
      const slow = await admit(c, flow.id, stockRows(ROWS, 3));
      const other = await admit(a, flow.id, stockRows(ROWS, 4));
      // Whichever node claimed the slow batch from the queue is the one to kill.
      const runner = await until('the slow batch claimed by a node', async () => (await json<ExecutionDto>(a.request(`/api/executions/${slow}`))).node ?? undefined);
      const ids = await nodeIds();
      const victim = live.find((n) => ids.get(n) === runner)!;
      await until('rows of the slow batch reaching Omnitron', async () => omnitron.state.counters.stockRowsReceived - before > 0);
      await victim.kill();
      live = live.filter((n) => n !== victim);
      // A node joining while the other batch runs must not load or run another node's FlowFiles.
      joined = await db.start('d');
      live.push(joined);
      const survivor = live[0]!;
      await fetch(`${omnitron.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delayMs: 0 }) });
      const [killed, otherRun] = await Promise.all([finished(survivor, slow, 240_000), finished(survivor, other, 240_000)]);
      expect(killed.node).not.toBe(null);
      expect(killed.node).not.toBe(runner);
      expect(await Promise.all(live.map(nodeId))).toContain(killed.node);
      expect(await rowLogCount(survivor, slow)).toBe(ROWS);
      expect(await rowLogCount(survivor, other)).toBe(ROWS);
      expect(killed.counts.written).toBe(ROWS);
      expect(otherRun.counts.written).toBe(ROWS);
      // Rows sent by the killed node just before it died may go out again on takeover (at least once), never more than that batch.
      const received = omnitron.state.counters.stockRowsReceived - before;
      expect(received).toBeGreaterThanOrEqual(2 * ROWS);
      expect(received).toBeLessThan(3 * ROWS);
    } finally {
      await fetch(`${omnitron.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ delayMs: 0 }) });
    }
    const view = await json<{ nodes: { name: string }[] }>(live[0]!.request('/api/cluster'));
    expect(view.nodes.map((n) => n.name).sort()).toEqual(live.map((n) => n.name).sort());
  });

  it('runs a primary-node-only source on the leader alone, and on the next leader once the leader is killed', async () => {
    const flow = await createFlow(live[0]!, {
      name: 'Primary node only',
      processors: [
        { id: 'gen', type: 'GenerateFlowFile', name: 'Tick', properties: {}, scheduling: { strategy: 'timer', period: '1 sec', executionNode: 'PRIMARY' } },
        { id: 'log', type: 'LogAttribute', name: 'Log', properties: {}, autoTerminated: ['success'] },
      ],
      connections: [{ id: 'ticks', sourceId: 'gen', targetId: 'log', relationships: ['success'] }],
    });
    // Started on a node that is not the leader: the leader alone runs it. The log stays stopped, so the ticks queue up.
    const leaderId = async (on: Node) => until('a leader', async () => (await json<{ leader: string | null }>(on.request('/api/cluster'))).leader);
    const ids = await nodeIds();
    const firstLeader = await leaderId(live[0]!);
    const member = live.find((n) => ids.get(n) !== firstLeader)!;
    expect((await member.request(`/api/flows/${flow.id}/processors/gen/start`, { method: 'POST' })).status).toBe(200);
    const owners = async () => db.query<{ owner_node: string; n: string }>(`SELECT "owner_node", COUNT(*) AS n FROM "flowfile" WHERE "flow_id" = $1 GROUP BY "owner_node"`, [flow.id]);
    const total = async () => (await owners()).reduce((n, r) => n + Number(r.n), 0);
    await until('the first ticks', async () => (await total()) >= 1, 20_000);
    const t0 = Date.now();
    const n0 = await total();
    await new Promise((r) => setTimeout(r, 5_000));
    const n1 = await total();
    // Once a second on one node: about five in five seconds; on every node it would be about fifteen.
    expect(n1 - n0).toBeGreaterThanOrEqual(3);
    expect(n1 - n0).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / 1000) + 1);
    expect((await owners()).map((r) => r.owner_node)).toEqual([firstLeader]);
    const old = live.find((n) => ids.get(n) === firstLeader)!;
    await old.kill();
    live = live.filter((n) => n !== old);
    const next = await until('a new leader', async () => {
      const l = await leaderId(live[0]!);
      return l !== firstLeader ? l : undefined;
    }, 30_000);
    const n2 = await total();
    await until('ticks on the new leader', async () => (await total()) >= n2 + 3, 30_000);
    // The new leader adopts the old one's queued ticks (its takeover pass may come after its first ticks) and makes
    // the new ones; no other node makes any.
    await until('the old leader\'s ticks adopted', async () => ((await owners()).length === 1 ? true : undefined), 30_000);
    expect((await owners()).map((r) => r.owner_node)).toEqual([next]);
    const n3 = await total();
    const t3 = Date.now();
    await new Promise((r) => setTimeout(r, 4_000));
    expect((await total()) - n3).toBeLessThanOrEqual(Math.ceil((Date.now() - t3) / 1000) + 1);
  });
});

/** Each live node's id, as the node reports it. */
async function nodeIds(): Promise<Map<Node, string>> {
  return new Map(await Promise.all(live.map(async (n) => [n, await nodeId(n)] as const)));
}

async function nodeId(n: Node): Promise<string> {
  return (await json<{ nodeId: string }>(n.request('/api/cluster'))).nodeId;
}
