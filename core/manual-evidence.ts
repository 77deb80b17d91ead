import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { artifactRef } from './artifact.ts';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { DAY_MS } from './collector.ts';
import { ProoflineError } from './errors.ts';
import { hashingStream } from './hashing-stream.ts';
import type { ArtifactRef, Control, ControlResult } from './model.ts';
import { withoutControls } from './report/table.ts';

/** Uploaded evidence is stored as artifacts of this collector (source `manual`, scope id = the control id). */
export const MANUAL_EVIDENCE_COLLECTOR = 'proofline.manual-evidence';

/** The snapshot of an upload: the file itself (base64) and what it is. */
export interface ManualEvidenceSnapshot {
  readonly control: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly size: number;
  /** SHA-256 of the file's own bytes, so the file can be checked after it is extracted from the artifact. */
  readonly sha256: string;
  readonly uploader: string;
  readonly contentBase64: string;
}

/** The newest upload for a control, as the index knows it. */
export interface ManualUpload {
  readonly control: string;
  readonly key: string;
  readonly uploadedAt: string;
}

const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.xml': 'application/xml',
  '.html': 'text/html',
  '.zip': 'application/zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.doc': 'application/msword',
  '.xls': 'application/vnd.ms-excel',
  '.eml': 'message/rfc822',
};

/** A media type from the file name; unknown extensions are `application/octet-stream` (any file is accepted). */
export const mediaTypeOf = (fileName: string): string =>
  MEDIA_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';

export class ManualEvidenceError extends ProoflineError {
  override name = 'ManualEvidenceError';
}

/**
 * The name an upload is stored and shown under: the file's base name with every control character replaced
 * by U+FFFD, so a name cannot break a line of output, a CSV row or an archive entry, or drive a terminal.
 */
export const uploadFileName = (path: string): string => withoutControls(basename(path));

/** Builds the snapshot of an upload. An empty file is refused: it cannot evidence anything. */
export function manualEvidenceSnapshot(
  control: string,
  fileName: string,
  bytes: Uint8Array,
  uploader: string,
  mediaType: string = mediaTypeOf(fileName),
): ManualEvidenceSnapshot {
  if (bytes.length === 0) throw new ManualEvidenceError(`${fileName} is empty: there is nothing to upload`);
  if (!uploader.trim()) throw new ManualEvidenceError('the uploader must be named (--uploader)');
  return {
    control,
    fileName,
    mediaType,
    size: bytes.length,
    sha256: sha256Hex(bytes),
    uploader: uploader.trim(),
    contentBase64: Buffer.from(bytes).toString('base64'),
  };
}

/** What an upload is, apart from its bytes. `fileName` is shown and stored as given: pass `uploadFileName`. */
export interface UploadRequest {
  readonly control: string;
  readonly fileName: string;
  readonly mediaType: string;
  readonly uploader: string;
  readonly collectedAt: string;
  /** The largest file accepted, in bytes (`uploads.maxBytes`). */
  readonly maxBytes: number;
}

/** An upload's artifact, written: its index entry and the snapshot without the content. */
export interface EncodedUpload {
  readonly ref: ArtifactRef;
  readonly summary: Omit<ManualEvidenceSnapshot, 'contentBase64'>;
}

/**
 * Writes the canonical bytes of an upload's artifact to `target`, reading `file` once: the file is hashed and
 * base64-encoded as it streams, so memory stays flat whatever its size. The bytes are those `encodeArtifact`
 * gives for the same artifact (canonical JSON puts `contentBase64` before `sha256` and `size` in the snapshot,
 * so both are known when they are due). The cap is checked before reading and while reading (a file that
 * grows). On failure `target` is removed.
 */
export async function encodeUploadArtifact(
  file: string,
  request: UploadRequest,
  target: string,
): Promise<EncodedUpload> {
  if (!request.uploader.trim()) throw new ManualEvidenceError('the uploader must be named (--uploader)');
  const shown = withoutControls(file);
  await checkUploadFile(file, shown, request.maxBytes);
  const marks = { content: randomUUID(), sha256: randomUUID(), size: randomUUID() };
  const header = {
    collector: MANUAL_EVIDENCE_COLLECTOR,
    scope: { source: 'manual' as const, id: request.control },
    collectedAt: request.collectedAt,
    schemaVersion: 1,
  };
  const template = canonicalJson({
    ...header,
    status: 'ok',
    snapshot: {
      control: request.control,
      fileName: request.fileName,
      mediaType: request.mediaType,
      size: marks.size,
      sha256: marks.sha256,
      uploader: request.uploader.trim(),
      contentBase64: marks.content,
    },
  });
  const [head, tail] = template.split(`"${marks.content}"`) as [string, string];
  const content = { sha256: '', size: 0 };
  const artifact = hashingStream();
  try {
    await pipeline(
      Readable.from(uploadJson({ file, shown, maxBytes: request.maxBytes }, head, tail, marks, content), {
        objectMode: false,
        highWaterMark: 1 << 16,
      }),
      artifact.stream,
      createWriteStream(target, { flags: 'wx' }),
    );
  } catch (error) {
    await unlink(target).catch(() => {});
    // A full disk is the store's failure, not the file's: the CLI names it as such.
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof ManualEvidenceError || code === 'ENOSPC' || code === 'EDQUOT') throw error;
    throw new ManualEvidenceError(`cannot read ${shown}: ${withoutControls((error as Error).message)}`);
  }
  const { sha256, size } = artifact.result();
  return {
    ref: artifactRef({ ...header, status: 'ok' }, sha256, size),
    summary: {
      control: request.control,
      fileName: request.fileName,
      mediaType: request.mediaType,
      size: content.size,
      sha256: content.sha256,
      uploader: request.uploader.trim(),
    },
  };
}

