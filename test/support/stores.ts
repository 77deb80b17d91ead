import { chmod, mkdir, mkdtemp, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { canonicalJson, sha256Hex } from '../../core/canonical.ts';
import { type DigestBody, signingInput } from '../../core/digest-chain.ts';
import type { Artifact } from '../../core/model.ts';
import { KmsSigner, LocalSigner, publicKeyInfo, type Signer } from '../../core/signing.ts';
import { artifactItemKey, evidenceTableDefinition, S3DynamoStore } from '../../core/stores/aws-store.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import type { ChainedStore } from '../../core/stores/open.ts';
import { openSqlite } from '../../core/stores/sqlite.ts';
import { awsConfig } from './aws.ts';

export const artifact = (
  collectedAt: string,
  snapshot: unknown,
  { collector = 'aws.s3.buckets', scopeId = '111122223333', region }: Record<string, string> = {},
): Artifact => ({
  collector,
  scope: { source: 'aws', id: scopeId, ...(region ? { region } : {}) },
  collectedAt,
  schemaVersion: 1,
  status: 'ok',
  snapshot,
});

/** Tampering an attacker with write access to storage or index could do, per store. */
export interface Tamper {
  removeIndexItem(key: string): Promise<void>;
  removeDigestRecord(periodEnd: string): Promise<void>;
  /** Overwrites an object: a new S3 object version, or a rewritten file in the embedded store. */
  replaceObject(key: string, bytes: Buffer, metadata?: Record<string, string>): Promise<void>;
  /** Removes an object from view: an S3 delete marker, or an unlinked file. */
  removeObject(key: string): Promise<void>;
  /** Rewrites an artifact's index row to another SHA-256 and size (as when file and row are edited together). */
  editIndexItem(key: string, sha256: string, size: number): Promise<void>;
  /** Adds a copy of an artifact's index row whose key points at `target` instead. */
  copyIndexItem(key: string, target: string): Promise<void>;
}

/** One store implementation under test: fresh storage per `create()`, a second writer per `open()`. */
export interface StoreHarness {
  readonly name: string;
  /**
   * Whether two concurrent conditional writes are serialized by the backend. SQLite's are; DynamoDB's are, but
   * moto_server checks a TransactWriteItems' conditions and applies it without a lock, so two racing requests
   * can both pass their checks there, or one lose an item to the other's interleaved writes.
   */
  readonly serializesRacingWrites: boolean;
  create(): Promise<StoreInstance>;
}

export interface StoreInstance {
  /** Opens a store on this instance's storage, stamping writes with `now`. Call twice for two writers. */
  open(now?: () => Date): Promise<ChainedStore>;
  signer(): Promise<Signer>;
  /** A second, untrusted key. */
  otherSigner(): Promise<Signer>;
  readonly tamper: Tamper;
}

export const localHarness: StoreHarness = {
  name: 'LocalStore',
  serializesRacingWrites: true,
  async create() {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-contract-'));
    const otherDir = await mkdtemp(join(tmpdir(), 'proofline-other-key-'));
    const path = (key: string) => join(dir, ...key.split('/'));
    const sql = (statement: string, ...params: string[]) => {
      const db = openSqlite(join(dir, 'index.sqlite'));
      try {
        db.prepare(statement).run(...params);
      } finally {
        db.close();
      }
    };
    const overwrite = async (file: string, data: string | Buffer) => {
      await chmod(file, 0o644).catch(() => {});
      await writeFile(file, data);
    };
    return {
      open: (now) => LocalStore.open(dir, now ? { now } : {}),
      signer: () => LocalSigner.open(dir),
      otherSigner: () => LocalSigner.open(otherDir),
      tamper: {
        removeIndexItem: async (key) => sql('DELETE FROM artifacts WHERE key = ?', key),
        removeDigestRecord: async (periodEnd) => sql('DELETE FROM digests WHERE period_end = ?', periodEnd),
        async replaceObject(key, bytes, metadata) {
          await mkdir(dirname(path(key)), { recursive: true });
          await overwrite(path(key), bytes);
          // Stamp the file with this process's clock, which a test may have moved away from the kernel's.
          const now = new Date();
          await utimes(path(key), now, now);
          if (metadata) await overwrite(`${path(key)}.meta.json`, JSON.stringify(metadata));
        },
        async removeObject(key) {
          await unlink(path(key));
          await unlink(`${path(key)}.meta.json`).catch(() => {});
        },
        editIndexItem: async (key, sha256, size) =>
          sql('UPDATE artifacts SET sha256 = ?, size = ? WHERE key = ?', sha256, String(size), key),
        copyIndexItem: async (key, target) =>
          sql(
            `INSERT INTO artifacts (key, sha256, size, collector, source, scope_key, collected_at, status, written_at)
             SELECT ?, sha256, size, collector, source, scope_key, collected_at, status, written_at
             FROM artifacts WHERE key = ?`,
            target,
            key,
          ),
      },
    };
  },
};

const marshallKey = ({ pk, sk }: { pk: string; sk: string }) => ({ pk: { S: pk }, sk: { S: sk } });

let awsCounter = 0;

/** Creates an Object Lock bucket and an evidence table on moto. */
export async function createAwsStoreResources(prefix = 'evidence') {
  const s3 = new S3Client(awsConfig());
  const dynamodb = new DynamoDBClient(awsConfig());
  const n = ++awsCounter;
  const bucket = `${prefix}-${process.pid}-${n}`;
  const table = `${prefix}-${n}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  await dynamodb.send(new CreateTableCommand(evidenceTableDefinition(table)));
  return { s3, dynamodb, bucket, table };
}

export async function createKmsSigningKey(kms = new KMSClient(awsConfig())): Promise<string> {
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
  );
  return KeyMetadata!.KeyId!;
}

export const awsHarness: StoreHarness = {
  serializesRacingWrites: false,
  name: 'S3DynamoStore',
  async create() {
    const { s3, dynamodb, bucket, table } = await createAwsStoreResources();
    const kms = new KMSClient(awsConfig());
    const keyId = await createKmsSigningKey(kms);
    const otherKeyId = await createKmsSigningKey(kms);
    return {
      // Each writer gets its own clients, as two Lambda invocations would.
      open: async (now) =>
        new S3DynamoStore({
          s3: new S3Client(awsConfig()),
          dynamodb: new DynamoDBClient(awsConfig()),
          bucket,
          table,
          ownsClients: true,
          ...(now ? { now } : {}),
        }),
      signer: () => KmsSigner.open(kms, keyId),
      otherSigner: () => KmsSigner.open(kms, otherKeyId),
      tamper: {
        async removeIndexItem(key) {
          const { pk, sk } = artifactItemKey(key);
          await dynamodb.send(
            new DeleteItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: sk } } }),
          );
        },
        async removeDigestRecord(periodEnd) {
          await dynamodb.send(
            new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'DIGEST' }, sk: { S: periodEnd } } }),
          );
        },
        async replaceObject(key, bytes, metadata) {
          await s3.send(
            new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, Metadata: metadata ?? {} }),
          );
        },
        async removeObject(key) {
          await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        },
        async editIndexItem(key, sha256, size) {
          const { pk, sk } = artifactItemKey(key);
          await dynamodb.send(
            new UpdateItemCommand({
              TableName: table,
              Key: { pk: { S: pk }, sk: { S: sk } },
              UpdateExpression: 'SET sha256 = :sha, #size = :size',
              ExpressionAttributeNames: { '#size': 'size' },
              ExpressionAttributeValues: { ':sha': { S: sha256 }, ':size': { N: String(size) } },
            }),
          );
        },
        async copyIndexItem(key, target) {
          const { Item } = await dynamodb.send(
            new GetItemCommand({ TableName: table, Key: marshallKey(artifactItemKey(key)) }),
          );
          await dynamodb.send(
            new PutItemCommand({
              TableName: table,
              Item: {
                ...Item!,
                sk: { S: `copy-${Item!.sk!.S}` },
                key: { S: target },
                w_sk: { S: `${Item!.writtenAt!.S}#${target}` },
              },
            }),
          );
        },
      },
    };
  },
};

/** A digest rewritten and re-signed by `signer` (as an attacker holding another key would), optionally
 * claiming the fingerprint of `claimedKey`. */
export async function resignDigest(
  body: DigestBody,
  key: string,
  signer: Signer,
  edit: (body: DigestBody) => DigestBody = (b) => b,
  claimedFingerprint?: string,
): Promise<{ bytes: Buffer; metadata: Record<string, string> }> {
  const info = await publicKeyInfo(signer);
  const forged = edit({ ...body, keyId: info.keyId, keyFingerprint: claimedFingerprint ?? info.fingerprint });
  const bytes = Buffer.from(canonicalJson(forged));
  const input = signingInput(forged.periodEnd, key, sha256Hex(bytes), forged.previousDigestSignature);
  const signature = (await signer.sign(Buffer.from(input))).toString('hex');
  return {
    bytes,
    metadata: {
      signature,
      'signature-algorithm': 'SHA256withECDSA',
      'key-fingerprint': forged.keyFingerprint,
      'key-id': forged.keyId,
    },
  };
}
