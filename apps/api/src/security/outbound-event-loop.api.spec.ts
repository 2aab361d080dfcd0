import type { ExecutionDto } from '@sluice/contracts';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedExecution, postBatch, startStockOutbound, stockBatch } from '../integration/outbound-batch.testing.js';
import { measureBlocks } from '../metrics/event-loop.testing.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';

const MB = 1024 * 1024;
/** No block may pass this on the reference machine; each measurement scales it to this machine's speed (measureBlocks). */
const LIMIT_MS = 100;
/** The simulated Omnitron holds each request this long, so the flow's steps wait while the batches are admitted. */
const HOLD_MS = 15_000;

/**
 * Outbound batches near the default 50 MB limit, posted together with ordinary requests: reading, parsing, checking
 * and storing them must not hold the server's event loop (its own measurement, GET /api/metrics, as in
 * event-loop.api.spec.ts), and every row must arrive. The Login step waits on the simulated Omnitron while the
 * batches are admitted, so what is measured is the requests' work; the rows carry an ERP note the writer does not
 * send on, so 50 MB is some 80,000 rows and the spec stays short.
 */
describe('large outbound batches do not block the event loop', () => {
  let server: ServerProcess;
  let omnitron: OmnitronSimHandle;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-outbound-loop-'));
    omnitron = await startOmnitronSim({ generatedProducts: 1000, requestLogLimit: 10 });
    server = await startServerProcess(dataDir);
  });
  afterAll(async () => {
    // A failed check leaves steps held by the simulated Omnitron: let them go so the server stops promptly.
    omnitron?.resetFaults();
    await server?.stop();
    await omnitron?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('admits a 40 MB and a 10 MB batch next to ordinary traffic without a block over 100 ms, and writes every row', { timeout: 300_000 }, async () => {
    const flow = await startStockOutbound(server, omnitron.url, 'large batches');
    const large = stockBatch(40 * MB, 0, 500);
    const medium = stockBatch(10 * MB, large.rows, 500);
    // Warm-up: the route's first run compiles its code and starts its workers.
    const warm = await postBatch(server, flow.id, stockBatch(MB, 0, 500).body);
    expect(warm.status).toBe(202);
    await finishedExecution(server, ((await warm.json()) as { executionId: string }).executionId, 60_000);

    const ordinary: number[] = [];
    let key = '';
    let ids: string[] = [];
    /** Lets the held steps go and checks that every row of the run's two batches was read and written. */
    const finish = async () => {
      omnitron.resetFaults();
      const done: ExecutionDto[] = [];
      for (const id of ids) done.push(await finishedExecution(server, id, 90_000));
      expect(done.map((e) => e.counts.read)).toEqual([large.rows, medium.rows]);
      expect(done.map((e) => e.counts.written + e.counts.failed)).toEqual([large.rows, medium.rows]);
    };
    const measured = await measureBlocks(
      server,
      LIMIT_MS,
      async () => {
        let admitting = true;
        const traffic = (async () => {
          while (admitting) {
            for (const path of ['/api/health', '/api/flows', `/api/flows/${flow.id}`]) ordinary.push((await server.request(path)).status);
            const pane = await server.request('/api/test/expression', { method: 'POST', json: { expression: '${sku:toUpper()}', attributes: { sku: 'a-1' } } });
            ordinary.push(pane.status);
          }
        })();
        const posted = await Promise.all([postBatch(server, flow.id, large.body, { 'Idempotency-Key': key }), postBatch(server, flow.id, medium.body)]);
        admitting = false;
        await traffic;
        expect(posted.map((r) => r.status)).toEqual([202, 202]);
        ids = await Promise.all(posted.map(async (r) => ((await r.json()) as { executionId: string }).executionId));
        // The last 500 ms window closes.
        await new Promise((r) => setTimeout(r, 700));
        expect(ordinary.length).toBeGreaterThan(0);
        expect(ordinary.every((s) => s === 200)).toBe(true);
      },
      async (run) => {
        // A second run first lets the first one's batches finish; each run's large batch has a key of its own.
        if (run > 1) await finish();
        omnitron.faults({ delayMs: HOLD_MS });
        key = `large-${run}`;
      },
    );
    expect(measured.after.windows - measured.before.windows).toBeGreaterThan(2);
    expect(measured.over, `${measured.text}; longest block in the last 30 s: ${measured.after.recentBlockMs.toFixed(0)} ms`).toBe(0);

    // The same key with the same body is the same execution, before and after the batch is processed.
    const again = await postBatch(server, flow.id, large.body, { 'Idempotency-Key': key });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { executionId: string }).executionId).toBe(ids[0]);

    await finish();
    expect(omnitron.state.counters.stockRowsReceived).toBeGreaterThanOrEqual(large.rows + medium.rows);
  });
});
