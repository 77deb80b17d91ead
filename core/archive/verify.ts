import { createHash, createPublicKey, verify as verifySignatureBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type yauzl from 'yauzl';
import { EXIT, type ExitCode, ProoflineError } from '../errors.ts';
import { parseEvidenceKey } from '../evidence-key.ts';
import { publicKeyFingerprint } from '../signing.ts';
import { manifestSchema, parseSigningInput, sha256sums, type VerifiedManifest } from './manifest.ts';
import {
  archiveFileCount,
  type DigestEntry,
  FILES,
  readJsonDigest,
  SIGNATURE_FILES,
  UNLISTED_FILES,
} from './types.ts';
import { openZip, readZipStructure, type ZipEntry } from './zip-structure.ts';

export interface VerifyProblem {
  /** The file the problem is about, or `(archive)` for the zip as a whole. */
  readonly file: string;
  readonly message: string;
}

export interface VerifyOptions {
  /** The public key the archive must be signed with (PEM): the trust anchor. */
  readonly publicKeyPem?: string;
  /** Or the SHA-256 fingerprint (hex) of the DER public key the archive must be signed with. */
  readonly fingerprint?: string;
  /**
   * Reads the artifact entries a digest lists. Default: a JSON digest with an `artifacts` (or `files`) array
   * of `{ key, sha256, size }`.
   */
  readonly readDigest?: (bytes: Buffer, path: string) => readonly DigestEntry[];
}

/**
 * `verified`: intact and signed by the key the verifier trusts. `signer-untrusted`: intact and signed by the
 * key it carries, but no trusted key or fingerprint was given — anyone can make such an archive, so its
 * origin is not established. `failed`: a problem was found.
 */
export type VerifyOutcome = 'verified' | 'signer-untrusted' | 'failed';

export interface VerifyReport {
  /** True only when the archive is `verified`. */
  readonly ok: boolean;
  readonly outcome: VerifyOutcome;
  readonly problems: readonly VerifyProblem[];
  /** Files in the zip whose SHA-256 was computed. */
  readonly filesChecked: number;
  readonly bytesChecked: number;
  readonly signatureValid: boolean;
  /** Fingerprint of the key in the archive. */
  readonly fingerprint?: string;
  /** True when the key was checked against --public-key or --fingerprint, not only the archive's own. */
  readonly keyTrusted: boolean;
  readonly manifest?: VerifiedManifest;
}

/** The exit code of each way an archive is not verified. */
export const VERIFY_EXIT_CODES = {
  'archive-invalid': EXIT.chainProblems,
  'signer-untrusted': EXIT.signerUntrusted,
} as const;

/** An archive that is not verified, as an error with a code (and the exit code the CLI gives it). */
export class ArchiveVerificationError extends ProoflineError {
  override readonly name = 'ArchiveVerificationError';
  override readonly exitCode: ExitCode;
  /** Only a missing trusted key is the verifier's to fix; a changed archive is not. */
  override readonly userFixable: boolean;
  constructor(code: keyof typeof VERIFY_EXIT_CODES, message: string) {
    super(message, { code });
    this.exitCode = VERIFY_EXIT_CODES[code];
    this.userFixable = code === 'signer-untrusted';
  }
}

/** Why a report is not a verified archive, or undefined when it is. */
export function verificationError(report: VerifyReport, path: string): ArchiveVerificationError | undefined {
  if (report.outcome === 'failed')
    return new ArchiveVerificationError('archive-invalid', `${path} failed verification`);
  if (report.outcome === 'signer-untrusted')
    return new ArchiveVerificationError(
      'signer-untrusted',
      `${path} is intact, but its signer is not established: give --fingerprint or --public-key`,
    );
  return undefined;
}

/** Files read whole (they are small); everything else is streamed and hashed. */
const SMALL_LIMIT = 1 << 20;
/** manifest.json, SHA256SUMS and digests grow with the number of files. */
const LARGE_LIMIT = 512 << 20;

interface Hashed {
  readonly sha256: string;
  readonly size: number;
}

interface Trust {
  readonly signatureValid: boolean;
  readonly keyTrusted: boolean;
  readonly fingerprint?: string;
  readonly fields?: Record<string, string>;
  readonly manifest?: VerifiedManifest;
}

/** One verification's state: every phase reads the zip through it and writes to its one problems list. */
class Verification {
  readonly problems: VerifyProblem[] = [];
  readonly hashed = new Map<string, Hashed>();
  readonly contents = new Map<string, Buffer>();
  bytesChecked = 0;
  entries: ReadonlyMap<string, ZipEntry> = new Map();

  constructor(private readonly zip: yauzl.ZipFile) {}

  problem(file: string, message: string): void {
    this.problems.push({ file, message });
  }

  /** Hashes one entry, keeping its bytes when asked; sizes are checked by the caller before reading. */
  async read(name: string, keep: boolean): Promise<void> {
    const found = this.entries.get(name);
    if (!found) return;
    try {
      const stream = (await this.zip.openReadStreamPromise(found.entry)) as Readable;
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let size = 0;
      let crc = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        crc = crc32(chunk, crc);
        size += chunk.length;
        if (keep) chunks.push(chunk);
      }
      // yauzl does not check the CRC-32; unzip and Python refuse an entry whose CRC-32 is wrong.
      if (crc !== found.entry.crc32) this.problem(name, 'its CRC-32 does not match its bytes');
      this.hashed.set(name, { sha256: hash.digest('hex'), size });
      this.bytesChecked += size;
      if (keep) this.contents.set(name, Buffer.concat(chunks));
    } catch (error) {
      this.problem(name, `cannot be read from the zip: ${(error as Error).message}`);
    }
  }

  /** Reads an entry whole when the zip says it is at most `limit` bytes (and `expected` bytes, when known). */
  async readWhole(name: string, limit: number, expected?: number): Promise<void> {
    const size = this.entries.get(name)?.entry.uncompressedSize;
    if (size === undefined) return;
    if (expected !== undefined && size !== expected)
      this.problem(name, `${size} bytes, not the ${expected} bytes signed in ${FILES.signingInput}`);
    else if (size > limit) this.problem(name, `too large to check (${size} bytes, at most ${limit})`);
    else await this.read(name, true);
  }
}

