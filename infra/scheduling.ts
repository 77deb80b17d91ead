import { Duration, RemovalPolicy, Stack, TimeZone } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { keepParentLogicalIds } from './logical-ids.ts';
import type { ScheduleGroup } from './schedules.ts';

export interface SchedulesProps {
  readonly groups: readonly ScheduleGroup[];
  readonly stateMachine: sfn.StateMachine;
  readonly digest: lambda.IFunction;
  readonly summary: lambda.IFunction;
  readonly digestSchedule: string;
  readonly summarySchedule: string;
  /** IANA time zone of cron expressions. */
  readonly timezone: string;
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * EventBridge Scheduler: one schedule per collector group (starting a collection run), the digest schedule
 * and the daily summary, in one schedule group, through one role; undeliverable starts go to the dead-letter
 * queue.
 */
export class Schedules extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const timeZone = TimeZone.of(props.timezone);
    this.role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Proofline schedules: start collection runs, invoke the digest function',
    });
    const delivery = {
      role: this.role,
      deadLetterQueue: props.deadLetterQueue,
      retryAttempts: 3,
      maxEventAge: Duration.hours(1),
    };
    const schedule = (
      id: string,
      description: string,
      expression: string,
      target: scheduler.IScheduleTarget,
    ) =>
      new scheduler.Schedule(this, id, {
        description,
        scheduleGroup,
        schedule: scheduler.ScheduleExpression.expression(expression, timeZone),
        target,
      });
    for (const group of props.groups) {
      const input = scheduler.ScheduleTargetInput.fromObject({
        group: group.name,
        collectors: group.collectors,
      });
      schedule(
        `Collect-${group.name}`,
        `Proofline collection: ${group.collectors.join(', ')}`,
        group.expression,
        new targets.StepFunctionsStartExecution(props.stateMachine, { input, ...delivery }),
      );
    }
    schedule(
      'Digest',
      'Proofline: sign the digests that became due',
      props.digestSchedule,
      new targets.LambdaInvoke(props.digest, delivery),
    );
    schedule(
      'Summary',
      'Proofline: the daily summary of controls still needing attention, to the alert topic',
      props.summarySchedule,
      new targets.LambdaInvoke(props.summary, delivery),
    );
    keepParentLogicalIds(this);
  }
}
