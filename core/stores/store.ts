import type { Readable } from 'node:stream';
import { IntegrityError } from '../artifact.ts';
import { parseEvidenceKey } from '../evidence-key.ts';
import type { Artifact, ArtifactRef, ControlResult, ControlState, Finding, Transition } from '../model.ts';

export interface ArtifactQuery {
  readonly collector?: string;
  readonly scopeKey?: string;
  /** Inclusive lower bound on collectedAt (ISO 8601). */
  readonly from?: string;
  /** Exclusive upper bound on collectedAt (ISO 8601). */
  readonly to?: string;
}

export interface PutResult {
  readonly ref: ArtifactRef;
  /** False when the same content was already stored: puts are idempotent. */
  readonly created: boolean;
}

/**
 * Immutable, content-addressed evidence plus the index that answers the access patterns without reading
 * every file. Implemented by the embedded store (a folder) and the AWS store (S3 + DynamoDB).
 */
export interface EvidenceStore {
  /** Where the store lives, for people: a folder path or an s3:// URL. */
  readonly location: string;

  putArtifact(artifact: Artifact): Promise<PutResult>;
  /** Reads and verifies an artifact; throws IntegrityError if its bytes no longer match its hash. */
  getArtifact(key: string): Promise<{ artifact: Artifact; ref: ArtifactRef }>;
  getArtifactRef(key: string): Promise<ArtifactRef | undefined>;
  /**
   * The artifact's stored bytes as a stream, not verified (the reader hashes them as they pass), so large
   * artifacts are never held in memory. Optional: without it, archives fall back to `getArtifact`.
   */
  openArtifactStream?(key: string): Promise<Readable>;
  /** The artifact's stored bytes whole, not verified, in one read: for small files, without a stream each. */
  readArtifactBytes?(key: string): Promise<Uint8Array>;
  /**
   * The file holding the artifact's stored bytes, where the store is a folder on this machine: an archive reads
   * many of them on a worker thread. Refuses a key that is not an evidence key.
   */
  artifactFile?(key: string): string;
  /** Artifacts matching the query, oldest first. */
  listArtifacts(query?: ArtifactQuery): Promise<ArtifactRef[]>;
  /** The newest artifact of each collector × scope (optionally of one collector). */
  latestArtifacts(collector?: string): Promise<ArtifactRef[]>;

  /** Stores the findings of evaluating one artifact (idempotent: re-evaluating replaces them). */
  putFindings(artifactKey: string, findings: readonly Finding[]): Promise<void>;
  /** An artifact's findings; treat them as read-only (a store may hand the same array to every reader). */
  getFindings(artifactKey: string): Promise<readonly Finding[] | undefined>;

  /**
   * Records control results evaluated at `evaluatedAt` and returns the transitions they caused. Atomic: when
   * two evaluations race, each transition is recorded (and so alerted) exactly once.
   */
  applyControlResults(results: readonly ControlResult[], evaluatedAt: string): Promise<Transition[]>;
  controlStates(): Promise<ControlState[]>;
  /** Controls whose current status is `failing`, by control id. */
  openFailures(): Promise<ControlState[]>;
  /** Transitions, oldest first, optionally of one control and/or within [from, to). */
  transitions(query?: { control?: string; from?: string; to?: string }): Promise<Transition[]>;

  /** Keys of the artifacts that stood behind a control's results with collectedAt in [from, to). */
  controlEvidence(control: string, from: string, to: string): Promise<string[]>;

  close(): Promise<void>;
}

/**
 * The SHA-256 an evidence key names. A key that is not an evidence key (outside `evidence/`, or a path that
 * could leave the store) is refused with an IntegrityError: it is never read.
 */
export function evidenceKeySha256(key: string): string {
  try {
    return parseEvidenceKey(key).sha256;
  } catch {
    throw new IntegrityError(`${key}: not an evidence key (outside evidence/); refusing to read it`);
  }
}

/**
 * The SHA-256 the bytes of an indexed artifact must have: the one in its key, which the index row must agree
 * with (a row edited together with the file is caught by the key, which names the original content).
 */
export function expectedSha256(ref: Pick<ArtifactRef, 'key' | 'sha256'>): string {
  const sha256 = evidenceKeySha256(ref.key);
  if (ref.sha256 !== sha256) {
    throw new IntegrityError(
      `${ref.key}: the index records SHA-256 ${ref.sha256}, but the key names ${sha256}`,
    );
  }
  return sha256;
}
