// Runs every project's tests through Nx, then prints one summary line from the Vitest JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const reportDirs = ['apps', 'libs']
  .flatMap((d) => readdirSync(join(root, d)).map((p) => join(root, d, p)))
  .concat([join(root, 'e2e')]);
const reportOf = (dir) => join(dir, 'dist', 'test-report.json');
for (const dir of reportDirs) rmSync(reportOf(dir), { force: true });

const args = ['nx', 'run-many', '-t', 'test', '--outputStyle=static', '--parallel=1', '--skipNxCache', ...process.argv.slice(2)];
const run = spawnSync('npx', args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' } });

let passed = 0;
let failed = 0;
const missing = [];
for (const dir of reportDirs) {
  const file = reportOf(dir);
  if (!existsSync(file)) {
    if (existsSync(join(dir, 'vitest.config.ts'))) missing.push(dir.slice(root.length));
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0);
}
if (missing.length) {
  console.log(`projects without a test report (did not run or crashed): ${missing.join(', ')}`);
  failed += missing.length;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
