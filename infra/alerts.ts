import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TELEMETRY } from '../core/deployed.ts';
import type { EvidenceStorage } from './evidence-storage.ts';
import { pascal } from './function.ts';
import { keepParentLogicalIds } from './logical-ids.ts';
import type { ScheduleGroup } from './schedules.ts';

export interface AlertsProps {
  readonly storage: EvidenceStorage;
  /** E-mail addresses subscribed to the alert topic. */
  readonly emails: readonly string[];
}

/** What the alarms watch: every function by name, the collection runs, the schedules' groups. */
export interface Watched {
  readonly functions: readonly (readonly [string, lambda.IFunction])[];
  readonly collect: lambda.IFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly scheduleGroups: readonly ScheduleGroup[];
}

const hour = Duration.hours(1);
const anyAbove = (threshold = 0) => ({
  threshold,
  comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
});
const custom = (metricName: string, extra: Record<string, string> = {}) =>
  new cloudwatch.Metric({
    namespace: TELEMETRY.namespace,
    metricName,
    dimensionsMap: { service: TELEMETRY.service, ...extra },
    statistic: 'Sum',
    period: hour,
  });

/**
 * The alert topic (encrypted with the data key, e-mail subscriptions), the dead-letter queue of failed
 * deliveries, and the CloudWatch alarms that publish to the topic.
 */
export class Alerts extends Construct {
  readonly topic: sns.Topic;
  readonly deadLetterQueue: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly storage: EvidenceStorage;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.storage = props.storage;
    this.topic = new sns.Topic(this, 'AlertTopic', {
      displayName: 'Proofline alerts',
      masterKey: props.storage.dataKey,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one, so the alarms' publisher is allowed explicitly.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    keepParentLogicalIds(this);
  }

  /** Publish to the alert topic (SNS encrypts with the data key on the function's behalf). */
  grantPublish(grantee: iam.IGrantable, sid: string): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid, actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      this.storage.useDataKey(['sns'], ['kms:Decrypt', 'kms:GenerateDataKey']),
    );
  }

  private alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const notify = new cwActions.SnsAction(this.topic);
    const a = new cloudwatch.Alarm(this, id, props);
    a.addAlarmAction(notify);
    a.addOkAction(notify);
    this.alarms.push(a);
    return a;
  }

  /** Alarms on failed collections and functions, failed runs, undelivered messages and missed schedules. */
  watch(watched: Watched): void {
    this.alarm('CollectionErrorsAlarm', {
      alarmDescription: 'Collections failed and were recorded as error artifacts (evidence gaps)',
      metric: custom(TELEMETRY.metrics.collectionErrors),
      ...anyAbove(),
    });
    this.alarm('CollectionThrottledAlarm', {
      alarmDescription: 'A source kept throttling a collector after the SDK’s retries',
      metric: custom(TELEMETRY.metrics.collectionThrottled),
      ...anyAbove(),
    });
    this.alarm('CollectThrottlesAlarm', {
      alarmDescription: 'Lambda throttled the collect function (account concurrency)',
      metric: watched.collect.metricThrottles({ period: hour, statistic: 'Sum' }),
      ...anyAbove(),
    });
    for (const [name, fn] of watched.functions) {
      this.alarm(`${pascal(name)}ErrorsAlarm`, {
        alarmDescription: `The ${name} function failed`,
        metric: fn.metricErrors({ period: hour, statistic: 'Sum' }),
        ...anyAbove(),
      });
    }
    this.watchRuns(watched.stateMachine, watched.scheduleGroups);
  }

  private watchRuns(stateMachine: sfn.StateMachine, groups: readonly ScheduleGroup[]): void {
    this.alarm('RunFailedAlarm', {
      alarmDescription: 'A collection run failed, timed out or was aborted',
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: stateMachine.metricFailed({ period: hour, statistic: 'Sum' }),
          timedOut: stateMachine.metricTimedOut({ period: hour, statistic: 'Sum' }),
          aborted: stateMachine.metricAborted({ period: hour, statistic: 'Sum' }),
        },
        period: hour,
      }),
      ...anyAbove(),
    });
    this.alarm('DeadLetterAlarm', {
      alarmDescription:
        'A scheduled run or digest could not be delivered (messages in the dead-letter queue)',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      ...anyAbove(),
    });
    for (const group of groups) {
      const periods = Math.ceil(group.missedAfterHours);
      this.alarm(`MissedSchedule-${group.name}`, {
        alarmDescription: `No run of the ${group.name} collectors started for ${periods} hours (missed schedule)`,
        metric: custom(TELEMETRY.metrics.runsStarted, { [TELEMETRY.groupDimension]: group.name }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
  }
}