/** 2. The signature over signing-input.txt, and the key behind it. */
async function checkSignature(v: Verification, options: VerifyOptions): Promise<Trust> {
  for (const name of [FILES.publicKey, FILES.signingInput, FILES.signature])
    await v.readWhole(name, SMALL_LIMIT);
  const pem = v.contents.get(FILES.publicKey)?.toString('utf8');
  const statement = v.contents.get(FILES.signingInput);
  const signature = v.contents.get(FILES.signature);
  let fingerprint: string | undefined;
  if (pem !== undefined) {
    try {
      fingerprint = publicKeyFingerprint(pem);
    } catch (error) {
      v.problem(FILES.publicKey, `not a public key: ${(error as Error).message}`);
    }
  }
  const keyTrusted = checkTrustAnchor(v, options, fingerprint);
  let fields: Record<string, string> | undefined;
  if (statement !== undefined) {
    const parsed = parseSigningInput(statement.toString('utf8'));
    if (typeof parsed === 'string') v.problem(FILES.signingInput, `not a signing input: ${parsed}`);
    else fields = parsed;
    if (fingerprint && fields && fields['key-fingerprint-sha256'] !== fingerprint)
      v.problem(
        FILES.signingInput,
        `names key ${fields['key-fingerprint-sha256']}, but ${FILES.publicKey} is ${fingerprint}`,
      );
  }
  const verifyingPem = options.publicKeyPem ?? (fingerprint ? pem : undefined);
  let signatureValid = false;
  if (statement !== undefined && signature !== undefined && verifyingPem) {
    try {
      signatureValid = verifySignatureBytes('sha256', statement, createPublicKey(verifyingPem), signature);
    } catch (error) {
      v.problem(FILES.signature, `cannot be checked: ${(error as Error).message}`);
    }
    if (!signatureValid)
      v.problem(
        FILES.signature,
        `is not a valid signature of ${FILES.signingInput} by key ${options.publicKeyPem ? 'given' : fingerprint}`,
      );
  }
  return {
    signatureValid,
    keyTrusted,
    ...(fingerprint ? { fingerprint } : {}),
    ...(fields ? { fields } : {}),
  };
}

