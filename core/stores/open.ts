import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProoflineError } from '../errors.ts';
import { KmsSigner, LocalSigner, type Signer } from '../signing.ts';
import type { DigestStorage } from './digest-storage.ts';
import { DEFAULT_STORE_DIR, LocalStore } from './local-store.ts';
import { damagedIndexError, isDamagedIndex } from './storage-errors.ts';
import type { EvidenceStore } from './store.ts';

/** A store that also keeps the digest chain: both implementations are. */
export type ChainedStore = EvidenceStore & DigestStorage;

export class StoreSpecError extends ProoflineError {
  override name = 'StoreSpecError';
}

export interface AwsStoreSpec {
  readonly bucket: string;
  readonly table: string;
  /** KMS key (id, ARN or alias) that signs digests. */
  readonly key?: string;
  readonly retentionDays?: number;
  readonly region?: string;
}

const USAGE = 's3://<bucket>?table=<dynamodb table>&key=<kms key id>[&retention=<days>][&region=<region>]';

/** Parses `s3://bucket?table=…&key=…&retention=…&region=…`. */
export function parseS3StoreUrl(spec: string): AwsStoreSpec {
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw new StoreSpecError(`--store ${spec} is not a URL; expected ${USAGE}`);
  }
  const bucket = url.hostname;
  if (
    url.protocol !== 's3:' ||
    !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) ||
    url.pathname.length > 1
  ) {
    throw new StoreSpecError(`--store ${spec}: expected ${USAGE}`);
  }
  const params = url.searchParams;
  const known = new Set(['table', 'key', 'retention', 'region']);
  const unknown = [...params.keys()].filter((name) => !known.has(name));
  if (unknown.length)
    throw new StoreSpecError(`--store ${spec}: unknown parameter ${unknown.join(', ')}; expected ${USAGE}`);
  const table = params.get('table');
  if (!table) throw new StoreSpecError(`--store ${spec}: the DynamoDB table is missing; expected ${USAGE}`);
  const retention = params.get('retention');
  const retentionDays = retention === null ? undefined : Number(retention);
  if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || retentionDays < 1)) {
    throw new StoreSpecError(`--store ${spec}: retention must be a whole number of days, got "${retention}"`);
  }
  return {
    bucket,
    table,
    ...(params.get('key') ? { key: params.get('key')! } : {}),
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    ...(params.get('region') ? { region: params.get('region')! } : {}),
  };
}

/** SDK client settings: the standard chain, and path-style addressing when an endpoint is configured. */
function clientConfig(spec: AwsStoreSpec): Record<string, unknown> {
  const customEndpoint = Object.keys(process.env).some((name) => name.startsWith('AWS_ENDPOINT_URL'));
  return {
    ...(spec.region ? { region: spec.region } : {}),
    ...(customEndpoint ? { forcePathStyle: true } : {}),
  };
}

export interface OpenStoreOptions {
  /**
   * Open for reading only: an embedded store must exist (StoreNotFoundError otherwise) and not a byte of it
   * changes. Default: false (the folder and index are created or migrated as needed).
   */
  readonly readOnly?: boolean;
}

/**
 * Opens the store a `--store` value names: a folder (the embedded store, default `./.proofline`), or the
 * deployed bucket and table as `s3://bucket?table=…&key=…`.
 */
export async function openStore(
  spec: string = DEFAULT_STORE_DIR,
  options: OpenStoreOptions = {},
): Promise<ChainedStore> {
  if (spec.startsWith('s3://')) {
    const aws = parseS3StoreUrl(spec);
    // Loaded on demand: the embedded store should not pay for the AWS SDK at start-up.
    const [{ S3Client }, { DynamoDBClient }, { S3DynamoStore }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/client-dynamodb'),
      import('./aws-store.ts'),
    ]);
    return new S3DynamoStore({
      s3: new S3Client(clientConfig(aws)),
      dynamodb: new DynamoDBClient(clientConfig(aws)),
      bucket: aws.bucket,
      table: aws.table,
      ...(aws.retentionDays ? { retentionDays: aws.retentionDays } : {}),
      ownsClients: true,
    });
  }
  try {
    return await (options.readOnly ? LocalStore.openReadOnly(spec) : LocalStore.open(spec));
  } catch (error) {
    throw isDamagedIndex(error) ? damagedIndexError(error, spec) : error;
  }
}

/**
 * Runs `read` on the store opened for reading, for a read that can start over and has no effect until it
 * returns. An embedded store no writer is using is read in place, with nothing copied; if a writer's checkpoint
 * changed the index meanwhile, or the read failed there, `read` runs again on the store opened as every
 * reading command opens it (a private copy of the index, migrated there if an earlier version wrote it).
 */
export async function readStoreSnapshot<T>(
  spec: string,
  read: (store: ChainedStore) => Promise<T>,
): Promise<T> {
  const inPlace = spec.startsWith('s3://')
    ? undefined
    : await LocalStore.openImmutable(spec).catch(() => undefined);
  if (inPlace) {
    try {
      const result = await read(inPlace);
      if (await inPlace.unchangedSinceOpen()) return result;
    } catch {
      // Read again below: a real failure recurs there, and is reported from there.
    } finally {
      await inPlace.close();
    }
  }
  const store = await openStore(spec, { readOnly: true });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/**
 * The key that signs the store's digests: the KMS key named by `key=`, or the key pair in the store folder.
 * With `readOnly`, the store's key pair must exist already (it is created by the first `collect` or `digest`).
 */
export async function openSigner(
  spec: string = DEFAULT_STORE_DIR,
  options: OpenStoreOptions = {},
): Promise<Signer> {
  if (spec.startsWith('s3://')) {
    const aws = parseS3StoreUrl(spec);
    if (!aws.key) throw new StoreSpecError(`--store ${spec}: add &key=<kms key id> to sign digests with KMS`);
    const { KMSClient } = await import('@aws-sdk/client-kms');
    return KmsSigner.open(new KMSClient(clientConfig(aws)), aws.key);
  }
  if (options.readOnly) {
    const path = join(resolve(spec), 'keys', 'signing-key.pem');
    await access(path).catch(() => {
      throw new StoreSpecError(
        `${path} does not exist: the store has no signing key yet (run "proofline collect" or "proofline digest")`,
      );
    });
  }
  return LocalSigner.open(resolve(spec));
}

/** The store's own public key, read without creating one (verification must not change the store). */
export async function storePublicKey(spec: string = DEFAULT_STORE_DIR): Promise<string> {
  if (spec.startsWith('s3://')) {
    const aws = parseS3StoreUrl(spec);
    if (!aws.key) {
      throw new StoreSpecError(`--store ${spec}: add &key=<kms key id>, or pass --public-key <file>`);
    }
    return (await openSigner(spec)).publicKeyPem();
  }
  const path = join(resolve(spec), 'keys', 'public-key.pem');
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new StoreSpecError(
      `${path} does not exist: no digest was signed in this store yet, or pass --public-key`,
    );
  }
}
