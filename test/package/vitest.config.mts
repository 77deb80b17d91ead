import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.mts';

/** `npm run test:package`: the npm package as a user installs it (packs, installs, runs). Needs no moto_server. */
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/package/tarball.test.ts'],
    exclude: [],
    globalSetup: [],
    setupFiles: [],
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
