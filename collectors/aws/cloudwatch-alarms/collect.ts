import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  paginateDescribeLogGroups,
  paginateDescribeMetricFilters,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Scope } from '../../../core/model.ts';
import type { AwsSession } from '../session.ts';
import type {
  CloudWatchAlarmsSnapshot,
  LogGroupSnapshot,
  MetricAlarmSnapshot,
  MetricFilterSnapshot,
} from './snapshot.ts';

/** arn:aws:logs:<region>:<account>:log-group:<name>:* → name, when the group is in `region`. */
const logGroupIn = (arn: string, region: string): string | undefined => {
  const [, , , groupRegion, , kind, ...rest] = arn.split(':');
  if (groupRegion !== region || kind !== 'log-group') return undefined;
  return rest[0];
};

export async function collect(session: AwsSession, scope: Scope): Promise<CloudWatchAlarmsSnapshot> {
  const region = scope.region ?? session.homeRegion;
  const { trailList = [] } = await session
    .client(CloudTrailClient, region)
    .send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const trailLogGroups = [
    ...new Set(
      trailList.map((t) => logGroupIn(t.CloudWatchLogsLogGroupArn ?? '', region)).filter((g) => !!g),
    ),
  ] as string[];

  const logs = session.client(CloudWatchLogsClient, region);
  const metricFilters: MetricFilterSnapshot[] = [];
  // One paginated listing of the region's filters rather than one call per log group.
  for await (const page of paginateDescribeMetricFilters({ client: logs }, {})) {
    for (const f of page.metricFilters ?? []) {
      if (!trailLogGroups.includes(f.logGroupName ?? '')) continue;
      metricFilters.push({
        name: f.filterName ?? '',
        logGroupName: f.logGroupName ?? '',
        pattern: f.filterPattern ?? '',
        metrics: (f.metricTransformations ?? []).map((m) => ({
          namespace: m.metricNamespace ?? '',
          name: m.metricName ?? '',
        })),
      });
    }
  }
  const logGroups: LogGroupSnapshot[] = [];
  for await (const page of paginateDescribeLogGroups({ client: logs }, {})) {
    for (const g of page.logGroups ?? []) {
      logGroups.push({
        name: g.logGroupName ?? '',
        arn: g.arn ?? '',
        retentionInDays: g.retentionInDays ?? null,
        kmsKeyId: g.kmsKeyId ?? null,
      });
    }
  }
  const alarms: MetricAlarmSnapshot[] = [];
  const cloudwatch = session.client(CloudWatchClient, region);
  for await (const page of paginateDescribeAlarms({ client: cloudwatch }, { AlarmTypes: ['MetricAlarm'] })) {
    for (const a of page.MetricAlarms ?? []) {
      alarms.push({
        name: a.AlarmName ?? '',
        namespace: a.Namespace ?? null,
        metricName: a.MetricName ?? null,
        actionsEnabled: a.ActionsEnabled ?? false,
        alarmActions: a.AlarmActions ?? [],
      });
    }
  }
  return { trailLogGroups, metricFilters, alarms, logGroups };
}
