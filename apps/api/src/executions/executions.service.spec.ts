import type { FlowFile } from '@sluice/flow-api';
import type { RowLog } from '@sluice/processors';
import type { ProvenanceEvent } from '@sluice/flow-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDataSource } from '../testing/test-database.js';
import { EngineEventsHub } from '../engine/engine-events.hub.js';
import { EXECUTION_ATTRIBUTE, ExecutionsService, type FinishedExecution } from './executions.service.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-exec-'));
let ds: DataSource;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ ds, close } = await openTestDataSource(dir));
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

// FlowFile uuids are unique in a real flow; each spec's are made unique per execution.
const ff = (name: string, executionId: string): FlowFile => ({
  uuid: `${executionId}-${name}`,
  attributes: { uuid: `${executionId}-${name}`, [EXECUTION_ATTRIBUTE]: executionId, 'flow.id': 'f' },
  contentClaim: null,
  size: 0,
  lineageStartDate: 0,
  entryDate: 0,
  parentUuids: [],
  penaltyExpiration: 0,
});
const event = (eventType: ProvenanceEvent['eventType'], uuid: string, executionId: string): ProvenanceEvent => ({
  eventType,
  flowId: 'f',
  processorId: 'write',
  flowFileUuid: `${executionId}-${uuid}`,
  relationship: eventType === 'DROP' ? null : 'success',
  parentUuids: [],
  childUuids: [],
  details: null,
  timestamp: Date.now(),
  attributes: { [EXECUTION_ATTRIBUTE]: executionId },
  size: 0,
});
const rows = (from: number, to: number, status: RowLog['status'] = 'success'): RowLog[] =>
  Array.from({ length: to - from }, (_, i) => ({ sku: `SKU-${from + i}`, status, message: status, step: 'write', key: String(from + i) }));

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function service(): { executions: ExecutionsService; finished: FinishedExecution[] } {
  const executions = new ExecutionsService(ds, new EngineEventsHub());
  const finished: FinishedExecution[] = [];
  executions.onFinished((e) => finished.push(e));
  return { executions, finished };
}

describe('ExecutionsService', () => {
  it('stores a keyed row once whatever is retried, and counts written and failed from the stored rows', async () => {
    const { executions, finished } = service();
    const id = await executions.begin('f', 'outbound', { read: 5 });
    const log = executions.stepLog('write');
    const a = ff('a', id);
    await log.record(a, rows(0, 3));
    await log.record(a, [...rows(0, 3), ...rows(3, 5, 'failed')]);
    log.rows(a, rows(0, 2));
    expect([...(await log.logged(a))].map(([k, s]) => `${k}:${s}`).sort()).toEqual(['0:success', '1:success', '2:success', '3:failed', '4:failed']);
    expect((await log.logged(ff('other', id))).size).toBe(0);
    executions.observe([event('CREATE', 'a', id), event('DROP', 'a', id)]);
    await until(async () => finished.length === 1);
    expect(finished[0]).toMatchObject({ id, status: 'partial', routedToFailure: false });
    expect((await executions.get(id)).counts).toEqual({ read: 5, written: 3, failed: 2 });
    expect((await executions.rowLogs(id, { offset: 0, limit: 100 })).total).toBe(5);
    await executions.onApplicationShutdown();
  });

  it('tries a finish that failed again later instead of rejecting', async () => {
    const { executions, finished } = service();
    const id = await executions.begin('f', 'manual', {});
    const transaction = ds.transaction.bind(ds);
    let failures = 1;
    (ds as { transaction: unknown }).transaction = (...args: unknown[]) => {
      if (failures-- > 0) return Promise.reject(new Error('disk I/O error'));
      return (transaction as (...a: unknown[]) => Promise<unknown>)(...args);
    };
    try {
      executions.observe([event('CREATE', 'x', id), event('DROP', 'x', id)]);
      await until(async () => finished.length === 1);
    } finally {
      (ds as { transaction: unknown }).transaction = transaction;
    }
    expect((await executions.get(id)).state).toBe('finished');
    await executions.onApplicationShutdown();
  });

  it('after a restart goes on with the saved counts of an execution whose FlowFiles came back, and ends it exactly', async () => {
    const first = service();
    const id = await first.executions.begin('f', 'outbound', { read: 5000 });
    await first.executions.stepLog('write').record(ff('a', id), rows(0, 3000));
    first.executions.observe([event('CREATE', 'a', id)]);
    // Killed here: nothing else of this process reaches the database.
    const second = service();
    await second.executions.recover(new Map([[id, new Map([[`${id}-a`, null]])]]), () => ({ stepNames: new Map([['write', 'Write']]), inbound: false }));
    expect((await second.executions.get(id)).counts).toEqual({ read: 5000, written: 3000, failed: 0 });
    expect(second.executions.activeCount('f')).toBe(1);
    // The FlowFile comes back: the rows logged before the crash are not logged again.
    const log = second.executions.stepLog('write');
    expect((await log.logged(ff('a', id))).size).toBe(3000);
    await log.record(ff('a', id), rows(2000, 5000));
    second.executions.observe([event('DROP', 'a', id)]);
    await until(async () => second.finished.length === 1);
    expect(second.finished[0]!.status).toBe('success');
    expect((await second.executions.get(id)).counts).toEqual({ read: 5000, written: 5000, failed: 0 });
    expect((await second.executions.rowLogs(id, { offset: 0, limit: 1 })).total).toBe(5000);
    await first.executions.onApplicationShutdown();
    await second.executions.onApplicationShutdown();
  });

  it('after a restart fails an execution that never got its data, and frees its Idempotency-Key', async () => {
    const first = service();
    const id = await first.executions.begin('f', 'outbound', { read: 10, idempotencyKey: 'key-1', requestHash: 'h' });
    expect((await first.executions.byIdempotencyKey('f', 'key-1', 0))?.id).toBe(id);
    const second = service();
    await second.executions.recover(new Map(), () => ({ stepNames: new Map(), inbound: false }));
    await until(async () => second.finished.some((e) => e.id === id));
    const e = await second.executions.get(id);
    expect(e.status).toBe('failed');
    expect(e.error).toContain('none of its data was queued');
    expect(await second.executions.byIdempotencyKey('f', 'key-1', 0)).toBeUndefined();
    await first.executions.onApplicationShutdown();
    await second.executions.onApplicationShutdown();
  });
});
