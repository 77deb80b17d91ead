import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { logKms, logRetention, monitoringChecks } from '../../../collectors/aws/cloudwatch-alarms/checks.ts';
import { CIS_MONITORING } from '../../../collectors/aws/cloudwatch-alarms/cis-monitoring.ts';
import { collect } from '../../../collectors/aws/cloudwatch-alarms/collect.ts';
import type { CloudWatchAlarmsSnapshot } from '../../../collectors/aws/cloudwatch-alarms/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { at, context } from './detection-fixtures.ts';

/** The benchmark's recommended pattern for §4.3, as written in CIS AWS Foundations 1.4.0. */
const ROOT_PATTERN =
  '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
/** A pattern in the benchmark's style covering every term of an item. */
const patternOf = (terms: readonly string[]) =>
  `{ ${terms.map((t) => `(${t.replace(/^(\$\.\w+(?:\.\w+)*)(!?=)(.*)$/, '$1 $2 "$3"')})`).join(' || ')} }`;

const group = 'cloudtrail-logs';
const watched: CloudWatchAlarmsSnapshot = {
  trailLogGroups: [group],
  metricFilters: CIS_MONITORING.map((item) => ({
    name: `cis-${item.slug}`,
    logGroupName: group,
    pattern: patternOf(item.terms),
    metrics: [{ namespace: 'CISBenchmark', name: item.slug }],
  })),
  alarms: CIS_MONITORING.map((item) => ({
    name: `alarm-${item.slug}`,
    namespace: 'CISBenchmark',
    metricName: item.slug,
    actionsEnabled: true,
    alarmActions: ['arn:aws:sns:eu-west-1:111122223333:security'],
  })),
  logGroups: [
    {
      name: group,
      arn: `arn:aws:logs:eu-west-1:111122223333:log-group:${group}:*`,
      retentionInDays: 400,
      kmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1',
    },
  ],
};
const unwatched: CloudWatchAlarmsSnapshot = {
  ...watched,
  alarms: watched.alarms.map((a) => ({ ...a, alarmActions: [] })),
  logGroups: [
    {
      name: 'app',
      arn: 'arn:aws:logs:eu-west-1:111122223333:log-group:app:*',
      retentionInDays: 30,
      kmsKeyId: null,
    },
  ],
};

describe('aws.cloudwatch.alarms checks', () => {
  it('one check per CIS monitoring item (§4.1–4.15)', () => {
    expect(monitoringChecks.map((c) => c.id)).toHaveLength(15);
    expect(new Set(monitoringChecks.map((c) => c.id)).size).toBe(15);
  });

  it.each([...monitoringChecks, logRetention, logKms])(
    '$id passes the watched account and fails the other',
    (check) => {
      expect(check.evaluate(watched, context).map((f) => f.status)).toEqual(['pass']);
      expect(check.evaluate(unwatched, context).map((f) => f.status)).toEqual(['fail']);
    },
  );

  const root = monitoringChecks.find((c) => c.id === 'aws.cloudwatch.alarm-root-usage')!;
  const withRootFilter = (pattern: string): CloudWatchAlarmsSnapshot => ({
    ...watched,
    metricFilters: [
      {
        name: 'root',
        logGroupName: group,
        pattern,
        metrics: [{ namespace: 'CISBenchmark', name: 'root-usage' }],
      },
    ],
  });

  it('recognises the benchmark pattern as written, and rejects a filter missing one of its terms', () => {
    expect(root.evaluate(withRootFilter(ROOT_PATTERN), context)[0]).toMatchObject({
      status: 'pass',
      reason: 'alarmed: root → alarm-root-usage',
    });
    const partial = '{ $.userIdentity.type = "Root" }';
    expect(root.evaluate(withRootFilter(partial), context)[0]).toMatchObject({
      status: 'fail',
      reason: 'no metric filter on cloudtrail-logs covers use of the root user',
    });
  });

  it('an alarm with its actions disabled does not count', () => {
    const disabled = {
      ...withRootFilter(ROOT_PATTERN),
      alarms: watched.alarms.map((a) => ({ ...a, actionsEnabled: false })),
    };
    expect(root.evaluate(disabled, context)[0]?.reason).toBe(
      'filter root on cloudtrail-logs has no alarm with an enabled action',
    );
  });

  it('a region without a trail log group is not applicable', () => {
    expect(root.evaluate({ ...watched, trailLogGroups: [] }, context)[0]?.status).toBe('not_applicable');
  });

  it('retention follows the configured minimum; never-expire passes', () => {
    expect(
      logRetention.evaluate(watched, { ...context, settings: at({ logRetentionMinDays: 731 }) })[0],
    ).toMatchObject({
      status: 'fail',
      reason: 'cloudtrail-logs keeps events 400 days (minimum 731)',
    });
    const forever = { ...unwatched, logGroups: [{ ...unwatched.logGroups[0]!, retentionInDays: null }] };
    expect(logRetention.evaluate(forever, context)[0]?.status).toBe('pass');
  });
});

describeAws('aws.cloudwatch.alarms collect (moto)', () => {
  it('finds the trail log group, its filters and alarms, and every log group', async () => {
    const account = await new AwsSession().accountId();
    await new S3Client(awsConfig()).send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    const logs = new CloudWatchLogsClient(awsConfig());
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 365 }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: group,
        filterName: 'root-usage',
        filterPattern: ROOT_PATTERN,
        metricTransformations: [
          { metricName: 'RootUsage', metricNamespace: 'CISBenchmark', metricValue: '1' },
        ],
      }),
    );
    await new CloudWatchClient(awsConfig()).send(
      new PutMetricAlarmCommand({
        AlarmName: 'root-usage',
        MetricName: 'RootUsage',
        Namespace: 'CISBenchmark',
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [`arn:aws:sns:us-east-1:${account}:security`],
      }),
    );
    await new CloudTrailClient(awsConfig()).send(
      new CreateTrailCommand({
        Name: 'main',
        S3BucketName: 'trail-logs',
        IsMultiRegionTrail: true,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${account}:log-group:${group}:*`,
        CloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/trail-to-logs`,
      }),
    );
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (s, op) => calls.push(`${s}:${op}`) });
    const scope = { source: 'aws' as const, id: account, region: 'us-east-1' };
    const snap = await collect(session, scope);
    expect(snap.trailLogGroups).toEqual([group]);
    expect(snap.metricFilters).toMatchObject([
      { name: 'root-usage', metrics: [{ namespace: 'CISBenchmark', name: 'RootUsage' }] },
    ]);
    expect(snap.logGroups.map((g) => [g.name, g.retentionInDays])).toEqual([
      ['app', null],
      [group, 365],
    ]);
    const ctx = { ...context, scope };
    expect(root(snap, ctx)).toBe('pass');
    expect(
      monitoringChecks.find((c) => c.id === 'aws.cloudwatch.alarm-vpc-changes')!.evaluate(snap, ctx)[0]
        ?.status,
    ).toBe('fail');
    expect(calls).toEqual([
      'CloudTrail:DescribeTrails',
      'CloudWatchLogs:DescribeMetricFilters',
      'CloudWatchLogs:DescribeLogGroups',
      'CloudWatch:DescribeAlarms',
    ]);
    // Another region: the trail's log group is not there.
    expect((await collect(session, { ...scope, region: 'eu-west-1' })).trailLogGroups).toEqual([]);
  });
});

const root = (snap: CloudWatchAlarmsSnapshot, ctx: typeof context) =>
  monitoringChecks.find((c) => c.id === 'aws.cloudwatch.alarm-root-usage')!.evaluate(snap, ctx)[0]?.status;
