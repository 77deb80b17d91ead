/** The vocabulary of auditor evidence archives: what goes in (inputs) and what the manifest records. */

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
export const ARCHIVE_FORMAT_VERSION = 1;
export const SIGNATURE_ALGORITHM = 'ECDSA-P256-SHA256';

export interface Manifest {
  readonly format: typeof ARCHIVE_FORMAT;
  readonly formatVersion: typeof ARCHIVE_FORMAT_VERSION;
  readonly generator: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  readonly framework: Framework;
  readonly period: Omit<Period, 'days'> & { readonly days: number };
  /** Scope keys or account/tenant ids the export was limited to; empty means every scope in the store. */
  readonly scope: readonly string[];
  /** The internal controls exported. */
  readonly controls: readonly string[];
  readonly requirements: readonly string[];
  readonly signing: { readonly keyId: string; readonly fingerprint: string; readonly algorithm: string };
  readonly sample: { readonly perControl: number; readonly seed: string } | null;
  readonly evidence: { readonly count: number; readonly bytes: number; readonly empty: boolean };
  /** Every file of the archive except manifest.json, SHA256SUMS, signing-input.txt and manifest.sig. */
  readonly files: readonly ManifestFile[];
  readonly artifacts: readonly ManifestArtifact[];
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
  exceptions: 'exceptions.csv',
  samples: 'samples.csv',
  soa: 'soa.csv',
  oscal: 'oscal/assessment-results.json',
  readme: 'README.txt',
  report: 'index.html',
} as const;

/** Written after SHA256SUMS, so not listed in it: checked through the signature (and SHA256SUMS through signing-input.txt). */
export const SIGNATURE_FILES: readonly string[] = [FILES.signingInput, FILES.signature, FILES.sums];
/** Not listed in the manifest: the manifest itself and what is made after it. */
export const UNLISTED_FILES: readonly string[] = [FILES.manifest, ...SIGNATURE_FILES];
