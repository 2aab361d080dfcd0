// The linear-time engine (re2js) that runs hazardous user regexes, against the backtracking one (V8's) that runs
// every other pattern: the same safe pattern on the same input through both, so a slowdown is visible.
// Run: npx tsx --conditions=sluice-source bench/linear-regex.bench.ts
import { compileJavaRegex, translateJavaRegex, type JavaRegex } from '../src/java-regex.js';
import { linearJavaRegex } from '../src/linear-regex.js';

const words = Array.from({ length: 2000 }, (_, i) => `item${i} qty ${i % 97} note`).join(' ');
const csv = Array.from({ length: 2000 }, (_, i) => `${i},SKU-${i},${(i * 1.5).toFixed(2)}`).join('\n');
const line = `${'a1 b2 c3 '.repeat(120)}end`;

const cases: { name: string; pattern: string; run: (rx: JavaRegex) => string }[] = [
  // one long match with groups
  { name: 'replaceAll-long-match', pattern: '((\\w+) )+', run: (rx) => words.replace(rx.global, '[$2]') },
  // many short matches
  { name: 'replaceAll-short-matches', pattern: '(\\d+)', run: (rx) => csv.replace(rx.global, '<$1>') },
  // whole-input matching of one line, as matches() and RouteText do
  { name: 'matches-line', pattern: '(\\w+ )+end', run: (rx) => String(rx.full.test(line)) },
  // a search that finds nothing (and no literal lets either engine skip ahead)
  { name: 'find-nothing', pattern: '(\\d{5})', run: (rx) => String(rx.re.test(words)) },
];

let sink = 0;
/** Runs per second over one timed round. */
function round(fn: () => string, ms: number): number {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    sink += fn().length;
    n++;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

/** Best rate of each side over interleaved rounds, so load from other processes hits both alike. */
function compare(a: () => string, b: () => string): [number, number] {
  for (let i = 0; i < 20; i++) sink += a().length + b().length;
  let bestA = 0;
  let bestB = 0;
  for (let r = 0; r < 6; r++) {
    bestA = Math.max(bestA, round(a, 150));
    bestB = Math.max(bestB, round(b, 150));
  }
  return [bestA, bestB];
}

const rows: string[][] = [['case', 'linear (runs/s)', 'backtracking (runs/s)', 'linear / backtracking']];
const ratios: string[] = [];
for (const c of cases) {
  const backtracking = compileJavaRegex(c.pattern);
  const linear = linearJavaRegex(c.pattern, translateJavaRegex(c.pattern));
  if (c.run(linear) !== c.run(backtracking)) throw new Error(`${c.name}: the engines disagree`);
  const [l, b] = compare(() => c.run(linear), () => c.run(backtracking));
  rows.push([c.name, l.toFixed(0), b.toFixed(0), (l / b).toFixed(3)]);
  ratios.push(`ratio linear-regex ${c.name}: ${(l / b).toFixed(3)}`);
}

// What the linear engine is for: the input on which the backtracking engine would never finish.
const almost = `${'a'.repeat(100_000)}!`;
const hazardous = compileJavaRegex('(a|a)+$');
const started = performance.now();
const found = hazardous.re.test(almost) || hazardous.full.test(almost) || almost.replace(hazardous.global, '') !== almost;
const ms = performance.now() - started;
if (found) throw new Error('(a|a)+$ matched an input ending in !');

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
console.log(`(a|a)+$ on 100,000 a's and a '!' (find, matches, replaceAll): ${ms.toFixed(1)} ms on the linear engine`);
for (const r of ratios) console.log(r);
if (sink === 42) console.log('');
