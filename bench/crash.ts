import { spawn, spawnSync } from 'node:child_process';
import { existsSync, watch as fsWatch } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatChainVerification, sealEndedPeriods } from '../cli/chain.ts';
import { verifyChain } from '../core/digest-chain.ts';
import { LocalSigner, publicKeyInfo } from '../core/signing.ts';
import { LocalStore } from '../core/stores/local-store.ts';
import { type IndexConsistency, indexConsistency } from '../core/stores/reindex.ts';
import { startGitHubStandIn } from '../demo/github-stand-in.ts';
import { acmeSeed, DEMO_GITHUB_ORG, DEMO_GITHUB_TOKEN } from '../demo/seed-github.ts';
import { buildCli } from '../scripts/build-cli.ts';
import { random } from './timing.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** libfaketime, which moves the CLI's clock: the CLI has no clock option, and digests seal only ended periods. */
export const FAKETIME_LIB = [
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
  /** When the kill was sent, counted from the process's first write. */
  readonly killAfterWriteMs: number;
  /** Whether the operation was still running when killed (else it had completed). */
  readonly killed: boolean;
  /** Whether the store opened after the kill. */
  readonly opens: boolean;
  readonly afterKill: IndexConsistency | undefined;
  /** Whether the killed process had changed the store (rows, files, temporary files or digests) before it died. */
  readonly wrote: boolean;
  /** Exit code of the rerun of the operation. */
  readonly rerunCode: number;
  /** verify-chain after the rerun and the hourly seal, and what it printed. */
  readonly chainValid: boolean;
  readonly verifyOutput: string;
}

/**
 * One clock for every process of a run: the kernel's clock plus one offset (libfaketime's `FAKETIME=+N`), as
 * processes on one machine share one clock. (A fixed start per process — `FAKETIME=@…` — gives each process
 * its own timeline: a process started after another that ran longer than the gap between their starts would
 * stamp its writes before the other's.) The offset is fixed once per run, while no process of the run lives.
 */
export class Timeline {
  private constructor(
    /** How far this process's clock is ahead of the kernel's (it may itself run under faketime, as CI does). */
    private readonly skewMs: number,
    private readonly offsetSeconds: number,
  ) {}

  /** A timeline whose clock reads `at` now. */
  static startingAt(at: Date, skewMs = kernelClockSkew()): Timeline {
    const kernelNow = Date.now() - skewMs;
    return new Timeline(skewMs, Math.round((at.getTime() - kernelNow) / 1000));
  }

  /** The same skew, another start: the next run's timeline. */
  at(start: Date): Timeline {
    return Timeline.startingAt(start, this.skewMs);
  }

  now(): Date {
    return new Date(Date.now() - this.skewMs + this.offsetSeconds * 1000);
  }

  env(): NodeJS.ProcessEnv {
    if (!FAKETIME_LIB) throw new Error('the crash bench needs libfaketime (apt-get install faketime)');
    return {
      LD_PRELOAD: FAKETIME_LIB,
      FAKETIME: `${this.offsetSeconds >= 0 ? '+' : ''}${this.offsetSeconds}`,
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
    };
  }
}

/** This process's clock minus the kernel's, read by a child without libfaketime. */
function kernelClockSkew(): number {
  const { LD_PRELOAD: _, FAKETIME: __, ...env } = process.env;
  const before = Date.now();
  const child = spawnSync(process.execPath, ['-p', 'Date.now()'], { env, encoding: 'utf8' });
  return Math.round((before + Date.now()) / 2 - Number(child.stdout.trim()));
}

interface Harness {
  readonly cli: string;
  readonly config: string;
  readonly upload: string;
}

/** The CLI's arguments for an operation on `store` (an export writes a new file each time). */
function argsOf(h: Harness, store: string, op: CrashOperation, tag: string): string[] {
  const base = ['--store', store, '--config', h.config];
  switch (op) {
    case 'collect':
      return [...base, 'collect', '--collector', 'github.org.settings', '--collector', 'github.org.members'];
    case 'digest':
      return [...base, 'digest'];
    case 'export':
      return [...base, 'export', '--framework', 'soc2', '--from', '2027-03-02', '--to', '2027-03-02'].concat([
        '--seed',
        '1',
        '--out',
        join(store, '..', `archive-${tag}.zip`),
      ]);
    case 'upload':
      return [...base, 'evidence', 'upload', '--control', 'GOV-02', '--uploader', 'crash-bench', h.upload];
  }
}

/**
 * Runs the bundled CLI as its own process on `clock`, watching `folder` (the run's: the store and the archives
 * written beside it) for the process's first write — an evidence, digest, upload or archive file created or
 * changed (the index's files change when it is opened, so they do not count; its rows follow the files).
 * `killAfterWriteMs` sends SIGKILL that long after the first write, so start-up on a loaded machine cannot
 * move the kill out of the writing.
 */
