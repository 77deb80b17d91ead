import { type Check, type CheckContext, finding, perResource } from '../../../core/collector.ts';
import type { Finding } from '../../../core/model.ts';
import { detectionSettings } from '../shared/settings.ts';
import { CIS_MONITORING, type MonitoringItem, patternCovers } from './cis-monitoring.ts';
import type { CloudWatchAlarmsSnapshot, LogGroupSnapshot } from './snapshot.ts';

const logGroupArn = (name: string, { scope }: CheckContext) =>
  `arn:aws:logs:${scope.region ?? ''}:${scope.id}:log-group:${name}`;

/**
 * One check per item of the CIS monitoring set: each trail log group of the region needs a metric filter
 * covering the item's events whose metric feeds an alarm with an enabled action.
 */
export function monitoringCheck(item: MonitoringItem): Check<CloudWatchAlarmsSnapshot> {
  const id = `aws.cloudwatch.alarm-${item.slug}`;
  return {
    id,
    title: `An alarm with an action watches ${item.title}`,
    severity: 'medium',
    remediation: `On the trail's log group, create a metric filter for ${item.title} (${item.cis}) and an alarm on its metric that notifies an SNS topic.`,
    procedure: `Reads the CloudTrail log groups of each region (DescribeTrails), their metric filters (DescribeMetricFilters) and the metric alarms (DescribeAlarms); passes a log group when a filter's pattern covers the events of ${item.cis} (${item.title}) and an alarm on the filter's metric has an enabled action. Not applicable in a region where no trail delivers to CloudWatch Logs (aws.cloudtrail.cloudwatch-logs judges that).`,
    evaluate(s, context): Finding[] {
      if (s.trailLogGroups.length === 0) {
        const reason = `no trail delivers to CloudWatch Logs in ${context.scope.region}`;
        return [
          {
            check: id,
            resource: `arn:aws:logs:${context.scope.region}:${context.scope.id}:account`,
            status: 'not_applicable',
            reason,
          },
        ];
      }
      return s.trailLogGroups.map((group) => {
        const filters = s.metricFilters.filter(
          (f) => f.logGroupName === group && patternCovers(f.pattern, item),
        );
        const alarmed = filters.flatMap((f) =>
          s.alarms
            .filter((a) => a.actionsEnabled && a.alarmActions.length > 0)
            .filter((a) => f.metrics.some((m) => m.namespace === a.namespace && m.name === a.metricName))
            .map((a) => `${f.name} → ${a.name}`),
        );
        const reason =
          alarmed.length > 0
            ? `alarmed: ${alarmed.join(', ')}`
            : filters.length > 0
              ? `filter ${filters.map((f) => f.name).join(', ')} on ${group} has no alarm with an enabled action`
              : `no metric filter on ${group} covers ${item.title}`;
        return finding(id, logGroupArn(group, context), alarmed.length > 0, reason);
      });
    },
  };
}

export const monitoringChecks = CIS_MONITORING.map(monitoringCheck);

const logGroups = (s: CloudWatchAlarmsSnapshot) => s.logGroups;
const groupArn = (g: LogGroupSnapshot) => g.arn.replace(/:\*$/, '');

export const logRetention = perResource(
  {
    id: 'aws.logs.retention',
    title: 'Log groups keep events for the minimum retention',
    severity: 'low',
    remediation:
      'Set the log group retention to at least the configured minimum (aws logs put-retention-policy).',
    procedure:
      'Reads every CloudWatch log group of each region (DescribeLogGroups) and passes a group that never expires its events or keeps them at least checks.aws.detection.logRetentionMinDays (default 365) days.',
  },
  logGroups,
  groupArn,
  (g, _s, context) => {
    const min = detectionSettings(context).logRetentionMinDays;
    if (g.retentionInDays === null) return [true, 'events never expire'];
    return [g.retentionInDays >= min, `${g.name} keeps events ${g.retentionInDays} days (minimum ${min})`];
  },
);

export const logKms = perResource(
  {
    id: 'aws.logs.kms-encryption',
    title: 'Log groups are encrypted with a KMS key',
    severity: 'low',
    remediation: 'Associate a customer-managed KMS key with the log group (aws logs associate-kms-key).',
    procedure:
      'Reads every CloudWatch log group of each region (DescribeLogGroups) and passes a group with a KMS key.',
  },
  logGroups,
  groupArn,
  (g) => [!!g.kmsKeyId, g.kmsKeyId ? `encrypted with ${g.kmsKeyId}` : `${g.name} has no KMS key`],
);

export const checks = [...monitoringChecks, logRetention, logKms];
