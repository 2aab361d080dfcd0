/**
 * Rows per second of the seed's stock mapping, compiled by @sluice/jolt, next to a hand-written TypeScript map doing
 * the same work in the same process. Prints `ratio <name>: <x>` (hand-written rows/s over Jolt rows/s; lower is better).
 */
import { compileChain } from '../src/index.js';

const ROWS = 5000;
const erpRows = Array.from({ length: ROWS }, (_, i) => ({
  sku: String(100000 + i),
  stock: String(i % 250),
  stock_list: '1',
  unit_type: 'qty',
  updated_date: `2024-07-01T01:${String(i % 60).padStart(2, '0')}:59.000Z`,
}));

const seedShift = {
  operation: 'shift',
  spec: {
    '*': {
      sku: '[&1].product_sku',
      stock: '[&1].stock',
      stock_list: '[&1].stock_list',
      unit_type: '[&1].unit_type',
      updated_date: '[&1].updated_date',
    },
  },
};
const batchId = '123a-123a-123a-123a-123123a';
const chainSpec = [
  seedShift,
  { operation: 'default', spec: { '*': { batch_id: batchId } } },
  { operation: 'modify-overwrite-beta', spec: { '*': { stock: '=toInteger' } } },
];

type Row = (typeof erpRows)[number];

function handShift(rows: Row[]): unknown[] {
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    out[i] = { product_sku: r.sku, stock: r.stock, stock_list: r.stock_list, unit_type: r.unit_type, updated_date: r.updated_date };
  }
  return out;
}

function handChain(rows: Row[]): unknown[] {
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const n = Number(r.stock);
    out[i] = {
      product_sku: r.sku, stock: Number.isFinite(n) ? Math.trunc(n) | 0 : r.stock, stock_list: r.stock_list,
      unit_type: r.unit_type, updated_date: r.updated_date, batch_id: batchId,
    };
  }
  return out;
}

// Results are kept so the engine cannot drop the work of either side.
const sink: unknown[] = [];

/** Rows/s of one timed round of about 40 ms. */
function round(fn: () => unknown): number {
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    sink[runs & 7] = fn();
    runs++;
    elapsed = performance.now() - start;
  } while (elapsed < 40);
  return (runs * ROWS) / (elapsed / 1000);
}

/** Best rows/s of each side over interleaved rounds, so load from other processes hits both alike. */
function compare(jolt: () => unknown, hand: () => unknown): [number, number] {
  for (let i = 0; i < 50; i++) {
    sink[i & 7] = jolt();
    sink[(i + 1) & 7] = hand();
  }
  let bestJolt = 0;
  let bestHand = 0;
  for (let r = 0; r < 15; r++) {
    bestJolt = Math.max(bestJolt, round(jolt));
    bestHand = Math.max(bestHand, round(hand));
  }
  return [bestJolt, bestHand];
}

const shift = compileChain([seedShift]);
const chain = compileChain(chainSpec);

// Same answers first: a benchmark of wrong output is meaningless.
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
if (!same(shift.transform(erpRows), handShift(erpRows))) throw new Error('shift output differs from the hand-written map');
const chainOut = chain.transform(erpRows) as Record<string, unknown>[];
const handOut = handChain(erpRows) as Record<string, unknown>[];
if (chainOut.length !== handOut.length || chainOut.some((r, i) => JSON.stringify(Object.entries(r).sort()) !== JSON.stringify(Object.entries(handOut[i]!).sort()))) {
  throw new Error('chain output differs from the hand-written map');
}

const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M rows/s`;
const results: [string, number, number][] = [
  ['shift', ...compare(() => shift.transform(erpRows), () => handShift(erpRows))],
  ['chain', ...compare(() => chain.transform(erpRows), () => handChain(erpRows))],
];
if (sink.length !== 8) throw new Error('benchmark sink lost results');
for (const [name, jolt, hand] of results) {
  console.log(`${name}: jolt ${fmt(jolt)}, hand-written ${fmt(hand)}`);
  console.log(`ratio ${name}: ${(hand / jolt).toFixed(2)}`);
}
