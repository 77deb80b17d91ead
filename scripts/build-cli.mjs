// Bundles the CLI into dist/proofline.mjs (the package's `proofline` bin). Native and SDK packages stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['bin/proofline.ts'],
  outfile: 'dist/proofline.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
