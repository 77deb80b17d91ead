import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  cloudWatchLogs,
  customerDataEvents,
  kmsEncryption,
  logFileValidation,
  managementEventsReadWrite,
  multiRegionLogging,
} from '../../../collectors/aws/cloudtrail-trails/checks.ts';
import { cloudTrailTrails as cloudTrailTrailsDefinition } from '../../../collectors/aws/cloudtrail-trails/index.ts';
import type { BucketTags, TrailSnapshot } from '../../../collectors/aws/cloudtrail-trails/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import type { CheckContext } from '../../../core/collector.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { runnable } from '../../support/runnable.ts';
import { at } from './detection-fixtures.ts';

const cloudTrailTrails = runnable(cloudTrailTrailsDefinition);

const context: CheckContext = {
  asOf: new Date('2026-11-27T00:00:00Z'),
  scope: { source: 'aws', id: '111122223333' },
};
const good: TrailSnapshot = {
  name: 'main',
  arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main',
  homeRegion: 'us-east-1',
  isMultiRegion: true,
  isOrganizationTrail: false,
  isLogging: true,
  logFileValidation: true,
  kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1',
  cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:trail:*',
  s3BucketName: 'logs',
  managementEvents: 'All',
  s3DataEvents: ['arn:aws:s3:::customer-data/'],
};
const bad: TrailSnapshot = {
  ...good,
  name: 'legacy',
  arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/legacy',
  isMultiRegion: false,
  logFileValidation: false,
  kmsKeyId: null,
  cloudWatchLogsLogGroupArn: null,
};

describe('aws.cloudtrail.trails checks', () => {
  it.each([{ check: logFileValidation }, { check: kmsEncryption }, { check: cloudWatchLogs }])(
    '$check.id judges each trail',
    ({ check }) => {
      expect(check.evaluate({ trails: [good, bad], buckets: [] }, context).map((f) => f.status)).toEqual([
        'pass',
        'fail',
      ]);
    },
  );

  it('multi-region logging passes with one logging multi-region trail', () => {
    expect(multiRegionLogging.evaluate({ trails: [good, bad], buckets: [] }, context)).toMatchObject([
      { status: 'pass' },
    ]);
  });

  it('multi-region logging fails with no trail, or a multi-region trail that is stopped', () => {
    expect(multiRegionLogging.evaluate({ trails: [], buckets: [] }, context)).toMatchObject([
      { status: 'fail', reason: 'no multi-region trail is logging' },
    ]);
    expect(
      multiRegionLogging.evaluate({ trails: [{ ...good, isLogging: false }, bad], buckets: [] }, context)[0]
        ?.status,
    ).toBe('fail');
  });

  it('per-trail checks record "no trails" as not applicable', () => {
    expect(logFileValidation.evaluate({ trails: [], buckets: [] }, context)).toMatchObject([
      { status: 'not_applicable' },
    ]);
  });
});

describe('aws.cloudtrail.trails event selector checks', () => {
  const buckets: BucketTags[] = [
    { name: 'customer-data', tags: { 'data-classification': 'customer' } },
    { name: 'customer-exports', tags: { 'data-classification': 'customer' } },
    { name: 'build-cache', tags: {} },
  ];

  it('management events: passes a logging multi-region trail recording read and write, fails write-only', () => {
    expect(managementEventsReadWrite.evaluate({ trails: [good], buckets }, context)[0]?.status).toBe('pass');
    expect(
      managementEventsReadWrite.evaluate(
        { trails: [{ ...good, managementEvents: 'WriteOnly' }, bad], buckets },
        context,
      )[0],
    ).toMatchObject({
      status: 'fail',
      reason: 'no logging multi-region trail records all management events (main: WriteOnly, legacy: All)',
    });
  });

  it('S3 data events: judges only the buckets tagged as customer data, by prefix or all buckets', () => {
    const findings = customerDataEvents.evaluate({ trails: [good], buckets }, context);
    expect(findings.map((f) => [f.resource, f.status])).toEqual([
      ['arn:aws:s3:::customer-data', 'pass'],
      ['arn:aws:s3:::customer-exports', 'fail'],
    ]);
    const all = { ...good, s3DataEvents: ['arn:aws:s3'] };
    expect(customerDataEvents.evaluate({ trails: [all], buckets }, context).map((f) => f.status)).toEqual([
      'pass',
      'pass',
    ]);
    const stopped = { ...all, isLogging: false };
    expect(customerDataEvents.evaluate({ trails: [stopped], buckets }, context)[0]?.reason).toBe(
      'no logging trail records object access to customer-data',
    );
  });

  it('S3 data events: the customer-data tag is configuration', () => {
    const settings = at({ customerDataTag: { key: 'holds', value: 'pii' } });
    const tagged = [{ name: 'pii', tags: { holds: 'pii' } }, ...buckets];
    expect(
      customerDataEvents
        .evaluate({ trails: [good], buckets: tagged }, { ...context, settings })
        .map((f) => f.resource),
    ).toEqual(['arn:aws:s3:::pii']);
  });
});

describeAws('aws.cloudtrail.trails collect (moto)', () => {
  it('reads trails with their logging status', async () => {
    await new S3Client(awsConfig()).send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    const cloudtrail = new CloudTrailClient(awsConfig());
    await cloudtrail.send(
      new CreateTrailCommand({
        Name: 'main',
        S3BucketName: 'trail-logs',
        IsMultiRegionTrail: true,
        EnableLogFileValidation: true,
      }),
    );
    await cloudtrail.send(new StartLoggingCommand({ Name: 'main' }));
    await cloudtrail.send(new CreateTrailCommand({ Name: 'stopped', S3BucketName: 'trail-logs' }));
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'main',
        EventSelectors: [
          {
            ReadWriteType: 'All',
            IncludeManagementEvents: true,
            DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::customer-data/'] }],
          },
        ],
      }),
    );
    await cloudtrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'stopped',
        AdvancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: 'eventCategory', Equals: ['Management'] },
              { Field: 'readOnly', Equals: ['false'] },
            ],
          },
        ],
      }),
    );
    const s3 = new S3Client(awsConfig());
    await s3.send(new CreateBucketCommand({ Bucket: 'customer-data' }));
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'customer-data',
        Tagging: { TagSet: [{ Key: 'data-classification', Value: 'customer' }] },
      }),
    );
    const session = new AwsSession();
    const snap = await cloudTrailTrails.collect(session, { source: 'aws', id: await session.accountId() });
    expect(snap.trails.map((t) => [t.name, t.isMultiRegion, t.isLogging, t.logFileValidation])).toEqual([
      ['main', true, true, true],
      ['stopped', false, false, false],
    ]);
    expect(snap.trails.map((t) => [t.managementEvents, t.s3DataEvents])).toEqual([
      ['All', ['arn:aws:s3:::customer-data/']],
      ['WriteOnly', []],
    ]);
    expect(snap.buckets).toEqual([
      { name: 'trail-logs', tags: {} },
      { name: 'customer-data', tags: { 'data-classification': 'customer' } },
    ]);
    expect(customerDataEvents.evaluate(snap, context)).toMatchObject([{ status: 'pass' }]);
  });
});
