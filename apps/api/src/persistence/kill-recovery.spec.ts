import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_MAIN, startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { testDatabase } from '../testing/test-database.js';

const ROWS = 600;
type Server = ServerProcess;
const call = (s: Server, path: string, init: { method?: string; json?: unknown } = {}) => s.request(path, init);

interface Status {
  connections: { id: string; count: number }[];
}

async function status(s: Server, flowId: string): Promise<Map<string, number>> {
  const body = (await (await call(s, `/api/flows/${flowId}/status`)).json()) as Status;
  return new Map(body.connections.map((c) => [c.id, c.count]));
}

/**
 * An outbound batch is split into ROWS FlowFiles that crawl through a slow step into a queue nobody drains (its
 * consumer only runs on a cron date far away). The server is killed with SIGKILL mid-run and restarted on the same
 * data directory: the end queue must then hold every row exactly once.
 */
const flow = {
  name: 'kill -9 recovery',
  integration: { kind: 'generic', direction: 'outbound', entryProcessorId: 'split' },
  processors: [
    { id: 'split', type: 'SplitJson', name: 'Split', properties: { 'JsonPath Expression': '$.*' }, autoTerminated: ['original', 'failure'] },
    {
      id: 'slow',
      type: 'LogAttribute',
      name: 'Slow step',
      properties: {},
      // One FlowFile per 10 ms task (no batching), so the kill lands with rows on both sides of this step.
      scheduling: { strategy: 'timer', period: '10 ms', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec', runDuration: '0 ms' },
    },
    {
      id: 'end',
      type: 'LogAttribute',
      name: 'End (never runs)',
      properties: {},
      autoTerminated: ['success'],
      scheduling: { strategy: 'cron', period: '0 0 0 1 1 ? 2099', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' },
    },
  ],
  connections: [
    { id: 'to-slow', sourceId: 'split', relationships: ['split'], targetId: 'slow' },
    { id: 'to-end', sourceId: 'slow', relationships: ['success'], targetId: 'end' },
  ],
};

describe('durability across kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-kill-'));
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await (await testDatabase(dataDir)).drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has the built server to run', () => {
    expect(existsSync(SERVER_MAIN), 'apps/api must be built (nx test depends on build)').toBe(true);
  });

  it('brings back every queued and in-flight FlowFile exactly once after SIGKILL', async () => {
    const first = await startServerProcess(dataDir);
    servers.push(first);
    const created = await call(first, '/api/flows', { method: 'POST', json: flow });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await call(first, `/api/flows/${id}/start`, { method: 'POST' })).status).toBe(200);

    const rows = Array.from({ length: ROWS }, (_, i) => ({ row: i }));
    const posted = await call(first, `/api/outbound/${id}`, { method: 'POST', json: rows });
    expect(posted.status).toBe(202);

    // Kill while rows are spread over both queues: some done with the slow step, some not yet.
    let atKill = new Map<string, number>();
    for (;;) {
      atKill = await status(first, id);
      const done = atKill.get('to-end') ?? 0;
      if (done > 20) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await first.kill();
    expect(atKill.get('to-end')!).toBeLessThan(ROWS);

    const second = await startServerProcess(dataDir);
    servers.push(second);
    const recovered = await status(second, id);
    // Everything committed before the kill is back (the slow step may have committed a few more after the last poll).
    expect((recovered.get('to-end') ?? 0) + (recovered.get('to-slow') ?? 0)).toBe(ROWS);
    expect(recovered.get('to-end')!).toBeGreaterThanOrEqual(atKill.get('to-end')!);

    const deadline = Date.now() + 60_000;
    while ((await status(second, id)).get('to-end') !== ROWS) {
      if (Date.now() > deadline) throw new Error(`rows did not all arrive: ${JSON.stringify([...(await status(second, id))])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const listing = (await (await call(second, `/api/flows/${id}/connections/to-end/queue?limit=1000`)).json()) as {
      count: number;
      flowFiles: { uuid: string; attributes: Record<string, string> }[];
    };
    expect(listing.count).toBe(ROWS);
    const indexes = listing.flowFiles.map((f) => Number(f.attributes['fragment.index']));
    expect(new Set(indexes).size).toBe(ROWS);
    expect(new Set(listing.flowFiles.map((f) => f.uuid)).size).toBe(ROWS);
    expect(Math.min(...indexes)).toBe(0);
    expect(Math.max(...indexes)).toBe(ROWS - 1);
    expect((await status(second, id)).get('to-slow')).toBe(0);

    await second.stop();
  });
});
