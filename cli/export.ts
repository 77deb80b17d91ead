import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { collectors } from '../collectors/index.ts';
import { archiveGovernance } from '../controls/archive-sources.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import type { BuildArchiveResult } from '../core/archive/build.ts';
import { type ArchiveRequest, writeArchive } from '../core/archive/export.ts';
import { archiveFileCount, type Framework } from '../core/archive/types.ts';
import {
  VERIFY_EXIT_CODES,
  type VerifyReport,
  verificationError,
  verifyArchive,
} from '../core/archive/verify.ts';
import type { ProoflineConfig } from '../core/config.ts';
import { UsageError } from '../core/errors.ts';
import { LocalSigner, publicKeyFingerprint, type Signer } from '../core/signing.ts';
import { openSigner } from '../core/stores/open.ts';
import { isIsoDay } from '../core/validate.ts';
import { type CliContext, type GlobalOptions, outputFile, READ_ONLY, withContext } from './context.ts';

/** `verify` found a problem with the archive. */
export const EXIT_VERIFY_FAILED = VERIFY_EXIT_CODES['archive-invalid'];
/** `verify` found the archive intact, but no trusted key or fingerprint establishes who signed it. */
export const EXIT_SIGNER_UNTRUSTED = VERIFY_EXIT_CODES['signer-untrusted'];

interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface ExportOptions {
  /** Governance folder for the ISO 27001 Statement of Applicability (default: the shipped examples). */
  readonly governance?: string;
  readonly framework: Framework;
  readonly from: string;
  readonly to: string;
  readonly out: string;
  readonly control?: string[];
  readonly scope?: string[];
  readonly sample?: number;
  readonly seed?: string;
  readonly compress?: boolean;
}

/** The options both a local and a remote export refuse; returns the absolute path of `--out`. */
const checkExportOptions = (options: ExportOptions): Promise<string> =>
  outputFile(options.out, { replace: false });

/**
 * A period starting before the store's first evidence starts on its first day of evidence, so `--from
 * 1000-01-01` is not a million empty days; the archive clips an end in the future to today and says so.
 * A period holding no evidence at all is exported as such (an archive that says so).
 */
export async function clipToEvidence(
  store: Pick<CliContext['store'], 'listArtifacts'>,
  period: { readonly from: string; readonly to: string },
): Promise<{ from: string; to: string }> {
  if (!isIsoDay(period.from) || !isIsoDay(period.to) || period.from > period.to) return period;
  const first = (await store.listArtifacts())
    .map((r) => r.collectedAt.slice(0, 10))
    .reduce<string | undefined>((min, day) => (min === undefined || day < min ? day : min), undefined);
  if (first === undefined || period.from >= first || period.to < first) return period;
  return { from: first, to: period.to };
}

/** The archive an auditor asks for, from the command's options. */
function archiveRequest(options: ExportOptions): ArchiveRequest {
  return {
    framework: options.framework,
    from: options.from,
    to: options.to,
    ...(options.control?.length ? { controls: options.control } : {}),
    ...(options.scope?.length ? { scopes: options.scope } : {}),
    ...(options.sample || options.seed
      ? {
          sample: {
            ...(options.sample ? { perControl: options.sample } : {}),
            seed: options.seed ?? randomSeed(),
          },
        }
      : {}),
    compress: !!options.compress,
  };
}

const FINGERPRINT = /^[0-9a-fA-F:]{64,95}$/;
function checkFingerprint(value: string | undefined): void {
  if (value !== undefined && !FINGERPRINT.test(value))
    throw new UsageError(`--fingerprint must be 64 hex digits (SHA-256), got "${value}"`);
}

type ExportContext = Pick<CliContext, 'store' | 'controls'> & { readonly config?: ProoflineConfig };

/**
 * Writes the archive to a temporary file beside `out` and renames it into place only when complete and
 * signed, so an interrupted export never leaves a file that looks like an archive.
 */
