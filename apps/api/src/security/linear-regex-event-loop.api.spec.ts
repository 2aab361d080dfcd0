import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureBlocks } from '../metrics/event-loop.testing.js';
import { type StartedApi, startApi } from '../testing/start-api.js';
import { json, waitFor } from './security-support.testing.js';

/** No block may pass this on the reference machine; each measurement scales it to this machine's speed (measureBlocks). */
const LIMIT_MS = 100;
const ONCE = { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
/** 1 MB of short words, each a match of its own: the linear engine's slowest case (some 0.4 s for a replace). */
const LARGE = { id: 'large', type: 'GenerateFlowFile', name: 'Large', properties: { 'Custom Text': "${literal('ab1,'):repeat(262144)}" }, scheduling: ONCE };
const SMALL = { id: 'small', type: 'GenerateFlowFile', name: 'Small', properties: { 'Custom Text': 'ab cd!' }, scheduling: ONCE };
/** Could backtrack exponentially, so it runs on the linear-time engine. */
const REPLACE = {
  id: 'replace',
  type: 'ReplaceText',
  name: 'Replace',
  properties: { 'Evaluation Mode': 'Entire text', 'Search Value': '(\\w+\\s?)+', 'Replacement Value': '<$1>' },
};
const DONE = { id: 'done', type: 'LogAttribute', name: 'Done', properties: {}, autoTerminated: ['success'] };

interface Queue {
  count: number;
  flowFiles: { attributes: Record<string, string>; size?: number }[];
}

async function createFlow(api: StartedApi, body: object) {
  const flow = await json<{ id: string }>(await api.request('/api/flows', { method: 'POST', json: body }));
  const queue = async (id: string) => json<Queue>(await api.request(`/api/flows/${flow.id}/connections/${id}/queue`));
  const start = async (id: string) => expect((await api.request(`/api/flows/${flow.id}/processors/${id}/start`, { method: 'POST' })).status).toBe(200);
  const content = async (connection: string, index = 0) => {
    const uuid = (await queue(connection)).flowFiles[index]!.attributes['uuid']!;
    return (await json<{ content: string }>(await api.request(`/api/flows/${flow.id}/connections/${connection}/queue/${uuid}/content`))).content;
  };
  return { id: flow.id, queue, start, content };
}

/**
 * Runs `work` while /api/health is asked again and again, and checks that every answer was 200 and that the server's
 * own event-loop measurement (GET /api/metrics, as in event-loop.api.spec.ts) saw no block over LIMIT_MS, scaled.
 */
async function withoutBlocks(api: StartedApi, work: () => Promise<void>): Promise<void> {
  const statuses: number[] = [];
  const measured = await measureBlocks(
    api,
    LIMIT_MS,
    async () => {
      let running = true;
      const traffic = (async () => {
        while (running) statuses.push((await api.request('/api/health')).status);
      })();
      try {
        await work();
        // The last 500 ms window closes.
        await new Promise((r) => setTimeout(r, 1200));
      } finally {
        running = false;
        await traffic;
      }
    },
    undefined,
    1,
  );
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.every((s) => s === 200)).toBe(true);
  expect(measured.after.windows - measured.before.windows).toBeGreaterThan(1);
  expect(measured.over, `${measured.text}; longest block in the last 30 s: ${measured.after.recentBlockMs.toFixed(0)} ms`).toBe(0);
}

/**
 * A pattern that could backtrack exponentially runs on the linear-time engine, which is slow on large inputs: over
 * more than its in-thread limit, ReplaceText and ExtractText run it in a worker thread with a deadline, so 1 MB of
 * content is matched as Java would without holding the server's event loop, and a job past its deadline is stopped
 * and fails its FlowFile alone.
 */
