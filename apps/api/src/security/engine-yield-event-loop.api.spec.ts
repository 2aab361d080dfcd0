import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureBlocks } from '../metrics/event-loop.testing.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { waitFor } from './security-support.testing.js';

/** No block may pass this on the reference machine; each measurement scales it to this machine's speed (measureBlocks). */
const LIMIT_MS = 100;
/** Just under the linear engine's input limit (EXPRESSION_LIMITS.maxLinearRegexInput, 32,768). */
const ATTRIBUTE_CHARS = 32_000;
const ONCE = { strategy: 'timer', period: '1 hour', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
const EVERY = { strategy: 'timer', period: '0 sec', concurrentTasks: 1, penaltyDuration: '30 sec', yieldDuration: '1 sec' };
const BATCHED = 300;
const ONE_SESSION = 200;
/** FlowFiles through each of DetectDuplicate (100 per trigger) and Notify (a Signal Buffer Count of 100). */
const CACHED = 300;
/** FlowFiles queued for MergeContent at once, merged in bins of MERGED_BIN. */
const MERGE_QUEUE = 100_000;
const MERGED_BIN = 1000;
/** (a|a)+ could backtrack exponentially: it goes to the linear engine, a few ms per attribute just under its limit. */
const HAZARD = "${big:matches('(a|a)+$')}";

/**
 * Creates the flow, starts `sources` and waits until each input queue holds its count, then starts `workers` while
 * health checks come in and waits until each output queue holds its count; asserts every input was taken, every
 * health check answered, and no 500 ms window of the server's own measurement had a block over 100 ms (scaled to
 * the machine; a run over it is done again once with a new flow, see measureBlocks).
 */
async function measureWhileWorked(
  server: ServerProcess,
  document: unknown,
  stage: { sources: string[]; inputs: Record<string, number>; workers: string[]; outputs: Record<string, number> },
): Promise<void> {
  let flow = { id: '' };
  const count = async (id: string) => ((await (await server.request(`/api/flows/${flow.id}/connections/${id}/queue?limit=1`)).json()) as { count: number }).count;
  const start = (id: string) => server.request(`/api/flows/${flow.id}/processors/${id}/start`, { method: 'POST' });
  const holding = async (queues: Record<string, number>) => {
    for (const [id, n] of Object.entries(queues)) if ((await count(id)) !== n) return false;
    return true;
  };
  const stop = async () => expect((await server.request(`/api/flows/${flow.id}/stop`, { method: 'POST' })).status).toBe(200);
  const prepare = async (run: number) => {
    // A second run's flow has the engine to itself.
    if (run > 1) await stop();
    const created = await server.request('/api/flows', { method: 'POST', json: document });
    expect(created.status).toBe(201);
    flow = (await created.json()) as { id: string };
    for (const id of stage.sources) expect((await start(id)).status).toBe(200);
    await waitFor(() => holding(stage.inputs), 60_000);
    // The sources' windows close before the measurement starts.
    await new Promise((r) => setTimeout(r, 700));
  };
  const measured = await measureBlocks(
    server,
    LIMIT_MS,
    async () => {
      let running = true;
      const statuses: number[] = [];
      const traffic = (async () => {
        while (running) statuses.push((await server.request('/api/health')).status);
      })();
      try {
        for (const id of stage.workers) expect((await start(id)).status).toBe(200);
        await waitFor(() => holding(stage.outputs), 120_000);
        // The last 500 ms window closes.
        await new Promise((r) => setTimeout(r, 1200));
      } finally {
        running = false;
        await traffic;
      }
      for (const id of Object.keys(stage.inputs)) expect(await count(id)).toBe(0);
      expect(statuses.length).toBeGreaterThan(10);
      expect(statuses.every((s) => s === 200)).toBe(true);
    },
    prepare,
  );
  await stop();
  expect(measured.after.windows - measured.before.windows).toBeGreaterThan(2);
  expect(measured.over, measured.text).toBe(0);
}

/**
 * A routing rule with a hazardous pattern runs on the linear-time engine, a few ms per FlowFile whose attribute is
 * just under its input limit. Hundreds of them queued at once, taken one per trigger (RouteOnAttribute's 25 ms run
 * duration, and one with a 2 s run duration: one session for all 200), must not hold the server's event loop over
 * 100 ms (its own measurement, GET /api/metrics) while ordinary requests come in, and every FlowFile is routed.
 */
describe('the engine hands the event loop back between slow triggers', () => {
  let server: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-engine-yield-'));
    server = await startServerProcess(dataDir);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('routes hundreds of FlowFiles through a hazardous pattern without a block over 100 ms', { timeout: 180_000 }, async () => {
    const generator = (id: string, count: number) => ({
      id,
      type: 'GenerateFlowFile',
      name: id,
      properties: { 'Batch Size': String(count), 'File Size': '0B', big: `\${literal('a'):repeat(${ATTRIBUTE_CHARS})}` },
      scheduling: ONCE,
    });
    const route = (id: string, runDuration?: string) => ({
      id,
      type: 'RouteOnAttribute',
      name: id,
      properties: { 'Routing Strategy': 'Route to Property name', hit: HAZARD },
      scheduling: runDuration ? { ...EVERY, runDuration } : EVERY,
      autoTerminated: ['unmatched'],
    });
    await measureWhileWorked(server, {
      name: 'hazardous routing',
      processors: [
        generator('gen-batched', BATCHED),
        generator('gen-session', ONE_SESSION),
        route('route-batched'),
        route('route-session', '2 sec'),
        { id: 'done', type: 'LogAttribute', name: 'Done', properties: {}, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'in-batched', sourceId: 'gen-batched', relationships: ['success'], targetId: 'route-batched' },
        { id: 'in-session', sourceId: 'gen-session', relationships: ['success'], targetId: 'route-session' },
        { id: 'hit-batched', sourceId: 'route-batched', relationships: ['hit'], targetId: 'done' },
        { id: 'hit-session', sourceId: 'route-session', relationships: ['hit'], targetId: 'done' },
      ],
    }, {
      sources: ['gen-batched', 'gen-session'],
      inputs: { 'in-batched': BATCHED, 'in-session': ONE_SESSION },
      workers: ['route-batched', 'route-session'],
      outputs: { 'hit-batched': BATCHED, 'hit-session': ONE_SESSION },
    });
  });
  it('DetectDuplicate and Notify stop taking their batch once the slice is spent: no block over 100 ms', { timeout: 180_000 }, async () => {
    const generator = (id: string) => ({
      id,
      type: 'GenerateFlowFile',
      name: id,
      properties: { 'Batch Size': String(CACHED), 'File Size': '0B', big: `\${literal('a'):repeat(${ATTRIBUTE_CHARS})}` },
      scheduling: ONCE,
    });
    await measureWhileWorked(server, {
      name: 'hazardous batches',
      controllerServices: [{ id: 'cache', type: 'MapCacheClientService', name: 'Cache', properties: {}, enabled: true }],
      processors: [
        generator('gen-dedupe'),
        generator('gen-notify'),
        {
          id: 'dedupe', type: 'DetectDuplicate', name: 'Dedupe', scheduling: EVERY, autoTerminated: ['duplicate', 'failure'],
          properties: { 'Distributed Cache Service': 'cache', 'Cache Entry Identifier': '${uuid}', 'FlowFile Description': HAZARD },
        },
        {
          id: 'notify', type: 'Notify', name: 'Notify', scheduling: EVERY, autoTerminated: ['failure'],
          properties: { 'Distributed Cache Service': 'cache', 'Release Signal Identifier': HAZARD, 'Signal Buffer Count': '100' },
        },
        { id: 'done', type: 'LogAttribute', name: 'Done', properties: {}, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'in-dedupe', sourceId: 'gen-dedupe', relationships: ['success'], targetId: 'dedupe' },
        { id: 'in-notify', sourceId: 'gen-notify', relationships: ['success'], targetId: 'notify' },
        { id: 'unique', sourceId: 'dedupe', relationships: ['non-duplicate'], targetId: 'done' },
        { id: 'notified', sourceId: 'notify', relationships: ['success'], targetId: 'done' },
      ],
    }, {
      sources: ['gen-dedupe', 'gen-notify'],
      inputs: { 'in-dedupe': CACHED, 'in-notify': CACHED },
      workers: ['dedupe', 'notify'],
      outputs: { unique: CACHED, notified: CACHED },
    });
  });

  it('MergeContent works through a queue of 100,000 FlowFiles without a block over 100 ms', { timeout: 300_000 }, async () => {
    await measureWhileWorked(server, {
      name: 'large merge queue',
      processors: [
        {
          id: 'gen-merge', type: 'GenerateFlowFile', name: 'Generate', scheduling: ONCE,
          properties: { 'Batch Size': String(MERGE_QUEUE), 'Data Format': 'Text', 'Custom Text': 'row' },
        },
        {
          id: 'merge', type: 'MergeContent', name: 'Merge', scheduling: EVERY, autoTerminated: ['original', 'failure'],
          properties: { 'Minimum Number of Entries': String(MERGED_BIN), 'Maximum Number of Entries': String(MERGED_BIN), 'Delimiter Strategy': 'Text', Demarcator: ',' },
        },
        { id: 'done', type: 'LogAttribute', name: 'Done', properties: {}, autoTerminated: ['success'] },
      ],
      connections: [
        { id: 'to-merge', sourceId: 'gen-merge', relationships: ['success'], targetId: 'merge', backPressureObjectThreshold: MERGE_QUEUE * 2 },
        { id: 'bundles', sourceId: 'merge', relationships: ['merged'], targetId: 'done' },
      ],
    }, {
      sources: ['gen-merge'],
      inputs: { 'to-merge': MERGE_QUEUE },
      workers: ['merge'],
      outputs: { bundles: MERGE_QUEUE / MERGED_BIN },
    });
  });
});
