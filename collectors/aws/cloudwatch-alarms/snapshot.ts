export interface MetricFilterSnapshot {
  readonly name: string;
  readonly logGroupName: string;
  readonly pattern: string;
  /** The metrics the filter publishes (namespace/name). */
  readonly metrics: readonly { readonly namespace: string; readonly name: string }[];
}

export interface MetricAlarmSnapshot {
  readonly name: string;
  readonly namespace: string | null;
  readonly metricName: string | null;
  readonly actionsEnabled: boolean;
  /** Where the alarm notifies (SNS topic and other action ARNs) when it fires. */
  readonly alarmActions: readonly string[];
}

export interface LogGroupSnapshot {
  readonly name: string;
  readonly arn: string;
  /** null: the group never expires its events. */
  readonly retentionInDays: number | null;
  readonly kmsKeyId: string | null;
}

export interface CloudWatchAlarmsSnapshot {
  /** Log groups of this region that a CloudTrail trail delivers to. */
  readonly trailLogGroups: readonly string[];
  /** Metric filters on those log groups. */
  readonly metricFilters: readonly MetricFilterSnapshot[];
  readonly alarms: readonly MetricAlarmSnapshot[];
  readonly logGroups: readonly LogGroupSnapshot[];
}
