import { defineConfig } from 'vitest/config';

/**
 * Tests that need the SFU's mediasoup worker. They form their own project so that `npm test` runs
 * them last (scripts/test-sfu.ts), after CI's background worker build has had time to finish.
 */
const SFU_TESTS = ['test/integration/media.test.ts', 'test/integration/media-nodes.test.ts', 'test/integration/media-holder.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files spend their time waiting (servers, sockets, timers), and each paid ~1 s importing
    // the server again: two files at a time (Vitest's default on 2 cores is one worker) in workers
    // that keep their imports took the suite from 11 to under 4 minutes here. So a test must not
    // rely on a module's state being fresh, nor leave global state (timers, env, globals) behind;
    // `npx vitest run --sequence.shuffle.files` checks that the files' order does not matter.
    isolate: false,
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'core',
          include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx', 'test/integration/**/*.test.ts'],
          exclude: SFU_TESTS,
        },
      },
      // One file at a time: they kill nodes and time the recovery against the lease's TTL.
      { extends: true, test: { name: 'sfu', include: SFU_TESTS, maxWorkers: 1 } },
    ],
  },
});
