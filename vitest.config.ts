import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs in-process with fakes; `integration` talks to the real stand-ins
// (LocalStack, FerretDB, anvil, btcd) that test/setup/stack.ts starts once for the whole run.
export default defineConfig({
  test: {
    pool: 'forks', // CDK local bundling breaks under worker threads (vitest#1544)
    setupFiles: ['test/setup/address-code.ts'],
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'us-east-1',
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/stack.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
