/**
 * Outbound Stock Flow: one 5000-row batch from the POST to the last bulk_upsert the Omnitron simulator
 * acknowledged, with a Jolt mapping step renaming the ERP's fields, against a minimal hand-written Node
 * pipeline making the same HTTP calls (login, 1000-row bulk upserts) with the same renaming. Then 5
 * concurrent batches: rows/s and the peak RSS of this process (server, simulator and bench together).
 * Run after building apps/api: sh bench/run.sh bench/outbound.bench.ts
 */
import type { ExecutionDto, FlowDto } from '@sluice/contracts';
import { startOmnitronSim } from '@sluice/omnitron-sim';
// The built server: Nest's dependency injection needs the decorator metadata tsc emits (tsx does not).
import { startApi } from '../dist/testing/start-api.js';

const ROWS = 5000;
const CHUNK = 1000;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const CONCURRENT = 5;

/** The ERP's own field names; the mapping renames them to Omnitron's. */
const erpBatch = (round: number) =>
  Array.from({ length: ROWS }, (_, i) => ({ code: `SKU-${String(i + 1).padStart(6, '0')}`, quantity: (i + round) % 90, warehouse: '1', unit: 'qty' }));
const MAPPING = JSON.stringify([
  { operation: 'shift', spec: { '*': { code: '[&1].product_sku', quantity: '[&1].stock', warehouse: '[&1].stock_list', unit: '[&1].unit_type' } } },
]);

const omnitron = await startOmnitronSim({ generatedProducts: ROWS, requestLogLimit: 100 });
const api = await startApi({ web: false, env: { SLUICE_LOG_LEVEL: 'error' } });

const json = async <T>(res: Response): Promise<T> => {
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

// The outbound Stock template with a mapping step between login and write.
let flow = await json<FlowDto>(
  await api.request('/api/flows/from-template', {
    method: 'POST',
    json: { templateId: 'stock-outbound', name: 'bench outbound', parameters: { 'omnitron.url': omnitron.url, 'omnitron.username': 'integrator', 'omnitron.password': 'integrator-pass' } },
  }),
);
const doc = structuredClone(flow.document);
const write = doc.processors.find((p) => p.id === 'write')!;
write.properties['Batch Size'] = String(CHUNK);
doc.processors.push({ ...write, id: 'mapping', type: 'JoltTransformJSON', name: 'Mapping', properties: { 'Jolt Specification': MAPPING }, autoTerminated: ['failure'] });
doc.connections = [
  { id: 'login-to-mapping', sourceId: 'login', relationships: ['success'], targetId: 'mapping' },
  { id: 'mapping-to-write', sourceId: 'mapping', relationships: ['success'], targetId: 'write' },
];
flow = await json<FlowDto>(await api.request(`/api/flows/${flow.id}`, { method: 'PUT', json: { version: flow.version, document: doc } }));
if (flow.validation.length > 0) throw new Error(JSON.stringify(flow.validation));
await json(await api.request(`/api/flows/${flow.id}/start`, { method: 'POST' }));

const received = () => omnitron.state.counters.stockRowsReceived;

/** Resolves when the simulator has acknowledged `target` rows in total. */
async function acknowledged(target: number): Promise<void> {
  while (received() < target) await new Promise((r) => setImmediate(r));
}

async function sluiceBatch(round: number): Promise<number> {
  const body = JSON.stringify(erpBatch(round));
  const target = received() + ROWS;
  const t0 = performance.now();
  const res = await api.request(`/api/outbound/${flow.id}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const { executionId } = await json<{ executionId: string }>(res);
  await acknowledged(target);
  const ms = performance.now() - t0;
  await finished(executionId);
  return ms;
}

async function finished(executionId: string): Promise<ExecutionDto> {
  for (;;) {
    const e = await json<ExecutionDto>(await api.request(`/api/executions/${executionId}`));
    if (e.state === 'finished') {
      if (e.status !== 'success' || e.counts.written !== ROWS) throw new Error(`execution ${executionId}: ${JSON.stringify(e)}`);
      return e;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** What a developer would write by hand: parse, rename, log in, post 1000-row chunks in order. */
async function handWritten(round: number): Promise<number> {
  const body = JSON.stringify(erpBatch(round));
  const t0 = performance.now();
  const rows = (JSON.parse(body) as { code: string; quantity: number; warehouse: string; unit: string }[]).map((r) => ({
    product_sku: r.code,
    stock: r.quantity,
    stock_list: r.warehouse,
    unit_type: r.unit,
  }));
  const login = await json<{ key: string }>(
    await fetch(`${omnitron.url}/api/v1/auth/login/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'integrator', password: 'integrator-pass' }) }),
  );
  const batchId = crypto.randomUUID();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK).map((r) => ({ ...r, batch_id: batchId }));
    await json(
      await fetch(`${omnitron.url}/api/i1/product_stock/bulk_upsert/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Token ${login.key}` },
        body: JSON.stringify(chunk),
      }),
    );
  }
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Warm both paths (JIT, connection pools, the compiled Jolt spec).
await sluiceBatch(-1);
await handWritten(-1);
const sluice: number[] = [];
const baseline: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Interleaved, so machine noise hits both alike.
  baseline.push(await handWritten(round));
  sluice.push(await sluiceBatch(round));
}
const s = median(sluice);
const b = median(baseline);
console.log(`outbound ${ROWS} rows, POST to last bulk_upsert ack: Sluice ${s.toFixed(0)} ms, hand-written ${b.toFixed(0)} ms (median of ${ROUNDS})`);
console.log(`ratio integrator.outbound-${ROWS}-vs-hand-written: ${(s / b).toFixed(2)} (goal <= 1.5)`);

// Five batches at once: the most a flow runs concurrently by default.
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const target = received() + CONCURRENT * ROWS;
const t0 = performance.now();
const ids = await Promise.all(
  Array.from({ length: CONCURRENT }, async (_, i) => {
    const res = await api.request(`/api/outbound/${flow.id}`, { method: 'POST', body: JSON.stringify(erpBatch(100 + i)), headers: { 'content-type': 'application/json' } });
    return (await json<{ executionId: string }>(res)).executionId;
  }),
);
await acknowledged(target);
const concurrentMs = performance.now() - t0;
for (const id of ids) await finished(id);
clearInterval(sampler);
const rowsPerSec = (CONCURRENT * ROWS) / (concurrentMs / 1000);
const baselineRowsPerSec = ROWS / (b / 1000);
console.log(`${CONCURRENT} concurrent ${ROWS}-row batches: ${rowsPerSec.toFixed(0)} rows/s in ${concurrentMs.toFixed(0)} ms; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (goal < 400 MB)`);
console.log(`ratio integrator.concurrent-rows-per-sec-vs-hand-written-serial: ${(rowsPerSec / baselineRowsPerSec).toFixed(2)}`);

await api.close();
await omnitron.close();
