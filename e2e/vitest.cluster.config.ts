import { defineConfig } from 'vitest/config';

/** Cluster mode: several server processes on one Postgres (tools/cluster-pass.sh provides it); not part of `npm test`. */
export default defineConfig({
  resolve: { conditions: ['sluice-source'] },
  ssr: { resolve: { conditions: ['sluice-source'] } },
  test: {
    include: ['cluster/**/*.spec.ts'],
    pool: 'forks',
    execArgv: ['--no-node-snapshot'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
