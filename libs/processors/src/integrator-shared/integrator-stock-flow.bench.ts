/**
 * Throughput of Read Data From ERP → Write Stock to Omnitron on a 5000-row batch against the simulators,
 * as a ratio to the same HTTP calls made directly with fetch in the same run.
 * Run: npx tsx --conditions=sluice-source libs/processors/src/integrator-shared/integrator-stock-flow.bench.ts
 */
import { startErpSim } from '@sluice/erp-sim';
import { startOmnitronSim } from '@sluice/omnitron-sim';
import { ReadErpData } from '../read-erp-data/read-erp-data.processor.js';
import { WriteOmnitronStock } from '../write-omnitron-stock/write-omnitron-stock.processor.js';
import { TestRunner } from '@sluice/flow-testing';
import { FetchHttpClient, integratorServices } from './integrator-services.testing.js';

const ROWS = 5000;
const RUNS = 7;
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

async function median(fn: () => Promise<number>): Promise<{ ms: number; rows: number }> {
  await fn();
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    rows = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, rows };
}

const base = await median(direct);
const proc = await median(throughProcessors);
console.log(`direct fetch:      ${base.rows} rows, median ${base.ms.toFixed(1)} ms (${Math.round((base.rows / base.ms) * 1000)} rows/s)`);
console.log(`through processors: ${proc.rows} rows, median ${proc.ms.toFixed(1)} ms (${Math.round((proc.rows / proc.ms) * 1000)} rows/s)`);
console.log(`ratio processors/direct: ${(proc.ms / base.ms).toFixed(2)}`);
await Promise.all([erp.close(), omni.close()]);
