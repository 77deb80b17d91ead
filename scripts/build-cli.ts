/**
 * Bundles the CLI into dist/proofline.mjs (the package's `proofline` bin; `prepare` runs it on `npm ci`) and the
 * chunks it loads on demand: code only some commands need (collecting: the vendor SDKs) loads by dynamic import.
 * BUNDLE is how every entry point of the package is bundled: dependencies stay imports.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BuildOptions, type BuildResult, build, type Plugin } from 'esbuild';
import { collectors } from '../collectors/index.ts';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../controls/catalog.ts';
import type { CompiledCatalog } from '../controls/compiled.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import { checkCatalog } from '../core/collector.ts';
import { configSchema } from '../core/config.ts';

export const BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  // Maps name the source files and lines (stack traces); the sources themselves are not shipped.
  sourcesContent: false,
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** The built-in catalog as the source tree's loaders read and validate it from the YAML. */
export async function compiledCatalog(): Promise<CompiledCatalog> {
  const frameworks = await loadFrameworks();
  const controls = await loadControls(
    DEFAULT_CONTROLS_PATH,
    new Set(checkCatalog(collectors).keys()),
    frameworks,
  );
  return { frameworks, controls };
}

/** Data as an ES module exporting it as `name`: JSON.parse of a string loads faster than the object literal. */
const dataModule = (name: string, data: unknown) => ({
  contents: `export const ${name} = JSON.parse(${JSON.stringify(JSON.stringify(data))});\n`,
  loader: 'js' as const,
});

/**
 * Replaces controls/compiled.ts with the catalog as data, collectors/compiled-checks.ts with the checks'
 * catalog and core/compiled-config.ts with the default config: the bundle starts without parsing YAML,
 * validating it again, loading every check's code to name the checks or building the config schema when no
 * config file is read (a catalog error fails the build instead).
 */
export function compiledCatalogPlugin(): Plugin {
  return {
    name: 'compiled-catalog',
    setup(b) {
      b.onLoad({ filter: /[\\/]controls[\\/]compiled\.ts$/ }, async () =>
        dataModule('COMPILED', await compiledCatalog()),
      );
      b.onLoad({ filter: /[\\/]collectors[\\/]compiled-checks\.ts$/ }, () =>
        dataModule('COMPILED_CHECKS', [...checkCatalog(collectors).values()]),
      );
      b.onLoad({ filter: /[\\/]core[\\/]compiled-config\.ts$/ }, () =>
        dataModule('COMPILED_DEFAULT_CONFIG', configSchema.parse({})),
      );
    },
  };
}

/**
 * Dependencies the CLI bundles rather than imports: every command loads them, and resolving and reading their
 * hundreds of files is most of the start-up `--help` pays. The others (vendor SDKs, zip) stay imports, loaded
 * only by the commands that need them.
 */
export const CLI_INLINE = ['zod', 'yaml', 'commander'] as const;

/**
 * Builds the CLI into dist/; `overrides` let a test build it in memory with a metafile (`write: false`,
 * `metafile: true`) to check what each command loads, or a bench into its own `outdir` inside the project.
 */
export async function buildCli(overrides: BuildOptions = {}): Promise<BuildResult> {
  const { dependencies } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const inline = new Set<string>(CLI_INLINE);
  const outdir = String(overrides.outdir ?? 'dist');
  // Chunk names carry content hashes: a written build replaces the last one's instead of piling up beside it.
  if (overrides.write !== false) rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  const { packages: _, ...bundle } = BUNDLE;
  return build({
    ...bundle,
    external: Object.keys(dependencies)
      .filter((name) => !inline.has(name))
      .flatMap((name) => [name, `${name}/*`]),
    // The bundled CommonJS (yaml, commander) requires Node built-ins: give ESM output a `require`.
    banner: {
      js: "import { createRequire as bundledCreateRequire } from 'node:module'; const require = bundledCreateRequire(import.meta.url);",
    },
    plugins: [compiledCatalogPlugin()],
    entryPoints: ['bin/proofline.ts'],
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    ...overrides,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildCli();
