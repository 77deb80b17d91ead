// Bundles the CLI into dist/proofline.mjs (the package's `proofline` bin) and the chunks it loads on demand.
// Native and SDK packages stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['bin/proofline.ts'],
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  // Code only some commands need (collecting: the vendor SDKs) goes into chunks loaded by dynamic import.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