/** The archive's key against the key or fingerprint the verifier trusts; true when one was given. */
function checkTrustAnchor(v: Verification, options: VerifyOptions, fingerprint: string | undefined): boolean {
  if (options.publicKeyPem) {
    const expected = publicKeyFingerprint(options.publicKeyPem);
    if (fingerprint && fingerprint !== expected)
      v.problem(FILES.publicKey, `is key ${fingerprint}, not the trusted key ${expected}`);
    return true;
  }
  if (options.fingerprint) {
    const expected = options.fingerprint.toLowerCase().replace(/[^0-9a-f]/g, '');
    if (fingerprint && fingerprint !== expected)
      v.problem(FILES.publicKey, `has fingerprint ${fingerprint}, not the trusted ${expected}`);
    return true;
  }
  return false;
}

/** 3. manifest.json and SHA256SUMS, read only when their sizes are the signed ones, and their hashes checked. */
async function readManifest(v: Verification, trust: Trust): Promise<VerifiedManifest | undefined> {
  const signedSize = (field: string) => {
    const size = trust.fields?.[`${field}-size`];
    return size === undefined ? undefined : Number(size);
  };
  for (const [file, field] of [
    [FILES.manifest, 'manifest'],
    [FILES.sums, 'sha256sums'],
  ] as const) {
    await v.readWhole(file, LARGE_LIMIT, signedSize(field));
    const actual = v.hashed.get(file);
    if (actual && trust.fields && trust.fields[`${field}-sha256`] !== actual.sha256)
      v.problem(
        file,
        `SHA-256 ${actual.sha256} (${actual.size} bytes) is not the one signed in ${FILES.signingInput}`,
      );
  }
  const bytes = v.contents.get(FILES.manifest);
  if (!bytes) return undefined;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues)
      v.problem(FILES.manifest, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  } catch (error) {
    v.problem(FILES.manifest, `not JSON: ${(error as Error).message}`);
  }
  return undefined;
}

/** 4. The signed statement, the manifest and the zip agree on key, period, creation time and file count. */
function checkStatement(v: Verification, manifest: VerifiedManifest, trust: Trust): void {
  if (trust.fingerprint && manifest.signing.fingerprint !== trust.fingerprint)
    v.problem(
      FILES.manifest,
      `names signing key ${manifest.signing.fingerprint}, but ${FILES.publicKey} is ${trust.fingerprint}`,
    );
  const fields = trust.fields;
  if (!fields) return;
  const agree: [string, string][] = [
    ['format-version', String(manifest.formatVersion)],
    ['created-at', manifest.createdAt],
    ['framework', manifest.framework],
    ['period', `${manifest.period.from}/${manifest.period.to}`],
    // Version 1 counted the files the manifest lists; later versions count the files of the zip.
    manifest.formatVersion === 1
      ? ['files', String(manifest.files.length)]
      : ['archive-files', String(archiveFileCount(manifest.files.length))],
  ];
  for (const [field, value] of agree)
    if (fields[field] !== value)
      v.problem(FILES.signingInput, `${field} is ${fields[field]}, the manifest says ${value}`);
  if (manifest.formatVersion > 1 && fields['archive-files'] !== String(v.entries.size))
    v.problem(
      FILES.signingInput,
      `archive-files is ${fields['archive-files']}, the zip holds ${v.entries.size}`,
    );
}

