import { defineConfig } from 'vitest/config';

/**
 * Four levels, one command (`npm test`):
 *  unit        – the pure core under shared/, no I/O
 *  integration – handlers against DynamoDB Local (started once per run) and the other local engines
 *  tools       – the command-line tools, run as a user runs them
 *  infra       – CDK assertions and cdk-nag
 *  e2e         – the built web app on the local stack, in headless Chromium
 */
export default defineConfig({
  test: {
    // Request logs are shown only for failing tests: Powertools' dev mode writes them through
    // the console vitest captures (one record per call, indented), and keeps metrics off.
    silent: 'passed-only',
    env: { POWERTOOLS_DEV: 'true' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['shared/**/*.test.ts', 'tools/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/dynamoGlobalSetup.ts'],
          setupFiles: ['test/support/integrationTable.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      { extends: true, test: { name: 'infra', include: ['infra/**/*.test.ts'], testTimeout: 120_000 } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } },
    ],
  },
});
