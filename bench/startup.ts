import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '../core/stores/local-store.ts';
import { buildCli } from '../scripts/build-cli.ts';
import { fmt } from './timing.ts';
import { yearStore } from './year.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'proofline.mjs');

interface Run {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
}

/** Wall time of one `node args…`, in milliseconds. */
function runMs({ name, args, env }: Run): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) throw new Error(`${name}: ${result.stderr.toString().trim()}`);
  return performance.now() - start;
}

/**
 * Median wall time of each run over `rounds` rounds (after one warm-up round). The runs take turns within a
 * round, so a machine whose load changes during the bench weighs on the baseline as on the CLI.
 */
function interleavedMedians(runs: readonly Run[], rounds: number): Map<string, number> {
  for (const run of runs) runMs(run);
  const times = new Map(runs.map((r) => [r.name, [] as number[]]));
  for (let i = 0; i < rounds; i++) for (const run of runs) times.get(run.name)!.push(runMs(run));
  return new Map(
    [...times].map(([name, t]) => [name, t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!] as const),
  );
}

/**
 * CLI start-up: the bundled CLI (`npm run build`) against `node -e 0` in the same run — `--help`; `status` on
 * an empty embedded store (what every reading command pays before its own work) and on a store holding a
 * day of the mid-size org of bench/year.ts (the demo's shape, larger); and `status` with Node's compile
 * cache turned off (what the first run after an install pays). PROOFLINE_BENCH_STARTUP_ROUNDS (default 11).
 */
export async function runStartupBench(): Promise<string[]> {
  await buildCli();
  const rounds = Number(process.env.PROOFLINE_BENCH_STARTUP_ROUNDS ?? 11);
  const empty = await mkdtemp(join(tmpdir(), 'proofline-startup-'));
  try {
    await (await LocalStore.open(empty)).close();
    const { dir: day } = await yearStore(1);
    const t = interleavedMedians(
      [
        { name: 'baseline', args: ['-e', '0'] },
        { name: 'help', args: [CLI, '--help'] },
        { name: 'empty', args: [CLI, '--store', empty, 'status'] },
        { name: 'day', args: [CLI, '--store', day, 'status'] },
        { name: 'cold', args: [CLI, '--store', day, 'status'], env: { NODE_DISABLE_COMPILE_CACHE: '1' } },
      ],
      rounds,
    );
    const baseline = t.get('baseline')!;
    const line = (what: string, name: string, goal: string) =>
      `${what}: ${fmt(t.get(name)!, 0)} ms = ${fmt(t.get(name)! / baseline)}× the baseline${goal}`;
    return [
      `node -e 0: ${fmt(baseline, 0)} ms (baseline; medians of ${rounds} interleaved rounds)`,
      line('proofline --help', 'help', ' (goal ≤ 2×)'),
      line('proofline status (empty embedded store)', 'empty', ' (goal ≤ 4×)'),
      line('proofline status (a day of the mid-size org)', 'day', ' (goal ≤ 4×)'),
      line('proofline status, compile cache off (first run after an install)', 'cold', ''),
    ];
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
}
