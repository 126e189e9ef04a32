import { defineConfig } from 'vitest/config';

// Tests wait on events, not on clocks; a limit only catches a hang. The race tests queue dozens of
// requests behind DynamoDB Local's single storage thread, which on a loaded 2-core run took past 30 s.
const HANG_LIMIT_MS = 120_000;

export default defineConfig({
  test: {
    // Two cores. Each integration worker gets its own DynamoDB Local (test/helpers/global-setup.ts).
    maxWorkers: 2,
    projects: [
      {
        // Pure code: no DynamoDB Local, no network, no ports. `npm run test:unit`.
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/helpers/setup-unit.ts'],
          testTimeout: HANG_LIMIT_MS,
        },
      },
      {
        // The real parts over the wire: DynamoDB Local, the state machines, the local stack, the CDK app.
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'test/infra/**/*.test.ts'],
          // A worker's files share its modules: loading the whole stack (the AWS SDK, every handler, zod
          // schemas) afresh for each file took longer than many files' tests. Files keep apart by their
          // own stacks and tables, stop what they start, and restore what they mock.
          isolate: false,
          globalSetup: ['test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/setup-env.ts'],
          testTimeout: HANG_LIMIT_MS,
          hookTimeout: HANG_LIMIT_MS,
        },
      },
      {
        // The portal in Debian's Chromium against the real local stack. `npm run test:browser`.
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          setupFiles: ['test/helpers/setup-env.ts'],
          testTimeout: HANG_LIMIT_MS,
          hookTimeout: HANG_LIMIT_MS,
        },
      },
    ],
  },
});
