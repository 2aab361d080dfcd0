// The linear-time engine (re2js) that runs hazardous user regexes, against the backtracking one (V8's) that runs
// every other pattern: the same safe pattern on the same input through both, so a slowdown is visible.
// Run: npx tsx --conditions=sluice-source bench/linear-regex.bench.ts
import { compileJavaRegex, type JavaRegex } from '../src/java-regex.js';
import { EXPRESSION_LIMITS } from '../src/limits.js';
import { translateJavaRegex } from '../src/java-regex-syntax.js';
import { linearJavaRegex } from '../src/linear-regex.js';
import { compareRates, keepResults } from './rates.js';

// As long as the linear engine takes an input (EXPRESSION_LIMITS.maxLinearRegexInput).
const words = Array.from({ length: 1400 }, (_, i) => `item${i} qty ${i % 97} note`).join(' ');
const csv = Array.from({ length: 1500 }, (_, i) => `${i},SKU-${i},${(i * 1.5).toFixed(2)}`).join('\n');
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


const rows: string[][] = [['case', 'linear (runs/s)', 'backtracking (runs/s)', 'linear / backtracking']];
const ratios: string[] = [];
for (const c of cases) {
  const backtracking = compileJavaRegex(c.pattern);
  const linear = linearJavaRegex(c.pattern, translateJavaRegex(c.pattern));
  if (c.run(linear) !== c.run(backtracking)) throw new Error(`${c.name}: the engines disagree`);
  const [l, b] = compareRates(() => c.run(linear), () => c.run(backtracking), { batch: 1, warmup: 20, rounds: 6, roundMs: 150 });
  rows.push([c.name, l.toFixed(0), b.toFixed(0), (l / b).toFixed(3)]);
  ratios.push(`ratio linear-regex ${c.name}: ${(l / b).toFixed(3)}`);
}

// What the linear engine is for: the input on which the backtracking engine would never finish, as long as the
// linear engine takes one.
const almost = `${'a'.repeat(EXPRESSION_LIMITS.maxLinearRegexInput - 1)}!`;
const hazardous = compileJavaRegex('(a|a)+$');
const started = performance.now();
const found = hazardous.re.test(almost) || hazardous.full.test(almost) || almost.replace(hazardous.global, '') !== almost;
const ms = performance.now() - started;
if (found) throw new Error('(a|a)+$ matched an input ending in !');

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
console.log(`(a|a)+$ on ${almost.length - 1} a's and a '!' (find, matches, replaceAll): ${ms.toFixed(1)} ms on the linear engine`);
for (const r of ratios) console.log(r);
keepResults();
