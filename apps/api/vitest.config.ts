import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['sluice-source'] },
  // Specs run in the SSR environment, which ignores resolve.conditions: without this, workspace packages
  // resolve to a possibly stale or missing dist/.
  ssr: { resolve: { conditions: ['sluice-source'] } },
  test: {
    include: ['src/**/*.spec.ts'],
    pool: 'forks',
    // isolated-vm needs it (see the stack notes); the forks run the same code as the server.
    execArgv: ['--no-node-snapshot'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/test-report.json' },
  },
});