/**
 * 5. Every file the manifest lists present, its size the listed one, then hashed; nothing unlisted read.
 * Digest files are kept for the last phase.
 */
async function checkFiles(v: Verification, manifest: VerifiedManifest): Promise<void> {
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  const digests = new Set(manifest.digests.map((d) => d.path));
  for (const [name, { entry }] of v.entries) {
    if (UNLISTED_FILES.includes(name)) continue;
    const file = listed.get(name);
    if (!file) v.problem(name, 'not listed in the manifest (added)');
    else if (entry.uncompressedSize !== file.size)
      v.problem(name, `${entry.uncompressedSize} bytes, the manifest says ${file.size} bytes`);
    else if (digests.has(name) && file.size > LARGE_LIMIT)
      v.problem(name, `too large to check (${file.size} bytes, at most ${LARGE_LIMIT})`);
    else await v.read(name, digests.has(name));
  }
  for (const file of manifest.files) {
    const actual = v.hashed.get(file.path);
    if (!v.entries.has(file.path))
      v.problem(file.path, 'listed in the manifest but missing from the archive');
    else if (actual && (actual.sha256 !== file.sha256 || actual.size !== file.size))
      v.problem(
        file.path,
        `SHA-256 ${actual.sha256} (${actual.size} bytes), the manifest says ${file.sha256} (${file.size} bytes)`,
      );
  }
  const required: string[] = [FILES.publicKey, FILES.controls, FILES.exceptions, FILES.oscal, FILES.readme];
  if (manifest.formatVersion > 1) required.push(FILES.findings, FILES.checks, FILES.completeness);
  for (const name of required) if (!listed.has(name)) v.problem(name, 'not listed in the manifest');
}

/** 6. SHA256SUMS is exactly what the manifest implies. */
function checkSums(v: Verification, manifest: VerifiedManifest): void {
  const sums = v.contents.get(FILES.sums)?.toString('utf8');
  const manifestHash = v.hashed.get(FILES.manifest);
  if (sums === undefined || !manifestHash) return;
  const expected = sha256sums([...manifest.files, { path: FILES.manifest, ...manifestHash }]);
  if (sums === expected) return;
  const want = new Set(expected.split('\n'));
  const have = new Set(sums.split('\n'));
  const wrong = [...have].filter((l) => !want.has(l)).map((l) => l.slice(66) || l);
  const absent = [...want].filter((l) => !have.has(l)).map((l) => l.slice(66));
  v.problem(
    FILES.sums,
    `does not match the manifest${wrong.length ? `; unexpected lines for ${wrong.join(', ')}` : ''}${absent.length ? `; missing lines for ${absent.join(', ')}` : ''}`,
  );
}

/** 7. Evidence entries: consistent with the file list and with their content-addressed names. */
function checkEvidence(v: Verification, manifest: VerifiedManifest): void {
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  for (const a of manifest.artifacts) {
    const file = listed.get(a.path);
    if (!file) v.problem(a.path, 'an evidence entry of the manifest with no file entry');
    else if (file.sha256 !== a.sha256 || file.size !== a.size)
      v.problem(a.path, 'the manifest gives two different hashes or sizes for this file');
    try {
      const named = parseEvidenceKey(a.key).sha256;
      if (named !== a.sha256)
        v.problem(a.path, `its name says SHA-256 ${named}, the manifest says ${a.sha256}`);
    } catch {
      // Keys of other shapes (e.g. uploaded manual evidence) carry no hash in their name.
    }
  }
  const count = manifest.artifacts.length;
  if (manifest.evidence.count !== count || manifest.evidence.empty !== (count === 0))
    v.problem(
      FILES.manifest,
      `evidence summary says ${manifest.evidence.count} files, the manifest lists ${count}`,
    );
}

