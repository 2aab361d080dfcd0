/**
 * ConvertRecord rows/s, CSV to JSON through the CSVReader and JsonRecordSetWriter services on the real session
 * (TestRunner), against hand-written code doing the same in the same run: papaparse with a header, numbers read
 * from the columns the data shows are numeric, JSON.stringify. Both are given the same 5000-row CSV FlowFiles.
 * Run: sh bench/run.sh bench/records.bench.ts
 */
import Papa from 'papaparse';
import { TestRunner } from '@sluice/flow-testing';
import { getControllerService, getProcessor } from '@sluice/processors';

const ROWS = Number(process.env['BENCH_RECORD_ROWS'] ?? 50_000);
const CHUNK = 5000;
const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const header = 'id,sku,stock,stock_list,unit_type,updated_date';
const chunks: string[] = [];
for (let start = 0; start < ROWS; start += CHUNK) {
  const lines = [header];
  for (let i = start; i < Math.min(ROWS, start + CHUNK); i++) lines.push(`${i + 1},SKU-${String(i + 1).padStart(6, '0')},${(i * 7) % 100},1,qty,2026-12-01T10:00:00.000000`);
  chunks.push(lines.join('\n') + '\n');
}

/** What an integrator would write by hand: parse with a header, turn numeric columns into numbers, serialize. */
function handWritten(): number {
  const t0 = performance.now();
  let rows = 0;
  for (const text of chunks) {
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    const data = parsed.data;
    const fields = parsed.meta.fields ?? [];
    const numeric = fields.filter((f) => data.every((r) => /^-?(0|[1-9]\d*)(\.\d+)?$/.test(r[f] ?? '')));
    const out = data.map((r) => {
      const o: Record<string, unknown> = {};
      for (const f of fields) o[f] = numeric.includes(f) ? Number(r[f]) : r[f];
      return o;
    });
    if (JSON.stringify(out).length === 0) throw new Error('empty');
    rows += out.length;
  }
  if (rows !== ROWS) throw new Error(`hand-written code converted ${rows} rows`);
  return (rows / (performance.now() - t0)) * 1000;
}

async function throughConvertRecord(): Promise<number> {
  const r = new TestRunner(getProcessor('ConvertRecord')!)
    .addControllerService('csv', getControllerService('CSVReader')!)
    .addControllerService('json', getControllerService('JsonRecordSetWriter')!)
    .setProperty('Record Reader', 'csv')
    .setProperty('Record Writer', 'json');
  for (const c of chunks) r.enqueue(c);
  const t0 = performance.now();
  await r.run(chunks.length);
  const ms = performance.now() - t0;
  const rows = r.flowFilesFor('success').reduce((n, f) => n + Number(f.getAttribute('record.count')), 0);
  if (rows !== ROWS) throw new Error(`ConvertRecord converted ${rows} rows`);
  return (rows / ms) * 1000;
}

handWritten();
await throughConvertRecord();
const hand: number[] = [];
const convert: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  hand.push(handWritten());
  convert.push(await throughConvertRecord());
}
console.log(`ConvertRecord CSV to JSON, ${ROWS} rows in ${CHUNK}-row FlowFiles: ${median(convert).toFixed(0)} rows/s, hand-written papaparse + JSON ${median(hand).toFixed(0)} rows/s (median of ${ROUNDS})`);
console.log(`ratio convertrecord-vs-handwritten (rows/s): ${(median(convert) / median(hand)).toFixed(2)}`);
