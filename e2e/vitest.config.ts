import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['sluice-source'] },
  // Specs run in the SSR environment, which ignores resolve.conditions.
  ssr: { resolve: { conditions: ['sluice-source'] } },
  test: {
    include: ['api/**/*.spec.ts', 'web/**/*.spec.ts'],
    pool: 'forks',
    // isolated-vm (JavaScript script steps) needs it, as in the server.
    execArgv: ['--no-node-snapshot'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/test-report.json' },
  },
});
