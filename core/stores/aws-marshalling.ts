import { gunzipSync, gzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ArtifactRef } from '../model.ts';
import type { DigestRecord, WrittenArtifact } from './digest-storage.ts';
import { ITEM_KEY } from './index-table.ts';

/**
 * DynamoDB items to and from the store's records: artifact refs, write records, digest records, and the gzipped
 * JSON (`z`) that control states, transitions and findings are kept as. Every attribute is a string or a number.
 */
export type Item = Record<string, AttributeValue>;

export const S = (value: string): AttributeValue => ({ S: value });
export const N = (value: number): AttributeValue => ({ N: String(value) });
export const str = (item: Item, name: string): string => item[name]?.S ?? '';
export const num = (item: Item, name: string): number => Number(item[name]?.N ?? 'NaN');

/** String attributes (a table key, index keys, query values) as an item. */
export const strings = (values: Readonly<Record<string, string>>): Item =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, S(value)]));

export const pack = (value: unknown): AttributeValue => ({ B: gzipSync(JSON.stringify(value)) });

export function unpack<T>(item: Item, name = 'z'): T {
  const bytes = item[name]?.B;
  if (!bytes) throw new Error(`index item ${str(item, 'pk')}/${str(item, 'sk')} has no ${name} attribute`);
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as T;
}

/** The table keys of these evidence keys; a key that is not an evidence key has no item and is skipped. */
export function artifactItemKeys(keys: readonly string[]) {
  return [...new Set(keys)].flatMap((key) => {
    try {
      return [ITEM_KEY.artifact(key)];
    } catch {
      return [];
    }
  });
}

export const refAttributes = (ref: ArtifactRef, writtenAt: string): Item => ({
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

export const toRef = (item: Item): ArtifactRef => ({
  key: str(item, 'key'),
  sha256: str(item, 'sha256'),
  size: num(item, 'size'),
  collector: str(item, 'collector'),
  source: str(item, 'source') as ArtifactRef['source'],
  scopeKey: str(item, 'scopeKey'),
  collectedAt: str(item, 'collectedAt'),
  status: str(item, 'status') as ArtifactRef['status'],
});

export const toWritten = (item: Item): WrittenArtifact => ({
  key: str(item, 'key'),
  sha256: str(item, 'sha256'),
  size: num(item, 'size'),
  writtenAt: str(item, 'writtenAt'),
});

export const digestRecordAttributes = (record: DigestRecord): Item => ({
  key: S(record.key),
  periodStart: S(record.periodStart),
  periodEnd: S(record.periodEnd),
  sha256: S(record.sha256),
  signature: S(record.signature),
  ...(record.previousKey ? { previousKey: S(record.previousKey) } : {}),
  keyId: S(record.keyId),
  keyFingerprint: S(record.keyFingerprint),
});

export const toDigestRecord = (item: Item): DigestRecord => ({
  key: str(item, 'key'),
  periodStart: str(item, 'periodStart'),
  periodEnd: str(item, 'periodEnd'),
  sha256: str(item, 'sha256'),
  signature: str(item, 'signature'),
  previousKey: item.previousKey?.S ?? null,
  keyId: str(item, 'keyId'),
  keyFingerprint: str(item, 'keyFingerprint'),
});

// SDK errors, as the store tells them apart.
export const errorName = (error: unknown) => (error as { name?: string }).name ?? '';
export const httpStatus = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
