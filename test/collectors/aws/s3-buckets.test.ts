import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { describe, expect, it } from 'vitest';
import {
  accessLogging,
  customerDataExpiration,
  defaultEncryption,
  publicAccessBlock,
  tlsOnly,
  versioning,
} from '../../../collectors/aws/s3-buckets/checks.ts';
import { s3Buckets as s3BucketsDefinition } from '../../../collectors/aws/s3-buckets/index.ts';
import type { BucketSnapshot, S3BucketsSnapshot } from '../../../collectors/aws/s3-buckets/snapshot.ts';
import { AwsSession, singleHostEndpoint } from '../../../collectors/aws/session.ts';
import { checkSettingsSchema } from '../../../core/check-settings.ts';
import type { CheckContext } from '../../../core/collector.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { runnable } from '../../support/runnable.ts';

const s3Buckets = runnable(s3BucketsDefinition);

const context: CheckContext = {
  asOf: new Date('2026-11-27T00:00:00Z'),
  scope: { source: 'aws', id: '111122223333' },
};
const blocked = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const tlsPolicy = (bucket: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ],
});
const good: BucketSnapshot = {
  name: 'good',
  region: 'us-east-1',
  encryption: { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1' },
  publicAccessBlock: blocked,
  versioning: 'Enabled',
  logging: { targetBucket: 'logs', targetPrefix: 'good/' },
  policy: tlsPolicy('good'),
  tags: { 'data-classification': 'customer' },
  lifecycle: [
    {
      id: 'retention',
      enabled: true,
      filter: null,
      expiration: { days: 365, date: null },
      noncurrentExpirationDays: 30,
    },
  ],
};
const bad: BucketSnapshot = {
  name: 'bad',
  region: 'us-east-1',
  encryption: null,
  publicAccessBlock: { ...blocked, restrictPublicBuckets: false },
  versioning: 'Suspended',
  logging: null,
  policy: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }] },
  tags: { 'data-classification': 'customer' },
  lifecycle: [
    {
      id: 'tmp-only',
      enabled: true,
      filter: '{"Prefix":"tmp/"}',
      expiration: { days: 7, date: null },
      noncurrentExpirationDays: null,
    },
  ],
};
const snapshot = (account: S3BucketsSnapshot['accountPublicAccessBlock'] = null): S3BucketsSnapshot => ({
  accountPublicAccessBlock: account,
  buckets: [good, bad],
});
const verdicts = (findings: { resource: string; status: string }[]) =>
  findings.map((f) => `${f.resource.split(':::')[1]}:${f.status}`);

