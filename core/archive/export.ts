import type { Writable } from 'node:stream';
import * as z from 'zod';
import type { AnyCollector } from '../collector.ts';
import { exceptionStates } from '../exceptions.ts';
import type { Governance } from '../governance.ts';
import type { Control, ControlStatus } from '../model.ts';
import { checkIndex } from '../pipeline.ts';
import { loadExceptionRecords } from '../records.ts';
import { storeReportHtml } from '../report/html/index.ts';
import type { Frameworks } from '../requirements.ts';
import type { Signer } from '../signing.ts';
import { statementOfApplicability } from '../soa.ts';
import type { ChainedStore } from '../stores/open.ts';
import type { SubserviceCatalog } from '../system-description.ts';
import { type BuildArchiveInput, type BuildArchiveResult, buildArchive } from './build.ts';
import { fileBatches } from './file-batches.ts';
import { governanceFiles } from './governance-files.ts';
import { ArchiveInputError, parsePeriod } from './period.ts';
import { mapAhead } from './read-ahead.ts';
import {
  type ArchiveException,
  type DigestBatch,
  type DigestObject,
  digestArchivePath,
  FRAMEWORKS,
  type Framework,
  GENERATOR,
} from './types.ts';
import { localHeaderSize } from './zip-writer.ts';

