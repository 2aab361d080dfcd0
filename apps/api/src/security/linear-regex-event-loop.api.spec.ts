import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventLoopFigures } from '../metrics/event-loop.testing.js';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { json, waitFor } from './security-support.testing.js';

/** The limit no flow may hold the event loop for. */
const LIMIT_S = 0.1;
const ONCE = { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };

interface Queue {
  count: number;
  flowFiles: { attributes: Record<string, string>; size?: number }[];
}

/**
 * A pattern that could backtrack exponentially runs on the linear-time engine, which is slow on large inputs:
 * ReplaceText with one over 1 MB of content must not hold the server's event loop (its own measurement, GET
 * /api/metrics, as in event-loop.api.spec.ts) while ordinary requests come in. The large FlowFile goes to failure
 * with the reason; a small one through the same step is replaced as on any pattern.
 */
describe('a hazardous pattern over a large content does not block the event loop', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('sends 1 MB to failure naming the limit and replaces a small content, without a block over 100 ms', { timeout: 90_000 }, async () => {
    const flow = await json<{ id: string }>(
      await api.request('/api/flows', {
        method: 'POST',
        json: {
          name: 'hazardous replace',
          processors: [
            // 1 MB of short words, each a match of its own: the linear engine's slowest case.
            { id: 'large', type: 'GenerateFlowFile', name: 'Large', properties: { 'Custom Text': "${literal('ab1,'):repeat(262144)}" }, scheduling: ONCE },
            { id: 'small', type: 'GenerateFlowFile', name: 'Small', properties: { 'Custom Text': 'ab cd!' }, scheduling: ONCE },
            {
              id: 'replace',
              type: 'ReplaceText',
              name: 'Replace',
              properties: { 'Evaluation Mode': 'Entire text', 'Search Value': '(\\w+\\s?)+', 'Replacement Value': '<$1>' },
            },
            { id: 'done', type: 'LogAttribute', name: 'Done', properties: {}, autoTerminated: ['success'] },
          ],
          connections: [
            { id: 'in', sourceId: 'large', relationships: ['success'], targetId: 'replace' },
            { id: 'in-small', sourceId: 'small', relationships: ['success'], targetId: 'replace' },
            { id: 'replaced', sourceId: 'replace', relationships: ['success'], targetId: 'done' },
            { id: 'failed', sourceId: 'replace', relationships: ['failure'], targetId: 'done' },
          ],
        },
      }),
    );
    const queue = async (id: string) => json<Queue>(await api.request(`/api/flows/${flow.id}/connections/${id}/queue`));
    const start = (id: string) => api.request(`/api/flows/${flow.id}/processors/${id}/start`, { method: 'POST' });
    expect((await start('large')).status).toBe(200);
    expect((await start('small')).status).toBe(200);
    await waitFor(async () => (await queue('in')).count === 1 && (await queue('in-small')).count === 1, 30_000);

    const before = await eventLoopFigures(api.url, api.token);
    let running = true;
    const statuses: number[] = [];
    const traffic = (async () => {
      while (running) statuses.push((await api.request('/api/health')).status);
    })();
    try {
      expect((await start('replace')).status).toBe(200);
      await waitFor(async () => (await queue('failed')).count + (await queue('replaced')).count === 2, 60_000);
      // The last 500 ms window closes.
      await new Promise((r) => setTimeout(r, 1200));
    } finally {
      running = false;
      await traffic;
    }
    const after = await eventLoopFigures(api.url, api.token);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(after.windows - before.windows).toBeGreaterThan(1);
    expect(after.blocksOver(LIMIT_S) - before.blocksOver(LIMIT_S), `longest block in the last 30 s: ${after.recentBlockMs.toFixed(0)} ms`).toBe(0);

    const failed = await queue('failed');
    expect(failed.count).toBe(1);
    const replaced = await queue('replaced');
    expect(replaced.count).toBe(1);
    const uuid = replaced.flowFiles[0]!.attributes['uuid']!;
    const content = await api.request(`/api/flows/${flow.id}/connections/replaced/queue/${uuid}/content`);
    expect(content.status).toBe(200);
    expect((await json<{ content: string }>(content)).content).toBe('<cd>!');
    const bulletins = await json<{ processorId: string | null; message: string }[] | { bulletins: { processorId: string | null; message: string }[] }>(
      await api.request(`/api/flows/${flow.id}/bulletins`),
    );
    const list = Array.isArray(bulletins) ? bulletins : bulletins.bulletins;
    expect(list.map((b) => b.message).join('\n')).toContain('runs on the linear-time engine, which takes at most 32768 characters of input (this one has 1048576)');
    await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
  });
});