function cli(
  h: Harness,
  args: readonly string[],
  clock: Timeline,
  folder: string,
  killAfterWriteMs?: number,
): Promise<{ code: number; killed: boolean; out: string; ms: number; firstWriteMs?: number }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...clock.env(),
    GITHUB_TOKEN: DEMO_GITHUB_TOKEN,
    TZ: 'UTC',
  };
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [h.cli, ...args], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let killed = false;
    let firstWriteMs: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const watcher = fsWatch(folder, { recursive: true }, (_event, name) => {
      if (firstWriteMs !== undefined || !name || /index\.sqlite/.test(String(name))) return;
      firstWriteMs = Date.now() - started;
      if (killAfterWriteMs !== undefined)
        timer = setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, killAfterWriteMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      watcher.close();
      resolve({
        code: code ?? (signal ? 137 : 1),
        killed: killed && signal === 'SIGKILL',
        out,
        ms: Date.now() - started,
        ...(firstWriteMs === undefined ? {} : { firstWriteMs }),
      });
    });
  });
}

const completed = (code: number) => code === 0 || code === 3; // 3: collected, some controls failing

type Inspection = IndexConsistency & { readonly digests: number };

/** Opens the store in this process and compares its index with its files. */
async function inspect(store: string): Promise<Inspection | undefined> {
  try {
    const opened = await LocalStore.openReadOnly(store);
    try {
      return { ...(await indexConsistency(opened)), digests: (await opened.listDigestKeys()).length };
    } finally {
      await opened.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * What the hours after a run bring, on the run's clock: the hourly seal (the deployed digest function, or the
 * next scheduled `collect` of an embedded store), then verify-chain against the store's key.
 */
async function sealAndVerify(store: string, clock: Timeline): Promise<{ valid: boolean; output: string }> {
  const writer = await LocalStore.open(store, { now: () => clock.now() });
  const signer = await LocalSigner.open(store);
  try {
    await sealEndedPeriods(writer, signer, { now: clock.now() });
  } finally {
    await writer.close();
  }
  const reader = await LocalStore.openReadOnly(store);
  try {
    const result = await verifyChain(reader, [(await publicKeyInfo(signer)).pem], { now: clock.now() });
    return { valid: result.ok, output: formatChainVerification(result).join('\n') };
  } finally {
    await reader.close();
  }
}

/** The base store every run copies: two GitHub collections and an upload in the hour before the runs. */
const BASE_HOUR = Date.parse('2027-03-02T09:00:00Z');
/** Runs start after that hour ended and settled (so `collect` and `digest` seal it), at a seeded minute. */
const runStart = (next: () => number) =>
  new Date(BASE_HOUR + 3_600_000 + 65_000 + Math.floor(next() * 20) * 60_000);

/**
 * `runs` seeded crash runs, each on a fresh copy of one seeded base store, all fed by one GitHub stand-in:
 * each picks an operation, kills it (SIGKILL) a seeded time after its first write, checks that the store
 * opens and how its index and files agree, reruns the operation, seals the ended hour and verifies the chain.
 */
export async function crashRuns(options: {
  runs: number;
  seed: number;
  /**
   * Where the kill falls, as fractions of the operation's writing time — from its first write to the store (or
   * the archive) to its exit, measured once — counted from that first write (default 0–1: anywhere in it).
   */
  window?: readonly [number, number];
  /** Kill these operations in turn (default: a seeded pick each run). */
  operations?: readonly CrashOperation[];
  /** Progress, one line per step with its wall time. */
  log?: (line: string) => void;
}): Promise<CrashRun[]> {
  const log = options.log ?? (() => {});
  let last = Date.now();
  const step = (what: string) => {
    log(`${what} (${Date.now() - last} ms)`);
    last = Date.now();
  };
  const [from, to] = options.window ?? [0, 1];
  const github = await startGitHubStandIn(acmeSeed(new Date('2027-03-01T00:00:00Z')));
  const dir = await mkdtemp(join(tmpdir(), 'proofline-crash-'));
  // The CLI bundled as it ships (start-up in a fraction of tsx's), built from this tree into the project, where
  // its imports resolve.
  const out = join(ROOT, 'bench', '.out', `crash-cli-${process.pid}`);
  const h: Harness = {
    cli: join(out, 'proofline.mjs'),
    config: join(dir, 'proofline.config.yaml'),
    upload: join(dir, 'minutes.pdf'),
  };
  try {
    await buildCli({ outdir: out });
    step('CLI bundled');
    await writeFile(
      h.config,
      `scope:\n  github:\n    orgs: [${DEMO_GITHUB_ORG}]\n    baseUrl: ${github.url}\n`,
    );
    await writeFile(h.upload, Buffer.alloc(4 << 20, 'minutes '));
    const base = join(dir, 'base', 'store');
    const baseClock = Timeline.startingAt(new Date(BASE_HOUR + 5 * 60_000));
    for (const op of ['collect', 'upload'] as const) {
      const result = await cli(h, argsOf(h, base, op, 'base'), baseClock, dir);
      if (!completed(result.code)) throw new Error(`${op} failed on the base store: ${result.out}`);
      step(`base store: ${op}`);
    }
    const before = await inspect(base);
    const changed = (after: Inspection | undefined) =>
      after !== undefined &&
      (['rows', 'files', 'tempFiles', 'digests'] as const).some((k) => after[k] !== before?.[k]);
    const copy = async (name: string) => {
      const store = join(dir, name, 'store');
      await mkdir(join(dir, name));
      await cp(base, store, { recursive: true });
      return store;
    };
    // Each operation's writing time, once, where the runs will be: most of a process's life is start-up and
    // reading, and a kill there tests nothing.
    const writing = new Map<CrashOperation, { firstWriteMs: number; ms: number }>();
    for (const op of CRASH_OPERATIONS) {
      const store = await copy(`timed-${op}`);
      const result = await cli(
        h,
        argsOf(h, store, op, 'timed'),
        baseClock.at(new Date(BASE_HOUR + 3_665_000)),
        join(store, '..'),
      );
      if (!completed(result.code)) throw new Error(`${op} failed before any crash: ${result.out}`);
      writing.set(op, { firstWriteMs: result.firstWriteMs ?? 0, ms: result.ms });
      step(`timed ${op}: first write at ${result.firstWriteMs} ms of ${result.ms} ms`);
    }
    // The same seed kills at the same points.
    const next = random(options.seed);
    const runs: CrashRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      const pick = CRASH_OPERATIONS[Math.floor(next() * CRASH_OPERATIONS.length)]!;
      const operation = options.operations?.[run % options.operations.length] ?? pick;
      const { firstWriteMs, ms } = writing.get(operation)!;
      const killAfterWriteMs = Math.round((ms - firstWriteMs) * (from + (to - from) * next()));
      const clock = baseClock.at(runStart(next));
      const store = await copy(`run-${run}`);
      const folder = join(store, '..');
      const killedRun = await cli(h, argsOf(h, store, operation, 'killed'), clock, folder, killAfterWriteMs);
      const afterKill = await inspect(store);
      const rerun = await cli(h, argsOf(h, store, operation, 'rerun'), clock, folder);
      const verify = await sealAndVerify(store, clock).catch((error: Error) => ({
        valid: false,
        output: error.message,
      }));
      runs.push({
        run,
        operation,
        killAfterWriteMs,
        killed: killedRun.killed,
        opens: afterKill !== undefined,
        afterKill,
        wrote: changed(afterKill),
        rerunCode: rerun.code,
        chainValid: verify.valid,
        verifyOutput: verify.output,
      });
      await rm(join(store, '..'), { recursive: true, force: true });
      step(
        `run ${run}: ${operation} ${killedRun.killed ? 'killed' : 'completed'} at ${killAfterWriteMs} ms after its first write`,
      );
    }
    return runs;
  } finally {
    await github.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  }
}

/** A run is clean when the store opens, no index row lacks its file, the rerun completes and the chain verifies. */
export const cleanRun = (r: CrashRun): boolean =>
  r.opens && r.afterKill?.rowsWithoutFile.length === 0 && completed(r.rerunCode) && r.chainValid;

/** ≥ 50 seeded crash runs: kills per operation, what the store held after each kill, and the outcomes. */
export async function runCrashBench(runs = 52, seed = 19, log?: (line: string) => void): Promise<string[]> {
  const started = Date.now();
  const results = await crashRuns({ runs, seed, ...(log ? { log } : {}) });
  const lines = [
    `crash runs: ${results.length} (seed ${seed}), SIGKILL anywhere from each operation's first write to its exit, ${Math.round((Date.now() - started) / 1000)} s`,
  ];
  for (const op of CRASH_OPERATIONS) {
    const mine = results.filter((r) => r.operation === op);
    const killed = mine.filter((r) => r.killed);
    lines.push(
      `  ${op}: ${mine.length} runs, ${killed.length} killed mid-operation (${killed.filter((r) => r.wrote).length} after writing to the store), ${mine.length - killed.length} after it completed, ${mine.filter(cleanRun).length} clean`,
    );
  }
  const sum = (f: (c: IndexConsistency) => number) =>
    results.reduce((n, r) => n + (r.afterKill ? f(r.afterKill) : 0), 0);
  lines.push(
    `  after the kills: store opened ${results.filter((r) => r.opens).length}/${results.length}; index rows without file ${sum((c) => c.rowsWithoutFile.length)}; files without row ${sum((c) => c.filesWithoutRow.length)} (interrupted between publish and index; reindex adopts them); temporary files ${sum((c) => c.tempFiles)} (reindex removes them)`,
  );
  lines.push(
    `  reruns completed ${results.filter((r) => completed(r.rerunCode)).length}/${results.length}; verify-chain clean after the hour's seal ${results.filter((r) => r.chainValid).length}/${results.length}`,
  );
  for (const r of results.filter((r) => !cleanRun(r)))
    lines.push(
      `  NOT CLEAN run ${r.run} (${r.operation}, kill ${r.killAfterWriteMs} ms after the first write): rerun ${r.rerunCode}: ${r.verifyOutput
        .split('\n')
        .filter((l) => /PROBLEM|INVALID| {4}/.test(l))
        .slice(0, 3)
        .join(' | ')}`,
    );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [runs, seed] = process.argv.slice(2).map(Number);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  for (const line of await runCrashBench(runs || undefined, seed || undefined, progress)) console.log(line);
}
