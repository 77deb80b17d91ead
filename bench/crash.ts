import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '../core/stores/local-store.ts';
import { type IndexConsistency, indexConsistency } from '../core/stores/reindex.ts';
import { startGitHubStandIn } from '../demo/github-stand-in.ts';
import { acmeSeed, DEMO_GITHUB_ORG, DEMO_GITHUB_TOKEN } from '../demo/seed-github.ts';
import { random } from './timing.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FAKETIME_LIB = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1',
  '/usr/lib/faketime/libfaketime.so.1',
].find(existsSync);

export const CRASH_OPERATIONS = ['collect', 'digest', 'export', 'upload'] as const;
export type CrashOperation = (typeof CRASH_OPERATIONS)[number];

/** What one seeded run found after `kill -9` of an operation and the rerun that followed. */
export interface CrashRun {
  readonly run: number;
  readonly operation: CrashOperation;
  readonly killAfterMs: number;
  /** Whether the operation was still running when killed (else it had completed). */
  readonly killed: boolean;
  /** Whether the store opened after the kill. */
  readonly opens: boolean;
  readonly afterKill: IndexConsistency | undefined;
  /** Exit code of the rerun of the operation, and of verify-chain after it. */
  readonly rerunCode: number;
  readonly verifyCode: number;
  readonly verifyOutput: string;
}

interface Harness {
  readonly dir: string;
  readonly store: string;
  readonly config: string;
  readonly upload: string;
  readonly githubUrl: string;
}

/** The CLI's arguments for an operation (an export writes to a new file each time). */
function argsOf(h: Harness, op: CrashOperation, tag: string): string[] {
  const base = ['--store', h.store, '--config', h.config];
  switch (op) {
    case 'collect':
      return [...base, 'collect', '--collector', 'github.org.settings', '--collector', 'github.org.members'];
    case 'digest':
      return [...base, 'digest'];
    case 'export':
      return [...base, 'export', '--framework', 'soc2', '--from', '2027-03-01', '--to', '2027-03-31'].concat([
        '--seed',
        '1',
        '--out',
        join(h.dir, `archive-${tag}.zip`),
      ]);
    case 'upload':
      return [...base, 'evidence', 'upload', '--control', 'GOV-02', '--uploader', 'crash-bench', h.upload];
  }
}

/**
 * Runs the CLI as its own process at the fake time `at` (libfaketime, when installed: the CLI has no clock
 * option, and digests seal only periods that ended); `killAfterMs` sends SIGKILL after that long.
 */
function cli(
  args: readonly string[],
  at: Date,
  killAfterMs?: number,
): Promise<{ code: number; killed: boolean; out: string; ms: number }> {
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_TOKEN: DEMO_GITHUB_TOKEN, TZ: 'UTC' };
  if (FAKETIME_LIB) {
    env.LD_PRELOAD = FAKETIME_LIB;
    env.FAKETIME = `@${at.toISOString().slice(0, 19).replace('T', ' ')}`;
    env.FAKETIME_DONT_FAKE_MONOTONIC = '1';
  }
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/proofline.ts', ...args], {
      cwd: ROOT,
      env,
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let killed = false;
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 137 : 1),
        killed: killed && signal === 'SIGKILL',
        out,
        ms: Date.now() - started,
      });
    });
  });
}