/** What an auditor asks for: one framework, one period, optionally fewer controls or scopes and a sample. */
export interface ArchiveRequest {
  readonly framework: Framework;
  /** First and last day of the audit period, YYYY-MM-DD (UTC), both included. */
  readonly from: string;
  readonly to: string;
  readonly controls?: readonly string[];
  readonly scopes?: readonly string[];
  /** The sample's seed, and `perControl` items per control instead of the size for each control's frequency. */
  readonly sample?: { readonly perControl?: number; readonly seed: string };
  readonly compress?: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** An archive request as JSON: the export function's POST body, what `proofline export --url` sends. */
export const archiveRequestBodySchema = z.strictObject({
  framework: z.enum(FRAMEWORKS),
  from: z.string().regex(DAY, 'must be a date YYYY-MM-DD'),
  to: z.string().regex(DAY, 'must be a date YYYY-MM-DD'),
  controls: z.array(z.string().min(1)).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  sample: z.number().int().positive().optional(),
  seed: z.string().min(1).max(64).optional(),
  compress: z.boolean().optional(),
});
export type ArchiveRequestBody = z.infer<typeof archiveRequestBodySchema>;

/** The request a body asks for; a sample size without a seed gets `seed()` (a seed alone keeps the default sizes). */
export function requestFromBody(body: ArchiveRequestBody, seed: () => string): ArchiveRequest {
  return {
    framework: body.framework,
    from: body.from,
    to: body.to,
    ...(body.controls?.length ? { controls: body.controls } : {}),
    ...(body.scopes?.length ? { scopes: body.scopes } : {}),
    ...(body.sample || body.seed
      ? { sample: { ...(body.sample ? { perControl: body.sample } : {}), seed: body.seed ?? seed() } }
      : {}),
    ...(body.compress ? { compress: true } : {}),
  };
}

export function bodyFromRequest(request: ArchiveRequest): ArchiveRequestBody {
  const { controls, scopes, sample, compress, ...period } = request;
  return {
    ...period,
    ...(controls?.length ? { controls: [...controls] } : {}),
    ...(scopes?.length ? { scopes: [...scopes] } : {}),
    ...(sample ? { ...(sample.perControl ? { sample: sample.perControl } : {}), seed: sample.seed } : {}),
    ...(compress ? { compress: true } : {}),
  };
}

/** The catalog, the governance files and the store an archive is made from (the CLI's or a function's). */
export interface ArchiveSources {
  readonly store: ChainedStore;
  readonly signer: Signer;
  readonly controls: readonly Control[];
  readonly collectors: readonly AnyCollector[];
  readonly frameworks: Frameworks;
  /** Needed for ISO 27001: the Statement of Applicability comes from its applicability and risks. */
  readonly governance?: Governance;
  /** The subservice organisations and complementary controls, for the system description. */
  readonly subservices?: SubserviceCatalog;
  /** Collector id → schedule expression, where the deployment overrides the collector's default. */
  readonly schedules?: ReadonlyMap<string, string>;
  /** The ISMS records for the archive (core/isms/archive.ts), from what it judged. */
  readonly isms?: BuildArchiveInput['isms'];
}

/** The exceptions in force at `asOf`, as the archive's exceptions table lists them. */
async function archiveExceptions(store: ArchiveSources['store'], asOf: Date): Promise<ArchiveException[]> {
  return exceptionStates(await loadExceptionRecords(store), asOf).map(({ grant, revocation }) => ({
    id: grant.id,
    control: grant.control,
    ...(grant.resource ? { resource: grant.resource } : {}),
    owner: grant.owner,
    approvedBy: grant.approvedBy,
    reason: grant.reason,
    createdAt: grant.grantedAt,
    expiresAt: grant.expiresAt,
    ...(revocation ? { revokedAt: revocation.revokedAt } : {}),
  }));
}

/**
 * Writes the signed archive for `request` to `output`: the framework's requirements (all of them, so an
 * unmapped one shows), the SoA for ISO 27001 (from the same statuses as controls.csv), the exceptions in force
 * and the signed digests covering the period, around the period's evidence. The one way both
 * `proofline export` and the export function build one.
 */
export async function writeArchive(
  sources: ArchiveSources,
  request: ArchiveRequest,
  output: Writable,
  onProgress?: (event: { done: number; total: number; bytes: number }) => void,
): Promise<BuildArchiveResult> {
  const { store, controls } = sources;
  const { framework } = request;
  const period = parsePeriod(request.from, request.to);
  const requirements = sources.frameworks[framework].requirements.map((r) => ({
    id: r.id,
    title: r.title,
    framework,
  }));
  const { governance } = sources;
  if (framework === 'iso27001' && !governance)
    throw new ArchiveInputError('an ISO 27001 archive needs the governance files (applicability, risks)');
  // Exceptions as they stood at the end of the period (or now, for a period still running).
  const exceptions = await archiveExceptions(store, new Date(Math.min(Date.parse(period.end), Date.now())));

  return buildArchive({
    store,
    signer: sources.signer,
    output,
    framework,
    from: request.from,
    to: request.to,
    controls,
    collectorOfCheck: checkIndex(sources.collectors),
    collectors: sources.collectors,
    ...(sources.schedules ? { schedules: sources.schedules } : {}),
    requirements,
    ...(framework === 'iso27001' && governance
      ? {
          soa: (statusOf: (control: string) => ControlStatus) =>
            statementOfApplicability({
              iso27001: sources.frameworks.iso27001,
              controls,
              applicability: governance.applicability,
              risks: governance.risks,
              statusOf,
            }),
        }
      : {}),
    exceptions,
    ...(sources.isms ? { isms: sources.isms } : {}),
    governanceFiles: governanceFiles(sources, framework),
    digests: periodDigests(store, period),
    ...(request.controls?.length ? { onlyControls: request.controls } : {}),
    ...(request.scopes?.length ? { scopes: request.scopes } : {}),
    ...(request.sample ? { sample: request.sample } : {}),
    compress: !!request.compress,
    generator: GENERATOR,
    report: ({ period: archived, status, evidence }) =>
      storeReportHtml({
        store,
        controls,
        collectors: sources.collectors,
        frameworks: sources.frameworks,
        framework,
        owners: sources.governance?.owners ?? {},
        period: archived,
        now: new Date(),
        generator: GENERATOR,
        periodStatus: status,
        evidenceLinks: evidence,
      }),
    ...(onProgress ? { onProgress } : {}),
  });
}

/**
 * Digests read ahead of the one being written. A digest is a few kB, so many fit in memory: deep enough to
 * hide an object store's round trip (S3's ~20–50 ms per GET) behind a year's 8,760 of them.
 */
export const DIGEST_READ_AHEAD = 32;

/**
 * The store's signed digests covering a period, read ahead: those whose period ends in (start, end] cover
 * every artifact written in it. A store whose digests are files on this machine has them read and hashed in
 * batches on a worker thread. A digest the index records and the store lacks is left out (verify says so).
 */
export async function* periodDigests(
  store: Pick<ChainedStore, 'digestRecords' | 'readDigest' | 'readDigestBytes' | 'digestFile'>,
  period: { readonly start: string; readonly end: string },
): AsyncIterable<DigestObject | DigestBatch> {
  const records = await store.digestRecords({ from: period.start, to: period.end });
  if (store.digestFile && records.length) {
    const fileOf = store.digestFile.bind(store);
    const batches = fileBatches(
      records.map(({ key }) => ({
        path: fileOf(key),
        headerSize: localHeaderSize(digestArchivePath(key)),
        runStart: false,
      })),
    );
    try {
      for (let next = 0; next < records.length; ) {
        const read = await batches.next();
        if ('error' in read) {
          if (read.error.code !== 'ENOENT') throw read.error;
          next++;
          continue;
        }
        const keys = records.slice(next, next + read.files.length).map((r) => r.key);
        next += keys.length;
        yield { keys, batch: read };
      }
    } finally {
      await batches.close();
    }
    return;
  }
  const bytesOf = async (key: string) =>
    store.readDigestBytes ? store.readDigestBytes(key) : (await store.readDigest(key))?.bytes;
  const read = async ({ key }: { key: string }) => ({ key, bytes: await bytesOf(key) });
  for await (const { key, bytes } of mapAhead(records, DIGEST_READ_AHEAD, read))
    if (bytes) yield { key, bytes };
}
