import type { Readable } from 'node:stream';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Artifact, ArtifactRef, ControlResult, ControlState, Finding, Transition } from '../model.ts';
import { AwsControlState } from './aws-control-state.ts';
import { AwsDigests } from './aws-digests.ts';
import { AwsEvidence } from './aws-evidence.ts';
import { EvidenceBucket } from './aws-objects.ts';
import { IndexTableClient } from './aws-table.ts';
import type {
  DigestRecord,
  DigestStorage,
  EvidenceRange,
  StoredDigest,
  WrittenArtifact,
} from './digest-storage.ts';
import { ITEM_KEY } from './index-table.ts';
import type { ArtifactQuery, EvidenceStore, PutResult } from './store.ts';

/** Default Object Lock retention: a 12-month Type II window plus the audit fieldwork. */
export const DEFAULT_RETENTION_DAYS = 400;

// The table's design and the IAM actions the store needs: core/stores/index-table.ts.
export { evidenceTableDefinition, INDEX } from './index-table.ts';

/** The table key of an artifact's index item, derived from its evidence key (so a lookup is one GetItem). */
export const artifactItemKey = ITEM_KEY.artifact;

export interface S3DynamoStoreOptions {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  /** An S3 bucket created with Object Lock enabled. */
  readonly bucket: string;
  /** A table created with `evidenceTableDefinition`. */
  readonly table: string;
  /** Object Lock retention (compliance mode) of every evidence and digest object, in days. Default: 400. */
  readonly retentionDays?: number;
  /** The clock that stamps write times. Default: the system clock. */
  readonly now?: () => Date;
  /** Destroy the clients on close (when the store created them). Default: false. */
  readonly ownsClients?: boolean;
}

/**
 * The evidence store on AWS: artifacts in an S3 bucket with Object Lock (compliance mode), in the same key
 * layout as the embedded store, and an index in one DynamoDB table that answers every access pattern with
 * GetItem or Query. Writes are idempotent: the object key is content-addressed and written once
 * (`If-None-Match: *`), index items are conditional puts.
 *
 * A facade: evidence (aws-evidence.ts), control state (aws-control-state.ts) and the digest chain's storage
 * (aws-digests.ts) each have their own module, over one table client (aws-table.ts) and one bucket
 * (aws-objects.ts); the table's key design is core/stores/index-table.ts.
 */
export class S3DynamoStore implements EvidenceStore, DigestStorage {
  readonly location: string;
  readonly bucket: string;
  readonly table: string;
  readonly retentionDays: number;
  private readonly clients: { s3: S3Client; ddb: DynamoDBClient; owned: boolean };
  private readonly evidence: AwsEvidence;
  private readonly controls: AwsControlState;
  private readonly digests: AwsDigests;

  constructor(options: S3DynamoStoreOptions) {
    this.bucket = options.bucket;
    this.table = options.table;
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isInteger(this.retentionDays) || this.retentionDays < 1) {
      throw new Error(`retention must be a whole number of days ≥ 1, got ${options.retentionDays}`);
    }
    const now = options.now ?? (() => new Date());
    this.clients = { s3: options.s3, ddb: options.dynamodb, owned: options.ownsClients ?? false };
    this.location = `s3://${this.bucket}?table=${this.table}`;
    const table = new IndexTableClient(options.dynamodb, this.table);
    const bucket = new EvidenceBucket(options.s3, this.bucket, this.retentionDays);
    this.evidence = new AwsEvidence(table, bucket, now, this.location);
    this.controls = new AwsControlState(table);
    this.digests = new AwsDigests(table, bucket, now);
  }

  // ── evidence ────────────────────────────────────────────────────────────────────────────────────────────

  putArtifact(artifact: Artifact): Promise<PutResult> {
    return this.evidence.putArtifact(artifact);
  }
  getArtifactRef(key: string): Promise<ArtifactRef | undefined> {
    return this.evidence.getArtifactRef(key);
  }
  getArtifact(key: string): Promise<{ artifact: Artifact; ref: ArtifactRef }> {
    return this.evidence.getArtifact(key);
  }
  openArtifactStream(key: string): Promise<Readable> {
    return this.evidence.openArtifactStream(key);
  }
  listArtifacts(query: ArtifactQuery = {}): Promise<ArtifactRef[]> {
    return this.evidence.listArtifacts(query);
  }
  latestArtifacts(collector?: string): Promise<ArtifactRef[]> {
    return this.evidence.latestArtifacts(collector);
  }
  putFindings(artifactKey: string, findings: readonly Finding[]): Promise<void> {
    return this.evidence.putFindings(artifactKey, findings);
  }
  getFindings(artifactKey: string): Promise<Finding[] | undefined> {
    return this.evidence.getFindings(artifactKey);
  }

  // ── control state ───────────────────────────────────────────────────────────────────────────────────────

  applyControlResults(results: readonly ControlResult[], evaluatedAt: string): Promise<Transition[]> {
    return this.controls.applyControlResults(results, evaluatedAt);
  }
  controlStates(): Promise<ControlState[]> {
    return this.controls.controlStates();
  }
  openFailures(): Promise<ControlState[]> {
    return this.controls.openFailures();
  }
  transitions(query: { control?: string; from?: string; to?: string } = {}): Promise<Transition[]> {
    return this.controls.transitions(query);
  }
  controlEvidence(control: string, from: string, to: string): Promise<string[]> {
    return this.controls.controlEvidence(control, from, to);
  }

  // ── digest storage ──────────────────────────────────────────────────────────────────────────────────────

  artifactsWritten(from: string, to: string): Promise<WrittenArtifact[]> {
    return this.digests.artifactsWritten(from, to);
  }
  indexedArtifacts(keys: readonly string[]): Promise<Map<string, WrittenArtifact>> {
    return this.digests.indexedArtifacts(keys);
  }
  firstWriteAt(): Promise<string | undefined> {
    return this.digests.firstWriteAt();
  }
  hashObject(key: string): Promise<{ sha256: string; size: number } | undefined> {
    return this.digests.hashObject(key);
  }
  listEvidenceObjects(range: EvidenceRange = {}): AsyncIterable<{ key: string; lastModified: string }> {
    return this.digests.listEvidenceObjects(range);
  }
  listDigestKeys(fromDay?: string, toDay?: string): Promise<string[]> {
    return this.digests.listDigestKeys(fromDay, toDay);
  }
  readDigest(key: string): Promise<StoredDigest | undefined> {
    return this.digests.readDigest(key);
  }
  putDigestObject(key: string, bytes: Buffer, metadata: Record<string, string>): Promise<boolean> {
    return this.digests.putDigestObject(key, bytes, metadata);
  }
  putDigestRecord(record: DigestRecord): Promise<boolean> {
    return this.digests.putDigestRecord(record);
  }
  digestRecords(range: { from?: string; to?: string } = {}): Promise<DigestRecord[]> {
    return this.digests.digestRecords(range);
  }
  latestDigest(): Promise<DigestRecord | undefined> {
    return this.digests.latestDigest();
  }

  async close(): Promise<void> {
    if (this.clients.owned) {
      this.clients.s3.destroy();
      this.clients.ddb.destroy();
    }
  }
}
