import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['sluice-source'] },
  // Specs run in the SSR environment, which ignores resolve.conditions.
  ssr: { resolve: { conditions: ['sluice-source'] } },
  test: {
    include: ['src/**/*.spec.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'dist/test-report.json' },
  },
});
