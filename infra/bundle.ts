/**
 * How a Lambda handler is bundled, in one home: the stack's functions at synth (infra/function.ts runs this file
 * as a local bundler: `node --import tsx infra/bundle.ts <handler> <outDir>`), the package's prebuilt handlers,
 * the bundle test and the bundle bench.
 */
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { compiledCatalogPlugin } from '../scripts/build-cli.ts';
import { ALL_HANDLERS, BUNDLING, type BundledHandler, copyBundleAssets, PROJECT_ROOT } from './handlers.ts';

export interface BuiltHandler {
  readonly spec: BundledHandler;
  /** Size of all the minified JavaScript, entry and chunks (source maps are separate files). */
  readonly bytes: number;
  /** Size of what loads at start: the entry and the chunks it imports statically. */
  readonly initBytes: number;
  /** Modules the bundle still imports at run time (the runtime's AWS SDK, Node built-ins). */
  readonly externalImports: readonly string[];
  /** Modules what loads at start imports (the rest load by dynamic import, when the code needing them runs). */
  readonly initExternalImports: readonly string[];
  /** The source files and packages bundled, by path, with the bytes each adds to the output. */
  readonly inputs: ReadonlyMap<string, number>;
  /** The source files and packages that load at start, with their bytes. */
  readonly initInputs: ReadonlyMap<string, number>;
  /** The chunk files dynamic imports load, by the source module imported (relative to the root). */
  readonly chunks: ReadonlyMap<string, string>;
  readonly file?: string;
}

/**
 * The esbuild options for a handler: an ESM entry `index.mjs` with chunks under `chunks/` (code split at
 * dynamic imports, so what only some invocations need loads when they need it), the built-in catalog compiled
 * to data (no function parses the YAML catalog), the runtime's AWS SDK left as imports.
 */
export function esbuildOptions(spec: BundledHandler): BuildOptions {
  return {
    entryPoints: { index: join(PROJECT_ROOT, spec.entry) },
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
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
    plugins: [compiledCatalogPlugin()],
    metafile: true,
    logLevel: 'error',
  };
}

/** What the entry loads before its handler runs: itself and its static imports, transitively. */
function loadedAtStart(outputs: Metafile['outputs'], entry: string): string[] {
  const seen = new Set<string>([entry]);
  for (const path of seen) {
    for (const i of outputs[path]?.imports ?? [])
      if (!i.external && i.kind === 'import-statement') seen.add(i.path);
  }
  return [...seen];
}

/** Bundles one handler; with `outDir`, writes `index.mjs`, its chunks (+ maps) and data assets there. */
export async function bundleHandler(spec: BundledHandler, outDir?: string): Promise<BuiltHandler> {
  const result = await build({
    ...esbuildOptions(spec),
    outdir: outDir ?? join(PROJECT_ROOT, '.bundle-in-memory'),
    write: Boolean(outDir),
  });
  if (outDir) copyBundleAssets(spec, outDir);
  const outputs = (result.metafile as Metafile).outputs;
  const code = Object.keys(outputs).filter((path) => path.endsWith('.mjs'));
  const entry = code.find((path) => basename(path) === 'index.mjs')!;
  const atStart = loadedAtStart(outputs, entry);
  const sum = (paths: string[]) => paths.reduce((total, path) => total + (outputs[path]?.bytes ?? 0), 0);
  const externals = (paths: string[]) =>
    [
      ...new Set(
        paths.flatMap((path) => outputs[path]!.imports.filter((i) => i.external).map((i) => i.path)),
      ),
    ].sort();
  const inputsOf = (paths: string[]) => {
    const bytes = new Map<string, number>();
    for (const path of paths)
      for (const [input, { bytesInOutput }] of Object.entries(outputs[path]!.inputs))
        bytes.set(input, (bytes.get(input) ?? 0) + bytesInOutput);
    return bytes;
  };
  const chunks = new Map(
    code.flatMap((path) => {
      const from = outputs[path]!.entryPoint;
      return path !== entry && from ? [[from, join(PROJECT_ROOT, path)] as const] : [];
    }),
  );
  return {
    spec,
    bytes: sum(code),
    initBytes: sum(atStart),
    externalImports: externals(code),
    initExternalImports: externals(atStart),
    inputs: inputsOf(code),
    initInputs: inputsOf(atStart),
    chunks,
    ...(outDir ? { file: join(outDir, 'index.mjs') } : {}),
  };
}

/** `node --import tsx infra/bundle.ts <handler> <outDir>`: the stack's local bundler (infra/function.ts). */
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [name, outDir] = process.argv.slice(2);
  const spec = ALL_HANDLERS.find((h) => h.name === name);
  if (!spec || !outDir) {
    console.error(`usage: infra/bundle.ts <${ALL_HANDLERS.map((h) => h.name).join('|')}> <outDir>`);
    process.exit(2);
  }
  await bundleHandler(spec, outDir);
}
