import type { ExecutionDto, Page, RowLogDto } from '@sluice/contracts';
import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedExecution, postBatch, startStockOutbound, stockBatch } from '../integration/outbound-batch.testing.js';
import { measureBlocks } from '../metrics/event-loop.testing.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';

/** No block may pass this on the reference machine; each measurement scales it to this machine's speed (measureBlocks). */
const LIMIT_MS = 100;
const ROWS = 120_000;

/**
 * A large outbound batch is processed (written to the simulated Omnitron, every row logged) while ordinary requests
 * keep coming: from its admission to its end (the row log, journal and FlowFile writes of each chunk, the writer's last
 * commit with the provenance of every request it sent, the execution's final counts) nothing may hold the server's
 * event loop over 100 ms (its own measurement, GET /api/metrics), on either database, and every row must be logged
 * exactly once.
 */
describe('processing a large batch does not block the event loop', () => {
  let server: ServerProcess;
  let omnitron: OmnitronSimHandle;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-rowlog-loop-'));
    omnitron = await startOmnitronSim({ generatedProducts: 1000, requestLogLimit: 10 });
    server = await startServerProcess(dataDir);
  });
  afterAll(async () => {
    await server?.stop();
    await omnitron?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('logs 120,000 rows exactly once, next to ordinary traffic, without a block over 100 ms until the execution ends', { timeout: 300_000 }, async () => {
    const flow = await startStockOutbound(server, omnitron.url, 'large batch rows');
    // Warm-up: the first run compiles the route's and the steps' code.
    const warm = await postBatch(server, flow.id, stockBatch(200_000).body);
    expect(warm.status).toBe(202);
    await finishedExecution(server, ((await warm.json()) as { executionId: string }).executionId, 60_000);
    // The warm-up's last 500 ms window closes before the measurement starts.
    await new Promise((r) => setTimeout(r, 700));

    const batch = stockBatch(ROWS * 80);
    expect(batch.rows).toBeGreaterThanOrEqual(ROWS);
    let id = '';
    const post = async () => {
      const posted = await postBatch(server, flow.id, batch.body);
      expect(posted.status).toBe(202);
      id = ((await posted.json()) as { executionId: string }).executionId;
    };
    const logged = async () => ((await (await server.request(`/api/executions/${id}/rows?limit=1`)).json()) as Page<RowLogDto>).total;
    const measured = await measureBlocks(
      server,
      LIMIT_MS,
      async () => {
        // Ordinary requests keep coming until the execution is finished: the chunks' writes and the execution's own
        // end (its last FlowFile's commit, the final flush of the row log, its final counts) are all measured.
        const ordinary: number[] = [];
        let state = '';
        const until = Date.now() + 240_000;
        while (state !== 'finished' && Date.now() < until) {
          for (const path of ['/api/health', '/api/flows']) ordinary.push((await server.request(path)).status);
          const res = await server.request(`/api/executions/${id}`);
          ordinary.push(res.status);
          state = ((await res.json()) as ExecutionDto).state;
          if (state !== 'finished') await new Promise((r) => setTimeout(r, 20));
        }
        expect(state, 'the execution finished in time').toBe('finished');
        // The window holding the end closes before the figures are read.
        await new Promise((r) => setTimeout(r, 700));
        expect(ordinary.length).toBeGreaterThan(0);
        expect(ordinary.every((s) => s === 200)).toBe(true);

        const done = await finishedExecution(server, id, 10_000);
        expect(done.counts.read).toBe(batch.rows);
        expect(done.counts.written + done.counts.failed).toBe(batch.rows);
        // Every row of the batch is in the row log once: as many lines as rows, and each SKU as often as it was sent.
        expect(await logged()).toBe(batch.rows);
        const sample = ['SKU-000001', 'SKU-054321', `SKU-${String(batch.rows).padStart(6, '0')}`];
        for (const sku of sample) {
          const page = (await (await server.request(`/api/executions/${id}/rows?limit=5&sku=${sku}`)).json()) as Page<RowLogDto>;
          expect(page.total, sku).toBe(1);
        }
      },
      post,
    );
    expect(measured.after.windows - measured.before.windows).toBeGreaterThan(2);
    console.log(`worst event-loop block from the batch's admission to its end: ${measured.text}`);
    expect(measured.over, `${measured.text}; longest in the last 30 s: ${measured.after.recentBlockMs.toFixed(0)} ms`).toBe(0);
  });
});
