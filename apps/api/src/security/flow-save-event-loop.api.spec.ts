import { FLOW_LIMITS, FlowDocumentSchema, type FlowDocumentInput, type FlowDto } from '@sluice/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { largeFlow } from '../flows/large-flow.testing.js';
import { measureBlocks } from '../metrics/event-loop.testing.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';

/** No block may pass this on the reference machine; each measurement scales it to this machine's speed (measureBlocks). */
const LIMIT_MS = 100;

/** Polls /api/health until stopped; counts the answers that arrived while `inFlight` was set. */
function healthPoller(server: ServerProcess) {
  const statuses: number[] = [];
  let during = 0;
  let inFlight = false;
  let running = true;
  const done = (async () => {
    while (running) {
      const res = await fetch(`${server.url}/api/health`);
      statuses.push(res.status);
      if (inFlight) during++;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    statuses,
    /** Runs `request`, answering how many health answers arrived while it was in flight. */
    async around<T>(request: () => Promise<T>): Promise<{ value: T; answered: number }> {
      during = 0;
      inFlight = true;
      try {
        return { value: await request(), answered: during };
      } finally {
        inFlight = false;
      }
    },
    stop: async () => {
      running = false;
      await done;
    },
  };
}

/**
 * Saving a flow at FLOW_LIMITS (5000 processors, 10,000 connections) parses, checks, stores and builds its engine;
 * none of it may hold the server's event loop over 100 ms (its own measurement, GET /api/metrics, scaled to the
 * machine by measureBlocks), for a create, an update, a start and stop of the whole flow, and the refusal of a broken
 * document of that size. Health checks keep being answered while each request runs, and the flow reads back as it
 * was saved.
 */
describe('saving a flow at FLOW_LIMITS does not block the event loop', () => {
  let server: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sluice-flow-save-loop-'));
    server = await startServerProcess(dataDir);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const json = async <T>(res: Response, status: number): Promise<T> => {
    const text = await res.text();
    expect(res.status, text.slice(0, 500)).toBe(status);
    return JSON.parse(text) as T;
  };
  const create = (doc: FlowDocumentInput) => server.request('/api/flows', { method: 'POST', json: doc });
  const update = (id: string, version: number, doc: FlowDocumentInput) => server.request(`/api/flows/${id}`, { method: 'PUT', json: { version, document: doc } });
  const edited = (doc: FlowDocumentInput, step: number): FlowDocumentInput => ({
    ...doc,
    description: `edited at step ${step}`,
    processors: doc.processors!.map((p) => (p.id === `p${step}` ? { ...p, properties: { ...p.properties, step: `edited-${step}` } } : p)),
  });

  it('creates, updates, starts and stops a 5000-processor, 10,000-connection flow without a block over 100 ms', { timeout: 240_000 }, async () => {
    // Warm-up: the first run of each route compiles its code; a cold start is not what a request can force again.
    const small = await json<FlowDto>(await create(largeFlow('warm-up', 500, 1000)), 201);
    await json<FlowDto>(await update(small.id, small.version, edited(largeFlow('warm-up', 500, 1000), 3)), 200);
    // The warm-up's last 500 ms window closes before the measurement starts.
    await new Promise((r) => setTimeout(r, 700));

    const doc = largeFlow('at the limits', FLOW_LIMITS.processors, FLOW_LIMITS.connections);
    expect(doc.processors).toHaveLength(FLOW_LIMITS.processors);
    expect(doc.connections).toHaveLength(FLOW_LIMITS.connections);
    const next = edited(doc, 7);
    let saved: FlowDto | undefined;
    const measured = await measureBlocks(server, LIMIT_MS, async () => {
      const health = healthPoller(server);
      const created = await health.around(async () => json<FlowDto>(await create(doc), 201));
      const updated = await health.around(async () => json<FlowDto>(await update(created.value.id, created.value.version, next), 200));
      const started = await health.around(async () => json<{ state: string }>(await server.request(`/api/flows/${created.value.id}/start`, { method: 'POST' }), 200));
      const stopped = await health.around(async () => json<{ state: string }>(await server.request(`/api/flows/${created.value.id}/stop`, { method: 'POST' }), 200));
      // A broken document of that size is refused as clearly as a small one: 400 naming the connection and its field.
      const last = doc.connections!.length - 1;
      const broken = { ...doc, connections: doc.connections!.map((c, i) => (i === last ? { ...c, targetId: 'ghost' } : c)) };
      const refused = await health.around(async () => json<{ message: string; errors: { field: string; message: string }[] }>(await create(broken), 400));
      // The last 500 ms window closes before the figures are read.
      await new Promise((r) => setTimeout(r, 1_200));
      await health.stop();

      expect(created.value.validation).toEqual([]);
      expect(updated.value.version).toBe(created.value.version + 1);
      expect(started.value.state).toBe('running');
      expect(stopped.value.state).toBe('stopped');
      const ghost = `Connection '${doc.connections![last]!.id}' ends at processor 'ghost', which is not in the flow`;
      expect(refused.value.message).toContain(ghost);
      expect(refused.value.errors).toEqual([{ field: `connections.${last}.targetId`, message: ghost }]);
      // /api/health was answered while each of the large requests was being served, and always with 200.
      for (const [what, r] of Object.entries({ create: created, update: updated, start: started, stop: stopped, refusal: refused })) {
        expect(r.answered, `health answers while the ${what} ran`).toBeGreaterThan(0);
      }
      expect(health.statuses.every((s) => s === 200)).toBe(true);
      saved = updated.value;
    });
    expect(measured.after.windows - measured.before.windows).toBeGreaterThan(4);
    expect(measured.over, `${measured.text}; longest block in the last 30 s: ${measured.after.recentBlockMs.toFixed(0)} ms`).toBe(0);

    // The stored flow reads back as saved: the document sent, with the schema's defaults filled in.
    const read = await json<FlowDto>(await server.request(`/api/flows/${saved!.id}`), 200);
    expect(read.version).toBe(saved!.version);
    expect(read.validation).toEqual([]);
    expect(read.document).toEqual(JSON.parse(JSON.stringify(FlowDocumentSchema.parse(next))));
  });
});
