/**
 * Loads what the benchmarks load, the way bench/run.sh starts them, without measuring anything: every module a
 * bench/*.bench.ts imports, then the in-process server of the outbound benchmark (its Nest injector is where
 * a second copy of a framework module shows). Prints one line and exits 0 when all of it worked.
 * Run: sh bench/run.sh bench/harness.check.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { startApi } from '../dist/testing/start-api.js';

const benchDir = new URL('./', import.meta.url);
const benches = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts'));
// Static value imports only: `import type` is erased and loads nothing.
const IMPORT = /^import\s+(?!type\s)[^'"]*?from\s+'([^']+)';/gm;
const specifiers = new Set<string>();
for (const file of benches) {
  for (const m of readFileSync(new URL(file, benchDir), 'utf8').matchAll(IMPORT)) specifiers.add(m[1]!);
}
for (const s of specifiers) await import(s.startsWith('.') ? new URL(s, benchDir).href : s);

const api = await startApi({ web: false, env: { SLUICE_LOG_LEVEL: 'error' } });
try {
  const res = await api.request('/api/flows');
  if (!res.ok) throw new Error(`GET /api/flows: ${res.status} ${await res.text()}`);
} finally {
  await api.close();
}
console.log(`bench harness ok: ${benches.length} benchmarks, ${specifiers.size} modules, in-process server`);
