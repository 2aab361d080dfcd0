// Finds the Chromium that browser tests drive (Debian's package; no browser downloads), and installs it when it can.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `CHROMIUM_PATH` when set (it must exist), else the first Debian location that exists; null when none does. */
export function findChromium(env = process.env) {
  if (env.CHROMIUM_PATH) return executable(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  return CANDIDATES.find(executable) ?? null;
}

const INSTALL = 'apt-get install -y chromium';

/**
 * Returns the Chromium path, installing Debian's package first when it is missing and this runs as root with apt.
 * Otherwise returns an error line naming the command to run.
 */
export function ensureChromium(env = process.env) {
  const found = findChromium(env);
  if (found) return { path: found };
  if (env.CHROMIUM_PATH) return { error: `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable; point it at Chromium or unset it` };
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && executable('/usr/bin/apt-get')) {
    console.log(`Chromium is missing; installing Debian's package for the browser tests: apt-get update && ${INSTALL}`);
    const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
    if (run(['update', '-qq']) && run(['install', '-y', '-qq', 'chromium'])) {
      const installed = findChromium(env);
      if (installed) return { path: installed };
    }
    return { error: `installing Chromium failed; run \`sudo ${INSTALL}\` (or set CHROMIUM_PATH) and try again` };
  }
  return { error: `Chromium is needed for the browser tests: run \`sudo ${INSTALL}\` (or set CHROMIUM_PATH to a Chromium binary)` };
}
