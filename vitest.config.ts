import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests live in test/**\/*.test.ts. Two projects so that only the tests that
 * need Redis pay for it: test/unit runs anywhere; everything else
 * (integration, e2e) gets a real Redis from the global setup, which starts
 * one or fails the run saying what to install. Vitest runs a project's
 * global setup only when that project has files to run, so
 * `vitest run test/unit` needs no Redis.
 */
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Separate processes: native handles (sockets, child processes) of one
    // file never leak into another.
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**', 'test/faults/**'],
          globalSetup: ['test/support/global-setup.ts'],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Fault tests (test/faults): hosts as separate processes, killed,
        // starved of Redis or of their platform, each against its own
        // redis-server. They run after everything else, one file at a time,
        // so their load does not share the two cores with the other tests.
        extends: true,
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
