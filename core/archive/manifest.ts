import * as z from 'zod';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  ARCHIVE_FORMAT_VERSIONS,
  archiveFileCount,
  type Manifest,
  type ManifestFile,
  SIGNATURE_ALGORITHM,
} from './types.ts';

const header = (version: number) => `${ARCHIVE_FORMAT}/${version}`;

/**
 * signing-input.txt: a few lines naming the manifest and SHA256SUMS by their SHA-256 (CloudTrail's approach:
 * sign a small, readable statement, not the data). `openssl dgst -sha256 -verify public-key.pem -signature
 * manifest.sig signing-input.txt` checks it; `sha256sum manifest.json SHA256SUMS` ties both to it, and
 * `sha256sum -c SHA256SUMS` every other file.
 */
export function signingInput(
  manifest: Manifest,
  signed: { manifest: ManifestFile; sums: ManifestFile },
): string {
  const fields: [string, string][] = [
    ['manifest-sha256', signed.manifest.sha256],
    ['manifest-size', String(signed.manifest.size)],
    ['sha256sums-sha256', signed.sums.sha256],
    ['sha256sums-size', String(signed.sums.size)],
    ['created-at', manifest.createdAt],
    ['framework', manifest.framework],
    ['period', `${manifest.period.from}/${manifest.period.to}`],
    ['archive-files', String(archiveFileCount(manifest.files.length))],
    ['key-id', manifest.signing.keyId],
    ['key-fingerprint-sha256', manifest.signing.fingerprint],
    ['algorithm', SIGNATURE_ALGORITHM],
  ];
  return `${header(ARCHIVE_FORMAT_VERSION)}\n${fields.map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
}

/**
 * The fields of a signing input of any archive format version (its `format-version` field is added from the
 * first line), or a reason it is not one.
 */
export function parseSigningInput(text: string): Record<string, string> | string {
  const lines = text.split('\n');
  const version = ARCHIVE_FORMAT_VERSIONS.find((v) => lines[0] === header(v));
  if (version === undefined)
    return `does not start with ${ARCHIVE_FORMAT_VERSIONS.map((v) => `"${header(v)}"`).join(' or ')}`;
  if (lines.at(-1) !== '') return 'does not end with a newline';
  const fields: Record<string, string> = {};
  for (const l of lines.slice(1, -1)) {
    const m = /^([a-z0-9-]+): (\S+)$/.exec(l);
    if (!m) return `malformed line "${l}"`;
    if (m[1]! in fields) return `field "${m[1]}" appears twice`;
    fields[m[1]!] = m[2]!;
  }
  return { ...fields, 'format-version': String(version) };
}

/**
 * manifest.json as text in chunks of about 64 kB: one line per top-level field and per array item, so a
 * manifest of many thousand files is never one string in memory.
 */
export function* manifestJson(manifest: Manifest): Generator<string> {
  yield* batched(manifestLines(manifest));
}

function* manifestLines(manifest: Manifest): Generator<string> {
  const fields = Object.entries(manifest);
  yield '{\n';
  for (const [i, [key, value]] of fields.entries()) {
    const end = i < fields.length - 1 ? ',\n' : '\n';
    if (Array.isArray(value) && value.length > 0) {
      yield ` ${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j++)
        yield `  ${JSON.stringify(value[j])}${j < value.length - 1 ? ',' : ''}\n`;
      yield ` ]${end}`;
    } else yield ` ${JSON.stringify(key)}: ${JSON.stringify(value)}${end}`;
  }
  yield '}\n';
}

/**
 * Joins small strings into chunks of about `size` characters (fewer, larger writes). A join makes each chunk
 * one flat string, which encodes several times faster than the rope `+=` would build.
 */
export function* batched(parts: Iterable<string>, size = 1 << 16): Generator<string> {
  let batch: string[] = [];
  let length = 0;
  for (const part of parts) {
    batch.push(part);
    length += part.length;
    if (length >= size) {
      yield batch.join('');
      batch = [];
      length = 0;
    }
  }
  if (length > 0) yield batch.join('');
}

/** SHA256SUMS in the format `sha256sum -c` reads: `<hex>  <path>`, one line per file. */
export const sha256sums = (files: readonly ManifestFile[]): string =>
  files.map((f) => `${f.sha256}  ${f.path}\n`).join('');

/**
 * A path safe to extract anywhere and to list in SHA256SUMS unescaped: relative, no `..`, no backslash or
 * control characters.
 */
export function isSafeArchivePath(path: string): boolean {
  return (
    /^[A-Za-z0-9._=+@,-]+(\/[A-Za-z0-9._=+@,-]+)*$/.test(path) &&
    !path.split('/').some((part) => part === '.' || part === '..')
  );
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const fileSchema = z.object({ path: z.string().min(1), sha256: hex64, size: z.number().int().min(0) });

/** The manifest as verify reads it: only what verification relies on is required. */
export const manifestSchema = z.looseObject({
  format: z.literal(ARCHIVE_FORMAT),
  formatVersion: z.union(ARCHIVE_FORMAT_VERSIONS.map((v) => z.literal(v))),
  createdAt: z.string(),
  framework: z.enum(['soc2', 'iso27001']),
  period: z.looseObject({ from: z.string(), to: z.string(), clipped: z.string().optional() }),
  signing: z.looseObject({
    keyId: z.string(),
    fingerprint: hex64,
    algorithm: z.literal(SIGNATURE_ALGORITHM),
  }),
  evidence: z.looseObject({ count: z.number().int().min(0), empty: z.boolean() }),
  files: z.array(fileSchema),
  artifacts: z.array(
    fileSchema.extend({ key: z.string(), collector: z.string(), scope: z.string(), collectedAt: z.string() }),
  ),
  digests: z.array(z.object({ path: z.string(), key: z.string() })),
});
export type VerifiedManifest = z.infer<typeof manifestSchema>;
