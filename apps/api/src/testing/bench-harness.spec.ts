import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const apiRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Runs bench/run.sh on the given files as the bench target does and returns its exit code and output. */
function runBench(...files: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('sh', ['bench/run.sh', ...files], { cwd: apiRoot, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

// The benchmarks are not part of the tests; this keeps the way they start from breaking unnoticed.
describe('benchmark harness', () => {
  it('the bench target starts every benchmark through bench/run.sh', () => {
    const pkg = JSON.parse(readFileSync(`${apiRoot}package.json`, 'utf8')) as { nx: { targets: { bench: { options: { command: string } } } } };
    expect(pkg.nx.targets.bench.options.command).toBe('sh bench/run.sh');
  });

  it("loads every module the benchmarks import and starts the outbound benchmark's in-process server", async () => {
    const { code, output } = await runBench('bench/harness.check.ts');
    expect(output).toMatch(/bench harness ok: \d+ benchmarks, \d+ modules, in-process server/);
    expect(code, output).toBe(0);
  });
});
