import type { FlowFile } from '@sluice/flow-api';
import type { ProvenanceEvent, RepositoryTransaction } from '@sluice/flow-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineEventsHub } from '../engine/engine-events.hub.js';
import { SqlFlowFileRepository } from '../persistence/sql-flowfile.repository.js';
import { openTestDataSource } from '../testing/test-database.js';
import { EXECUTION_ATTRIBUTE, executionSteps, ExecutionsService, type FinishedExecution, type SeenAt } from './executions.service.js';

/**
 * What an execution knows of its data is stored in the FlowFile commits themselves: a process killed right after a
 * commit (before any of its own saving could run) leaves steps, failures and read totals exactly as the data shows.
 */
const dir = mkdtempSync(join(tmpdir(), 'sluice-exec-durable-'));
let ds: DataSource;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ ds, close } = await openTestDataSource(dir));
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

const STEPS = executionSteps([
  { id: 'login', name: 'Login', type: 'IntegratorLogin' },
  { id: 'read', name: 'Read ERP', type: 'ReadErpData' },
  { id: 'write', name: 'Write Stock', type: 'WriteOmnitronStock' },
]);
const flowOf = () => ({ ...STEPS, inbound: false });

/** One server process: its executions and FlowFile repository on a connection that a kill cuts at once. */
function server() {
  let dead = false;
  const cut = new Proxy(ds, {
    get(target, key, receiver) {
      if (dead && (key === 'query' || key === 'transaction')) return () => Promise.reject(new Error('killed'));
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  const executions = new ExecutionsService(cut, new EngineEventsHub());
  const repository = new SqlFlowFileRepository(cut);
  repository.participate({ inCommit: (m, txs) => executions.inCommit(m, txs.flatMap((t) => t.provenance ?? [])) });
  const finished: FinishedExecution[] = [];
  executions.onFinished((e) => finished.push(e));
  /** Commits a session as the engine does; `observe: false` is a kill between the commit and its provenance. */
  const commit = async (tx: RepositoryTransaction, options: { observe?: boolean } = {}) => {
    await repository.commit(tx);
    if (options.observe !== false) executions.observe(tx.provenance ?? []);
  };
  return { executions, repository, finished, commit, kill: () => (dead = true) };
}

let n = 0;
const flowFile = (executionId: string, size: number, attributes: Record<string, string> = {}): FlowFile => {
  const uuid = `ff-${++n}`;
  return { uuid, attributes: { uuid, [EXECUTION_ATTRIBUTE]: executionId, ...attributes }, contentClaim: null, size, lineageStartDate: 0, entryDate: 0, parentUuids: [], penaltyExpiration: 0 };
};
const event = (f: FlowFile, eventType: ProvenanceEvent['eventType'], processorId: string, relationship: string | null, at: number, size = f.size): ProvenanceEvent => ({
  eventType,
  flowId: 'f',
  processorId,
  flowFileUuid: f.uuid,
  relationship,
  parentUuids: [],
  childUuids: [],
  details: null,
  timestamp: at,
  attributes: f.attributes as Record<string, string>,
  size,
});
const ingress = (f: FlowFile, at: number): RepositoryTransaction => ({
  flowId: 'f',
  upserts: [{ flowFile: f, connectionId: 'ingress:login' }],
  deletes: [],
  contents: [],
  provenance: [event(f, 'CREATE', 'login', null, at)],
});
const route = (f: FlowFile, processorId: string, connectionId: string, at: number): RepositoryTransaction => ({
  flowId: 'f',
  upserts: [{ flowFile: f, connectionId }],
  deletes: [],
  contents: [],
  provenance: [event(f, 'ROUTE', processorId, 'success', at)],
});
const drop = (f: FlowFile, processorId: string, relationship: string, at: number): RepositoryTransaction => ({
  flowId: 'f',
  upserts: [],
  deletes: [f.uuid],
  contents: [],
  provenance: [event(f, 'DROP', processorId, relationship, at)],
});

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const startOf = async (s: ExecutionsService, id: string) => Date.parse((await s.get(id)).startedAt);
const steps = async (s: ExecutionsService, id: string) =>
  (await s.steps(id)).map((x) => ({ name: x.name, inputSize: x.inputSize, outputSize: x.outputSize, durationMs: x.durationMs, error: x.error }));

describe('execution records are as durable as the FlowFile commits', () => {
  it('keeps the step a FlowFile left the flow at when the server is killed right after that commit', async () => {
    const a = server();
    const id = await a.executions.begin('f', 'outbound', { read: 2, ...STEPS });
    const t0 = await startOf(a.executions, id);
    const x = flowFile(id, 120);
    await a.commit(ingress(x, t0));
    await a.commit(route(x, 'login', 'c-login-write', t0 + 10));
    const log = a.executions.stepLog('write');
    await log.record!(x, [
      { sku: 'A', status: 'success', message: 'ok', key: '0' },
      { sku: 'B', status: 'success', message: 'ok', key: '1' },
    ]);
    await a.commit(drop(x, 'write', 'success', t0 + 50), { observe: false });
    a.kill();

    const b = server();
    await b.executions.recover(new Map(), flowOf);
    await until(() => b.finished.length === 1);
    expect(b.finished[0]).toMatchObject({ id, status: 'success' });
    expect((await b.executions.get(id)).counts).toEqual({ read: 2, written: 2, failed: 0 });
    expect(await steps(b.executions, id)).toEqual([
      { name: 'Login', inputSize: 0, outputSize: 120, durationMs: 10, error: null },
      { name: 'Write Stock', inputSize: 120, outputSize: 0, durationMs: 40, error: null },
    ]);
    await b.executions.onApplicationShutdown();
  });

  it('keeps a failure routed to an auto-terminated relationship, so the recovered status is not success', async () => {
    const a = server();
    const id = await a.executions.begin('f', 'outbound', { read: 1, ...STEPS });
    const x = flowFile(id, 50, { 'omnitron.error': 'Omnitron answered 400: unknown stock list' });
    await a.commit(ingress(x, 2_000));
    await a.commit(route(x, 'login', 'c-login-write', 2_005));
    await a.commit(drop(x, 'write', 'failure', 2_030), { observe: false });
    a.kill();

    const b = server();
    await b.executions.recover(new Map(), flowOf);
    await until(() => b.finished.length === 1);
    const e = await b.executions.get(id);
    expect({ status: e.status, error: e.error }).toEqual({ status: 'failed', error: 'Write Stock: Omnitron answered 400: unknown stock list' });
    expect((await steps(b.executions, id)).map((s) => [s.name, s.error])).toEqual([
      ['Login', null],
      ['Write Stock', 'Omnitron answered 400: unknown stock list'],
    ]);
    await b.executions.onApplicationShutdown();
  });

  it('keeps the read totals a step reported for the session it committed', async () => {
    const a = server();
    const id = await a.executions.begin('f', 'schedule', { ...STEPS });
    const x = flowFile(id, 10);
    await a.commit(ingress(x, 3_000));
    await a.commit(route(x, 'login', 'c-login-read', 3_001));
    const rows = { ...x, size: 900 };
    a.executions.stepLog('read').progress(x, { read: 40 });
    await a.commit(route(rows, 'read', 'c-read-write', 3_020), { observe: false });
    a.kill();

    // The FlowFile waits for the write step: the execution goes on, and its input counts what the reader produced.
    const b = server();
    const live = new Map<string, Map<string, SeenAt | null>>([[id, new Map([[x.uuid, { processorId: 'read', size: 900 }]])]]);
    await b.executions.recover(live, flowOf);
    expect((await b.executions.get(id)).counts.read).toBe(40);
    await b.commit(drop(rows, 'write', 'success', 3_100));
    await until(() => b.finished.length === 1);
    expect((await b.executions.get(id)).counts).toEqual({ read: 40, written: 0, failed: 0 });
    expect((await steps(b.executions, id)).map((s) => [s.name, s.inputSize, s.outputSize])).toEqual([
      ['Login', 0, 10],
      ['Read ERP', 10, 900],
      ['Write Stock', 900, 0],
    ]);
    await b.executions.onApplicationShutdown();
  });

  it('stores nothing of a commit that rolled back, and tells an execution that never got its data from one that did', async () => {
    const a = server();
    const never = await a.executions.begin('f', 'outbound', { read: 1, ...STEPS });
    const ran = await a.executions.begin('f', 'outbound', { read: 1, ...STEPS });
    const refused = flowFile(never, 5);
    let fail = true;
    a.repository.participate({
      inCommit: async () => {
        if (fail) throw new Error('disk full');
      },
    });
    await expect(a.repository.commit(ingress(refused, 4_000))).rejects.toThrow('disk full');
    fail = false;
    const empty = flowFile(ran, 0);
    await a.commit(ingress(empty, 4_010));
    await a.commit(drop(empty, 'login', 'success', 4_020), { observe: false });
    a.kill();

    const b = server();
    await b.executions.recover(new Map(), flowOf);
    await until(() => b.finished.length === 2);
    expect(await steps(b.executions, never)).toEqual([]);
    expect((await b.executions.get(never)).error).toContain('none of its data was queued');
    const e = await b.executions.get(ran);
    expect({ status: e.status, error: e.error }).toEqual({ status: 'success', error: null });
    expect((await steps(b.executions, ran)).map((s) => s.name)).toEqual(['Login']);
    await b.executions.onApplicationShutdown();
  });
});