export async function exportArchive(
  ctx: ExportContext,
  options: ExportOptions,
  log: (line: string) => void = () => {},
  /** The store's signing key (KMS for an s3:// store); default: the key pair in the embedded store's folder. */
  signingKey?: Signer,
): Promise<BuildArchiveResult & { path: string; size: number }> {
  const path = await checkExportOptions(options);
  const period = await clipToEvidence(ctx.store, options);
  if (period.from !== options.from) log(`period starts on the store's first day of evidence: ${period.from}`);
  const partial = `${path}.partial`;
  const handle = await open(partial, 'wx').catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
    throw new UsageError(
      `${partial} exists: another export is writing it, or one was interrupted (remove it)`,
    );
  });
  const output = handle.createWriteStream({ highWaterMark: 1 << 20 });
  const signer = signingKey ?? (await LocalSigner.open(ctx.store.location));
  try {
    const frameworks = await loadFrameworks();
    const result = await writeArchive(
      {
        store: ctx.store,
        signer,
        controls: ctx.controls,
        collectors,
        frameworks,
        ...(await archiveGovernance(ctx.store, ctx.controls, frameworks, options.framework, {
          ...(options.governance ? { dir: options.governance } : {}),
          ...(ctx.config ? { soaMaxAgeDays: ctx.config.isms.soaMaxAgeDays } : {}),
        })),
      },
      archiveRequest({ ...options, ...period }),
      output,
      ({ done, total, bytes }) => {
        if (done % 1000 === 0 || done === total)
          log(`  ${done}/${total} evidence files (${(bytes / 1e6).toFixed(1)} MB)`);
      },
    );
    await rename(partial, path);
    return { ...result, path, size: (await stat(path)).size };
  } catch (error) {
    await new Promise<void>((done) => output.destroy().once('close', done));
    await rm(partial, { force: true });
    throw error;
  }
}

/** The embedded store's key pair, kept in the store folder. */
const formatSize = (n: number) => (n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const randomSeed = () => Math.floor(Math.random() * 2 ** 32).toString(16);

export function formatExportSummary(result: BuildArchiveResult & { path: string; size: number }): string[] {
  const { manifest } = result;
  const lines = [
    `Archive: ${result.path} (${formatSize(result.size)}, ${plural(archiveFileCount(manifest.files.length), 'file')} in the zip)`,
    `${manifest.framework} ${manifest.period.from} to ${manifest.period.to} (${plural(manifest.period.days, 'UTC day')}), ${plural(manifest.controls.length, 'control')}, ${plural(manifest.requirements.length, 'requirement')}`,
    ...(manifest.period.clipped ? [`Period clipped: ${manifest.period.clipped}`] : []),
    manifest.evidence.empty
      ? 'Evidence: none collected in this period for these controls and scope (the archive says so)'
      : `Evidence: ${plural(manifest.evidence.count, 'file')}, ${formatSize(manifest.evidence.bytes)}`,
  ];
  lines.push(
    `Sample: ${manifest.sample.perControl ? `${manifest.sample.perControl} per control` : 'by each control’s frequency'}, seed ${manifest.sample.seed}`,
    '',
    'Judged per expected occurrence at each control’s cadence (controls.csv says which):',
    'CONTROL    EXPECTED      MET  FAILING  EXCEPTED  MISSED',
  );
  for (const [control, s] of result.status)
    lines.push(
      `${control.padEnd(10)} ${String(s.expected).padStart(8)}  ${`${s.pctMet.toFixed(1)}%`.padStart(7)}  ${String(s.failing).padStart(7)}  ${String(s.excepted).padStart(8)}  ${String(s.missed).padStart(6)}`,
    );
  lines.push(
    ...(result.governance.length ? ['', ...result.governance] : []),
    '',
    `Signed with key ${manifest.signing.keyId}, fingerprint ${result.fingerprint}`,
    `Verify: proofline verify ${result.path} --fingerprint ${result.fingerprint}`,
  );
  return lines;
}

export function formatVerifyReport(path: string, report: VerifyReport): string[] {
  const lines: string[] = [];
  const byFile = new Map<string, string[]>();
  for (const p of report.problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p.message]);
  for (const [file, messages] of byFile) for (const m of messages) lines.push(`✗ ${file}: ${m}`);
  if (report.outcome === 'failed') {
    lines.push(
      `FAILED: ${plural(report.problems.length, 'problem')} in ${plural(byFile.size, 'file')} of ${path}`,
    );
    return lines;
  }
  const m = report.manifest;
  const files = `${plural(report.filesChecked, 'file')}, ${formatSize(report.bytesChecked)}`;
  if (report.outcome === 'verified')
    lines.push(
      `✓ signature valid: key ${report.fingerprint} (the trusted key)`,
      `✓ ${files}: every SHA-256 and size matches the signed manifest, none missing, none added`,
    );
  else
    lines.push(
      `! signer not established: signed by key ${report.fingerprint}, the key the archive itself carries`,
      `  intact: ${files} match the manifest that key signed, none missing, none added`,
      '  anyone can make an intact archive with a key of their own: ask the publisher for their key fingerprint',
      `  through another channel, then run: proofline verify ${path} --fingerprint <their fingerprint>`,
    );
  if (m?.digests.length) lines.push(`✓ every evidence file matches the ${m.digests.length} digests included`);
  if (m)
    lines.push(
      `${m.framework} ${m.period.from} to ${m.period.to}: ${m.evidence.empty ? 'no evidence in this period (an empty archive)' : plural(m.evidence.count, 'evidence file')}`,
    );
  if (m?.period.clipped) lines.push(`! period clipped: ${m.period.clipped}`);
  lines.push(report.outcome === 'verified' ? `OK: ${path}` : `NOT VERIFIED (signer unknown): ${path}`);
  return lines;
}

