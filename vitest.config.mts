import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The npm package's own run (`npm run test:package`): it packs and installs the tarball.
    exclude: [...configDefaults.exclude, 'test/package/tarball.test.ts'],
    globalSetup: ['test/support/moto-global-setup.ts'],
    setupFiles: ['test/support/moto-file-setup.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