/** The artifact's JSON: `head`, the file in base64 (3-byte groups, so chunks join), then `tail` filled in. */
async function* uploadJson(
  { file, shown, maxBytes }: { file: string; shown: string; maxBytes: number },
  head: string,
  tail: string,
  marks: { sha256: string; size: string },
  content: { sha256: string; size: number },
): AsyncGenerator<Buffer> {
  yield Buffer.from(head);
  yield Buffer.from('"');
  const hash = createHash('sha256');
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 18 }) as AsyncIterable<Buffer>) {
    content.size += chunk.length;
    if (content.size > maxBytes) throw tooLarge(shown, `more than ${maxBytes}`, maxBytes);
    hash.update(chunk);
    const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = bytes.length - (bytes.length % 3);
    yield Buffer.from(bytes.subarray(0, whole).toString('base64'));
    carry = Buffer.from(bytes.subarray(whole));
  }
  if (content.size === 0) throw new ManualEvidenceError(`${shown} is empty: there is nothing to upload`);
  content.sha256 = hash.digest('hex');
  yield Buffer.from(`${carry.toString('base64')}"`);
  yield Buffer.from(
    tail.replace(`"${marks.sha256}"`, `"${content.sha256}"`).replace(`"${marks.size}"`, String(content.size)),
  );
}

const tooLarge = (shown: string, size: number | string, maxBytes: number) =>
  new ManualEvidenceError(
    `${shown} is ${size} bytes; uploads are limited to ${maxBytes} bytes (uploads.maxBytes in the config; store larger files elsewhere and upload a signed index)`,
  );

/** Refuses, naming the file, what cannot be uploaded: missing, not a regular file, larger than the cap. */
async function checkUploadFile(file: string, shown: string, maxBytes: number): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ManualEvidenceError(
      code === 'ENOENT'
        ? `cannot read ${shown}: no such file`
        : `cannot read ${shown}: ${withoutControls((error as Error).message)}`,
    );
  }
  if (!info.isFile()) throw new ManualEvidenceError(`cannot read ${shown}: not a regular file`);
  if (info.size > maxBytes) throw tooLarge(shown, info.size, maxBytes);
}

export interface ManualEvidenceState {
  readonly due: boolean;
  readonly lastUploadAt: string | null;
  readonly dueBy: string | null;
}

/** Manual evidence is due when there is none, or the latest upload is more than `everyDays` old at `asOf`. */
export function manualEvidenceState(
  everyDays: number,
  latest: ManualUpload | undefined,
  asOf: Date,
): ManualEvidenceState {
  if (!latest) return { due: true, lastUploadAt: null, dueBy: null };
  const dueBy = new Date(new Date(latest.uploadedAt).getTime() + everyDays * DAY_MS);
  return {
    due: asOf.getTime() > dueBy.getTime(),
    lastUploadAt: latest.uploadedAt,
    dueBy: dueBy.toISOString(),
  };
}

/**
 * The manual-evidence rule. For a control with a manual-evidence spec: a manual control (no checks) is
 * `passing` while its evidence is fresh and `manual_due` otherwise; a hybrid control that is not failing
 * becomes `manual_due` when its manual evidence is due. The upload joins the control's evidence.
 */
export function applyManualEvidence(
  control: Control,
  result: ControlResult,
  latest: ManualUpload | undefined,
  asOf: Date,
): ControlResult {
  if (!control.manualEvidence) return result;
  const state = manualEvidenceState(control.manualEvidence.everyDays, latest, asOf);
  const status =
    control.checks.length === 0
      ? state.due
        ? 'manual_due'
        : 'passing'
      : result.status !== 'failing' && state.due
        ? 'manual_due'
        : result.status;
  const lastEvidenceAt =
    latest && (!result.lastEvidenceAt || latest.uploadedAt > result.lastEvidenceAt)
      ? latest.uploadedAt
      : result.lastEvidenceAt;
  return {
    ...result,
    status,
    evidence: latest ? [...result.evidence, latest.key] : result.evidence,
    ...(lastEvidenceAt ? { lastEvidenceAt } : {}),
    manualEvidence: { lastUploadAt: state.lastUploadAt, dueBy: state.dueBy },
  };
}
