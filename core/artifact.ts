import { canonicalJson, sha256Hex } from './canonical.ts';
import { ProoflineError } from './errors.ts';
import { evidenceKey } from './evidence-key.ts';
import type { Artifact, ArtifactHeader, ArtifactRef, CollectionError, Scope } from './model.ts';
import { scopeKey } from './model.ts';

export interface EncodedArtifact {
  readonly bytes: Buffer;
  readonly ref: ArtifactRef;
}

/** Canonical bytes, their SHA-256 and the key they are stored under. */
export function encodeArtifact(artifact: Artifact): EncodedArtifact {
  const bytes = Buffer.from(canonicalJson(artifact), 'utf8');
  return { bytes, ref: artifactRef(artifact, sha256Hex(bytes), bytes.length) };
}

/** The index entry of an artifact whose canonical bytes have this SHA-256 and size. */
export function artifactRef(
  artifact: ArtifactHeader & Pick<Artifact, 'status'>,
  sha256: string,
  size: number,
): ArtifactRef {
  return {
    key: evidenceKey(artifact, sha256),
    sha256,
    size,
    collector: artifact.collector,
    source: artifact.scope.source,
    scopeKey: scopeKey(artifact.scope),
    collectedAt: artifact.collectedAt,
    status: artifact.status,
  };
}

export class IntegrityError extends ProoflineError {
  override name = 'IntegrityError';
  override readonly userFixable = false;
}

/**
 * Rethrows a failed read of an evidence file at `path`: one the index lists but the folder lacks is altered
 * evidence (an IntegrityError naming it); any other error passes as it is.
 */
export const missingEvidence =
  (key: string, path: string) =>
  (error: NodeJS.ErrnoException): never => {
    if (error.code === 'ENOENT') throw new IntegrityError(`${key}: indexed, but ${path} does not exist`);
    throw error;
  };

/** Parses stored bytes, refusing any whose hash differs from the one their key promises. */
export function decodeArtifact(bytes: Uint8Array, expectedSha256: string, key: string): Artifact {
  const actual = sha256Hex(bytes);
  if (actual !== expectedSha256) {
    throw new IntegrityError(`${key}: SHA-256 is ${actual}, expected ${expectedSha256}`);
  }
  // A view of the bytes, not a copy: a directory listing runs to megabytes.
  return JSON.parse(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
  ) as Artifact;
}

/** Turns anything thrown by an SDK or HTTP client into the recorded form of a failed collection. */
export function toCollectionError(error: unknown): CollectionError {
  if (!(error instanceof Error)) return { code: 'UnknownError', message: String(error) };
  const e = error as Error & {
    Code?: string;
    code?: string;
    status?: number;
    $metadata?: { httpStatusCode?: number };
    operation?: string;
  };
  const httpStatus = e.$metadata?.httpStatusCode ?? (typeof e.status === 'number' ? e.status : undefined);
  return {
    code: e.Code ?? (typeof e.code === 'string' ? e.code : undefined) ?? e.name,
    message: e.message || e.name,
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(e.operation ? { operation: e.operation } : {}),
  };
}

export function errorArtifact(
  collector: string,
  scope: Scope,
  collectedAt: string,
  error: unknown,
): Artifact {
  return {
    collector,
    scope,
    collectedAt,
    schemaVersion: 1,
    status: 'error',
    error: toCollectionError(error),
  };
}
