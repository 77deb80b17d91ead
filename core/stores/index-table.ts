/**
 * The evidence index table's key design, as data: the one place both the AWS store (which reads and writes it)
 * and the CDK stack (which creates it) take the attribute and index names from. Every attribute is a string;
 * every access pattern is a GetItem or a Query on one partition (never a Scan).
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

export const INDEX_TABLE: IndexTableDesign = {
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
};

/** Every key attribute of the table and its indexes (all of type S). */
export function keyAttributes(design: IndexTableDesign = INDEX_TABLE): string[] {
  const keys = [design.key, ...design.globalIndexes];
  return [...new Set(keys.flatMap((k) => [k.partitionKey, k.sortKey]))];
}
