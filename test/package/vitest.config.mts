import { defineConfig } from 'vitest/config';

/** `npm run test:package`: the npm package as a user installs it (packs, installs, runs). Needs no moto_server. */
export default defineConfig({
  test: {
    include: ['test/package/tarball.test.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
