/**
 * Bundles the CLI into dist/proofline.mjs (the package's `proofline` bin; `prepare` runs it on `npm ci`) and the
 * chunks it loads on demand: code only some commands need (collecting: the vendor SDKs) loads by dynamic import.
 * BUNDLE is how every entry point of the package is bundled: dependencies stay imports.
 */
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

export const BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
} as const satisfies BuildOptions;

export async function buildCli(): Promise<void> {
  await build({
    ...BUNDLE,
    entryPoints: ['bin/proofline.ts'],
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildCli();
