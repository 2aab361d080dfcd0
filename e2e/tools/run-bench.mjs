// Runs every project's `bench` target; each prints its figures and `ratio <name>: <x>` lines against a
// baseline measured in the same run. The summary repeats the ratios so they can be read in one place.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = ['nx', 'run-many', '-t', 'bench', '--outputStyle=static', '--parallel=1', '--skipNxCache', ...process.argv.slice(2)];
const child = spawn('npx', args, { cwd: root, env: { ...process.env, NX_NO_CLOUD: 'true', NX_DAEMON: 'false' } });
const ratios = [];
let tail = '';
const scan = (chunk) => {
  process.stdout.write(chunk);
  const text = tail + chunk.toString();
  const lines = text.split('\n');
  tail = lines.pop() ?? '';
  for (const line of lines) if (/^\s*ratio\s/.test(line)) ratios.push(line.trim());
};
child.stdout.on('data', scan);
child.stderr.on('data', (c) => process.stderr.write(c));
child.on('close', (code) => {
  console.log('\nbenchmark ratios:');
  for (const r of ratios) console.log(`  ${r}`);
  process.exit(code ?? 1);
});