/** 8. Digests: each evidence file they list must match them; each evidence file must be listed by one. */
function checkDigests(v: Verification, manifest: VerifiedManifest, options: VerifyOptions): void {
  if (!manifest.digests.length) return;
  const read = options.readDigest ?? readJsonDigest;
  const byKey = new Map<string, { entry: DigestEntry; digest: string }>();
  for (const { path } of manifest.digests) {
    const bytes = v.contents.get(path);
    if (!bytes) continue; // missing, unlisted or too large: already reported
    try {
      for (const entry of read(bytes, path)) byKey.set(entry.key, { entry, digest: path });
    } catch (error) {
      v.problem(path, `not a readable digest: ${(error as Error).message}`);
    }
  }
  for (const a of manifest.artifacts) {
    const listedBy = byKey.get(a.key);
    if (!listedBy) v.problem(a.path, 'in no digest included in the archive');
    else if (listedBy.entry.sha256 !== a.sha256 || listedBy.entry.size !== a.size)
      v.problem(
        a.path,
        `${listedBy.digest} lists SHA-256 ${listedBy.entry.sha256} (${listedBy.entry.size} bytes), the manifest ${a.sha256} (${a.size} bytes)`,
      );
  }
}

/** The phases after the zip's structure holds: signature, manifest, files, sums, evidence, digests. */
async function checkContents(v: Verification, options: VerifyOptions): Promise<Trust> {
  for (const name of [FILES.manifest, FILES.publicKey, ...SIGNATURE_FILES])
    if (!v.entries.has(name)) v.problem(name, 'missing');
  const trust = await checkSignature(v, options);
  const manifest = await readManifest(v, trust);
  if (!manifest) return trust;
  checkStatement(v, manifest, trust);
  await checkFiles(v, manifest);
  checkSums(v, manifest);
  checkEvidence(v, manifest);
  checkDigests(v, manifest, options);
  return { ...trust, manifest };
}

/**
 * Verifies an archive offline, in named phases writing to one problems list: 1. the zip's structure (every
 * extractor must see the same files: nothing is read otherwise); 2. the signature over signing-input.txt
 * (against the given key or fingerprint when one is given); 3. the manifest and SHA256SUMS named in it;
 * 4. the signed statement against the manifest; 5. every listed file's size, then SHA-256, no file missing or
 * added; 6. SHA256SUMS; 7. the manifest's evidence entries against their content-addressed names; 8. each
 * evidence file against the store digests that list it. Every problem is reported, each naming its file.
 */
export async function verifyArchive(
  source: string | Buffer,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(source);
  } catch (error) {
    return report([{ file: '(archive)', message: `not a readable zip file: ${(error as Error).message}` }]);
  }
  const v = new Verification(zip);
  try {
    const structure = await readZipStructure(zip);
    v.problems.push(...structure.problems);
    v.entries = structure.entries;
    if (v.problems.length) return report(v.problems);
    const trust = await checkContents(v, options);
    return report(v.problems, v, trust);
  } catch (error) {
    v.problem('(archive)', `the zip is damaged: ${(error as Error).message}`);
    return report(v.problems, v);
  } finally {
    zip.close();
  }
}

function report(problems: readonly VerifyProblem[], v?: Verification, trust?: Trust): VerifyReport {
  const intact = problems.length === 0 && trust?.signatureValid === true;
  const outcome: VerifyOutcome = !intact ? 'failed' : trust.keyTrusted ? 'verified' : 'signer-untrusted';
  return {
    ok: outcome === 'verified',
    outcome,
    problems,
    filesChecked: v?.hashed.size ?? 0,
    bytesChecked: v?.bytesChecked ?? 0,
    signatureValid: trust?.signatureValid ?? false,
    keyTrusted: trust?.keyTrusted ?? false,
    ...(trust?.fingerprint ? { fingerprint: trust.fingerprint } : {}),
    ...(trust?.manifest ? { manifest: trust.manifest } : {}),
  };
}
