/**
 * Throughput of Read Data From ERP → Write Stock to Omnitron on a 5000-row batch against the simulators,
 * as a ratio to the same HTTP calls made directly with fetch, the two in alternating rounds of one run.
 * Run (in libs/processors): npx tsx --conditions=sluice-source bench/integrator-stock-flow.bench.ts
 */
import { startErpSim } from '@sluice/erp-sim';
import { startOmnitronSim } from '@sluice/omnitron-sim';
import { ReadErpData } from '../src/read-erp-data/read-erp-data.processor.js';
import { WriteOmnitronStock } from '../src/write-omnitron-stock/write-omnitron-stock.processor.js';
import { TestRunner } from '@sluice/flow-testing';
import { FetchHttpClient, integratorServices } from '../src/integrator-shared/integrator-services.testing.js';

const ROWS = 5000;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);
const PAGE = 1000;

const erp = await startErpSim({ generatedRows: ROWS, auth: 'none' });
const omni = await startOmnitronSim({ generatedProducts: ROWS });
const token = omni.issueToken();

async function direct(): Promise<number> {
  const rows: { sku: string; stock: number; stock_list: string; unit_type: string }[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = (await (await fetch(`${erp.url}/api/stock?limit=${PAGE}&offset=${offset}`)).json()) as typeof rows;
    rows.push(...page);
    if (page.length < PAGE) break;
  }
  for (let i = 0; i < rows.length; i += PAGE) {
    const chunk = rows.slice(i, i + PAGE).map((r) => ({ stock_list: r.stock_list, unit_type: r.unit_type, product_sku: r.sku, stock: r.stock, batch_id: 'b' }));
    const res = await fetch(`${omni.url}/api/i1/product_stock/bulk_upsert/`, {
      method: 'POST',
      headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(chunk),
    });
    await res.arrayBuffer();
  }
  return rows.length;
}

async function throughProcessors(): Promise<number> {
  const services = integratorServices(new FetchHttpClient());
  const read = new TestRunner(ReadErpData, { services }).setProperties({ 'Endpoint URL': `${erp.url}/api/stock`, Pagination: 'offset', 'Page Size': String(PAGE) });
  read.enqueue('', { 'token.omnitron': token, 'omnitron.domain': omni.url });
  await read.run();
  const out = read.flowFilesFor('success')[0]!;
  const write = new TestRunner(WriteOmnitronStock, { services }).setProperties({ 'Batch Size': String(PAGE) });
  write.enqueue(out.contentText(), out.attributes as Record<string, string>);
  await write.run();
  return Number(write.flowFilesFor('success')[0]!.attributes['rows.written']);
}

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

/** Both paths once to warm up, then RUNS alternating rounds, so drift of a shared machine reaches both alike. */
async function alternating(a: () => Promise<number>, b: () => Promise<number>): Promise<{ a: { ms: number; rows: number }; b: { ms: number; rows: number } }> {
  await a();
  await b();
  const ta: number[] = [];
  const tb: number[] = [];
  let rowsA = 0;
  let rowsB = 0;
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    rowsA = await a();
    ta.push(performance.now() - t);
    t = performance.now();
    rowsB = await b();
    tb.push(performance.now() - t);
  }
  return { a: { ms: median(ta), rows: rowsA }, b: { ms: median(tb), rows: rowsB } };
}

const { a: base, b: proc } = await alternating(direct, throughProcessors);
console.log(`direct fetch:      ${base.rows} rows, median ${base.ms.toFixed(1)} ms (${Math.round((base.rows / base.ms) * 1000)} rows/s)`);
console.log(`through processors: ${proc.rows} rows, median ${proc.ms.toFixed(1)} ms (${Math.round((proc.rows / proc.ms) * 1000)} rows/s)`);
console.log(`ratio integrator.read-write-5000-processors-vs-direct: ${(proc.ms / base.ms).toFixed(2)}`);
await Promise.all([erp.close(), omni.close()]);
