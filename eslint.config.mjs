// Lint enforces the layers described in ARCHITECTURE.md: which project may import which (by Nx tags), and that
// the libraries do no I/O. `npm test` (e2e/tools/run-tests.mjs) runs it over the whole tree before any test and
// fails the run when it finds anything.
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tsParser from '@typescript-eslint/parser';

/** Which tags a project may import. Specs may also use the test-only projects: the TestRunner and the simulators. */
function constraints(inSpecs) {
  const testOnly = inSpecs ? ['type:flow-testing', 'type:simulator'] : [];
  return [
    { sourceTag: 'type:flow-api', onlyDependOnLibsWithTags: [] },
    { sourceTag: 'type:java-number', onlyDependOnLibsWithTags: [] },
    { sourceTag: 'type:expression', onlyDependOnLibsWithTags: ['type:java-number'] },
    { sourceTag: 'type:jolt', onlyDependOnLibsWithTags: ['type:java-number'] },
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:flow-api'] },
    { sourceTag: 'type:flow-core', onlyDependOnLibsWithTags: ['type:flow-api', 'type:expression', ...testOnly] },
    { sourceTag: 'type:flow-testing', onlyDependOnLibsWithTags: ['type:flow-api', 'type:flow-core', 'type:expression'] },
    { sourceTag: 'type:processors', onlyDependOnLibsWithTags: ['type:flow-api', 'type:expression', 'type:jolt', ...testOnly] },
    // The web app gets descriptors from the API and runs flow-core's pure graph validator on unsaved edits; its
    // specs render real descriptors from the catalogue.
    { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['type:contracts', 'type:expression', 'type:flow-api', 'type:flow-core', ...(inSpecs ? ['type:processors'] : [])] },
    { sourceTag: 'type:api', onlyDependOnLibsWithTags: ['type:flow-api', 'type:flow-core', 'type:expression', 'type:jolt', 'type:processors', 'type:contracts', ...testOnly] },
    { sourceTag: 'type:simulator', onlyDependOnLibsWithTags: ['type:sim-kit'] },
    { sourceTag: 'type:sim-kit', onlyDependOnLibsWithTags: [] },
    { sourceTag: 'type:demo', onlyDependOnLibsWithTags: ['type:api', 'type:contracts', 'type:simulator'] },
    { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['type:api', 'type:contracts', 'type:flow-api', 'type:simulator'] },
  ];
}

const boundaries = (inSpecs) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: true,
    // The API's entry points for end-to-end tests; nothing else imports an app.
    allow: ['@sluice/api/app', '@sluice/api/testing'],
    depConstraints: constraints(inSpecs),
  },
];

const NODE_IO = ['fs', 'fs/promises', 'http', 'https', 'http2', 'net', 'tls', 'dgram', 'dns', 'child_process', 'cluster', 'worker_threads', 'os', 'process', 'readline', 'repl', 'vm', 'inspector', 'v8'];

export default [
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/test-output/**', '**/coverage/**', '**/data/**', '**/*.js', '**/*.mjs', '**/*.cjs', '**/vite.config.ts', '**/vitest.config.ts'],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { '@nx': nx },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(true),
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx', '**/*.bench.ts', '**/*.testing.ts', '**/*.testing.tsx', '**/testing/**', 'e2e/**'],
    rules: { '@nx/enforce-module-boundaries': boundaries(false) },
  },
  {
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // The libraries are pure: time, randomness, HTTP and storage reach them through ProcessorServices and ports.
    files: ['libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.bench.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_IO.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'libraries do no I/O; take it as a port in ProcessorServices or the engine ports' })),
        },
      ],
    },
  },
];