describe('a hazardous pattern over a large content runs off the event loop', () => {
  let api: StartedApi;
  beforeAll(async () => {
    api = await startApi({ web: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('replaces and extracts over 1 MB as Java would, without a block over 100 ms', { timeout: 90_000 }, async () => {
    const flow = await createFlow(api, {
      name: 'hazardous replace',
      processors: [
        LARGE,
        SMALL,
        REPLACE,
        { id: 'extract', type: 'ExtractText', name: 'Extract', properties: { words: '(\\w+\\s?)+,$' } },
        DONE,
      ],
      connections: [
        { id: 'in', sourceId: 'large', relationships: ['success'], targetId: 'replace' },
        { id: 'in-extract', sourceId: 'large', relationships: ['success'], targetId: 'extract' },
        { id: 'in-small', sourceId: 'small', relationships: ['success'], targetId: 'replace' },
        { id: 'replaced', sourceId: 'replace', relationships: ['success'], targetId: 'done' },
        { id: 'failed', sourceId: 'replace', relationships: ['failure'], targetId: 'done' },
        { id: 'extracted', sourceId: 'extract', relationships: ['matched', 'unmatched'], targetId: 'done' },
      ],
    });
    await flow.start('large');
    await flow.start('small');
    await waitFor(async () => (await flow.queue('in')).count === 1 && (await flow.queue('in-small')).count === 1 && (await flow.queue('in-extract')).count === 1, 30_000);

    await withoutBlocks(api, async () => {
      await flow.start('replace');
      await flow.start('extract');
      await waitFor(async () => (await flow.queue('replaced')).count === 2 && (await flow.queue('extracted')).count === 1, 60_000);
    });

    expect((await flow.queue('failed')).count).toBe(0);
    const replaced = (await flow.queue('replaced')).flowFiles.map((f) => f.size);
    const large = replaced.findIndex((size) => size !== 5);
    expect(await flow.content('replaced', large)).toBe('<ab1>,'.repeat(262144));
    expect(await flow.content('replaced', 1 - large)).toBe('<cd>!');
    expect((await flow.queue('extracted')).flowFiles[0]!.attributes).toMatchObject({ words: 'ab1', 'words.0': 'ab1,' });
    // The step test runs in the test panes' worker, whose own deadline lets it run the job there.
    const tested = await api.request(`/api/flows/${flow.id}/processors/replace/test`, { method: 'POST', json: { content: 'ab1,'.repeat(10_000) } });
    expect(tested.status).toBe(200);
    const test = (await tested.json()) as { outputs: { relationship: string; content: string }[] };
    expect(test.outputs).toEqual([expect.objectContaining({ relationship: 'success', content: '<ab1>,'.repeat(10_000) })]);
    await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
  });
});

describe('a regex job past its deadline', () => {
  let api: StartedApi;
  beforeAll(async () => {
    // Ample for 32 800 characters in a fresh worker (some 0.2 s), far too short for 4 MB (some 4 s).
    api = await startApi({ web: false, env: { SLUICE_REGEX_TIMEOUT: '1 sec' } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is stopped and fails its FlowFile alone with a message naming the limit, while the server answers', { timeout: 90_000 }, async () => {
    const words = "${literal('ab1,'):repeat(262144)}";
    const huge = { ...LARGE, properties: { 'Custom Text': words.repeat(4) } };
    const medium = { id: 'medium', type: 'GenerateFlowFile', name: 'Medium', properties: { 'Custom Text': "${literal('ab1,'):repeat(8200)}" }, scheduling: ONCE };
    const flow = await createFlow(api, {
      name: 'regex deadline',
      processors: [huge, medium, SMALL, { ...REPLACE, properties: { ...REPLACE.properties, 'Maximum Buffer Size': '8 MB' } }, DONE],
      connections: [
        { id: 'in', sourceId: 'large', relationships: ['success'], targetId: 'replace' },
        { id: 'in-medium', sourceId: 'medium', relationships: ['success'], targetId: 'replace' },
        { id: 'in-small', sourceId: 'small', relationships: ['success'], targetId: 'replace' },
        { id: 'replaced', sourceId: 'replace', relationships: ['success'], targetId: 'done' },
        { id: 'failed', sourceId: 'replace', relationships: ['failure'], targetId: 'done' },
      ],
    });
    for (const id of ['large', 'small']) await flow.start(id);
    await waitFor(async () => (await flow.queue('in')).count + (await flow.queue('in-small')).count === 2, 30_000);

    await withoutBlocks(api, async () => {
      await flow.start('replace');
      await waitFor(async () => (await flow.queue('failed')).count === 1 && (await flow.queue('replaced')).count === 1, 60_000);
      // The worker that was stopped is replaced: a job after it still runs.
      await flow.start('medium');
      await waitFor(async () => (await flow.queue('replaced')).count === 2, 30_000);
    });

    const failed = await flow.queue('failed');
    expect(failed.flowFiles.map((f) => f.size)).toEqual([4 * 1048576]);
    expect(await flow.content('failed')).toBe('ab1,'.repeat(4 * 262144));
    expect((await flow.queue('replaced')).flowFiles.map((f) => f.size).sort((a, b) => a! - b!)).toEqual([5, 8200 * 6]);
    const bulletins = await json<{ message: string }[] | { bulletins: { message: string }[] }>(await api.request(`/api/flows/${flow.id}/bulletins`));
    const list = Array.isArray(bulletins) ? bulletins : bulletins.bulletins;
    expect(list.map((b) => b.message).join('\n')).toContain(
      `regular expression '(\\w+\\s?)+' over ${4 * 1048576} characters ran past its time limit of 1000 ms (SLUICE_REGEX_TIMEOUT) and was stopped`,
    );
    expect((await api.request('/api/health')).status).toBe(200);
    await api.request(`/api/flows/${flow.id}/stop`, { method: 'POST' });
  });
});
