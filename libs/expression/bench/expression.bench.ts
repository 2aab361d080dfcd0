// Evaluations per second of compiled NiFi EL against hand-written TypeScript building the same strings.
// Run: npx tsx --conditions=sluice-source bench/expression.bench.ts
import { readFileSync } from 'node:fs';
import { compileExpression, type EvaluationEnvironment } from '../src/index.js';
import { compareRates, keepResults } from './rates.js';

const SEED_URL = readFileSync(new URL('../fixtures/seed-dynamic-url.el', import.meta.url), 'utf8');

const SKU_URL = "http://127.0.0.1:12345/(S({TOKEN}))/service/run?{'name': 'Akinon', 'Parameters': [{'Name': 'Barcodes', 'Value': '{SKU}'}]}";
const DATE_URL = "http://127.0.0.1:12345/(S({TOKEN}))/service/run?{'name': 'Akinon', 'Parameters': [{'Name': 'Date', 'Value': '{MODIFIED_DATE}'}]}";
const FRACTION_Z = /(\.\d*)?Z?$/;
const isBlank = (s: string | undefined) => s === undefined || s.trim() === '';

/** What an integrator would write by hand for the same URL. */
function handUrl(a: Readonly<Record<string, string>>): string {
  const token = a['token.erp'];
  if (token === undefined) throw new Error('token.erp missing');
  if (!isBlank(a['http.query.string'])) {
    const sku = a['http.query.param.sku'];
    if (!isBlank(sku)) return SKU_URL.replace('{SKU}', () => sku!).replace('{TOKEN}', () => token);
    const d = a['http.query.param.modified_date__gt'];
    if (d === undefined) throw new Error('modified_date__gt missing');
    return DATE_URL.replace('{MODIFIED_DATE}', () => d.replace(FRACTION_Z, '')).replace('{TOKEN}', () => token);
  }
  const last = a['last.request'];
  if (last === undefined) throw new Error('last.request missing');
  return DATE_URL.replace('{MODIFIED_DATE}', () => last.replace(FRACTION_Z, '')).replace('{TOKEN}', () => token);
}

const branches: { name: string; expr: string; attributes: Record<string, string>; hand: (a: Readonly<Record<string, string>>) => string; nifi: number }[] = [
  {
    name: 'sku',
    expr: SEED_URL,
    attributes: { 'http.query.string': 'sku=8690000000001', 'http.query.param.sku': '8690000000001', 'token.erp': 'abc123' },
    hand: handUrl,
    nifi: 5.1e6,
  },
  {
    name: 'date',
    expr: SEED_URL,
    attributes: { 'http.query.string': 'modified_date__gt=2024-03-01T10:20:30.123Z', 'http.query.param.modified_date__gt': '2024-03-01T10:20:30.123Z', 'token.erp': 'abc123' },
    hand: handUrl,
    nifi: 1.1e6,
  },
  {
    name: 'last-request',
    expr: SEED_URL,
    attributes: { 'last.request': '2024-03-01T10:20:30.123Z', 'token.erp': 'abc123' },
    hand: handUrl,
    nifi: 1.2e6,
  },
  { name: 'toUpper', expr: '${sku:toUpper()}', attributes: { sku: 'ab-123-xyz' }, hand: (a) => a['sku']!.toUpperCase(), nifi: 27e6 },
];


const fmt = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;
const rows: string[][] = [['case', 'Sluice EL', 'hand-written TS', 'ratio', 'NiFi (reference)', 'vs NiFi']];
const ratios: string[] = [];
for (const b of branches) {
  const compiled = compileExpression(b.expr);
  const env: EvaluationEnvironment = { attributes: b.attributes };
  const expected = b.hand(b.attributes);
  const got = compiled.evaluate(env);
  if (got !== expected) throw new Error(`${b.name}: EL gave ${got}, hand-written gave ${expected}`);
  const [el, hand] = compareRates(() => compiled.evaluate(env), () => b.hand(b.attributes), { batch: 5000, warmup: 20000, rounds: 8, roundMs: 100 });
  rows.push([b.name, fmt(el), fmt(hand), (el / hand).toFixed(2), fmt(b.nifi), (el / b.nifi).toFixed(2)]);
  ratios.push(`ratio ${b.name}: ${(el / hand).toFixed(2)}`);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
for (const r of ratios) console.log(r);
keepResults();
