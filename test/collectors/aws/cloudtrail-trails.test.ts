import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  cloudWatchLogs,
  kmsEncryption,
  logFileValidation,
  multiRegionLogging,
} from '../../../collectors/aws/cloudtrail-trails/checks.ts';
import { cloudTrailTrails } from '../../../collectors/aws/cloudtrail-trails/index.ts';
import type { TrailSnapshot } from '../../../collectors/aws/cloudtrail-trails/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import type { CheckContext } from '../../../core/collector.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';

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
      expect(check.evaluate({ trails: [good, bad] }, context).map((f) => f.status)).toEqual(['pass', 'fail']);
    },
  );

  it('multi-region logging passes with one logging multi-region trail', () => {
    expect(multiRegionLogging.evaluate({ trails: [good, bad] }, context)).toMatchObject([{ status: 'pass' }]);
  });

  it('multi-region logging fails with no trail, or a multi-region trail that is stopped', () => {
    expect(multiRegionLogging.evaluate({ trails: [] }, context)).toMatchObject([
      { status: 'fail', reason: 'no multi-region trail is logging' },
    ]);
    expect(
      multiRegionLogging.evaluate({ trails: [{ ...good, isLogging: false }, bad] }, context)[0]?.status,
    ).toBe('fail');
  });

  it('per-trail checks record "no trails" as not applicable', () => {
    expect(logFileValidation.evaluate({ trails: [] }, context)).toMatchObject([{ status: 'not_applicable' }]);
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
    const session = new AwsSession();
    const snap = await cloudTrailTrails.collect(session, { source: 'aws', id: await session.accountId() });
    expect(snap.trails.map((t) => [t.name, t.isMultiRegion, t.isLogging, t.logFileValidation])).toEqual([
      ['main', true, true, true],
      ['stopped', false, false, false],
    ]);
  });
});
