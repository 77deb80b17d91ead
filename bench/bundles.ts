/**
 * Each Lambda bundle's size and module-init time: the time `import()` of the built bundle takes in a fresh
 * Node process, against a baseline bundle that imports only the S3 client. Baseline and handler processes
 * alternate, so both see the same machine load; each figure is a median of RUNS processes.
 * A handler split at dynamic imports (collect: each AWS collector's code and SDK client) pays the rest when an
 * invocation first needs it: for those chunks the bench also times the import of each after the entry's.
 * Standalone: `npx tsx bench/bundles.ts` (PROOFLINE_BENCH_BUNDLE_RUNS, default 5; PROOFLINE_BENCH_BUNDLE_ONLY=collect,plan).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { type BuiltHandler, bundleHandler, esbuildOptions } from '../infra/bundle.ts';
import { ALL_HANDLERS, BUNDLING, type BundledHandler, PROJECT_ROOT } from '../infra/handlers.ts';
import { fmt } from './timing.ts';

const OUT = join(PROJECT_ROOT, 'bench', '.out', 'bundles');
const RUNS = Number(process.env.PROOFLINE_BENCH_BUNDLE_RUNS ?? 5);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * One fresh `node` process: milliseconds to import `file`, then (if given) milliseconds to import `then`
 * (a chunk the first file loads on demand).
 */
function importOnce(file: string, then?: string): [number, number] {
  const script =
    'let t = performance.now(); await import(process.argv[1]); const a = performance.now() - t;' +
    't = performance.now(); if (process.argv[2]) await import(process.argv[2]);' +
    'process.stdout.write(a + " " + (performance.now() - t));';
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      script,
      pathToFileURL(file).href,
      ...(then ? [pathToFileURL(then).href] : []),
    ],
    {
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_REGION: 'us-east-1',
      },
      encoding: 'utf8',
    },
  );
  const [init, more] = out.split(' ').map(Number);
  return [init ?? 0, more ?? 0];
}

/** Milliseconds one fresh `node` process spends importing `file` (median of `runs` processes). */
export function importMs(file: string, runs = RUNS): number {
  return median(Array.from({ length: runs }, () => importOnce(file)[0]));
}

/** `file`'s import time and the baseline's, median of `runs` processes each, the two alternating. */
function againstBaseline(
  baseline: string,
  file: string,
  then?: string,
): { ms: number; deferred: number; base: number } {
  const samples = Array.from({ length: RUNS }, () => [importOnce(baseline)[0], ...importOnce(file, then)]);
  return {
    base: median(samples.map(([b]) => b!)),
    ms: median(samples.map(([, ms]) => ms!)),
    deferred: median(samples.map(([, , t]) => t!)),
  };
}

/** A handler that only imports the S3 client: what the smallest AWS-calling function pays at init. */
async function baselineBundle(): Promise<string> {
  const dir = join(OUT, 'baseline');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.ts');
  writeFileSync(
    entry,
    "import { S3Client } from '@aws-sdk/client-s3';\nexport const handler = async () => new S3Client({}).config.region;\n",
  );
  const spec: BundledHandler = {
    name: 'export',
    entry,
    description: 'baseline',
    memoryMb: 128,
    timeoutSeconds: 3,
    assets: [],
  };
  await build({ ...esbuildOptions(spec), entryPoints: { index: entry }, outdir: dir });
  return join(dir, 'index.mjs');
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/**
 * The chunks of a handler's collect modules, timed after its entry: what a collector's first run in a runtime
 * adds. Each is timed once to rank them; the median and the slowest are then timed against the baseline.
 */
function deferredLines(built: BuiltHandler, baseline: string): string[] {
  const collectChunks = [...built.chunks].filter(([source]) => /\/collect\.ts$/.test(source));
  if (!collectChunks.length) return [];
  const ranked = collectChunks
    .map(([source, chunk]) => ({ source, chunk, once: importOnce(built.file!, chunk)[1] }))
    .sort((a, b) => a.once - b.once);
  const name = (source: string) => source.replace(/^collectors\/aws\/|\/collect\.ts$/g, '');
  const [mid, most] = [ranked[Math.floor(ranked.length / 2)]!, ranked[ranked.length - 1]!].map((c) => ({
    ...c,
    ...againstBaseline(baseline, built.file!, c.chunk),
  }));
  return [
    `${built.spec.name}: ${collectChunks.length} collect modules, each imported on its collector's first run in a runtime:`,
    `  + ${fmt(mid!.deferred)} ms (median collector, ${name(mid!.source)}), at most + ${fmt(most!.deferred)} ms (${name(most!.source)});`,
    `  init + the slowest collector's import = ${fmt(most!.ms + most!.deferred)} ms = ${fmt((most!.ms + most!.deferred) / most!.base, 2)}× baseline (a cold start's worst case)`,
  ];
}

export async function runBundleBench(): Promise<string[]> {
  rmSync(OUT, { recursive: true, force: true });
  const baseline = await baselineBundle();
  const rows: string[] = [];
  const deferred: string[] = [];
  const bases: number[] = [];
  const only = process.env.PROOFLINE_BENCH_BUNDLE_ONLY?.split(',');
  for (const spec of ALL_HANDLERS.filter((h) => !only || only.includes(h.name))) {
    const built = await bundleHandler(spec, join(OUT, spec.name));
    const { ms, base } = againstBaseline(baseline, built.file!);
    bases.push(base);
    rows.push(
      `${spec.name.padEnd(24)}${kib(built.bytes).padStart(10)}${`${((100 * built.bytes) / BUNDLING.maxBytes).toFixed(0)}%`.padStart(9)}${kib(built.initBytes).padStart(11)}${fmt(ms).padStart(10)}${fmt(ms / base, 2).padStart(12)}`,
    );
    deferred.push(...deferredLines(built, baseline));
  }
  return [
    `Node ${process.version}; bundles as the stack deploys them (infra/bundle.ts: esbuild ${BUNDLING.target}, minified, ESM split at dynamic imports, @aws-sdk/* from the runtime)`,
    `module init = import() of index.mjs in a fresh process, median of ${RUNS}, alternating with the baseline: a bundle importing only @aws-sdk/client-s3 (median ${fmt(median(bases))} ms)`,
    '',
    `${'handler'.padEnd(24)}${'size'.padStart(10)}${'of 1 MB'.padStart(9)}${'at init'.padStart(11)}${'init ms'.padStart(10)}${'× baseline'.padStart(12)}`,
    ...rows,
    ...(deferred.length ? ['', 'Deferred to the first invocation that needs it:', ...deferred] : []),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await runBundleBench()) console.log(line);
}
