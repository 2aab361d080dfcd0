import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { testDatabase } from '../testing/test-database.js';

const FIRST = 600;
const BUNDLE = 1000;
const call = (s: ServerProcess, path: string, init: { method?: string; json?: unknown } = {}) => s.request(path, init);

async function counts(s: ServerProcess, flowId: string): Promise<Map<string, number>> {
  const body = (await (await call(s, `/api/flows/${flowId}/status`)).json()) as { connections: { id: string; count: number }[] };
  return new Map(body.connections.map((c) => [c.id, c.count]));
}

/**
 * Rows split from an outbound batch wait in MergeContent's incoming queue for a 1000-row bin. The server is killed with
 * SIGKILL while the bin is short and restarted on the same data: every waiting row is still queued, and once the rest
 * arrive the bundle holds each row exactly once.
 */
const flow = {
  name: 'merge across kill -9',
  integration: { kind: 'generic', direction: 'outbound', entryProcessorId: 'split' },
  processors: [
    { id: 'split', type: 'SplitJson', name: 'Split', properties: { 'JsonPath Expression': '$.*' }, autoTerminated: ['original', 'failure'] },
    {
      id: 'merge', type: 'MergeContent', name: 'Merge', autoTerminated: ['original', 'failure'],
      properties: { 'Minimum Number of Entries': String(BUNDLE), 'Maximum Number of Entries': String(BUNDLE), 'Delimiter Strategy': 'Text', Header: '[', Demarcator: ',', Footer: ']' },
      scheduling: { strategy: 'timer', period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '100 millis' },
    },
    {
      id: 'end', type: 'LogAttribute', name: 'End (never runs)', properties: {}, autoTerminated: ['success'],
      scheduling: { strategy: 'cron', period: '0 0 0 1 1 ? 2099', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' },
    },
  ],
  connections: [
    { id: 'to-merge', sourceId: 'split', relationships: ['split'], targetId: 'merge' },
    { id: 'to-end', sourceId: 'merge', relationships: ['merged'], targetId: 'end' },
  ],
};

describe('MergeContent across kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-merge-kill-'));
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.kill();
    await (await testDatabase(dataDir)).drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a short bin queued through SIGKILL and merges every row exactly once after the restart', async () => {
    const first = await startServerProcess(dataDir);
    servers.push(first);
    const created = await call(first, '/api/flows', { method: 'POST', json: flow });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await call(first, `/api/flows/${id}/start`, { method: 'POST' })).status).toBe(200);
    expect((await call(first, `/api/outbound/${id}`, { method: 'POST', json: Array.from({ length: FIRST }, (_, i) => ({ row: i })) })).status).toBe(202);
    const deadline = Date.now() + 30_000;
    while ((await counts(first, id)).get('to-merge') !== FIRST) {
      if (Date.now() > deadline) throw new Error(`rows did not reach the merge: ${JSON.stringify([...(await counts(first, id))])}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Let MergeContent look at the short bin a few times before the kill.
    await new Promise((r) => setTimeout(r, 500));
    expect((await counts(first, id)).get('to-end') ?? 0).toBe(0);
    await first.kill();

    const second = await startServerProcess(dataDir);
    servers.push(second);
    const recovered = await counts(second, id);
    expect(recovered.get('to-merge')).toBe(FIRST);
    expect(recovered.get('to-end') ?? 0).toBe(0);

    const rest = Array.from({ length: BUNDLE - FIRST }, (_, i) => ({ row: FIRST + i }));
    expect((await call(second, `/api/outbound/${id}`, { method: 'POST', json: rest })).status).toBe(202);
    const end = Date.now() + 30_000;
    while ((await counts(second, id)).get('to-end') !== 1) {
      if (Date.now() > end) throw new Error(`no bundle: ${JSON.stringify([...(await counts(second, id))])}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await counts(second, id)).get('to-merge')).toBe(0);
    const listing = (await (await call(second, `/api/flows/${id}/connections/to-end/queue`)).json()) as { flowFiles: { uuid: string; attributes: Record<string, string> }[] };
    const bundle = listing.flowFiles[0]!;
    expect(bundle.attributes['merge.count']).toBe(String(BUNDLE));
    const { content } = (await (await call(second, `/api/flows/${id}/connections/to-end/queue/${bundle.uuid}/content`)).json()) as { content: string };
    const rows = (JSON.parse(content) as { row: number }[]).map((r) => r.row).sort((a, b) => a - b);
    expect(rows).toEqual(Array.from({ length: BUNDLE }, (_, i) => i));
    await second.stop();
  });
});
