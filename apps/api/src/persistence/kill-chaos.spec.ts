import type { ExecutionDto, ExecutionStepDto, FlowDto, Page, RowLogDto } from '@sluice/contracts';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { testDatabase } from '../testing/test-database.js';

const BATCHES = 10;
const ROWS = 5000;
const CHUNK = 250;
/** Write steps running at once (the template's concurrent tasks): the most executions in flight at a kill. */
const WRITERS = 2;

/**
 * 50,000 rows posted to the outbound Stock template in 10 batches, with the server killed with SIGKILL at several
 * moments (while batches are being acknowledged, right after, mid-write and near the end), and Omnitron's tokens
 * expiring while it is down. An ERP client posts each batch with an Idempotency-Key and posts it again when its
 * request was cut. Afterwards every row is in Omnitron, every execution succeeded with exact counts, exactly one
 * row log per row and every one of its steps, and duplicates stay within the chunks that were in flight at each kill.
 */
describe('kill -9 during outbound runs', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-chaos-'));
  let omnitron: OmnitronSimHandle;
  let server: ServerProcess | null = null;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    omnitron = await startOmnitronSim({ generatedProducts: ROWS, trackDeliveries: true, requestLogLimit: 100 });
  });
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await omnitron?.close();
    await (await testDatabase(dataDir)).drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    server = await startServerProcess(dataDir);
    servers.push(server);
    return server;
  };
  const atKill: number[] = [];
  const killAndExpireTokens = async () => {
    atKill.push(received());
    await server!.kill();
    server = null;
    // Real tokens expire; here they do while Sluice is down, so every step holding one meets a 401 after the restart.
    omnitron.expireTokens();
  };
  const received = () => omnitron.state.counters.stockRowsReceived;
  /** Waits on a condition, never on a duration: a loaded machine only makes it take longer, up to the bound. */
  const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 150_000, pollMs = 5) => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}:\n${server?.output().slice(-3000) ?? ''}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  };

  const batch = (n: number) => Array.from({ length: ROWS }, (_, i) => ({ product_sku: `SKU-${String(i + 1).padStart(6, '0')}`, stock: (n * 7 + i) % 1000, stock_list: '1', unit_type: 'qty' }));
  const accepted = new Map<number, string>();
  /** Posts a batch as an ERP would: with its key, again after a cut connection. Resolves false when the server died. */
  const post = async (flowId: string, n: number): Promise<boolean> => {
    try {
      const res = await server!.request(`/api/outbound/${flowId}`, { method: 'POST', json: batch(n), headers: { 'Idempotency-Key': `erp-batch-${n}` } });
      if (res.status !== 202) throw new Error(`batch ${n}: ${res.status} ${await res.text()}`);
      const { executionId } = (await res.json()) as { executionId: string };
      const before = accepted.get(n);
      if (before !== undefined && before !== executionId) throw new Error(`batch ${n} got a second execution ${executionId} (first ${before})`);
      accepted.set(n, executionId);
      return true;
    } catch (e) {
      if (e instanceof TypeError) return false;
      throw e;
    }
  };

  it('loses no row, keeps exact counts and row logs, and duplicates only the chunks in flight at each kill', { timeout: 300_000 }, async () => {
    let s = await start();
    let flow = (await (
      await s.request('/api/flows/from-template', {
        method: 'POST',
        json: { templateId: 'stock-outbound', name: 'chaos', parameters: { 'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' } },
      })
    ).json()) as FlowDto;
    const doc = structuredClone(flow.document);
    doc.processors.find((p) => p.id === 'write')!.properties['Batch Size'] = String(CHUNK);
    doc.integration = { ...doc.integration!, maxConcurrentExecutions: BATCHES };
    flow = (await (await s.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document: doc } })).json()) as FlowDto;
    expect((await s.request(`/api/flows/${flow.id}/start`, { method: 'POST' })).status).toBe(200);
    // Slow enough that the kills land mid-run.
    omnitron.faults({ delayMs: 15 });

    // 1: killed while the first batches are being acknowledged and written.
    const first = Promise.all(Array.from({ length: 5 }, (_, n) => post(flow.id, n)));
    await waitFor('the first rows at Omnitron', () => received() > 0);
    await killAndExpireTokens();
    await first;
    s = await start();
    // The ERP posts what it has no answer for again (same keys), and the rest.
    for (let n = 0; n < BATCHES; n++) if (!accepted.has(n) || n < 5) expect(await post(flow.id, n)).toBe(true);
    expect(accepted.size).toBe(BATCHES);

    // 2: right after every batch was acknowledged, most rows still queued.
    await killAndExpireTokens();
    s = await start();

    // 3: mid-write, and 4: near the end.
    for (const share of [0.45, 0.85]) {
      const target = received() + (BATCHES * ROWS - received()) * share;
      await waitFor(`${share} of the rows`, () => received() >= target);
      await killAndExpireTokens();
      s = await start();
    }
    const kills = 4;

    const ids = new Set(accepted.values());
    let executions: ExecutionDto[] = [];
    await waitFor(
      'every accepted execution to finish',
      async () => {
        const page = (await (await s.request(`/api/executions?flowId=${flow.id}&limit=100`)).json()) as Page<ExecutionDto>;
        executions = page.items.filter((e) => ids.has(e.id));
        return executions.length === ids.size && executions.every((e) => e.state === 'finished');
      },
      150_000,
      250,
    );
    for (const e of executions) expect({ id: e.id, status: e.status, counts: e.counts, error: e.error }).toEqual({ id: e.id, status: 'success', counts: { read: ROWS, written: ROWS, failed: 0 }, error: null });
    // Besides the accepted ones, only requests cut before their batch was durable (never answered 202) left a trace,
    // and as their data never got into the flow they have no step.
    const listed = (await (await s.request(`/api/executions?flowId=${flow.id}&limit=100`)).json()) as Page<ExecutionDto>;
    for (const e of listed.items.filter((x) => !ids.has(x.id))) {
      expect({ status: e.status, written: e.counts.written, error: e.error }).toEqual({ status: 'failed', written: 0, error: expect.stringContaining('none of its data was queued') });
      expect(await (await s.request(`/api/executions/${e.id}/steps`)).json()).toEqual([]);
    }

    let duplicates = 0;
    for (const [n, id] of accepted) {
      const skus = new Set<string>();
      for (let offset = 0; ; offset += 1000) {
        const page = (await (await s.request(`/api/executions/${id}/rows?limit=1000&offset=${offset}`)).json()) as Page<RowLogDto>;
        for (const r of page.items) {
          expect(r.status).toBe('success');
          skus.add(r.sku!);
        }
        if (offset + 1000 >= page.total) {
          expect(page.total).toBe(ROWS);
          break;
        }
      }
      expect(skus.size).toBe(ROWS);
      // Every step, whatever the kills cut: the batch entered at Login and left at the write step, its whole
      // content counted once as Login's output and once as the write step's input.
      const steps = (await (await s.request(`/api/executions/${id}/steps`)).json()) as ExecutionStepDto[];
      const bytes = Buffer.byteLength(JSON.stringify(batch(n)));
      expect(steps.map((x) => ({ processorId: x.processorId, name: x.name, inputSize: x.inputSize, outputSize: x.outputSize, error: x.error })), `steps of batch ${n}`).toEqual([
        { processorId: 'login', name: 'Login', inputSize: 0, outputSize: bytes, error: null },
        { processorId: 'write', name: 'Write Stock to Omnitron', inputSize: bytes, outputSize: 0, error: null },
      ]);
      const [login, write] = steps.map((x) => ({ start: Date.parse(x.startedAt), end: Date.parse(x.startedAt) + x.durationMs }));
      expect(login!.start).toBeGreaterThanOrEqual(Date.parse(executions.find((e) => e.id === id)!.startedAt));
      expect(write!.start).toBeGreaterThanOrEqual(login!.start);
      expect(write!.end).toBeGreaterThanOrEqual(login!.end);
      let extra = 0;
      for (const row of batch(n)) {
        const delivered = omnitron.state.deliveries.get(`${id}|${row.product_sku}`) ?? 0;
        expect(delivered, `batch ${n} row ${row.product_sku}`).toBeGreaterThanOrEqual(1);
        extra += delivered - 1;
      }
      // At most the one chunk it had in flight at each kill.
      expect(extra).toBeLessThanOrEqual(kills * CHUNK);
      duplicates += extra;
    }
    expect(duplicates).toBeLessThanOrEqual(kills * WRITERS * CHUNK);
    expect(omnitron.state.stock.get('1')!.size).toBe(ROWS);
    // The kills landed while rows were still on their way, and the steps holding expired tokens logged in again.
    expect(atKill[atKill.length - 1]!).toBeLessThan(BATCHES * ROWS);
    expect(omnitron.state.counters.unauthorized).toBeGreaterThan(0);
    expect(omnitron.state.counters.logins).toBeGreaterThanOrEqual(kills);
    console.log(
      `kill -9 × ${kills} at ${atKill.join(', ')} rows received: ${BATCHES * ROWS} rows, 0 lost, ${duplicates} duplicate row deliveries (${(duplicates / kills).toFixed(0)} per kill), ` +
        `${omnitron.state.counters.unauthorized} answers 401 after token expiry`,
    );
    await s.stop();
  });
});
