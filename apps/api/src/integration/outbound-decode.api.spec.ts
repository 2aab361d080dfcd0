import { startOmnitronSim, type OmnitronSimHandle } from '@sluice/omnitron-sim';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { finishedExecution, postBatch, startStockOutbound, stockBatch } from './outbound-batch.testing.js';
import { INLINE_DECODE_MAX_BYTES } from './outbound-batch.reader.js';

/**
 * Small batches are decoded on the server's own thread, larger ones in a worker: either way a batch is admitted,
 * refused and written alike.
 */
describe('outbound batches on either side of the inline decode limit', () => {
  let server: ServerProcess;
  let omnitron: OmnitronSimHandle;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-outbound-decode-'));
    omnitron = await startOmnitronSim({ generatedProducts: 10_000, requestLogLimit: 10 });
    server = await startServerProcess(dataDir);
  });
  afterAll(async () => {
    await server?.stop();
    await omnitron?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sizes = { inline: INLINE_DECODE_MAX_BYTES - 4096, worker: INLINE_DECODE_MAX_BYTES + 4096 };

  it('answers a malformed batch and a refused row with the same 400 on both paths', { timeout: 60_000 }, async () => {
    const flow = await startStockOutbound(server, omnitron.url, 'decode refusals');
    const answers: Record<string, unknown> = {};
    for (const [path, bytes] of Object.entries(sizes)) {
      const { body } = stockBatch(bytes);
      expect(body.length > INLINE_DECODE_MAX_BYTES).toBe(path === 'worker');
      const malformed = await postBatch(server, flow.id, `${body.slice(0, -1)},]`);
      expect(malformed.status).toBe(400);
      const badRow = await postBatch(server, flow.id, body.replace('"product_sku":"SKU-000002"', '"product_sku_":"SKU-000002"'));
      expect(badRow.status).toBe(400);
      answers[path] = { malformed: ((await malformed.json()) as { message: string }).message.replace(/\d+/g, 'N'), badRow: await badRow.json() };
    }
    expect(answers['inline']).toEqual(answers['worker']);
    expect(JSON.stringify(answers['inline'])).toContain('[1].product_sku');
  });

  it('admits and writes every row of a batch on both paths, and a repeated Idempotency-Key must carry the same batch', { timeout: 120_000 }, async () => {
    const flow = await startStockOutbound(server, omnitron.url, 'decode writes');
    for (const [path, bytes] of Object.entries(sizes)) {
      const before = omnitron.state.counters.stockRowsReceived;
      const { body, rows } = stockBatch(bytes);
      const posted = await postBatch(server, flow.id, body, { 'Idempotency-Key': `decode-${path}` });
      expect(posted.status).toBe(202);
      const execution = await finishedExecution(server, ((await posted.json()) as { executionId: string }).executionId, 60_000);
      expect(execution).toMatchObject({ status: 'success', counts: { written: rows } });
      expect(omnitron.state.counters.stockRowsReceived - before).toBe(rows);
      const repeat = await postBatch(server, flow.id, body, { 'Idempotency-Key': `decode-${path}` });
      expect(repeat.status).toBeLessThan(300);
      const changed = await postBatch(server, flow.id, body.replace('"stock":0', '"stock":1'), { 'Idempotency-Key': `decode-${path}` });
      expect(changed.status).toBe(422);
    }
  });
});
