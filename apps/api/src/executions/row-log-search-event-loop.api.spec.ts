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
const ROWS = Number(process.env.SLUICE_SEARCH_ROWS ?? 200_000);

/**
 * Every read of a large execution's row log (its lines filtered by SKU and status, paged deep, and the executions
 * that logged a SKU) runs while the server measures its own event loop: none may hold it over 100 ms, on either
 * database, and each answers the lines it did before.
 */
describe('searching a large row log does not block the event loop', () => {
  let server: ServerProcess;
  let omnitron: OmnitronSimHandle;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-rowlog-search-'));
    omnitron = await startOmnitronSim({ generatedProducts: 1000, requestLogLimit: 10 });
    server = await startServerProcess(dataDir);
  });
  afterAll(async () => {
    await server?.stop();
    await omnitron?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`searches ${ROWS} logged rows by SKU and status without a block over 100 ms`, { timeout: 400_000 }, async () => {
    const flow = await startStockOutbound(server, omnitron.url, 'large row log search');
    const batch = stockBatch(ROWS * 80);
    expect(batch.rows).toBeGreaterThanOrEqual(ROWS);
    const posted = await postBatch(server, flow.id, batch.body);
    expect(posted.status).toBe(202);
    const id = ((await posted.json()) as { executionId: string }).executionId;
    const done = await finishedExecution(server, id, 300_000);
    expect(done.counts.written + done.counts.failed).toBe(batch.rows);
    const rows = async (query: string) => (await (await server.request(`/api/executions/${id}/rows?${query}`)).json()) as Page<RowLogDto>;
    // Warm-up: the first request of each kind compiles the route's code.
    await rows('limit=1&sku=SKU-000001');
    await (await server.request(`/api/executions?sku=SKU-000001`)).json();
    await new Promise((r) => setTimeout(r, 700));

    // The batch's rows have the SKUs SKU-000001 to SKU-<n>, logged in that order.
    const n = batch.rows;
    const sku = (k: number) => `SKU-${String(k).padStart(6, '0')}`;
    const searches: { query: string; check: (page: Page<RowLogDto>) => void }[] = [
      {
        query: 'sku=sku-05432&limit=20',
        check: (p) => {
          expect(p.total).toBe(10);
          expect(p.items.map((r) => r.sku)).toEqual(Array.from({ length: 10 }, (_, k) => `SKU-05432${k}`));
        },
      },
      { query: 'sku=SKU-054321&status=success&limit=5', check: (p) => expect(p.items.map((r) => r.sku)).toEqual(p.total === 1 ? ['SKU-054321'] : []) },
      { query: 'sku=no-such-sku&limit=5', check: (p) => expect(p).toMatchObject({ total: 0, items: [] }) },
      {
        // Ten thousand SKUs start "SKU-01": the page is the 6th to 10th of them in the row log's order.
        query: 'sku=SKU-01&offset=5&limit=5',
        check: (p) => {
          expect(p.total).toBe(10_000);
          expect(p.items.map((r) => r.sku)).toEqual(['SKU-010005', 'SKU-010006', 'SKU-010007', 'SKU-010008', 'SKU-010009']);
        },
      },
      { query: `sku=SKU&offset=${n - 3}&limit=5`, check: (p) => expect(p.items.map((r) => r.sku)).toEqual([n - 2, n - 1, n].map(sku)) },
      { query: 'status=success&limit=5', check: (p) => expect(p.total).toBe(done.counts.written) },
      { query: 'status=failed&limit=5', check: (p) => expect(p.total).toBe(done.counts.failed) },
      { query: `offset=${n - 1}&limit=5`, check: (p) => expect(p.items.map((r) => r.sku)).toEqual([sku(n)]) },
    ];
    const figures: string[] = [];
    let over = 0;
    const measure = async (label: string, run: () => Promise<void>) => {
      let ms = 0;
      const measured = await measureBlocks(
        server,
        LIMIT_MS,
        async () => {
          const t = performance.now();
          await run();
          ms = performance.now() - t;
          // The window holding the request closes before the figures are read.
          await new Promise((r) => setTimeout(r, 700));
        },
      );
      over += measured.over;
      figures.push(`${label}: ${ms.toFixed(0)} ms answered, ${measured.text}`);
    };
    for (const s of searches) await measure(`rows?${s.query}`, async () => s.check(await rows(s.query)));
    await measure('executions?sku=SKU-054321', async () => {
      const page = (await (await server.request(`/api/executions?sku=SKU-054321`)).json()) as Page<ExecutionDto>;
      expect(page.items.map((e) => e.id)).toEqual([id]);
    });
    console.log(`${ROWS} lines:\n${figures.join('\n')}`);
    expect(over, figures.join('; ')).toBe(0);
  });
});
