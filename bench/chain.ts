/**
 * A year of hourly digests: export and verify-chain against baselines measured in the same run on the same
 * files — `sha256sum` + `zip -0` for the export, `openssl dgst -verify` per digest for the chain — and the
 * last 30 days of the year checked against the same check on a store of those 30 days alone.
 *
 *   npx tsx bench/chain.ts                                   365 days, 12 artifacts a day, hourly digests
 *   PROOFLINE_BENCH_CHAIN_DAYS=60 npx tsx bench/chain.ts     a quicker run
 *   PROOFLINE_BENCH_CHAIN_ONLY=export npx tsx bench/chain.ts the export alone (or `chain`: verify-chain alone)
 *
 * Stores are built with the product's own code and an injected clock, and kept in the temp folder keyed by
 * their parameters, so a rerun measures the same files.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { buildArchive } from '../core/archive/build.ts';
import { periodDigests } from '../core/archive/export.ts';
import { parsePeriod } from '../core/archive/period.ts';
import type { Manifest } from '../core/archive/types.ts';
import { signingInput, verifyChain, writeDueDigests } from '../core/digest-chain.ts';
import type { Control } from '../core/model.ts';
import { LocalSigner } from '../core/signing.ts';
import { LocalStore } from '../core/stores/local-store.ts';
import { fmt } from './timing.ts';

const DAY_MS = 86_400_000;
const PER_DAY = 12;
const LAST_DAY = Date.parse('2026-11-30T00:00:00.000Z');
const CONTROL: Control = {
  id: 'BENCH-01',
  title: 'Benchmark control',
  objective: 'Evidence for the chain benchmark.',
  owner: 'platform',
  type: 'automated',
  // One check per collector: the archive holds every evidence file, as the baseline hashes and zips them all.
  checks: ['bench.check-0', 'bench.check-1', 'bench.check-2', 'bench.check-3'],
  soc2: ['CC6.1'],
  iso27001: ['A.8.5'],
  links: [],
};
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A store of `days` days ending on LAST_DAY: PER_DAY artifacts a day (~4 kB each), digested hourly. */
async function chainStore(days: number): Promise<string> {
  const dir = join(tmpdir(), `proofline-bench-chain-${days}d-${PER_DAY}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  let clock = new Date(LAST_DAY - days * DAY_MS);
  const store = await LocalStore.open(dir, { now: () => clock });
  const signer = await LocalSigner.open(dir);
  for (let d = 0; d < days; d++) {
    const start = LAST_DAY - (days - d) * DAY_MS;
    for (let i = 0; i < PER_DAY; i++) {
      const collectedAt = new Date(start + (i * DAY_MS) / PER_DAY + 60_000);
      clock = new Date(collectedAt.getTime() + 1_000);
      await store.putArtifact({
        collector: `bench.collector-${i % 4}`,
        scope: { source: 'aws', id: String(100000000000 + (i % 3)) },
        collectedAt: collectedAt.toISOString(),
        schemaVersion: 1,
        status: 'ok',
        snapshot: {
          day: d,
          i,
          items: Array.from({ length: 40 }, (_, n) => ({ n, name: `item-${d}-${i}-${n}` })),
        },
      });
    }
    clock = new Date(start + DAY_MS + 120_000);
    await writeDueDigests(store, signer, { upTo: new Date(start + DAY_MS).toISOString(), now: clock });
  }
  await store.close();
  await writeFile(join(dir, '.complete'), '');
  return dir;
}

const wall = async (fn: () => Promise<unknown>) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};
/**
 * The one bash the baselines run in, started with the bench while its memory is small. Starting a process per
 * command forks the bench, hundreds of megabytes after an export: its memory is then copy-on-write, and the export
 * timed next paid about 0.4 s of page faults that a `proofline export`, a process of its own, never pays.
 */
const baselineShell = spawn('bash', ['--norc', '--noprofile'], { stdio: ['pipe', 'pipe', 'inherit'] });
const shellLines = createInterface({ input: baselineShell.stdout });
const idle = () => {
  baselineShell.unref();
  (baselineShell.stdin as unknown as { unref(): void }).unref();
  (baselineShell.stdout as unknown as { unref(): void }).unref();
};
idle();

/** A command's wall time in ms, run in `cwd` by the baseline shell; its output is discarded, a failure throws. */
export async function shell(command: string, cwd: string): Promise<number> {
  baselineShell.ref();
  (baselineShell.stdout as unknown as { ref(): void }).ref();
  try {
    const answer = once(shellLines, 'line');
    baselineShell.stdin.write(
      `cd '${cwd}' && s=$(date +%s%N) && { ${command} ; } >/dev/null 2>&1; echo "$? $(( $(date +%s%N) - s ))"\n`,
    );
    const [line] = (await answer) as [string];
    const [status, ns] = line.split(' ').map(Number);
    if (status !== 0) throw new Error(`baseline command failed (exit ${status}): ${command}`);
    return ns! / 1e6;
  } finally {
    idle();
  }
}

/** verify-chain over [from, LAST_DAY], as the CLI runs it, in ms (best of two). */
async function chainCheck(dir: string, from?: string) {
  const store = await LocalStore.openReadOnly(dir);
  const pem = await (await LocalSigner.open(dir)).publicKeyPem();
  const to = new Date(LAST_DAY).toISOString();
  let best = Number.POSITIVE_INFINITY;
  let digests = 0;
  for (let round = 0; round < 2; round++) {
    const ms = await wall(async () => {
      const v = await verifyChain(store, [pem], {
        to,
        now: new Date(LAST_DAY + 900_000),
        ...(from ? { from } : {}),
      });
      if (!v.ok) throw new Error(`chain not ok: ${v.problems} problems`);
      digests = v.periods.length;
    });
    best = Math.min(best, ms);
  }
  await store.close();
  return { ms: best, digests };
}

/** `openssl dgst -sha256 -verify` of `sample` digests' signing inputs, in ms per digest. */
async function opensslPerDigest(dir: string, sample: number): Promise<number> {
  const store = await LocalStore.openReadOnly(dir);
  const work = await mkdtemp(join(tmpdir(), 'proofline-bench-openssl-'));
  await writeFile(join(work, 'key.pem'), await (await LocalSigner.open(dir)).publicKeyPem());
  const records = (await store.digestRecords({})).slice(0, sample);
  for (const [n, r] of records.entries()) {
    const bytes = (await store.readDigest(r.key))!.bytes;
    const sha = createHash('sha256').update(bytes).digest('hex');
    const body = JSON.parse(bytes.toString()) as { previousDigestSignature: string | null };
    await writeFile(
      join(work, `${n}.txt`),
      signingInput(r.periodEnd, r.key, sha, body.previousDigestSignature),
    );
    await writeFile(join(work, `${n}.sig`), Buffer.from(r.signature, 'hex'));
  }
  await store.close();
  const script = records
    .map((_, n) => `openssl dgst -sha256 -verify key.pem -signature ${n}.sig ${n}.txt >/dev/null`)
    .join(' && ');
  const ms = await shell(script, work);
  await rm(work, { recursive: true, force: true });
  return ms / records.length;
}

/** The process's resident memory at its highest until `stop()`, sampled every 10 ms. */
export function peakRss() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** The year's archive (evidence and digests) against sha256sum + zip -0 of the same files, in ms. */
async function exportVsBaseline(dir: string, days: number) {
  const store = await LocalStore.openReadOnly(dir);
  const signer = await LocalSigner.open(dir);
  const from = dayOf(LAST_DAY - days * DAY_MS);
  const to = dayOf(LAST_DAY - DAY_MS);
  const period = parsePeriod(from, to);
  const files = [
    ...(await store.listArtifacts()).map((r) => r.key),
    ...(await store.digestRecords({ from: period.start, to: period.end })).map((r) => r.key),
  ];
  const list = join(dir, '.files.txt');
  await writeFile(list, `${files.map((k) => relative(dir, store.pathOf(k))).join('\n')}\n`);
  const out = join(tmpdir(), 'proofline-bench-chain.zip');
  const archive = join(tmpdir(), 'proofline-bench-chain-export.zip');
  let best = {
    export: Number.POSITIVE_INFINITY,
    sha: Number.POSITIVE_INFINITY,
    zip: Number.POSITIVE_INFINITY,
  };
  let bytes = 0;
  let rss = 0;
  let entries = 0;
  for (let round = 0; round < 2; round++) {
    const sha = await shell(`xargs -a ${list} sha256sum > /dev/null`, dir);
    await rm(out, { force: true });
    const zip = await shell(`zip -0 -q ${out} -@ < ${list}`, dir);
    const peak = peakRss();
    let manifest: Manifest | undefined;
    const exported = await wall(async () => {
      ({ manifest } = await buildArchive({
        store,
        signer,
        output: createWriteStream(archive, { highWaterMark: 1 << 20 }),
        framework: 'soc2',
        from,
        to,
        controls: [CONTROL],
        collectorOfCheck: new Map(CONTROL.checks.map((check, i) => [check, `bench.collector-${i}`])),
        digests: periodDigests(store, period),
        generator: { name: 'proofline', version: 'bench' },
        now: () => new Date(LAST_DAY + DAY_MS),
      }));
    });
    rss = Math.max(rss, peak.stop());
    bytes = (await stat(archive)).size;
    entries = manifest!.artifacts.length + manifest!.digests.length;
    if (exported < best.export) best = { ...best, export: exported };
    if (sha + zip < best.sha + best.zip) best = { ...best, sha, zip };
  }
  await store.close();
  await rm(out, { force: true });
  await rm(archive, { force: true });
  if (entries !== files.length)
    throw new Error(`the archive holds ${entries} evidence and digest files, the baseline ${files.length}`);
  return { ...best, files: files.length, zipBytes: bytes, rss };
}

export async function runChainBench(): Promise<string[]> {
  const days = Number(process.env.PROOFLINE_BENCH_CHAIN_DAYS ?? 365);
  const lines: string[] = [];
  const buildStart = performance.now();
  const year = await chainStore(days);
  const month = await chainStore(30);
  lines.push(`stores ready in ${fmt((performance.now() - buildStart) / 1000)} s: ${year} and ${month}`);
  const size = async (path: string) => (await stat(path)).size;
  lines.push(`${days}-day store: index ${fmt((await size(join(year, 'index.sqlite'))) / 1e6)} MB`);

  const only = process.env.PROOFLINE_BENCH_CHAIN_ONLY;
  if (only !== 'export') lines.push(...(await chainFigures(year, month, days)));
  if (only !== 'chain') lines.push(...(await exportFigures(year, days)));
  return lines;
}

/** verify-chain of the whole year, then of its last 30 days against a 30-day store. */
async function chainFigures(year: string, month: string, days: number): Promise<string[]> {
  const lines: string[] = [];
  const whole = await chainCheck(year);
  const perDigest = await opensslPerDigest(year, 100);
  lines.push(
    `verify-chain, ${days} days (${whole.digests} digests, ${days * PER_DAY} artifacts): ${fmt(whole.ms / 1000, 2)} s`,
    `baseline: openssl dgst -verify ${fmt(perDigest, 2)} ms per digest (100 timed) × ${whole.digests} = ${fmt((perDigest * whole.digests) / 1000, 2)} s`,
  );
  const from = new Date(LAST_DAY - 30 * DAY_MS).toISOString();
  // Alternated, median of three: the machine is shared and its page cache warms as the runs go.
  const last30s: number[] = [];
  const alones: number[] = [];
  for (let round = 0; round < 3; round++) {
    last30s.push((await chainCheck(year, from)).ms);
    alones.push((await chainCheck(month, from)).ms);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[1]!;
  const last30 = { ms: median(last30s) };
  const alone = { ms: median(alones) };
  const ratio = last30.ms / alone.ms;
  lines.push(
    `verify-chain --from the last 30 days: ${fmt(last30.ms)} ms in the ${days}-day store, ${fmt(alone.ms)} ms in a 30-day store = ${fmt(ratio, 2)}× (goal ≤ 1.10) ${ratio <= 1.1 ? 'OK' : 'ABOVE GOAL'}`,
  );
  const before = await chainCheck(month, new Date(LAST_DAY - 400 * DAY_MS).toISOString());
  lines.push(
    `verify-chain --from 400 days before a 30-day chain: ${before.digests} periods from its first write, clean`,
  );
  return lines;
}

/** The year's export against sha256sum + zip -0 of the same files. */
async function exportFigures(year: string, days: number): Promise<string[]> {
  const lines: string[] = [];
  const exported = await exportVsBaseline(year, days);
  const baseline = exported.sha + exported.zip;
  const exportRatio = exported.export / baseline;
  lines.push(
    `export of ${days} days (${exported.files} evidence and digest files, ${fmt(exported.zipBytes / 1e6)} MB zip): ${fmt(exported.export / 1000, 2)} s, peak RSS ${fmt(exported.rss / 1e6)} MB`,
    `baseline over the same files: sha256sum ${fmt(exported.sha / 1000, 2)} s + zip -0 ${fmt(exported.zip / 1000, 2)} s = ${fmt(baseline / 1000, 2)} s → export ${fmt(exportRatio, 2)}× (goal ≤ 1.5×) ${exportRatio <= 1.5 ? 'OK' : 'ABOVE GOAL'}`,
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await runChainBench()) console.log(line);
}
