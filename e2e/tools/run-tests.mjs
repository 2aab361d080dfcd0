// Runs every project's tests through Nx, then prints one summary line from the Vitest JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './chromium.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
// `--projects=a,b` (passed on to Nx) limits the run, and so the reports expected, to those projects.
const only = process.argv.find((a) => a.startsWith('--projects='))?.slice('--projects='.length).split(',');
const projectName = (dir) => {
  const file = join(dir, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).name : null;
};
const reportDirs = ['apps', 'libs']
  .flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p)))
  .concat([join(root, 'e2e')])
  .filter((dir) => !only || only.includes(projectName(dir)));
const reportOf = (dir) => join(dir, 'dist', 'test-report.json');
for (const dir of reportDirs) rmSync(reportOf(dir), { force: true });

// Browser specs need Chromium: find it (or install it) before anything runs, so a missing browser is one line, not
// a stack trace per spec after the other suites have run.
const chromium = ensureChromium();
if (chromium.error) {
  console.error(chromium.error);
  process.exit(1);
}

// Lint first: it enforces the layers (which project may import which, no I/O in the libraries). The module-boundary
// rule reads Nx's project graph and silently skips itself without one, so the graph is computed before it runs.
if (!only) {
  const env = { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' };
  const graph = spawnSync('npx', ['nx', 'show', 'projects'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env });
  const lint = graph.status === 0 ? spawnSync('npx', ['eslint', '.', '--max-warnings=0'], { cwd: root, stdio: 'inherit', env }) : graph;
  if (lint.status !== 0) {
    console.log('lint failed: 0 passed, 1 failed');
    process.exit(1);
  }
}

const args = ['nx', 'run-many', '-t', 'test', '--outputStyle=static', '--parallel=1', '--skipNxCache', ...process.argv.slice(2)];
const run = spawnSync('npx', args, { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: chromium.path, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' } });

let passed = 0;
let failed = 0;
const missing = [];
const failures = [];
for (const dir of reportDirs) {
  const file = reportOf(dir);
  if (!existsSync(file)) {
    if (existsSync(join(dir, 'vitest.config.ts'))) missing.push(dir.slice(root.length));
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  // Nx's output interleaves every project's; the failed tests are named again at the end, where a reader looks.
  for (const suite of report.testResults ?? []) {
    const where = suite.name.startsWith(root) ? suite.name.slice(root.length) : suite.name;
    const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests) failures.push(`${where}: ${t.fullName}\n    ${(t.failureMessages?.[0] ?? '').split('\n')[0]}`);
    if (!failedTests.length && suite.status === 'failed') failures.push(`${where}: ${(suite.message ?? 'the file failed to run').split('\n')[0]}`);
  }
  failed += report.numFailedTests + (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0);
}
if (missing.length) {
  console.log(`projects without a test report (did not run or crashed): ${missing.join(', ')}`);
  failed += missing.length;
}
if (failures.length) console.log(`failed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
