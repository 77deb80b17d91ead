import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { BUNDLING, type BundledHandler, copyBundleAssets, PROJECT_ROOT } from './handlers.ts';

export interface BuiltHandler {
  readonly spec: BundledHandler;
  /** Size of the minified JavaScript (the source map is a separate file). */
  readonly bytes: number;
  /** Modules the bundle still imports at run time (the runtime's AWS SDK, Node built-ins). */
  readonly externalImports: readonly string[];
  /** The source files and packages bundled, by path. */
  readonly inputs: readonly string[];
  readonly file?: string;
}

/** The esbuild options NodejsFunction uses for a handler (infra/proofline.ts passes the same BUNDLING). */
export function esbuildOptions(spec: BundledHandler): BuildOptions {
  return {
    entryPoints: [join(PROJECT_ROOT, spec.entry)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourcemap,
    sourcesContent: false,
    mainFields: [...BUNDLING.mainFields],
    external: [...BUNDLING.external],
    alias: Object.fromEntries(
      Object.entries(BUNDLING.alias).map(([from, to]) => [from, join(PROJECT_ROOT, to)]),
    ),
    banner: { js: BUNDLING.banner },
    metafile: true,
    logLevel: 'error',
  };
}

/** Bundles one handler; with `outDir`, writes `index.mjs` (+ map and data assets) there, else keeps it in memory. */
export async function bundleHandler(spec: BundledHandler, outDir?: string): Promise<BuiltHandler> {
  const result = await build({
    ...esbuildOptions(spec),
    outfile: join(outDir ?? join(PROJECT_ROOT, '.bundle-in-memory'), 'index.mjs'),
    write: Boolean(outDir),
  });
  if (outDir) copyBundleAssets(spec, outDir);
  const metafile = result.metafile as Metafile;
  const [, output] = Object.entries(metafile.outputs).find(([path]) => path.endsWith('.mjs'))!;
  return {
    spec,
    bytes: output.bytes,
    externalImports: [...new Set(output.imports.filter((i) => i.external).map((i) => i.path))].sort(),
    inputs: Object.keys(output.inputs),
    ...(outDir ? { file: join(outDir, 'index.mjs') } : {}),
  };
}
