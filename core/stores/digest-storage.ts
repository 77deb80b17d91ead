/**
 * What the digest chain needs from a store: the index of artifact writes, raw access to stored objects, and a
 * place for digests. Both stores provide it, so one chain implementation (core/digest-chain.ts) serves both.
 */

/** An artifact as the index recorded its write. */
export interface WrittenArtifact {
  readonly key: string;
  readonly sha256: string;
  readonly size: number;
  /** When the store wrote it (ISO 8601 UTC): digests cover writes, so a back-dated artifact still lands in one. */
  readonly writtenAt: string;
}

/** A digest as the index records it (the signed object is the source of truth; this is its lookup entry). */
export interface DigestRecord {
  readonly key: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  /** SHA-256 (hex) of the digest object's bytes. */
  readonly sha256: string;
  /** DER ECDSA signature over the signing input, hex. */
  readonly signature: string;
  readonly previousKey: string | null;
  readonly keyId: string;
  readonly keyFingerprint: string;
}

export interface StoredDigest {
  readonly bytes: Buffer;
  /** The object's user metadata (S3 `x-amz-meta-*`; a `.meta.json` file beside it in the embedded store). */
  readonly metadata: Record<string, string>;
}

/** Evidence collected on or after `fromDay` (YYYY-MM-DD, the `dt=` part of an evidence key). */
export interface EvidenceRange {
  readonly fromDay?: string;
}

export interface DigestStorage {
  readonly location: string;

  /** Index: artifacts whose write time is in [from, to), oldest first. */
  artifactsWritten(from: string, to: string): Promise<WrittenArtifact[]>;
  /** Index: the write records of these keys; keys the index does not hold are absent from the map. */
  indexedArtifacts(keys: readonly string[]): Promise<Map<string, WrittenArtifact>>;
  /** A time at or before the first artifact write, or undefined when nothing was written yet. */
  firstWriteAt(): Promise<string | undefined>;
  /**
   * Index: records the evidence objects stored in [from, to) that the index has no row for, with their storage
   * time as write time; returns how many. Stores whose writer can die between publishing an object and indexing
   * it implement it, and digests call it before sealing those periods, so such an object is listed, not reported.
   */
  adoptUnindexed?(from: string, to: string): Promise<number>;

  /** Storage: SHA-256 (hex) and size of an object's current bytes, or undefined when there is none. */
  hashObject(key: string): Promise<{ sha256: string; size: number } | undefined>;
  /**
   * Storage: every evidence object with its last-modified time, to find objects that bypassed the index;
   * with `fromDay`, only those collected on or after that day (the `dt=` of their key).
   */
  listEvidenceObjects(range?: EvidenceRange): AsyncIterable<{ key: string; lastModified: string }>;

  /** Storage: digest keys under `digests/dt=<day>/` for days in [fromDay, toDay] (all days when omitted). */
  listDigestKeys(fromDay?: string, toDay?: string): Promise<string[]>;
  readDigest(key: string): Promise<StoredDigest | undefined>;
  /** A digest's bytes alone, where its metadata is a second read (an archive copies the bytes only). */
  readDigestBytes?(key: string): Promise<Buffer | undefined>;
  /** The file holding a digest, where the store is a folder on this machine: an archive reads many at once. */
  digestFile?(key: string): string;
  /** Writes a digest object once (locked like evidence); false when an object already exists at the key. */
  putDigestObject(key: string, bytes: Buffer, metadata: Record<string, string>): Promise<boolean>;
  /** Records a digest in the index once; false when a record for its period already exists. */
  putDigestRecord(record: DigestRecord): Promise<boolean>;
  /** Index: digests whose period ends in (from, to], oldest first. */
  digestRecords(range?: { from?: string; to?: string }): Promise<DigestRecord[]>;
  /** Index: the newest digest (the chain head). */
  latestDigest(): Promise<DigestRecord | undefined>;
}

export const DIGEST_PREFIX = 'digests/';

const DIGEST_KEY = /^digests\/dt=\d{4}-\d{2}-\d{2}\/\d{8}T\d{6}Z-digest\.json$/;

/** Whether a key is a digest object's key (`digests/dt=…/…-digest.json`). */
export const isDigestKey = (key: string): boolean => DIGEST_KEY.test(key);

/** Hour buckets `YYYY-MM-DDTHH` touched by [from, to). */
export function hourBuckets(from: string, to: string): string[] {
  const buckets: string[] = [];
  const end = Date.parse(to);
  for (let t = Math.floor(Date.parse(from) / 3_600_000) * 3_600_000; t < end; t += 3_600_000) {
    buckets.push(new Date(t).toISOString().slice(0, 13));
  }
  return buckets;
}

/** Days `YYYY-MM-DD` from one ISO date or time to another, inclusive. */
export function daysBetweenInclusive(from: string, to: string): string[] {
  const days: string[] = [];
  const end = Date.parse(`${to.slice(0, 10)}T00:00:00.000Z`);
  for (let t = Date.parse(`${from.slice(0, 10)}T00:00:00.000Z`); t <= end; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}
