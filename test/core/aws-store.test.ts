import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeEach, expect, it } from 'vitest';
import { verifyChain, writeDueDigests } from '../../core/digest-chain.ts';
import type { ControlResult } from '../../core/model.ts';
import { KmsSigner } from '../../core/signing.ts';
import { S3DynamoStore } from '../../core/stores/aws-store.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { artifact, createAwsStoreResources, createKmsSigningKey } from '../support/stores.ts';

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;
/** The part of an SDK v3 client these helpers use (typed loosely: each client types its stack by service). */
const stackOf = (client: object) =>
  (client as { middlewareStack: { add(m: Middleware, o: Record<string, unknown>): void } }).middlewareStack;

/** Records the name of every command a client sends (SDK middleware, once per command, not per retry). */
function recordCommands(client: DynamoDBClient): string[] {
  const sent: string[] = [];
  stackOf(client).add(
    (next, context) => (args) => {
      sent.push((context.commandName ?? '').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return sent;
}

/**
 * Lets the first `command` reach the service, then loses its response with a network error, so the SDK's
 * own retry sends it again: what a dropped connection does in production.
 */
function loseFirstResponse(client: S3Client | DynamoDBClient, command: string): () => number {
  let lost = 0;
  stackOf(client).add(
    (next, context) => async (args) => {
      const output = await next(args);
      if (context.commandName === `${command}Command` && lost === 0) {
        lost++;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: {} });
      }
      return output;
    },
    { step: 'finalizeRequest', name: 'loseFirstResponse', priority: 'low' },
  );
  return () => lost;
}

const result = (
  control: string,
  status: ControlResult['status'],
  evidence: string[] = [],
): ControlResult => ({
  control,
  status,
  failing: [],
  findingCount: 1,
  resourceCount: 1,
  evidence,
  gaps: [],
});

describeAws('S3DynamoStore on S3 and DynamoDB', () => {
  let resources: Awaited<ReturnType<typeof createAwsStoreResources>>;
  let clock: string;
  const open = (options: { s3?: S3Client; dynamodb?: DynamoDBClient; retentionDays?: number } = {}) =>
    new S3DynamoStore({
      s3: options.s3 ?? resources.s3,
      dynamodb: options.dynamodb ?? resources.dynamodb,
      bucket: resources.bucket,
      table: resources.table,
      now: () => new Date(clock),
      ...(options.retentionDays ? { retentionDays: options.retentionDays } : {}),
    });
  const versions = async (key: string) =>
    (await resources.s3.send(new ListObjectVersionsCommand({ Bucket: resources.bucket, Prefix: key })))
      .Versions ?? [];
  const tableItems = async (pk: string) =>
    (
      await resources.dynamodb.send(
        new QueryCommand({
          TableName: resources.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
        }),
      )
    ).Items ?? [];

  beforeEach(async () => {
    resources = await createAwsStoreResources('aws-store');
    clock = '2026-01-05T10:00:00.000Z';
  });

  it('locks each evidence version in compliance mode, with S3 holding its SHA-256', async () => {
    // moto judges the lock by its own clock, so the store's clock is the real one here.
    const now = Date.now();
    clock = new Date(now).toISOString();
    const store = open();
    const { ref } = await store.putArtifact(artifact(new Date(now - 60_000).toISOString(), { n: 1 }));
    const head = await resources.s3.send(
      new HeadObjectCommand({ Bucket: resources.bucket, Key: ref.key, ChecksumMode: 'ENABLED' }),
    );
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    // 400 days on (to the second: the header carries no milliseconds).
    expect(
      Math.abs((head.ObjectLockRetainUntilDate?.getTime() ?? 0) - (now + 400 * 86_400_000)),
    ).toBeLessThan(1000);
    expect(head.ChecksumSHA256).toBe(Buffer.from(ref.sha256, 'hex').toString('base64'));

    const [version] = await versions(ref.key);
    await expect(
      resources.s3.send(
        new DeleteObjectCommand({ Bucket: resources.bucket, Key: ref.key, VersionId: version!.VersionId }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    expect((await store.getArtifact(ref.key)).ref).toEqual(ref);
  });

  it('takes the retention in days from its options', async () => {
    const { ref } = await open({ retentionDays: 30 }).putArtifact(
      artifact('2026-01-05T09:59:00.000Z', { n: 2 }),
    );
    const head = await resources.s3.send(new HeadObjectCommand({ Bucket: resources.bucket, Key: ref.key }));
    expect(head.ObjectLockRetainUntilDate?.toISOString().slice(0, 10)).toBe('2026-02-04');
  });

  it('explains a bucket created without Object Lock', async () => {
    await resources.s3.send(new CreateBucketCommand({ Bucket: `${resources.bucket}-unlocked` }));
    const store = new S3DynamoStore({
      s3: resources.s3,
      dynamodb: resources.dynamodb,
      bucket: `${resources.bucket}-unlocked`,
      table: resources.table,
    });
    await expect(store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 3 }))).rejects.toThrow(
      /create it with Object Lock enabled/,
    );
  });

  it('adds nothing twice when the SDK retries a write whose response was lost', async () => {
    const s3 = new S3Client(awsConfig());
    const dynamodb = new DynamoDBClient(awsConfig());
    const lostObject = loseFirstResponse(s3, 'PutObject');
    const lostItem = loseFirstResponse(dynamodb, 'PutItem');
    const store = open({ s3, dynamodb });
    const { ref } = await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 4 }));
    expect([lostObject(), lostItem()]).toEqual([1, 1]);
    expect(await versions(ref.key)).toHaveLength(1);
    expect(await tableItems(`A#${ref.collector}#${ref.scopeKey}`)).toHaveLength(1);
    expect(await store.latestArtifacts()).toEqual([ref]);
  });

  it('completes a put retried after a crash between the object and the index', async () => {
    const failing = new DynamoDBClient(awsConfig());
    stackOf(failing).add(
      () => async () => {
        throw Object.assign(new Error('process killed'), { name: 'Crash' });
      },
      { step: 'initialize', name: 'crash' },
    );
    const a = artifact('2026-01-05T09:59:00.000Z', { n: 5 });
    await expect(open({ dynamodb: failing }).putArtifact(a)).rejects.toThrow('process killed');
    const { ref, created } = await open().putArtifact(a);
    expect(created).toBe(true);
    expect(await versions(ref.key)).toHaveLength(1);
    expect(await open().getArtifactRef(ref.key)).toEqual(ref);
  });

  it('keeps one object version and one index item under two concurrent writers', async () => {
    const writers = [0, 1].map(() =>
      open({ s3: new S3Client(awsConfig()), dynamodb: new DynamoDBClient(awsConfig()) }),
    );
    const a = artifact('2026-01-05T09:59:00.000Z', { n: 6 });
    const puts = await Promise.all([...writers, ...writers].map((w) => w.putArtifact(a)));
    expect(puts.filter((p) => p.created)).toHaveLength(1);
    expect(await versions(puts[0]!.ref.key)).toHaveLength(1);
    expect(await tableItems(`A#${puts[0]!.ref.collector}#${puts[0]!.ref.scopeKey}`)).toHaveLength(1);
  });

  it('answers every access pattern with Query or GetItem, never Scan, and writes ≤ 3 items per artifact', async () => {
    const dynamodb = new DynamoDBClient(awsConfig());
    const sent = recordCommands(dynamodb);
    const store = open({ dynamodb });
    const kms = new (await import('@aws-sdk/client-kms')).KMSClient(awsConfig());
    const signer = await KmsSigner.open(kms, await createKmsSigningKey(kms));

    // Collecting one artifact: store it and its findings.
    const { ref } = await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 7 }));
    await store.putFindings(ref.key, []);
    expect(sent.splice(0)).toEqual(['PutItem', 'UpdateItem', 'PutItem']);
    await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 7 }));
    expect(sent.splice(0)).toEqual(['PutItem', 'UpdateItem']); // both conditional: nothing added
    await store.applyControlResults([result('IAM-01', 'failing', [ref.key])], '2026-01-05T10:00:00.000Z');
    sent.splice(0);

    const patterns: [string, () => Promise<unknown>][] = [
      ['latest artifact per collector × scope', () => store.latestArtifacts()],
      ['latest of one collector', () => store.latestArtifacts('aws.s3.buckets')],
      ['one artifact by key', () => store.getArtifactRef(ref.key)],
      [
        'artifacts of a collector in a period',
        () =>
          store.listArtifacts({
            collector: 'aws.s3.buckets',
            from: '2026-01-01T00:00:00.000Z',
            to: '2026-02-01T00:00:00.000Z',
          }),
      ],
      [
        'artifacts of a collector × scope in a period',
        () =>
          store.listArtifacts({
            collector: 'aws.s3.buckets',
            scopeKey: '111122223333-global',
            from: '2026-01-01T00:00:00.000Z',
          }),
      ],
      ['all artifacts in a period', () => store.listArtifacts({ from: '2026-01-01T00:00:00.000Z' })],
      ['current state of every control', () => store.controlStates()],
      [
        "a control's history in a period",
        () =>
          store.transitions({
            control: 'IAM-01',
            from: '2026-01-01T00:00:00.000Z',
            to: '2026-02-01T00:00:00.000Z',
          }),
      ],
      ['every transition', () => store.transitions()],
      [
        'the artifacts behind a control in a period',
        () => store.controlEvidence('IAM-01', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
      ],
      ['open failures', () => store.openFailures()],
      ['findings of an artifact', () => store.getFindings(ref.key)],
      [
        'artifacts written in a digest period',
        () => store.artifactsWritten('2026-01-05T09:00:00.000Z', '2026-01-05T11:00:00.000Z'),
      ],
      ['digests in a range', () => store.digestRecords({ from: '2026-01-01T00:00:00.000Z' })],
      ['chain head', () => store.latestDigest()],
    ];
    for (const [name, pattern] of patterns) {
      await pattern();
      const used = sent.splice(0);
      expect(used.length, name).toBeGreaterThan(0);
      expect(
        used.every((op) => op === 'Query' || op === 'GetItem'),
        `${name}: ${used.join(', ')}`,
      ).toBe(true);
    }

    // Writing and verifying the chain stays off Scan as well.
    await writeDueDigests(store, signer, { upTo: '2026-01-05T12:00:00.000Z' });
    const report = await verifyChain(store, [await signer.publicKeyPem()], {
      to: '2026-01-05T12:00:00.000Z',
    });
    expect(report.ok).toBe(true);
    expect(sent).not.toContain('Scan');
    const allowed = new Set(['Query', 'GetItem', 'BatchGetItem', 'PutItem']);
    expect(sent.filter((op) => !allowed.has(op))).toEqual([]);
  });

  it('keeps findings too large for one item in S3 beside the evidence', async () => {
    const store = open();
    const { ref } = await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 8 }));
    // Random reasons do not compress: well over the inline limit once gzipped.
    const findings = Array.from({ length: 3000 }, (_, i) => ({
      check: 'aws.iam.mfa',
      resource: `user-${i}`,
      status: 'fail' as const,
      reason: Buffer.from(crypto.getRandomValues(new Uint8Array(96))).toString('base64'),
    }));
    await store.putFindings(ref.key, findings);
    expect(await store.getFindings(ref.key)).toEqual(findings);
    expect((await tableItems(`F#${ref.key}`))[0]?.s3?.S).toBe(`findings/${ref.key}.gz`);
  });
});
