import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { PREFIX } from '../deployed.ts';
import { compactTimestamp, parseEvidenceKey } from '../evidence-key.ts';

/**
 * The evidence index table's design, as data: the one place the AWS store (which reads and writes it, and
 * creates it for the CLI and tests with `evidenceTableDefinition`) and the CDK stack (which creates it and
 * grants the functions `STORE_ACTIONS`) take the attribute names, index names and IAM actions from. Every
 * attribute is a string; every access pattern is a GetItem or a Query on one partition (never a Scan).
 *
 *   artifact             pk `A#<collector>#<scope>`  sk `<yyyymmddThhmmssZ>-<sha256>.json` (the key's file name)
 *   latest per pair      pk `LATEST`                 sk `<collector>#<scope>`  (+ the pair's firstWrittenAt)
 *   findings             pk `F#<artifact key>`       sk `F`
 *   control state        pk `CTRL`                   sk `<control>`
 *   control history      pk `H#<control>`            sk `<at>#<version>`
 *   control evidence     pk `E#<control>`            sk `<collectedAt>#<artifact key>`
 *   digest               pk `DIGEST`                 sk `<periodEnd>`
 */
export interface IndexKey {
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface SecondaryIndex extends IndexKey {
  readonly name: string;
  /** Non-key attributes copied into the index; absent: every attribute (ProjectionType ALL). */
  readonly include?: readonly string[];
}

export interface IndexTableDesign {
  readonly key: IndexKey;
  readonly globalIndexes: readonly SecondaryIndex[];
}

export const INDEX_TABLE = {
  key: { partitionKey: 'pk', sortKey: 'sk' },
  globalIndexes: [
    /** Artifacts of one collector over time: `c_pk` collector, `c_sk` `<collectedAt>#<scope>#<sha256>`. */
    { name: 'byCollector', partitionKey: 'c_pk', sortKey: 'c_sk' },
    /** Artifacts by write time, for the digest chain: `w_pk` `W#<yyyy-mm-ddThh>`, `w_sk` `<writtenAt>#<key>`. */
    {
      name: 'byWriteTime',
      partitionKey: 'w_pk',
      sortKey: 'w_sk',
      include: ['key', 'sha256', 'size', 'writtenAt'],
    },
    /** Failing controls only (sparse): `o_pk` `OPEN`, `o_sk` `<control>`. */
    { name: 'openFailures', partitionKey: 'o_pk', sortKey: 'o_sk' },
  ],
} as const satisfies IndexTableDesign;

export type IndexName = (typeof INDEX_TABLE.globalIndexes)[number]['name'];

/** The global secondary indexes by name, as the store's queries name them. */
export const INDEX = Object.fromEntries(INDEX_TABLE.globalIndexes.map((i) => [i.name, i.name])) as {
  readonly [N in IndexName]: N;
};

/** An item's table key (a type, not an interface: it is passed where string records are). */
export type TableKey = { readonly pk: string; readonly sk: string };

/** The fixed partitions of the table design above. */
export const PARTITION = { latest: 'LATEST', controls: 'CTRL', digests: 'DIGEST', open: 'OPEN' } as const;

/** Every item's key, built here only, so the store's writes and queries cannot disagree on a layout. */
export const ITEM_KEY = {
  /** An artifact's partition: its collector × scope. */
  artifactPartition: (collector: string, scopeKey: string) => `A#${collector}#${scopeKey}`,
  /** An artifact's key, derived from its evidence key (so a lookup is one GetItem); throws on any other key. */
  artifact(evidenceKey: string): TableKey {
    const parsed = parseEvidenceKey(evidenceKey);
    return {
      pk: ITEM_KEY.artifactPartition(parsed.collector, parsed.scopeKey),
      sk: evidenceKey.slice(evidenceKey.lastIndexOf('/') + 1),
    };
  },
  /** The bound an artifact sort key (`<yyyymmddThhmmssZ>-…`) takes for a collection time, to the second. */
  artifactTimeBound: (iso: string) => compactTimestamp(iso),
  latest: (collector: string, scopeKey: string): TableKey => ({
    pk: PARTITION.latest,
    sk: `${collector}#${scopeKey}`,
  }),
  findings: (artifactKey: string): TableKey => ({ pk: `F#${artifactKey}`, sk: 'F' }),
  control: (control: string): TableKey => ({ pk: PARTITION.controls, sk: control }),
  historyPartition: (control: string) => `H#${control}`,
  transition: (control: string, at: string, version: number): TableKey => ({
    pk: ITEM_KEY.historyPartition(control),
    sk: `${at}#${String(version).padStart(10, '0')}`,
  }),
  evidencePartition: (control: string) => `E#${control}`,
  controlEvidence: (control: string, collectedAt: string, artifactKey: string): TableKey => ({
    pk: ITEM_KEY.evidencePartition(control),
    sk: `${collectedAt}#${artifactKey}`,
  }),
  digest: (periodEnd: string): TableKey => ({ pk: PARTITION.digests, sk: periodEnd }),
} as const;

/** The secondary indexes' key attributes of an item, built here only (see INDEX_TABLE). */
export const INDEX_KEY = {
  byCollector: (a: { collector: string; collectedAt: string; scopeKey: string; sha256: string }) => ({
    c_pk: a.collector,
    c_sk: `${a.collectedAt}#${a.scopeKey}#${a.sha256}`,
  }),
  writeHour: (hour: string) => `W#${hour}`,
  byWriteTime: (writtenAt: string, key: string) => ({
    w_pk: INDEX_KEY.writeHour(writtenAt.slice(0, 13)),
    w_sk: `${writtenAt}#${key}`,
  }),
  openFailure: (control: string) => ({ o_pk: PARTITION.open, o_sk: control }),
} as const;

/**
 * A range over a partition's sort key. With both bounds the condition is BETWEEN, inclusive at both ends: the
 * sort keys carry a suffix after the time (`<time>#…`), so an exclusive upper bound still holds, or the caller
 * filters. With one bound, `lower`/`upper` say whether it is inclusive.
 */
export interface SortRange {
  readonly from?: string;
  readonly to?: string;
  readonly lower?: '>=' | '>';
  readonly upper?: '<' | '<=';
}

export interface KeyCondition {
  readonly expression: string;
  /** Placeholder → string value (`:pk`, and `:lo`/`:hi` for the bounds). */
  readonly values: Readonly<Record<string, string>>;
}

/** The one way a Query's key condition is written: a partition, optionally a range of its sort key. */
export function keyCondition(
  attributes: IndexKey,
  partition: string,
  range: SortRange & { readonly prefix?: string } = {},
): KeyCondition {
  const { from, to, lower = '>=', upper = '<', prefix } = range;
  const values: Record<string, string> = { ':pk': partition };
  const sk = attributes.sortKey;
  let condition = '';
  if (from) values[':lo'] = from;
  if (to) values[':hi'] = to;
  if (from && to) condition = ` AND ${sk} BETWEEN :lo AND :hi`;
  else if (from) condition = ` AND ${sk} ${lower} :lo`;
  else if (to) condition = ` AND ${sk} ${upper} :hi`;
  else if (prefix) {
    values[':prefix'] = prefix;
    condition = ` AND begins_with(${sk}, :prefix)`;
  }
  return { expression: `${attributes.partitionKey} = :pk${condition}`, values };
}

/** The key attributes of the table or of one of its global secondary indexes. */
export function keyAttributesOf(index?: IndexName): IndexKey {
  if (!index) return INDEX_TABLE.key;
  const found = INDEX_TABLE.globalIndexes.find((i) => i.name === index);
  if (!found) throw new Error(`the index table has no index ${index}`);
  return found;
}

/** Every key attribute of the table and its indexes (all of type S). */
export function keyAttributes(design: IndexTableDesign = INDEX_TABLE): string[] {
  const keys = [design.key, ...design.globalIndexes];
  return [...new Set(keys.flatMap((k) => [k.partitionKey, k.sortKey]))];
}

/** The table as a CreateTable request (the CLI's and the tests' tables; the stack builds the same design). */
export function evidenceTableDefinition(
  tableName: string,
  design: IndexTableDesign = INDEX_TABLE,
): CreateTableCommandInput {
  const keys = (k: IndexKey) => [
    { AttributeName: k.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: k.sortKey, KeyType: 'RANGE' as const },
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyAttributes(design).map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: keys(design.key),
    GlobalSecondaryIndexes: design.globalIndexes.map((index) => ({
      IndexName: index.name,
      KeySchema: keys(index),
      Projection: index.include
        ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.include] }
        : { ProjectionType: 'ALL' },
    })),
  };
}

