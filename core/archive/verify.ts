import { createHash, createPublicKey, verify as verifySignatureBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { parseEvidenceKey } from '../evidence-key.ts';
import { publicKeyFingerprint } from '../signing.ts';
import {
  isSafeArchivePath,
  manifestSchema,
  parseSigningInput,
  sha256sums,
  type VerifiedManifest,
} from './manifest.ts';
import {
  archiveFileCount,
  type DigestEntry,
  FILES,
  readJsonDigest,
  SIGNATURE_FILES,
  UNLISTED_FILES,
} from './types.ts';

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

export interface VerifyReport {
  readonly ok: boolean;
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

/** Files read whole (they are small); everything else is streamed and hashed. */
const SMALL_LIMIT = 1 << 20;
/** manifest.json, SHA256SUMS and digests grow with the number of files. */
const LARGE_LIMIT = 512 << 20;

async function consume(stream: Readable, keep: boolean, limit: number) {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    if (keep && size <= limit) chunks.push(chunk);
  }
  return {
    sha256: hash.digest('hex'),
    size,
    bytes: keep && size <= limit ? Buffer.concat(chunks) : undefined,
  };
}

/**
 * Verifies an archive offline: the signature over signing-input.txt (against the given key or fingerprint
 * when one is given), the manifest and SHA256SUMS named in it, every file's SHA-256 and size, no file missing
 * or added, the manifest's evidence entries consistent with their content-addressed names, and each evidence
 * file consistent with the store digests that list it. Every problem is reported, each naming its file.
 */
export async function verifyArchive(
  source: string | Buffer,
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const problems: VerifyProblem[] = [];
  const problem = (file: string, message: string) => problems.push({ file, message });
  const result = (extra: Partial<VerifyReport> = {}): VerifyReport => ({
    ok: problems.length === 0,
    problems,
    filesChecked: 0,
    bytesChecked: 0,
    signatureValid: false,
    keyTrusted: false,
    ...extra,
  });

  let zip: yauzl.ZipFile;
  try {
    zip =
      typeof source === 'string'
        ? await yauzl.openPromise(source, { strictFileNames: true, autoClose: false })
        : await yauzl.fromBufferPromise(source, { strictFileNames: true, autoClose: false });
  } catch (error) {
    problem('(archive)', `not a readable zip file: ${(error as Error).message}`);
    return result();
  }

  const hashed = new Map<string, { sha256: string; size: number }>();
  const contents = new Map<string, Buffer>();
  const digestPaths = new Set<string>();
  let bytesChecked = 0;
  try {
    // The central directory first: names, duplicates, unsafe paths.
    const entries = new Map<string, yauzl.Entry>();
    for await (const entry of zip.eachEntry()) {
      const name = entry.fileName;
      if (name.endsWith('/')) continue;
      if (!isSafeArchivePath(name)) problem(name, 'unsafe file name (absolute, "..", or unusual characters)');
      if (entries.has(name)) problem(name, 'appears twice in the zip');
      else entries.set(name, entry);
    }
    for (const name of entries.keys()) if (name.startsWith('digests/')) digestPaths.add(name);
    const keep = (name: string) =>
      UNLISTED_FILES.includes(name) || name === FILES.publicKey || digestPaths.has(name);
    for (const [name, entry] of entries) {
      try {
        const stream = await zip.openReadStreamPromise(entry);
        const limit =
          name === FILES.manifest || name === FILES.sums || digestPaths.has(name) ? LARGE_LIMIT : SMALL_LIMIT;
        const { sha256, size, bytes } = await consume(stream, keep(name), limit);
        hashed.set(name, { sha256, size });
        bytesChecked += size;
        if (bytes) contents.set(name, bytes);
        else if (keep(name)) problem(name, `too large to check (${size} bytes, at most ${limit})`);
      } catch (error) {
        problem(name, `cannot be read from the zip: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    problem('(archive)', `the zip is damaged: ${(error as Error).message}`);
    return result({ bytesChecked });
  } finally {
    zip.close();
  }

  for (const name of [FILES.manifest, FILES.publicKey, ...SIGNATURE_FILES])
    if (!hashed.has(name)) problem(name, 'missing');

  // The signature, and the key behind it.
  let signatureValid = false;
  let keyTrusted = false;
  let fingerprint: string | undefined;
  let fields: Record<string, string> | undefined;
  const pem = contents.get(FILES.publicKey)?.toString('utf8');
  const statement = contents.get(FILES.signingInput);
  const signature = contents.get(FILES.signature);
  let archiveKeyUsable = false;
  if (pem !== undefined) {
    try {
      fingerprint = publicKeyFingerprint(pem);
      archiveKeyUsable = true;
    } catch (error) {
      problem(FILES.publicKey, `not a public key: ${(error as Error).message}`);
    }
  }
  let anchorPem: string | undefined;
  if (options.publicKeyPem) {
    anchorPem = options.publicKeyPem;
    const expected = publicKeyFingerprint(options.publicKeyPem);
    if (fingerprint && fingerprint !== expected)
      problem(FILES.publicKey, `is key ${fingerprint}, not the trusted key ${expected}`);
    keyTrusted = true;
  } else if (options.fingerprint) {
    const expected = options.fingerprint.toLowerCase().replace(/[^0-9a-f]/g, '');
    if (fingerprint && fingerprint !== expected)
      problem(FILES.publicKey, `has fingerprint ${fingerprint}, not the trusted ${expected}`);
    keyTrusted = true;
  }
  const verifyingPem = anchorPem ?? (archiveKeyUsable ? pem : undefined);
  if (statement !== undefined) {
    const parsed = parseSigningInput(statement.toString('utf8'));
    if (typeof parsed === 'string') problem(FILES.signingInput, `not a signing input: ${parsed}`);
    else fields = parsed;
    if (fingerprint && fields && fields['key-fingerprint-sha256'] !== fingerprint)
      problem(
        FILES.signingInput,
        `names key ${fields['key-fingerprint-sha256']}, but ${FILES.publicKey} is ${fingerprint}`,
      );
  }
  if (statement !== undefined && signature !== undefined && verifyingPem) {
    try {
      signatureValid = verifySignatureBytes('sha256', statement, createPublicKey(verifyingPem), signature);
    } catch (error) {
      problem(FILES.signature, `cannot be checked: ${(error as Error).message}`);
    }
    if (!signatureValid)
      problem(
        FILES.signature,
        `is not a valid signature of ${FILES.signingInput} by key ${anchorPem ? 'given' : fingerprint}`,
      );
  }

  // What the signing input names: the manifest and SHA256SUMS.
  const signed = (file: string, field: string) => {
    const actual = hashed.get(file);
    if (!actual || !fields) return;
    if (fields[`${field}-sha256`] !== actual.sha256 || fields[`${field}-size`] !== String(actual.size))
      problem(
        file,
        `SHA-256 ${actual.sha256} (${actual.size} bytes) is not the one signed in ${FILES.signingInput}`,
      );
  };
  signed(FILES.manifest, 'manifest');
  signed(FILES.sums, 'sha256sums');

  let manifest: VerifiedManifest | undefined;
  const manifestBytes = contents.get(FILES.manifest);
  if (manifestBytes) {
    try {
      const parsed = manifestSchema.safeParse(JSON.parse(manifestBytes.toString('utf8')));
      if (parsed.success) manifest = parsed.data;
      else
        for (const issue of parsed.error.issues)
          problem(FILES.manifest, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    } catch (error) {
      problem(FILES.manifest, `not JSON: ${(error as Error).message}`);
    }
  }

  if (manifest) {
    if (fingerprint && manifest.signing.fingerprint !== fingerprint)
      problem(
        FILES.manifest,
        `names signing key ${manifest.signing.fingerprint}, but ${FILES.publicKey} is ${fingerprint}`,
      );
    if (fields) {
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
          problem(FILES.signingInput, `${field} is ${fields[field]}, the manifest says ${value}`);
      if (manifest.formatVersion > 1 && fields['archive-files'] !== String(hashed.size))
        problem(
          FILES.signingInput,
          `archive-files is ${fields['archive-files']}, the zip holds ${hashed.size}`,
        );
    }
    // Every listed file present and intact; nothing unlisted.
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    for (const file of manifest.files) {
      const actual = hashed.get(file.path);
      if (!actual) problem(file.path, 'listed in the manifest but missing from the archive');
      else if (actual.sha256 !== file.sha256 || actual.size !== file.size)
        problem(
          file.path,
          `SHA-256 ${actual.sha256} (${actual.size} bytes), the manifest says ${file.sha256} (${file.size} bytes)`,
        );
    }
    for (const name of hashed.keys())
      if (!listed.has(name) && !UNLISTED_FILES.includes(name))
        problem(name, 'not listed in the manifest (added)');
    const required: string[] = [FILES.publicKey, FILES.controls, FILES.exceptions, FILES.oscal, FILES.readme];
    if (manifest.formatVersion > 1) required.push(FILES.findings, FILES.checks, FILES.completeness);
    for (const name of required) if (!listed.has(name)) problem(name, 'not listed in the manifest');

    // SHA256SUMS must be exactly what the manifest implies.
    const sums = contents.get(FILES.sums)?.toString('utf8');
    const manifestHash = hashed.get(FILES.manifest);
    if (sums !== undefined && manifestHash) {
      const expected = sha256sums([...manifest.files, { path: FILES.manifest, ...manifestHash }]);
      if (sums !== expected) {
        const want = new Set(expected.split('\n'));
        const have = new Set(sums.split('\n'));
        const wrong = [...have].filter((l) => !want.has(l)).map((l) => l.slice(66) || l);
        const absent = [...want].filter((l) => !have.has(l)).map((l) => l.slice(66));
        problem(
          FILES.sums,
          `does not match the manifest${wrong.length ? `; unexpected lines for ${wrong.join(', ')}` : ''}${absent.length ? `; missing lines for ${absent.join(', ')}` : ''}`,
        );
      }
    }

    // Evidence entries: consistent with the file list and with their content-addressed names.
    let evidenceCount = 0;
    for (const a of manifest.artifacts) {
      evidenceCount++;
      const file = listed.get(a.path);
      if (!file) problem(a.path, 'an evidence entry of the manifest with no file entry');
      else if (file.sha256 !== a.sha256 || file.size !== a.size)
        problem(a.path, 'the manifest gives two different hashes or sizes for this file');
      try {
        const named = parseEvidenceKey(a.key).sha256;
        if (named !== a.sha256)
          problem(a.path, `its name says SHA-256 ${named}, the manifest says ${a.sha256}`);
      } catch {
        // Keys of other shapes (e.g. uploaded manual evidence) carry no hash in their name.
      }
    }
    if (manifest.evidence.count !== evidenceCount || manifest.evidence.empty !== (evidenceCount === 0))
      problem(
        FILES.manifest,
        `evidence summary says ${manifest.evidence.count} files, the manifest lists ${evidenceCount}`,
      );

    // Digests: each evidence file they list must match them; each evidence file must be listed by one.
    if (manifest.digests.length) {
      const read = options.readDigest ?? readJsonDigest;
      const byKey = new Map<string, { entry: DigestEntry; digest: string }>();
      for (const { path } of manifest.digests) {
        const bytes = contents.get(path);
        if (!bytes) continue; // missing or too large: already reported
        try {
          for (const entry of read(bytes, path)) byKey.set(entry.key, { entry, digest: path });
        } catch (error) {
          problem(path, `not a readable digest: ${(error as Error).message}`);
        }
      }
      for (const a of manifest.artifacts) {
        const listedBy = byKey.get(a.key);
        if (!listedBy) problem(a.path, 'in no digest included in the archive');
        else if (listedBy.entry.sha256 !== a.sha256 || listedBy.entry.size !== a.size)
          problem(
            a.path,
            `${listedBy.digest} lists SHA-256 ${listedBy.entry.sha256} (${listedBy.entry.size} bytes), the manifest ${a.sha256} (${a.size} bytes)`,
          );
      }
    }
  }

  return result({
    filesChecked: hashed.size,
    bytesChecked,
    signatureValid,
    keyTrusted,
    ...(fingerprint ? { fingerprint } : {}),
    ...(manifest ? { manifest } : {}),
  });
}
