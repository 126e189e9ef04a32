import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    setupFiles: ['test/helpers/setup-env.ts'],
    // Tests wait on events, not on clocks; the limit only catches a hang. The race tests queue dozens of
    // requests behind DynamoDB Local's single storage thread, which on a loaded 2-core run took past 30 s.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Two cores: more workers only queue behind one DynamoDB Local.
    maxWorkers: 2,
  },
});