/** Opens the store in this process and compares its index with its files. */
async function inspect(store: string): Promise<IndexConsistency | undefined> {
  try {
    const opened = await LocalStore.openReadOnly(store);
    try {
      return await indexConsistency(opened);
    } finally {
      await opened.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * `runs` seeded crash runs on one embedded store fed by the GitHub stand-in: each picks an operation, kills it
 * (SIGKILL) at a seeded point of its measured duration, checks that the store opens and how its index and files
 * agree, reruns the operation and verifies the chain. Runs advance the fake clock 20 minutes each, so digests
 * seal the hours the runs wrote.
 */
export async function crashRuns(options: {
  runs: number;
  seed: number;
  /** Where in the measured duration the kill falls, as fractions (default 0.2–1: anywhere after start-up). */
  window?: readonly [number, number];
}): Promise<CrashRun[]> {
  const [from, to] = options.window ?? [0.2, 1];
  const github = await startGitHubStandIn(acmeSeed(new Date('2027-03-01T00:00:00Z')));
  const dir = await mkdtemp(join(tmpdir(), 'proofline-crash-'));
  const h: Harness = {
    dir,
    store: join(dir, 'store'),
    config: join(dir, 'proofline.config.yaml'),
    upload: join(dir, 'minutes.pdf'),
    githubUrl: github.url,
  };
  try {
    await writeFile(
      h.config,
      `scope:\n  github:\n    orgs: [${DEMO_GITHUB_ORG}]\n    baseUrl: ${github.url}\n`,
    );
    await writeFile(h.upload, Buffer.alloc(4 << 20, 'minutes '));
    const start = Date.parse('2027-03-02T09:00:00Z');
    // One complete run of each operation: the store's first evidence, and each operation's duration.
    const duration = new Map<CrashOperation, number>();
    for (const op of CRASH_OPERATIONS) {
      const result = await cli(argsOf(h, op, `setup-${op}`), new Date(start));
      if (result.code !== 0 && result.code !== 3)
        throw new Error(`${op} failed before any crash: ${result.out}`);
      duration.set(op, result.ms);
    }
    // The same seed kills at the same points.
    const next = random(options.seed);
    const runs: CrashRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      const at = new Date(start + (run + 1) * 20 * 60_000);
      const operation = CRASH_OPERATIONS[Math.floor(next() * CRASH_OPERATIONS.length)]!;
      const killAfterMs = Math.round(duration.get(operation)! * (from + (to - from) * next()));
      const killedRun = await cli(argsOf(h, operation, `${run}-killed`), at, killAfterMs);
      const afterKill = await inspect(h.store);
      const later = new Date(at.getTime() + 5 * 60_000);
      const rerun = await cli(argsOf(h, operation, `${run}-rerun`), later);
      const verify = await cli(['--store', h.store, 'verify-chain'], new Date(later.getTime() + 60_000));
      runs.push({
        run,
        operation,
        killAfterMs,
        killed: killedRun.killed,
        opens: afterKill !== undefined,
        afterKill,
        rerunCode: rerun.code,
        verifyCode: verify.code,
        verifyOutput: verify.out,
      });
    }
    return runs;
  } finally {
    await github.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A run is clean when the store opens, no index row lacks its file, the rerun completes and the chain verifies. */
export const cleanRun = (r: CrashRun): boolean =>
  r.opens && r.afterKill?.rowsWithoutFile.length === 0 && [0, 3].includes(r.rerunCode) && r.verifyCode === 0;

/** ≥ 50 seeded crash runs: kills per operation, what the store held after each kill, and the outcomes. */
export async function runCrashBench(runs = 52, seed = 19): Promise<string[]> {
  const results = await crashRuns({ runs, seed });
  const lines = [
    `crash runs: ${results.length} (seed ${seed}), SIGKILL at 20–100% of each operation's duration`,
  ];
  for (const op of CRASH_OPERATIONS) {
    const mine = results.filter((r) => r.operation === op);
    lines.push(
      `  ${op}: ${mine.length} runs, ${mine.filter((r) => r.killed).length} killed mid-run, ${mine.filter(cleanRun).length} clean`,
    );
  }
  const sum = (f: (c: IndexConsistency) => number) =>
    results.reduce((n, r) => n + (r.afterKill ? f(r.afterKill) : 0), 0);
  lines.push(
    `  after the kills: store opened ${results.filter((r) => r.opens).length}/${results.length}; index rows without file ${sum((c) => c.rowsWithoutFile.length)}; files without row ${sum((c) => c.filesWithoutRow.length)} (interrupted between publish and index; reindex adopts them); temporary files ${sum((c) => c.tempFiles)}`,
  );
  lines.push(
    `  reruns completed ${results.filter((r) => [0, 3].includes(r.rerunCode)).length}/${results.length}; verify-chain clean ${results.filter((r) => r.verifyCode === 0).length}/${results.length}`,
  );
  for (const r of results.filter((r) => !cleanRun(r)))
    lines.push(
      `  NOT CLEAN run ${r.run} (${r.operation}, kill at ${r.killAfterMs} ms): rerun ${r.rerunCode}, verify ${r.verifyCode}: ${r.verifyOutput
        .split('\n')
        .filter((l) => /PROBLEM|INVALID|proofline:| {4}/.test(l))
        .slice(0, 3)
        .join(' | ')}`,
    );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [runs, seed] = process.argv.slice(2).map(Number);
  for (const line of await runCrashBench(runs || undefined, seed || undefined)) console.log(line);
}
