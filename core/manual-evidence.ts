import { basename, extname } from 'node:path';
import { sha256Hex } from './canonical.ts';
import { DAY_MS } from './collector.ts';
import { ProoflineError } from './errors.ts';
import type { Control, ControlResult } from './model.ts';

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

/** A C0 or C1 control character (line breaks, the ESC that starts a terminal escape sequence). */
const isControl = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f);

/**
 * The name an upload is stored and shown under: the file's base name with every control character replaced
 * by U+FFFD, so a name cannot break a line of output, a CSV row or an archive entry, or drive a terminal.
 */
export const uploadFileName = (path: string): string =>
  Array.from(basename(path), (ch) => (isControl(ch.codePointAt(0)!) ? '\uFFFD' : ch)).join('');

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
