import { defineConfig } from 'vitest/config';

export const config = defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'providers/**/*.test.ts', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});

// vitest reads the default export; the named export keeps the house rule of named exports everywhere else.
export default config;
