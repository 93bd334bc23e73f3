import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (unit tests and most integration tests, run in parallel) and `midi`
 * (real MIDI through JACK, with timing measured), which runs on its own, one file at a time,
 * so other tests do not compete with it for the CPU while it measures.
 */
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          exclude: ['test/integration/midi/**'],
        },
      },
      {
        extends: true,
        test: { name: 'midi', include: ['test/integration/midi/**/*.test.ts'], fileParallelism: false },
      },
    ],
  },
});