/** What one store operation needs from IAM: object actions by key prefix, index actions, listing the bucket. */
export interface StoreAccess {
  readonly objects?: Readonly<Record<string, readonly string[]>>;
  readonly index?: readonly string[];
  /** s3:ListBucket: lists digests, and lets a missing object answer 404 NoSuchKey rather than 403. */
  readonly list?: true;
}

/**
 * The IAM actions each group of the AWS store's operations needs (core/stores/aws-store.ts), so the stack grants
 * a function exactly the groups it uses. Not every call is its own action: TransactWriteItems of Puts needs
 * dynamodb:PutItem per item, and a PutObject with Object Lock headers also needs s3:PutObjectRetention.
 */
export const STORE_ACTIONS = {
  /** putArtifact: the evidence object once, locked; its index item; the collector × scope's LATEST pointer. */
  recordArtifacts: {
    objects: { [PREFIX.evidence]: ['s3:PutObject', 's3:PutObjectRetention'] },
    index: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  /** putFindings: an index item, or, over 300 KB gzipped, an object under findings/ (no lock headers). */
  recordFindings: {
    objects: { [PREFIX.findings]: ['s3:PutObject'] },
    index: ['dynamodb:PutItem'],
  },
  /** latestArtifacts, listArtifacts, getArtifact(Ref), getFindings, controlEvidence, transitions. */
  readEvidence: {
    objects: { [PREFIX.evidence]: ['s3:GetObject'], [PREFIX.findings]: ['s3:GetObject'] },
    index: ['dynamodb:GetItem', 'dynamodb:Query'],
    list: true,
  },
  /**
   * applyControlResults: the stored states (Query; GetItem after a lost race), the evidence links (BatchGetItem,
   * BatchWriteItem), each state with its transition (TransactWriteItems of Puts).
   */
  recordControlResults: {
    index: [
      'dynamodb:Query',
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:PutItem',
      'dynamodb:BatchWriteItem',
    ],
  },
  /** controlStates, openFailures. */
  readControlStates: { index: ['dynamodb:Query'] },
  /**
   * writeDueDigests: the chain's head and each period's artifacts (Query), the digest object once, locked, and
   * its record; a run that loses a race reads the winner's digest to continue from it.
   */
  recordDigests: {
    objects: { [PREFIX.digests]: ['s3:PutObject', 's3:PutObjectRetention', 's3:GetObject'] },
    index: ['dynamodb:Query', 'dynamodb:PutItem'],
  },
  /** listDigestKeys, readDigest, digestRecords. */
  readDigests: {
    objects: { [PREFIX.digests]: ['s3:GetObject'] },
    index: ['dynamodb:Query'],
    list: true,
  },
} as const satisfies Record<string, StoreAccess>;

export type StoreOperation = keyof typeof STORE_ACTIONS;
