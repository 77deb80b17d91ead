/**
 * Each Lambda bundle's size and module-init time: the time `import()` of the built bundle takes in a fresh
 * Node process (median of several processes), against a baseline bundle that imports only the S3 client.
 * Standalone: `npx tsx bench/bundles.ts`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleHandler, esbuildOptions } from '../infra/bundle.ts';
import { ALL_HANDLERS, BUNDLING, type BundledHandler, PROJECT_ROOT } from '../infra/handlers.ts';
import { fmt } from './timing.ts';

const OUT = join(PROJECT_ROOT, 'bench', '.out', 'bundles');
const RUNS = 5;

/** Milliseconds one fresh `node` process spends importing `file` (median of RUNS processes). */
export function importMs(file: string, runs = RUNS): number {
  const script =
    'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(file).href],
      {
        env: {
          ...process.env,
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          AWS_REGION: 'us-east-1',
        },
        encoding: 'utf8',
      },
    );
    times.push(Number(out));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
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
  await build({ ...esbuildOptions(spec), entryPoints: [entry], outfile: join(dir, 'index.mjs') });
  return join(dir, 'index.mjs');
}

export async function runBundleBench(): Promise<string[]> {
  rmSync(OUT, { recursive: true, force: true });
  const baseline = importMs(await baselineBundle());
  const lines = [
    `Node ${process.version}; bundles as NodejsFunction builds them (esbuild ${BUNDLING.target}, minified, ESM, @aws-sdk/* from the runtime)`,
    `module init = import() of the bundle in a fresh process, median of ${RUNS}; baseline: a bundle importing only @aws-sdk/client-s3 = ${fmt(baseline)} ms`,
    '',
    `${'handler'.padEnd(24)}${'size'.padStart(12)}${'of 1 MB'.padStart(9)}${'init ms'.padStart(10)}${'× baseline'.padStart(12)}`,
  ];
  for (const spec of ALL_HANDLERS) {
    const built = await bundleHandler(spec, join(OUT, spec.name));
    const ms = importMs(built.file!);
    lines.push(
      `${spec.name.padEnd(24)}${`${(built.bytes / 1024).toFixed(0)} KiB`.padStart(12)}${`${((100 * built.bytes) / BUNDLING.maxBytes).toFixed(0)}%`.padStart(9)}${fmt(ms).padStart(10)}${fmt(ms / baseline, 2).padStart(12)}`,
    );
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await runBundleBench()) console.log(line);
}
