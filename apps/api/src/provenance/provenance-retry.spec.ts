import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProvenanceEvent } from '@sluice/flow-core';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EngineEventsHub } from '../engine/engine-events.hub.js';
import { SecretRegistry } from '../secrets/secret-registry.js';
import { openTestDataSource } from '../testing/test-database.js';
import { ProvenanceService } from './provenance.service.js';

// A database trigger refuses one event, so a flush fails part-way through a real statement sequence.
const dir = mkdtempSync(join(tmpdir(), 'sluice-provenance-retry-'));
let ds: DataSource;
let postgres = false;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ ds, postgres, close } = await openTestDataSource(dir));
});
afterAll(async () => {
  await close?.();
  rmSync(dir, { recursive: true, force: true });
});

async function refuse(details: string): Promise<void> {
  if (postgres) {
    await ds.query(
      `CREATE FUNCTION refuse_event() RETURNS trigger AS $$ BEGIN IF NEW."details" = '${details}' THEN RAISE EXCEPTION 'disk full'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await ds.query(`CREATE TRIGGER refuse_event BEFORE INSERT ON "provenance_event" FOR EACH ROW EXECUTE FUNCTION refuse_event()`);
  } else {
    await ds.query(`CREATE TRIGGER refuse_event BEFORE INSERT ON "provenance_event" WHEN NEW."details" = '${details}' BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
  }
}

async function accept(): Promise<void> {
  await ds.query(postgres ? `DROP TRIGGER refuse_event ON "provenance_event"` : `DROP TRIGGER refuse_event`);
  if (postgres) await ds.query(`DROP FUNCTION refuse_event()`);
}

const event = (flowId: string, i: number, details = `e${i}`): ProvenanceEvent => ({
  eventType: 'ROUTE', flowId, processorId: 'p', flowFileUuid: `u${i}`, relationship: 'success', parentUuids: [], childUuids: [],
  details, timestamp: 1_700_000_000_000 + i, attributes: { 'execution.id': 'x' }, size: i,
});

const stored = async (flowId: string): Promise<string[]> =>
  ((await ds.query(`SELECT "details" FROM "provenance_event" WHERE "flow_id" = ${postgres ? '$1' : '?'} ORDER BY "id"`, [flowId])) as { details: string }[]).map(
    (r) => r.details,
  );

describe('provenance flush that fails part-way', () => {
  it('keeps what was not stored and stores it on a later try, each event once and in order', async () => {
    const hub = new EngineEventsHub();
    const recorded: number[] = [];
    hub.on('provenance.recorded', (e) => void recorded.push(e.count));
    const service = new ProvenanceService(ds, hub, new SecretRegistry());
    await refuse('poison');
    // 100 events a statement: the first is stored, the second fails on event 150, the third is never tried.
    const first = Array.from({ length: 250 }, (_, i) => event('f1', i, i === 150 ? 'poison' : `e${i}`));
    service.record(first);
    await service.flush();
    expect(await stored('f1')).toEqual(first.slice(0, 100).map((e) => e.details));
    expect(recorded).toEqual([100]);

    // Recorded while the database refuses: stored after the older events, not before them.
    const later = Array.from({ length: 30 }, (_, i) => event('f1', 250 + i));
    service.record(later);
    await service.flush();
    expect((await stored('f1')).length).toBe(100);

    await accept();
    // No call: the retry timer stores the rest by itself.
    await vi.waitFor(async () => expect((await stored('f1')).length).toBe(280), { timeout: 10_000, interval: 100 });
    expect(await stored('f1')).toEqual([...first, ...later].map((e) => e.details));
    expect(recorded.reduce((a, b) => a + b, 0)).toBe(280);
    const answered = await service.query('f1', { limit: 1000 });
    expect(answered.map((e) => e.details).reverse()).toEqual([...first, ...later].map((e) => e.details));
    await service.onModuleDestroy();
  });

  it('stops retrying once the service is closed', async () => {
    const service = new ProvenanceService(ds, new EngineEventsHub(), new SecretRegistry());
    await refuse('poison');
    service.record([event('f2', 0, 'poison')]);
    await service.onModuleDestroy();
    await accept();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await stored('f2')).toEqual([]);
  });
});
