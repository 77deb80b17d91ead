import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '../core/stores/local-store.ts';
import { buildCli } from '../scripts/build-cli.ts';
import { fmt } from './timing.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'proofline.mjs');

/** Median wall time of running `node args…` `runs` times (after one warm-up), in milliseconds. */
function medianRunMs(args: readonly string[], runs = 5): number {
  const once = () => {
    const start = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    if (result.status !== 0) throw new Error(`node ${args.join(' ')}: ${result.stderr.toString().trim()}`);
    return performance.now() - start;
  };
  once();
  const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * CLI start-up: the bundled CLI (`npm run build`) against `node -e 0` in the same run — `--help`, and
 * `status` on an empty embedded store (what every reading command pays before its own work).
 */
export async function runStartupBench(): Promise<string[]> {
  await buildCli();
  const store = await mkdtemp(join(tmpdir(), 'proofline-startup-'));
  try {
    await (await LocalStore.open(store)).close();
    const baseline = medianRunMs(['-e', '0']);
    const help = medianRunMs([CLI, '--help']);
    const status = medianRunMs([CLI, '--store', store, 'status']);
    return [
      `node -e 0: ${fmt(baseline, 0)} ms (baseline)`,
      `proofline --help: ${fmt(help, 0)} ms = ${fmt(help / baseline)}× the baseline (goal ≤ 2×)`,
      `proofline status (empty embedded store): ${fmt(status, 0)} ms = ${fmt(status / baseline)}× the baseline (goal ≤ 4×)`,
    ];
  } finally {
    await rm(store, { recursive: true, force: true });
  }
}
