import { createHash } from 'node:crypto';
import {
  artifactItemKeys,
  digestRecordAttributes,
  str,
  strings,
  toDigestRecord,
  toWritten,
} from './aws-marshalling.ts';
import type { EvidenceBucket } from './aws-objects.ts';
import type { IndexTableClient } from './aws-table.ts';
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
import { INDEX, INDEX_KEY, ITEM_KEY, PARTITION } from './index-table.ts';

type AwsDigestStorage = Omit<DigestStorage, 'location'>;

/**
 * What the digest chain needs on AWS: artifact writes by hour (the byWriteTime index), the objects themselves,
 * and digests as locked objects under digests/ with one DIGEST item each.
 */
export class AwsDigests implements AwsDigestStorage {
  constructor(
    private readonly table: IndexTableClient,
    private readonly bucket: EvidenceBucket,
    private readonly now: () => Date,
  ) {}

  async artifactsWritten(from: string, to: string): Promise<WrittenArtifact[]> {
    const lists = await Promise.all(
      hourBuckets(from, to).map((hour) =>
        this.table.query({ index: INDEX.byWriteTime, partition: INDEX_KEY.writeHour(hour), from, to }),
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
    const items = await this.table.batchGet(artifactItemKeys(keys), '#key, sha256, #size, writtenAt', {
      '#key': 'key',
      '#size': 'size',
    });
    return new Map(items.map((item) => [str(item, 'key'), toWritten(item)]));
  }

  async firstWriteAt(): Promise<string | undefined> {
    const items = await this.table.query({
      partition: PARTITION.latest,
      consistent: true,
      extra: { ProjectionExpression: 'firstWrittenAt' },
    });
    return items
      .map((item) => str(item, 'firstWrittenAt'))
      .filter(Boolean)
      .sort()[0];
  }

  hashObject(key: string): Promise<{ sha256: string; size: number } | undefined> {
    return this.bucket.hash(key);
  }

  async *listEvidenceObjects(
    range: EvidenceRange = {},
  ): AsyncIterable<{ key: string; lastModified: string }> {
    // Keys sort by source, collector and scope before the day: the listing is whole, the days filtered here.
    const day = (key: string) => /\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1] ?? '';
    for await (const object of this.bucket.list('evidence/'))
      if (!range.fromDay || day(object.key) >= range.fromDay) yield object;
  }

  async listDigestKeys(fromDay?: string, toDay?: string): Promise<string[]> {
    const prefixes =
      fromDay && toDay
        ? daysBetweenInclusive(fromDay, toDay).map((d) => `${DIGEST_PREFIX}dt=${d}/`)
        : [DIGEST_PREFIX];
    const keys: string[] = [];
    for (const prefix of prefixes) for await (const { key } of this.bucket.list(prefix)) keys.push(key);
    return keys.filter((k) => k.endsWith('-digest.json')).sort();
  }

  async readDigest(key: string): Promise<StoredDigest | undefined> {
    const object = await this.bucket.get(key);
    if (!object) return undefined;
    return { bytes: Buffer.from(await object.body.transformToByteArray()), metadata: object.metadata };
  }

  putDigestObject(key: string, bytes: Buffer, metadata: Record<string, string>): Promise<boolean> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return this.bucket.putOnce(key, bytes, sha256, this.now().toISOString(), metadata);
  }

  putDigestRecord(record: DigestRecord): Promise<boolean> {
    return this.table.putOnce({
      ...strings(ITEM_KEY.digest(record.periodEnd)),
      ...digestRecordAttributes(record),
    });
  }

  async digestRecords(range: { from?: string; to?: string } = {}): Promise<DigestRecord[]> {
    const items = await this.table.query({
      partition: PARTITION.digests,
      from: range.from,
      to: range.to,
      lower: '>',
      upper: '<=',
      consistent: true,
    });
    // BETWEEN is inclusive at both ends; a period ending exactly at `from` lies before the range.
    return items.map(toDigestRecord).filter((r) => !range.from || r.periodEnd > range.from);
  }

  async latestDigest(): Promise<DigestRecord | undefined> {
    const [item] = await this.table.query({
      partition: PARTITION.digests,
      consistent: true,
      extra: { ScanIndexForward: false, Limit: 1 },
    });
    return item ? toDigestRecord(item) : undefined;
  }
}
