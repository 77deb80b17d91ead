/** The vocabulary of auditor evidence archives: what goes in (inputs) and what the manifest records. */
import packageJson from '../../package.json' with { type: 'json' };
import type { FileBatch } from './file-batches.ts';

/**
 * Who made the archive, as its manifest and README say (and the report and findings exports): here, not in
 * export.ts, so those read it without loading the archive writer.
 */
export const GENERATOR = { name: packageJson.name, version: packageJson.version } as const;

export type Framework = 'soc2' | 'iso27001';
export const FRAMEWORKS: readonly Framework[] = ['soc2', 'iso27001'];
export const FRAMEWORK_NAMES: Record<Framework, string> = {
  soc2: 'SOC 2 (Trust Services Criteria)',
  iso27001: 'ISO/IEC 27001:2022',
};

/** A framework requirement: a SOC 2 criterion, an ISO 27001 clause or Annex A control. */
export interface Requirement {
  readonly id: string;
  /** Empty when the catalog gives no title. */
  readonly title: string;
  readonly framework: Framework;
}

/** An exception as recorded by its owner: a failing control (or resource) accepted until it expires. */
export interface ArchiveException {
  readonly id: string;
  readonly control: string;
  /** A resource pattern; absent means the whole control. */
  readonly resource?: string;
  readonly owner: string;
  readonly approvedBy: string;
  readonly reason: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

/** A digest object of the store's signed chain, archived byte for byte. */
export interface DigestObject {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** Digests read together on the reading thread (fileBatches), laid out for the zip: one per key, in order. */
export interface DigestBatch {
  readonly keys: readonly string[];
  readonly batch: FileBatch;
}

/** Where a stored digest goes in the archive: under digests/, as the store names it. */
export const digestArchivePath = (key: string): string =>
  key.startsWith('digests/') ? key : `digests/${key}`;

/** What a digest says about one artifact; `readDigestEntries` turns digest bytes into these. */
export interface DigestEntry {
  readonly key: string;
  readonly sha256: string;
  readonly size: number;
}

export interface Period {
  /** First day, YYYY-MM-DD (inclusive). */
  readonly from: string;
  /** Last day, YYYY-MM-DD (inclusive). */
  readonly to: string;
  /** ISO 8601 instant the period starts (from, 00:00 UTC). */
  readonly start: string;
  /** ISO 8601 instant the period ends, exclusive (the day after `to`, 00:00 UTC). */
  readonly end: string;
  /** Every UTC day of the period, YYYY-MM-DD. */
  readonly days: readonly string[];
}

export interface ManifestFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface ManifestArtifact extends ManifestFile {
  /** The artifact's key in the evidence store (the same as `path` for evidence files). */
  readonly key: string;
  readonly collector: string;
  readonly source: string;
  readonly scope: string;
  readonly collectedAt: string;
  readonly status: 'ok' | 'error';
  readonly controls: readonly string[];
  readonly requirements: readonly string[];
}

export const ARCHIVE_FORMAT = 'proofline-evidence-archive';
/**
 * Raised whenever what an archive holds changes; `verify` reads every version so far.
 * 1: evidence, controls.csv scored per day, exceptions, samples of files, SoA, OSCAL, digests.
 * 2: findings.csv, checks.csv, completeness.csv, populations/, uploads/; controls.csv scored per expected
 *    occurrence at each control's cadence; samples of items; the period as clipped; signing-input.txt counts
 *    the files of the zip (`archive-files`).
 */
export const ARCHIVE_FORMAT_VERSION = 2;
export const ARCHIVE_FORMAT_VERSIONS = [1, 2] as const;
export const SIGNATURE_ALGORITHM = 'ECDSA-P256-SHA256';

/** A manual-evidence upload, as uploaded, next to the artifact that records it. */
export interface ManifestUpload extends ManifestFile {
  /** The artifact recording the upload (its uploader, time and the file's SHA-256). */
  readonly key: string;
  readonly control: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly uploadedAt: string;
}

export interface Manifest {
  readonly format: typeof ARCHIVE_FORMAT;
  readonly formatVersion: typeof ARCHIVE_FORMAT_VERSION;
  readonly generator: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  readonly framework: Framework;
  readonly period: Omit<Period, 'days'> & {
    readonly days: number;
    /** Periods are whole days in UTC. */
    readonly timeZone: 'UTC';
    /** What was asked for, when the period was clipped (it ended after the last collection, or in the future). */
    readonly requested?: { readonly from: string; readonly to: string };
    readonly clipped?: string;
  };
  /** Scope keys or account/tenant ids the export was limited to; empty means every scope in the store. */
  readonly scope: readonly string[];
  /** The internal controls exported. */
  readonly controls: readonly string[];
  readonly requirements: readonly string[];
  readonly signing: { readonly keyId: string; readonly fingerprint: string; readonly algorithm: string };
  /** Items drawn per control: `perControl` when given, else the size for the control's frequency. */
  readonly sample: {
    readonly seed: string;
    readonly perControl: number | null;
    readonly sizes: Readonly<Record<string, number>>;
  };
  readonly evidence: { readonly count: number; readonly bytes: number; readonly empty: boolean };
  /** Every file of the archive except manifest.json, SHA256SUMS, signing-input.txt and manifest.sig. */
  readonly files: readonly ManifestFile[];
  readonly artifacts: readonly ManifestArtifact[];
  readonly uploads: readonly ManifestUpload[];
  readonly digests: readonly { readonly path: string; readonly key: string }[];
}

/** The fixed names at the top of every archive. */
export const FILES = {
  manifest: 'manifest.json',
  signingInput: 'signing-input.txt',
  signature: 'manifest.sig',
  publicKey: 'public-key.pem',
  sums: 'SHA256SUMS',
  controls: 'controls.csv',
  findings: 'findings.csv',
  checks: 'checks.csv',
  completeness: 'completeness.csv',
  exceptions: 'exceptions.csv',
  samples: 'samples.csv',
  soa: 'soa.csv',
  contradictions: 'contradictions.csv',
  contradictionsMd: 'contradictions.md',
  requestList: 'request-list.csv',
  requestListMd: 'request-list.md',
  systemDescription: 'system-description.md',
  oscal: 'oscal/assessment-results.json',
  readme: 'README.txt',
  report: 'index.html',
} as const;

/** Written after SHA256SUMS, so not listed in it: checked through the signature (and SHA256SUMS through signing-input.txt). */
export const SIGNATURE_FILES: readonly string[] = [FILES.signingInput, FILES.signature, FILES.sums];
/** Not listed in the manifest: the manifest itself and what is made after it. */
export const UNLISTED_FILES: readonly string[] = [FILES.manifest, ...SIGNATURE_FILES];

/** The files of the zip besides those the manifest lists: the manifest, SHA256SUMS and the signature files. */
export const archiveFileCount = (listed: number): number => listed + UNLISTED_FILES.length;

/** The artifacts a stored digest lists (`artifacts`, or `files` in its first version). */
export function readJsonDigest(bytes: Buffer): DigestEntry[] {
  const data = JSON.parse(bytes.toString('utf8')) as { artifacts?: unknown; files?: unknown };
  const list = data.artifacts ?? data.files;
  if (!Array.isArray(list)) throw new Error('no "artifacts" list');
  return list.map((e: { key?: unknown; sha256?: unknown; size?: unknown }, i) => {
    if (typeof e?.key !== 'string' || typeof e.sha256 !== 'string' || typeof e.size !== 'number')
      throw new Error(`entry ${i} is not { key, sha256, size }`);
    return { key: e.key, sha256: e.sha256, size: e.size };
  });
}
