import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
  type TransactWriteItem,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { decodeArtifact, encodeArtifact, IntegrityError } from '../artifact.ts';
import { parseEvidenceKey } from '../evidence-key.ts';
import type { Artifact, ArtifactRef, ControlResult, ControlState, Finding, Transition } from '../model.ts';
import { nextState } from '../state.ts';
import {
  DIGEST_PREFIX,
  type DigestRecord,
  type DigestStorage,
  daysBetweenInclusive,
  type EvidenceRange,
  hourBuckets,
  type StoredDigest,
  type WrittenArtifact,
} from './digest-storage.ts';
import { INDEX } from './index-table.ts';
import {
  type ArtifactQuery,
  type EvidenceStore,
  evidenceKeySha256,
  expectedSha256,
  type PutResult,
} from './store.ts';

type Item = Record<string, AttributeValue>;

/** Default Object Lock retention: a 12-month Type II window plus the audit fieldwork. */
export const DEFAULT_RETENTION_DAYS = 400;

// The table's design and the IAM actions the store needs: core/stores/index-table.ts.
export { evidenceTableDefinition, INDEX } from './index-table.ts';

/** The table key of an artifact's index item, derived from its evidence key (so a lookup is one GetItem). */
export function artifactItemKey(key: string): { pk: string; sk: string } {
  const parsed = parseEvidenceKey(key);
  return { pk: `A#${parsed.collector}#${parsed.scopeKey}`, sk: key.slice(key.lastIndexOf('/') + 1) };
}

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

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const str = (item: Item, name: string): string => item[name]?.S ?? '';
const num = (item: Item, name: string): number => Number(item[name]?.N ?? 'NaN');
const pack = (value: unknown): AttributeValue => ({ B: gzipSync(JSON.stringify(value)) });
const unpack = <T>(item: Item, name = 'z'): T => {
  const bytes = item[name]?.B;
  if (!bytes) throw new Error(`index item ${str(item, 'pk')}/${str(item, 'sk')} has no ${name} attribute`);
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
};

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';
const httpStatus = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const isConditionFailure = (error: unknown) => errorName(error) === 'ConditionalCheckFailedException';

/** Findings larger than this (gzipped) go to S3 beside the evidence, keeping items under DynamoDB's 400 KB. */
const MAX_INLINE_FINDINGS = 300_000;
const TRANSACTION_CONTROLS = 25;

const refAttributes = (ref: ArtifactRef, writtenAt: string): Item => ({
  key: S(ref.key),
  sha256: S(ref.sha256),
  size: N(ref.size),
  collector: S(ref.collector),
  source: S(ref.source),
  scopeKey: S(ref.scopeKey),
  collectedAt: S(ref.collectedAt),
  status: S(ref.status),
  writtenAt: S(writtenAt),
});

const toRef = (item: Item): ArtifactRef => ({
  key: str(item, 'key'),
  sha256: str(item, 'sha256'),
  size: num(item, 'size'),
  collector: str(item, 'collector'),
  source: str(item, 'source') as ArtifactRef['source'],
  scopeKey: str(item, 'scopeKey'),
  collectedAt: str(item, 'collectedAt'),
  status: str(item, 'status') as ArtifactRef['status'],
});

const toWritten = (item: Item): WrittenArtifact => ({
  key: str(item, 'key'),
  sha256: str(item, 'sha256'),
  size: num(item, 'size'),
  writtenAt: str(item, 'writtenAt'),
});

const toDigestRecord = (item: Item): DigestRecord => ({
  key: str(item, 'key'),
  periodStart: str(item, 'periodStart'),
  periodEnd: str(item, 'periodEnd'),
  sha256: str(item, 'sha256'),
  signature: str(item, 'signature'),
  previousKey: item.previousKey?.S ?? null,
  keyId: str(item, 'keyId'),
  keyFingerprint: str(item, 'keyFingerprint'),
});

const byTimeThenKey = (a: ArtifactRef, b: ArtifactRef) =>
  a.collectedAt < b.collectedAt ? -1 : a.collectedAt > b.collectedAt ? 1 : a.key < b.key ? -1 : 1;

