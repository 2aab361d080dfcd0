/**
 * Saving large flows: the time a create and an update take and the server's worst event-loop block meanwhile (its
 * own measurement, GET /api/metrics, as the bucket bound of the worst 500 ms window) for 500 processors / 1000
 * connections and 5000 / 10,000 (FLOW_LIMITS), against a three-step flow's save in the same run. No save may hold
 * the loop 100 ms. The built server runs as a child process, as the API specs start it.
 * Run after building apps/api: sh bench/run.sh bench/flow-save.bench.ts
 */
import type { FlowDocumentInput } from '@sluice/contracts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { largeFlow } from '../src/flows/large-flow.testing.js';
import { eventLoopFigures, worstBlockBetween } from '../src/metrics/event-loop.testing.js';
import { startServerProcess } from '../src/testing/server-process.js';

const ROUNDS = Number(process.env['FLOW_SAVE_ROUNDS'] ?? 3);
const SIZES = [
  { name: 'tiny', processors: 3, connections: 2 },
  { name: '500', processors: 500, connections: 1000 },
  { name: '5000', processors: 5000, connections: 10_000 },
] as const;

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-flow-save-'));
const server = await startServerProcess(dataDir);
try {
  const call = async (path: string, method: string, json: unknown): Promise<{ id: string; version: number }> => {
    const res = await server.request(path, { method, json });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as { id: string; version: number };
  };
  const edited = (doc: FlowDocumentInput, round: number): FlowDocumentInput => ({
    ...doc,
    description: `round ${round}`,
    processors: doc.processors!.map((p, i) => (i === 1 ? { ...p, properties: { ...p.properties, step: `edited-${round}` } } : p)),
  });
  const windowCloses = () => new Promise((r) => setTimeout(r, 700));
  const measure = async (size: (typeof SIZES)[number]) => {
    const doc = largeFlow(`bench ${size.name}`, size.processors, size.connections);
    const saves: number[] = [];
    let worst = 0;
    for (let round = 0; round < ROUNDS; round++) {
      await windowCloses();
      const before = await eventLoopFigures(server.url, server.token);
      const t = performance.now();
      const created = await call('/api/flows', 'POST', doc);
      await call(`/api/flows/${created.id}`, 'PUT', { version: created.version, document: edited(doc, round) });
      saves.push(performance.now() - t);
      await windowCloses();
      worst = Math.max(worst, worstBlockBetween(before, await eventLoopFigures(server.url, server.token)));
      const gone = await server.request(`/api/flows/${created.id}`, { method: 'DELETE' });
      if (gone.status !== 204) throw new Error(`delete answered ${gone.status}`);
    }
    saves.sort((a, b) => a - b);
    return { median: saves[Math.floor(saves.length / 2)]!, worst };
  };
  // Warm-up: each route's first run compiles its code.
  await measure(SIZES[1]);
  const figures = new Map<string, { median: number; worst: number }>();
  for (const size of SIZES) {
    const f = await measure(size);
    figures.set(size.name, f);
    console.log(`${size.name.padEnd(5)} (${size.processors} processors, ${size.connections} connections): create + update ${f.median.toFixed(0)} ms (median of ${ROUNDS}), worst block ≤ ${f.worst} ms`);
  }
  const tiny = figures.get('tiny')!;
  for (const name of ['500', '5000']) {
    const f = figures.get(name)!;
    console.log(`ratio flow-save-${name}-vs-tiny: ${(f.median / tiny.median).toFixed(1)}`);
    console.log(`ratio flow-save-${name}-worst-block-vs-tiny: ${(f.worst / tiny.worst).toFixed(1)}`);
    console.log(`flow-save-${name} worst block ${f.worst <= 100 ? 'within' : 'OVER'} the 100 ms limit`);
  }
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