/** `export` and `verify`. */

/** Everything `export` and `verify` print to and report through. */
export interface ArchiveEnv {
  readonly io: Io;
  readonly run: { exitCode: number };
  readonly globals: () => GlobalOptions;
}

/** `proofline export`: a local archive from the store, or one the deployed export function builds (--url). */
export async function runExport(
  { io, run, globals }: ArchiveEnv,
  options: ExportOptions & { url?: string; fingerprint?: string },
): Promise<void> {
  if (options.fingerprint && !options.url)
    throw new UsageError('--fingerprint goes with --url (a local export signs with the store’s own key)');
  if (options.url) {
    checkFingerprint(options.fingerprint);
    const path = await checkExportOptions(options);
    // Loaded here: the request signer and the credential chain only a remote export needs.
    const { remoteExport } = await import('./remote-export.ts');
    const remote = await remoteExport(options.url, archiveRequest(options), path);
    io.err(`Built ${remote.key} (${formatSize(remote.size)}); downloaded to ${remote.path}`);
    const report = await verifyArchive(
      remote.path,
      options.fingerprint ? { fingerprint: options.fingerprint } : {},
    );
    for (const line of formatVerifyReport(remote.path, report)) io.out(line);
    run.exitCode = verificationError(report, remote.path)?.exitCode ?? run.exitCode;
    return;
  }
  await withContext(globals(), READ_ONLY, async (ctx) => {
    const governance = globals().governance;
    const signer = await openSigner(globals().store, READ_ONLY);
    const result = await exportArchive(
      ctx,
      { ...options, ...(governance ? { governance } : {}) },
      io.err,
      signer,
    );
    for (const line of formatExportSummary(result)) io.out(line);
  });
}

/** `proofline verify`: an archive checked offline, against a trusted key or fingerprint when given. */
export async function runVerify(
  { io, run }: ArchiveEnv,
  archive: string,
  options: { publicKey?: string; fingerprint?: string; json?: boolean },
): Promise<void> {
  if (options.publicKey && options.fingerprint)
    throw new UsageError('give --public-key or --fingerprint, not both');
  let publicKeyPem: string | undefined;
  if (options.publicKey) {
    publicKeyPem = await readFile(options.publicKey, 'utf8').catch((e: Error) => {
      throw new UsageError(`cannot read --public-key ${options.publicKey}: ${e.message}`);
    });
    try {
      publicKeyFingerprint(publicKeyPem);
    } catch (e) {
      throw new UsageError(
        `--public-key ${options.publicKey} is not a PEM public key: ${(e as Error).message}`,
      );
    }
  }
  checkFingerprint(options.fingerprint);
  const isFile = await stat(archive).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) throw new UsageError(`no file ${archive}`);
  const report = await verifyArchive(archive, {
    ...(publicKeyPem ? { publicKeyPem } : {}),
    ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
  });
  if (options.json) {
    const { manifest, ...rest } = report;
    io.out(
      JSON.stringify({ ...rest, archive, framework: manifest?.framework, period: manifest?.period }, null, 2),
    );
  } else for (const line of formatVerifyReport(archive, report)) io.out(line);
  run.exitCode = verificationError(report, archive)?.exitCode ?? run.exitCode;
}