/**
 * The evidence store on AWS: artifacts in an S3 bucket with Object Lock (compliance mode), in the same key
 * layout as the embedded store, and an index in one DynamoDB table that answers every access pattern with
 * GetItem or Query. Writes are idempotent: the object key is content-addressed and written once
 * (`If-None-Match: *`), index items are conditional puts.
 */
export class S3DynamoStore implements EvidenceStore, DigestStorage {
  readonly location: string;
  readonly bucket: string;
  readonly table: string;
  readonly retentionDays: number;
  private readonly s3: S3Client;
  private readonly ddb: DynamoDBClient;
  private readonly now: () => Date;
  private readonly ownsClients: boolean;

  constructor(options: S3DynamoStoreOptions) {
    this.s3 = options.s3;
    this.ddb = options.dynamodb;
    this.bucket = options.bucket;
    this.table = options.table;
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isInteger(this.retentionDays) || this.retentionDays < 1) {
      throw new Error(`retention must be a whole number of days ≥ 1, got ${options.retentionDays}`);
    }
    this.now = options.now ?? (() => new Date());
    this.ownsClients = options.ownsClients ?? false;
    this.location = `s3://${this.bucket}?table=${this.table}`;
  }

  // ── evidence ────────────────────────────────────────────────────────────────────────────────────────────

  async putArtifact(artifact: Artifact): Promise<PutResult> {
    const { bytes, ref } = encodeArtifact(artifact);
    const writtenAt = this.now().toISOString();
    // Object first: an index item never points at an object that is not there.
    await this.putObjectOnce(ref.key, bytes, ref.sha256, writtenAt);
    let created = true;
    try {
      await this.ddb.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            ...artifactItemKeyAttrs(ref.key),
            ...refAttributes(ref, writtenAt),
            c_pk: S(ref.collector),
            c_sk: S(`${ref.collectedAt}#${ref.scopeKey}#${ref.sha256}`),
            w_pk: S(`W#${writtenAt.slice(0, 13)}`),
            w_sk: S(`${writtenAt}#${ref.key}`),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      created = false;
    }
    // Also on a repeat: a put retried after a crash between the two writes still moves the pointer.
    await this.advanceLatest(ref, writtenAt);
    return { ref, created };
  }

  /**
   * Points the pair's LATEST item at this artifact unless a newer one is there. The item also keeps the
   * pair's first write time, so the chain's start is one Query away.
   */
  private async advanceLatest(ref: ArtifactRef, writtenAt: string): Promise<void> {
    const attributes = Object.entries(refAttributes(ref, writtenAt));
    try {
      await this.ddb.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: S('LATEST'), sk: S(`${ref.collector}#${ref.scopeKey}`) },
          UpdateExpression: `SET ${attributes.map((_, i) => `#a${i} = :a${i}`).join(', ')}, firstWrittenAt = if_not_exists(firstWrittenAt, :written)`,
          ConditionExpression:
            'attribute_not_exists(pk) OR collectedAt < :at OR (collectedAt = :at AND #key < :key)',
          ExpressionAttributeNames: {
            '#key': 'key',
            ...Object.fromEntries(attributes.map(([name], i) => [`#a${i}`, name])),
          },
          ExpressionAttributeValues: {
            ':at': S(ref.collectedAt),
            ':key': S(ref.key),
            ':written': S(writtenAt),
            ...Object.fromEntries(attributes.map(([, value], i) => [`:a${i}`, value])),
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error; // a newer artifact is already the latest
    }
  }

  /** Writes an object once, locked; false when the key already holds an object. */
  private async putObjectOnce(
    key: string,
    bytes: Buffer,
    sha256Hex: string,
    writtenAt: string,
    metadata: Record<string, string> = {},
  ): Promise<boolean> {
    const retainUntil = new Date(Date.parse(writtenAt) + this.retentionDays * 86_400_000);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: key,
            Body: bytes,
            ContentType: 'application/json',
            // S3 checks the bytes against our SHA-256 and keeps it with the object version.
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: Buffer.from(sha256Hex, 'hex').toString('base64'),
            ObjectLockMode: 'COMPLIANCE',
            ObjectLockRetainUntilDate: retainUntil,
            IfNoneMatch: '*',
            Metadata: metadata,
          }),
        );
        return true;
      } catch (error) {
        if (httpStatus(error) === 412 || errorName(error) === 'PreconditionFailed') return false;
        // 409: a concurrent conditional write to the same key is in flight; the next attempt sees its result.
        if (httpStatus(error) === 409 && attempt < 5) {
          await sleep(50 * attempt);
          continue;
        }
        if (/object ?lock/i.test((error as Error).message ?? '')) {
          throw new Error(
            `s3://${this.bucket} cannot hold locked evidence (${(error as Error).message}); create it with Object Lock enabled`,
            { cause: error },
          );
        }
        throw error;
      }
    }
  }

  async getArtifactRef(key: string): Promise<ArtifactRef | undefined> {
    let itemKey: { pk: string; sk: string };
    try {
      itemKey = artifactItemKey(key);
    } catch {
      return undefined;
    }
    const { Item } = await this.ddb.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: S(itemKey.pk), sk: S(itemKey.sk) },
        ConsistentRead: true,
      }),
    );
    return Item && str(Item, 'key') === key ? toRef(Item) : undefined;
  }

  async getArtifact(key: string): Promise<{ artifact: Artifact; ref: ArtifactRef }> {
    const ref = await this.getArtifactRef(key);
    if (!ref) throw new Error(`no artifact with key ${key} in ${this.location}`);
    const sha256 = expectedSha256(ref);
    const bytes = await this.getObjectBytes(key);
    if (!bytes)
      throw new IntegrityError(`${key}: indexed, but s3://${this.bucket} has no object at that key`);
    return { artifact: decodeArtifact(bytes, sha256, key), ref };
  }

  async openArtifactStream(key: string): Promise<Readable> {
    evidenceKeySha256(key);
    const body = await this.getObjectStream(key);
    if (!body) throw new IntegrityError(`${key}: indexed, but s3://${this.bucket} has no object at that key`);
    return body as Readable;
  }

  async listArtifacts(query: ArtifactQuery = {}): Promise<ArtifactRef[]> {
    const { collector, scopeKey, from, to } = query;
    let refs: ArtifactRef[];
    if (collector && scopeKey) refs = await this.artifactsOfPair(collector, scopeKey, from, to);
    else if (collector) refs = await this.artifactsOfCollector(collector, from, to);
    else {
      // The latest-pointer partition names every collector × scope, so no query ever spans the whole table.
      const pairs = await this.latestArtifacts();
      const lists = scopeKey
        ? await Promise.all(
            pairs
              .filter((p) => p.scopeKey === scopeKey)
              .map((p) => this.artifactsOfPair(p.collector, p.scopeKey, from, to)),
          )
        : await Promise.all(
            [...new Set(pairs.map((p) => p.collector))].map((c) => this.artifactsOfCollector(c, from, to)),
          );
      refs = lists.flat();
    }
    return refs.sort(byTimeThenKey);
  }

  private async artifactsOfPair(collector: string, scopeKey: string, from?: string, to?: string) {
    const compact = (iso: string) => `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
    const values: Item = { ':pk': S(`A#${collector}#${scopeKey}`) };
    let range = '';
    // The sort key holds the time to the second; the filter applies the millisecond bounds.
    if (from) values[':lo'] = S(compact(from));
    if (to) values[':hi'] = S(`${compact(to)}~`);
    if (from && to) range = ' AND sk BETWEEN :lo AND :hi';
    else if (from) range = ' AND sk >= :lo';
    else if (to) range = ' AND sk <= :hi';
    const filters: string[] = [];
    if (from) {
      filters.push('collectedAt >= :from');
      values[':from'] = S(from);
    }
    if (to) {
      filters.push('collectedAt < :to');
      values[':to'] = S(to);
    }
    const items = await this.queryAll({
      KeyConditionExpression: `pk = :pk${range}`,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeValues: values,
      ConsistentRead: true,
    });
    return items.map(toRef);
  }

  private async artifactsOfCollector(collector: string, from?: string, to?: string) {
    // c_sk starts with collectedAt, so `BETWEEN from AND to` is exactly [from, to).
    const values: Item = { ':c': S(collector) };
    let range = '';
    if (from) values[':from'] = S(from);
    if (to) values[':to'] = S(to);
    if (from && to) range = ' AND c_sk BETWEEN :from AND :to';
    else if (from) range = ' AND c_sk >= :from';
    else if (to) range = ' AND c_sk < :to';
    const items = await this.queryAll({
      IndexName: INDEX.byCollector,
      KeyConditionExpression: `c_pk = :c${range}`,
      ExpressionAttributeValues: values,
    });
    return items.map(toRef);
  }

  async latestArtifacts(collector?: string): Promise<ArtifactRef[]> {
    const items = await this.queryAll({
      KeyConditionExpression: collector ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
      ExpressionAttributeValues: {
        ':pk': S('LATEST'),
        ...(collector ? { ':prefix': S(`${collector}#`) } : {}),
      },
      ConsistentRead: true,
    });
    return items
      .map(toRef)
      .sort((a, b) =>
        a.collector !== b.collector
          ? a.collector < b.collector
            ? -1
            : 1
          : a.scopeKey < b.scopeKey
            ? -1
            : a.scopeKey > b.scopeKey
              ? 1
              : 0,
      );
  }

  async putFindings(artifactKey: string, findings: readonly Finding[]): Promise<void> {
    const z = gzipSync(JSON.stringify(findings));
    const item: Item = { pk: S(`F#${artifactKey}`), sk: S('F') };
    if (z.length > MAX_INLINE_FINDINGS) {
      const key = `findings/${artifactKey}.gz`;
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: z,
          ContentType: 'application/gzip',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      item.s3 = S(key);
    } else item.z = { B: z };
    await this.ddb.send(new PutItemCommand({ TableName: this.table, Item: item }));
  }

  async getFindings(artifactKey: string): Promise<Finding[] | undefined> {
    const { Item } = await this.ddb.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: S(`F#${artifactKey}`), sk: S('F') },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    if (Item.s3?.S) {
      const bytes = await this.getObjectBytes(Item.s3.S);
      if (!bytes) throw new Error(`findings of ${artifactKey}: s3://${this.bucket}/${Item.s3.S} is missing`);
      return JSON.parse(gunzipSync(bytes).toString('utf8')) as Finding[];
    }
    return unpack<Finding[]>(Item);
  }

  // ── control state ───────────────────────────────────────────────────────────────────────────────────────

  /**
   * Optimistic concurrency: each control's state item carries a version; the new state is written only if
   * the version is still the one read, in the same transaction as its transition item. A racing evaluation
   * that loses re-reads and re-derives, so every transition is recorded exactly once.
   */
  async applyControlResults(results: readonly ControlResult[], evaluatedAt: string): Promise<Transition[]> {
    const stored = new Map<string, { state: ControlState; version: number }>();
    for (const item of await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S('CTRL') },
      ConsistentRead: true,
    })) {
      stored.set(str(item, 'sk'), { state: unpack<ControlState>(item), version: num(item, 'v') });
    }
    await this.linkEvidence(results, stored, evaluatedAt);
    const transitions: Transition[] = [];
    for (let i = 0; i < results.length; i += TRANSACTION_CONTROLS) {
      transitions.push(
        ...(await this.applyChunk(results.slice(i, i + TRANSACTION_CONTROLS), stored, evaluatedAt)),
      );
    }
    return transitions;
  }

  private async applyChunk(
    results: readonly ControlResult[],
    stored: Map<string, { state: ControlState; version: number }>,
    evaluatedAt: string,
  ): Promise<Transition[]> {
    for (let attempt = 1; ; attempt++) {
      const items: TransactWriteItem[] = [];
      const transitions: Transition[] = [];
      for (const result of results) {
        const previous = stored.get(result.control);
        const next = nextState(previous?.state, result, evaluatedAt);
        if (!next) continue;
        const version = (previous?.version ?? 0) + 1;
        items.push({
          Put: {
            TableName: this.table,
            Item: {
              pk: S('CTRL'),
              sk: S(result.control),
              z: pack(next.state),
              status: S(next.state.status),
              evaluatedAt: S(evaluatedAt),
              v: N(version),
              ...(next.state.status === 'failing' ? { o_pk: S('OPEN'), o_sk: S(result.control) } : {}),
            },
            ...(previous
              ? { ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': N(previous.version) } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        });
        if (next.transition) {
          transitions.push(next.transition);
          items.push({
            Put: {
              TableName: this.table,
              Item: {
                pk: S(`H#${result.control}`),
                sk: S(`${evaluatedAt}#${String(version).padStart(10, '0')}`),
                z: pack(next.transition),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          });
        }
      }
      if (items.length === 0) return [];
      try {
        await this.ddb.send(new TransactWriteItemsCommand({ TransactItems: items }));
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        const lostRace =
          errorName(error) === 'TransactionCanceledException' &&
          reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');
        if (!lostRace || attempt >= 20) throw error;
        // Someone else moved these controls on: re-read them and derive again.
        for (const result of results) {
          const fresh = await this.readControl(result.control);
          if (fresh) stored.set(result.control, fresh);
          else stored.delete(result.control);
        }
        await sleep(Math.random() * 20 * attempt);
        continue;
      }
      for (const result of results) {
        const previous = stored.get(result.control);
        const next = nextState(previous?.state, result, evaluatedAt);
        if (next) stored.set(result.control, { state: next.state, version: (previous?.version ?? 0) + 1 });
      }
      return transitions;
    }
  }

  private async readControl(control: string) {
    const { Item } = await this.ddb.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: S('CTRL'), sk: S(control) },
        ConsistentRead: true,
      }),
    );
    return Item ? { state: unpack<ControlState>(Item), version: num(Item, 'v') } : undefined;
  }

  /** Links each result to the artifacts behind it (idempotent puts; only evidence not linked before). */
  private async linkEvidence(
    results: readonly ControlResult[],
    stored: Map<string, { state: ControlState }>,
    evaluatedAt: string,
  ): Promise<void> {
    const wanted: { control: string; key: string }[] = [];
    for (const result of results) {
      const previous = stored.get(result.control)?.state;
      if (previous && previous.evaluatedAt > evaluatedAt) continue;
      const known = new Set(previous?.evidence ?? []);
      for (const key of new Set(result.evidence))
        if (!known.has(key)) wanted.push({ control: result.control, key });
    }
    if (wanted.length === 0) return;
    const refs = await this.batchGet(
      [...new Set(wanted.map((w) => w.key))].flatMap((key) => {
        try {
          return [artifactItemKey(key)];
        } catch {
          return [];
        }
      }),
      '#key, collectedAt',
      { '#key': 'key' },
    );
    const collectedAt = new Map(refs.map((item) => [str(item, 'key'), str(item, 'collectedAt')]));
    const puts: Item[] = wanted.flatMap(({ control, key }) => {
      const at = collectedAt.get(key);
      return at ? [{ pk: S(`E#${control}`), sk: S(`${at}#${key}`), key: S(key), collectedAt: S(at) }] : [];
    });
    await this.batchPut(puts);
  }

  async controlStates(): Promise<ControlState[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S('CTRL') },
      ConsistentRead: true,
    });
    return items.map((item) => unpack<ControlState>(item));
  }

  async openFailures(): Promise<ControlState[]> {
    const items = await this.queryAll({
      IndexName: INDEX.openFailures,
      KeyConditionExpression: 'o_pk = :open',
      ExpressionAttributeValues: { ':open': S('OPEN') },
    });
    return items.map((item) => unpack<ControlState>(item));
  }

  async transitions(query: { control?: string; from?: string; to?: string } = {}): Promise<Transition[]> {
    const controls = query.control
      ? [query.control]
      : (
          await this.queryAll({
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': S('CTRL') },
            ProjectionExpression: 'sk',
          })
        ).map((item) => str(item, 'sk'));
    const lists = await Promise.all(
      controls.map(async (control) => {
        const values: Item = { ':pk': S(`H#${control}`) };
        if (query.from) values[':from'] = S(query.from);
        if (query.to) values[':to'] = S(query.to);
        const range =
          query.from && query.to
            ? ' AND sk BETWEEN :from AND :to'
            : query.from
              ? ' AND sk >= :from'
              : query.to
                ? ' AND sk < :to'
                : '';
        const items = await this.queryAll({
          KeyConditionExpression: `pk = :pk${range}`,
          ExpressionAttributeValues: values,
          ConsistentRead: true,
        });
        return items.map((item) => unpack<Transition>(item));
      }),
    );
    return lists
      .flat()
      .sort((a, b) => (a.at !== b.at ? (a.at < b.at ? -1 : 1) : a.control < b.control ? -1 : 1));
  }

  async controlEvidence(control: string, from: string, to: string): Promise<string[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': S(`E#${control}`), ':from': S(from), ':to': S(to) },
      ProjectionExpression: '#key',
      ExpressionAttributeNames: { '#key': 'key' },
      ConsistentRead: true,
    });
    return [...new Set(items.map((item) => str(item, 'key')))];
  }

  // ── digest storage ──────────────────────────────────────────────────────────────────────────────────────

  async artifactsWritten(from: string, to: string): Promise<WrittenArtifact[]> {
    const lists = await Promise.all(
      hourBuckets(from, to).map((hour) =>
        this.queryAll({
          IndexName: INDEX.byWriteTime,
          KeyConditionExpression: 'w_pk = :hour AND w_sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':hour': S(`W#${hour}`), ':from': S(from), ':to': S(to) },
        }),
      ),
    );
    return lists
      .flat()
      .map(toWritten)
      .sort((a, b) =>
        a.writtenAt !== b.writtenAt ? (a.writtenAt < b.writtenAt ? -1 : 1) : a.key < b.key ? -1 : 1,
      );
  }

  async indexedArtifacts(keys: readonly string[]): Promise<Map<string, WrittenArtifact>> {
    const itemKeys = [...new Set(keys)].flatMap((key) => {
      try {
        return [artifactItemKey(key)];
      } catch {
        return [];
      }
    });
    const items = await this.batchGet(itemKeys, '#key, sha256, #size, writtenAt', {
      '#key': 'key',
      '#size': 'size',
    });
    return new Map(items.map((item) => [str(item, 'key'), toWritten(item)]));
  }

  async firstWriteAt(): Promise<string | undefined> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': S('LATEST') },
      ProjectionExpression: 'firstWrittenAt',
      ConsistentRead: true,
    });
    return items
      .map((item) => str(item, 'firstWrittenAt'))
      .filter(Boolean)
      .sort()[0];
  }

  async hashObject(key: string): Promise<{ sha256: string; size: number } | undefined> {
    const body = await this.getObjectStream(key);
    if (!body) return undefined;
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  }

  async *listEvidenceObjects(
    range: EvidenceRange = {},
  ): AsyncIterable<{ key: string; lastModified: string }> {
    // Keys sort by source, collector and scope before the day: the listing is whole, the days filtered here.
    const day = (key: string) => /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1] ?? '';
    for await (const object of this.listObjects('evidence/'))
      if (!range.fromDay || day(object.key) >= range.fromDay) yield object;
  }

  async listDigestKeys(fromDay?: string, toDay?: string): Promise<string[]> {
    const prefixes =
      fromDay && toDay
        ? daysBetweenInclusive(fromDay, toDay).map((d) => `${DIGEST_PREFIX}dt=${d}/`)
        : [DIGEST_PREFIX];
    const keys: string[] = [];
    for (const prefix of prefixes) for await (const { key } of this.listObjects(prefix)) keys.push(key);
    return keys.filter((k) => k.endsWith('-digest.json')).sort();
  }

  async readDigest(key: string): Promise<StoredDigest | undefined> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        bytes: Buffer.from(await response.Body!.transformToByteArray()),
        metadata: response.Metadata ?? {},
      };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async putDigestObject(key: string, bytes: Buffer, metadata: Record<string, string>): Promise<boolean> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.putObjectOnce(key, bytes, sha256, this.now().toISOString(), metadata);
  }

  async putDigestRecord(record: DigestRecord): Promise<boolean> {
    try {
      await this.ddb.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: S('DIGEST'),
            sk: S(record.periodEnd),
            key: S(record.key),
            periodStart: S(record.periodStart),
            periodEnd: S(record.periodEnd),
            sha256: S(record.sha256),
            signature: S(record.signature),
            ...(record.previousKey ? { previousKey: S(record.previousKey) } : {}),
            keyId: S(record.keyId),
            keyFingerprint: S(record.keyFingerprint),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async digestRecords(range: { from?: string; to?: string } = {}): Promise<DigestRecord[]> {
    const values: Item = { ':pk': S('DIGEST') };
    if (range.from) values[':from'] = S(range.from);
    if (range.to) values[':to'] = S(range.to);
    const condition =
      range.from && range.to
        ? ' AND sk BETWEEN :from AND :to'
        : range.from
          ? ' AND sk > :from'
          : range.to
            ? ' AND sk <= :to'
            : '';
    const items = await this.queryAll({
      KeyConditionExpression: `pk = :pk${condition}`,
      ExpressionAttributeValues: values,
      ConsistentRead: true,
    });
    // BETWEEN is inclusive at both ends; a period ending exactly at `from` lies before the range.
    return items.map(toDigestRecord).filter((r) => !range.from || r.periodEnd > range.from);
  }

  async latestDigest(): Promise<DigestRecord | undefined> {
    const { Items } = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': S('DIGEST') },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    return Items?.[0] ? toDigestRecord(Items[0]) : undefined;
  }

  async close(): Promise<void> {
    if (this.ownsClients) {
      this.s3.destroy();
      this.ddb.destroy();
    }
  }

  // ── plumbing ────────────────────────────────────────────────────────────────────────────────────────────

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.ddb.send(
        new QueryCommand({ ...input, TableName: this.table, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** BatchGetItem in batches of 100, retrying unprocessed keys. */
  private async batchGet(
    keys: readonly { pk: string; sk: string }[],
    projection: string,
    names: Record<string, string>,
  ): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Item[] = keys.slice(i, i + 100).map((k) => ({ pk: S(k.pk), sk: S(k.sk) }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const response = await this.ddb.send(
          new BatchGetItemCommand({
            RequestItems: {
              [this.table]: {
                Keys: pending,
                ConsistentRead: true,
                ProjectionExpression: projection,
                ExpressionAttributeNames: names,
              },
            },
          }),
        );
        items.push(...(response.Responses?.[this.table] ?? []));
        pending = response.UnprocessedKeys?.[this.table]?.Keys ?? [];
        if (pending.length) await sleep(Math.min(1000, 25 * 2 ** attempt));
      }
    }
    return items;
  }

  /** BatchWriteItem puts in batches of 25 (the DynamoDB limit), retrying unprocessed items. */
  private async batchPut(items: readonly Item[]): Promise<void> {
    for (let i = 0; i < items.length; i += 25) {
      let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length > 0; attempt++) {
        const response = await this.ddb.send(
          new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }),
        );
        pending = (response.UnprocessedItems?.[this.table] ?? []) as typeof pending;
        if (pending.length) await sleep(Math.min(1000, 25 * 2 ** attempt));
      }
    }
  }

  private async getObjectStream(key: string) {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return response.Body;
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  private async getObjectBytes(key: string): Promise<Buffer | undefined> {
    const body = await this.getObjectStream(key);
    return body ? Buffer.from(await body.transformToByteArray()) : undefined;
  }

  private async *listObjects(prefix: string): AsyncIterable<{ key: string; lastModified: string }> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key)
          yield { key: object.Key, lastModified: (object.LastModified ?? new Date(0)).toISOString() };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

function artifactItemKeyAttrs(key: string): Item {
  const { pk, sk } = artifactItemKey(key);
  return { pk: S(pk), sk: S(sk) };
}

function isMissingObject(error: unknown): boolean {
  return ['NoSuchKey', 'NotFound', 'NoSuchVersion'].includes(errorName(error)) || httpStatus(error) === 404;
}