describe('aws.s3.buckets checks', () => {
  it.each([
    { check: defaultEncryption },
    { check: versioning },
    { check: accessLogging },
    { check: tlsOnly },
    { check: publicAccessBlock },
    { check: customerDataExpiration },
  ])('$check.id passes the compliant bucket and fails the other', ({ check }) => {
    expect(verdicts(check.evaluate(snapshot(), context))).toEqual(['good:pass', 'bad:fail']);
  });

  it('public access block: the account-level setting covers every bucket', () => {
    const findings = publicAccessBlock.evaluate(snapshot(blocked), context);
    expect(findings.map((f) => [f.status, f.reason])).toEqual([
      ['pass', 'blocked by the account-level setting'],
      ['pass', 'blocked by the account-level setting'],
    ]);
  });

  it('tls-only: a Deny with principal {AWS: "*"} counts; a Deny on other conditions does not', () => {
    const awsStar = {
      ...good,
      policy: { Statement: [{ ...tlsPolicy('x').Statement[0], Principal: { AWS: '*' } }] },
    };
    const otherCondition = {
      ...good,
      policy: {
        Statement: [
          { ...tlsPolicy('x').Statement[0], Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
        ],
      },
    };
    const s = { accountPublicAccessBlock: null, buckets: [awsStar, otherCondition] };
    expect(tlsOnly.evaluate(s, context).map((f) => f.status)).toEqual(['pass', 'fail']);
  });

  it('customer-data expiration: judges only tagged buckets, by the configured tag', () => {
    const untagged = { ...bad, name: 'untagged', tags: { team: 'web' } };
    const s = { accountPublicAccessBlock: null, buckets: [good, untagged] };
    expect(customerDataExpiration.evaluate(s, context).map((f) => [f.status, f.reason])).toEqual([
      [
        'pass',
        'rule retention expires objects after 365 days; rule retention expires noncurrent versions after 30 days',
      ],
      ['not_applicable', 'bucket untagged is not tagged data-classification=customer'],
    ]);
    const settings = checkSettingsSchema.parse({
      aws: { detection: { customerDataTag: { key: 'team', value: 'web' } } },
    });
    expect(customerDataExpiration.evaluate(s, { ...context, settings }).map((f) => f.status)).toEqual([
      'not_applicable',
      'fail',
    ]);
  });

  it('customer-data expiration: objects must expire within the configured retention', () => {
    const rule = good.lifecycle[0] as BucketSnapshot['lifecycle'][number];
    const onDate = {
      ...good,
      name: 'on-date',
      lifecycle: [{ ...rule, expiration: { days: null, date: '2030-01-01T00:00:00.000Z' } }],
    };
    const s = { accountPublicAccessBlock: null, buckets: [good, onDate] };
    const at = (customerDataRetentionDays: number) => ({
      ...context,
      settings: checkSettingsSchema.parse({ aws: { data: { customerDataRetentionDays } } }),
    });
    expect(customerDataExpiration.evaluate(s, at(180)).map((f) => [f.status, f.reason])).toEqual([
      ['fail', 'bucket good keeps customer data 365 days, longer than the 180-day retention'],
      [
        'fail',
        'bucket on-date keeps customer data until 2030-01-01T00:00:00.000Z, longer than the 180-day retention',
      ],
    ]);
    expect(customerDataExpiration.evaluate(s, at(365)).map((f) => f.status)).toEqual(['pass', 'fail']);
    expect(customerDataExpiration.evaluate(s, context).map((f) => f.status)).toEqual(['pass', 'pass']);
  });

  it('customer-data expiration: a versioned bucket must also expire noncurrent versions; disabled rules do not count', () => {
    const rule = good.lifecycle[0] as BucketSnapshot['lifecycle'][number];
    const currentOnly = { ...good, lifecycle: [{ ...rule, noncurrentExpirationDays: null }] };
    const unversioned = { ...currentOnly, versioning: 'Disabled' as const };
    const disabled = { ...good, lifecycle: [{ ...rule, enabled: false }] };
    const s = { accountPublicAccessBlock: null, buckets: [currentOnly, unversioned, disabled] };
    expect(customerDataExpiration.evaluate(s, context).map((f) => [f.status, f.reason])).toEqual([
      [
        'fail',
        'bucket good is versioned and no enabled lifecycle rule expires noncurrent versions: expired objects stay recoverable',
      ],
      ['pass', 'rule retention expires objects after 365 days'],
      [
        'fail',
        'bucket good holds customer data and no enabled lifecycle rule expires all its objects (only rules that are disabled or filtered do)',
      ],
    ]);
  });

  it('an account without buckets is recorded as not applicable, not as silence', () => {
    expect(
      defaultEncryption.evaluate({ accountPublicAccessBlock: null, buckets: [] }, context),
    ).toMatchObject([{ status: 'not_applicable', resource: '111122223333' }]);
  });
});

describeAws('aws.s3.buckets collect (moto)', () => {
  it('reads every bucket setting, treating "not configured" answers as absent', async () => {
    const s3 = new S3Client(awsConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'configured' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'bare' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'logs' }));
    const logDelivery = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';
    await s3.send(
      new PutBucketAclCommand({ Bucket: 'logs', GrantWrite: logDelivery, GrantReadACP: logDelivery }),
    );
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'configured',
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: 'configured',
        VersioningConfiguration: { Status: 'Enabled' },
      }),
    );
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: 'configured',
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: 'configured',
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'configured/' } },
      }),
    );
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: 'configured', Policy: JSON.stringify(tlsPolicy('configured')) }),
    );

    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'configured',
        Tagging: { TagSet: [{ Key: 'data-classification', Value: 'customer' }] },
      }),
    );
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'configured',
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'retention',
              Status: 'Enabled',
              Filter: { Prefix: '' },
              Expiration: { Days: 365 },
              NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            },
            { ID: 'tmp', Status: 'Disabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } },
          ],
        },
      }),
    );

    const session = new AwsSession();
    const scope = { source: 'aws' as const, id: await session.accountId() };
    const snap = await s3Buckets.collect(session, scope);
    const byName = Object.fromEntries(snap.buckets.map((b) => [b.name, b]));
    expect(byName.configured).toMatchObject({
      encryption: { algorithm: 'AES256' },
      publicAccessBlock: blocked,
      versioning: 'Enabled',
      logging: { targetBucket: 'logs', targetPrefix: 'configured/' },
      policy: tlsPolicy('configured'),
      tags: good.tags,
      lifecycle: [
        ...good.lifecycle,
        {
          id: 'tmp',
          enabled: false,
          filter: '{"Prefix":"tmp/"}',
          expiration: { days: 1, date: null },
          noncurrentExpirationDays: null,
        },
      ],
    });
    expect(customerDataExpiration.evaluate(snap, { ...context, scope }).map((f) => f.status)).toEqual(
      snap.buckets.map((b) => (b.name === 'configured' ? 'pass' : 'not_applicable')),
    );
    expect(byName.bare).toMatchObject({
      encryption: null,
      publicAccessBlock: null,
      versioning: 'Disabled',
      logging: null,
      policy: null,
      tags: {},
      lifecycle: [],
    });
    expect(snap.accountPublicAccessBlock).toBeNull();

    const control = new S3ControlClient({ ...awsConfig(), ...singleHostEndpoint('S3_CONTROL') });
    await control.send(
      new PutAccountPublicAccessBlockCommand({
        AccountId: scope.id,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    expect((await s3Buckets.collect(new AwsSession(), scope)).accountPublicAccessBlock).toEqual(blocked);
  });
});
