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
      { extends: true, test: { name: 'sfu', include: SFU_TESTS } },
    ],
  },
});
