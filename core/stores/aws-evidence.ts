import type { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeArtifact, encodeArtifact, IntegrityError } from '../artifact.ts';
import type { Artifact, ArtifactRef, Finding } from '../model.ts';
import { type Item, refAttributes, S, str, strings, toRef, unpack } from './aws-marshalling.ts';
import type { EvidenceBucket } from './aws-objects.ts';
import type { IndexTableClient } from './aws-table.ts';
import { INDEX, INDEX_KEY, ITEM_KEY, PARTITION } from './index-table.ts';
import { type ArtifactQuery, evidenceKeySha256, expectedSha256, type PutResult } from './store.ts';

/** Findings larger than this (gzipped) go to S3 beside the evidence, keeping items under DynamoDB's 400 KB. */
const MAX_INLINE_FINDINGS = 300_000;

const byTimeThenKey = (a: ArtifactRef, b: ArtifactRef) =>
  a.collectedAt < b.collectedAt ? -1 : a.collectedAt > b.collectedAt ? 1 : a.key < b.key ? -1 : 1;

const byPair = (a: ArtifactRef, b: ArtifactRef) =>
  a.collector !== b.collector
    ? a.collector < b.collector
      ? -1
      : 1
    : a.scopeKey < b.scopeKey
      ? -1
      : a.scopeKey > b.scopeKey
        ? 1
        : 0;

/**
 * Artifacts and their findings on AWS: each artifact an S3 object written once, with an index item (its ref,
 * keyed by its evidence key, and the byCollector and byWriteTime index keys) and its pair's LATEST pointer.
 */
export class AwsEvidence {
  constructor(
    private readonly table: IndexTableClient,
    private readonly bucket: EvidenceBucket,
    private readonly now: () => Date,
    private readonly location: string,
  ) {}

  async putArtifact(artifact: Artifact): Promise<PutResult> {
    const { bytes, ref } = encodeArtifact(artifact);
    const writtenAt = this.now().toISOString();
    // Object first: an index item never points at an object that is not there.
    await this.bucket.putOnce(ref.key, bytes, ref.sha256, writtenAt);
    const created = await this.table.putOnce({
      ...strings(ITEM_KEY.artifact(ref.key)),
      ...refAttributes(ref, writtenAt),
      ...strings(INDEX_KEY.byCollector(ref)),
      ...strings(INDEX_KEY.byWriteTime(writtenAt, ref.key)),
    });
    // Also on a repeat: a put retried after a crash between the two writes still moves the pointer.
    await this.advanceLatest(ref, writtenAt);
    return { ref, created };
  }

  /**
   * Points the pair's LATEST item at this artifact unless a newer one is there (then the condition fails and
   * nothing changes). The item also keeps the pair's first write time, so the chain's start is one Query away.
   */
  private async advanceLatest(ref: ArtifactRef, writtenAt: string): Promise<void> {
    const attributes = Object.entries(refAttributes(ref, writtenAt));
    await this.table.updateIf({
      Key: strings(ITEM_KEY.latest(ref.collector, ref.scopeKey)),
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
    });
  }

  async getArtifactRef(key: string): Promise<ArtifactRef | undefined> {
    let itemKey: { pk: string; sk: string };
    try {
      itemKey = ITEM_KEY.artifact(key);
    } catch {
      return undefined;
    }
    const item = await this.table.get(itemKey);
    return item && str(item, 'key') === key ? toRef(item) : undefined;
  }

  async getArtifact(key: string): Promise<{ artifact: Artifact; ref: ArtifactRef }> {
    const ref = await this.getArtifactRef(key);
    if (!ref) throw new Error(`no artifact with key ${key} in ${this.location}`);
    const sha256 = expectedSha256(ref);
    const bytes = await this.bucket.getBytes(key);
    if (!bytes) throw this.missingObject(key);
    return { artifact: decodeArtifact(bytes, sha256, key), ref };
  }

  async openArtifactStream(key: string): Promise<Readable> {
    evidenceKeySha256(key);
    const object = await this.bucket.get(key);
    if (!object) throw this.missingObject(key);
    return object.body as Readable;
  }

  private missingObject(key: string) {
    return new IntegrityError(`${key}: indexed, but s3://${this.bucket.name} has no object at that key`);
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
    // The sort key holds the time to the second; the filter applies the millisecond bounds.
    const filters: string[] = [];
    const values: Item = {};
    if (from) {
      filters.push('collectedAt >= :from');
      values[':from'] = S(from);
    }
    if (to) {
      filters.push('collectedAt < :to');
      values[':to'] = S(to);
    }
    const items = await this.table.query({
      partition: ITEM_KEY.artifactPartition(collector, scopeKey),
      ...(from ? { from: ITEM_KEY.artifactTimeBound(from) } : {}),
      ...(to ? { to: `${ITEM_KEY.artifactTimeBound(to)}~`, upper: '<=' } : {}),
      consistent: true,
      ...(filters.length
        ? { extra: { FilterExpression: filters.join(' AND '), ExpressionAttributeValues: values } }
        : {}),
    });
    return items.map(toRef);
  }

  private async artifactsOfCollector(collector: string, from?: string, to?: string) {
    // c_sk starts with collectedAt, so `BETWEEN from AND to` is exactly [from, to).
    const items = await this.table.query({ index: INDEX.byCollector, partition: collector, from, to });
    return items.map(toRef);
  }

  async latestArtifacts(collector?: string): Promise<ArtifactRef[]> {
    const items = await this.table.query({
      partition: PARTITION.latest,
      ...(collector ? { prefix: `${collector}#` } : {}),
      consistent: true,
    });
    return items.map(toRef).sort(byPair);
  }

  async putFindings(artifactKey: string, findings: readonly Finding[]): Promise<void> {
    const z = gzipSync(JSON.stringify(findings));
    const item: Item = strings(ITEM_KEY.findings(artifactKey));
    if (z.length > MAX_INLINE_FINDINGS) {
      const key = `findings/${artifactKey}.gz`;
      await this.bucket.put(key, z, 'application/gzip');
      item.s3 = S(key);
    } else item.z = { B: z };
    await this.table.put(item);
  }

  async getFindings(artifactKey: string): Promise<Finding[] | undefined> {
    const item = await this.table.get(ITEM_KEY.findings(artifactKey));
    if (!item) return undefined;
    if (item.s3?.S) {
      const bytes = await this.bucket.getBytes(item.s3.S);
      if (!bytes)
        throw new Error(`findings of ${artifactKey}: s3://${this.bucket.name}/${item.s3.S} is missing`);
      return JSON.parse(gunzipSync(bytes).toString('utf8')) as Finding[];
    }
    return unpack<Finding[]>(item);
  }
}
