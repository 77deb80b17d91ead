import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * The collections of one account, from `{ account: {id, roleArn?}, regions, collectors: [{id, regional}] }`:
 * one per global collector, then one per regional collector × region. `accountRequests` in core/fanout.ts is
 * its twin in TypeScript (a test holds them equal).
 */
export const ACCOUNT_TARGETS_JSONATA = [
  '(',
  '$in := $states.input;',
  '$role := $in.account.roleArn;',
  "$global := $in.collectors[regional = false].{ 'collectorId': id, 'scope': { 'source': 'aws', 'id': $in.account.id }, 'roleArn': $role };",
  "$regional := $in.collectors[regional = true].( $cid := id; $in.regions.{ 'collectorId': $cid, 'scope': { 'source': 'aws', 'id': $in.account.id, 'region': $ }, 'roleArn': $role } );",
  '$append($append([], $global), $regional)',
  ')',
].join(' ');

/** Errors that mean "try again later": Lambda throttling and a collector the source kept throttling. */
export const THROTTLE_ERRORS = ['Lambda.TooManyRequestsException', 'CollectorThrottled'];
/** Transient Lambda service errors, retried sooner. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
];

export interface CollectionRunProps {
  readonly plan: lambda.IFunction;
  readonly collect: lambda.IFunction;
  readonly evaluate: lambda.IFunction;
  /** Accounts collected at the same time (the distributed map's concurrency). */
  readonly accountConcurrency: number;
  /** Collections at the same time within one account (the inner map's concurrency). */
  readonly perAccountConcurrency: number;
  /**
   * The collect function of each source other than AWS the runs read (GitHub, IdPs), by source.
   * @default - none: AWS only
   */
  readonly sources?: Readonly<Record<string, lambda.IFunction>>;
  /** Collectors of other sources running at the same time. @default 4 */
  readonly sourceConcurrency?: number;
  readonly logGroup: logs.ILogGroup;
  /** @default 6 hours */
  readonly timeout?: Duration;
}

const retryLambdaService = <T extends sfn.TaskStateBase>(task: T): T => {
  task.addRetry({
    errors: LAMBDA_SERVICE_ERRORS,
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 4,
    jitterStrategy: sfn.JitterType.FULL,
  });
  return task;
};

/**
 * One run of a collector group: plan (list accounts × regions × collectors) → a distributed map over the
 * accounts (each a child execution, so a large organization never hits one execution's history limit) → in
 * each, an inline map over that account's collections → evaluate every control. A collection that fails
 * outside its collector (timeout, crash, throttling that outlasts every retry) is caught and recorded as an
 * error artifact; a run never fails because one account or one collection did. Alongside the accounts, in a
 * parallel branch, the collectors of other sources (GitHub, IdPs), each routed by its source to that source's
 * function, with the same retries and catchers.
 */
export class CollectionRun extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: CollectionRunProps) {
    super(scope, id);
    const plan = retryLambdaService(
      tasks.LambdaInvoke.jsonata(this, 'Plan', {
        comment:
          'List the targets: accounts (configured or the organization’s ACTIVE ones) × regions × collectors',
        lambdaFunction: props.plan,
        payload: sfn.TaskInput.fromObject({
          group: '{% $states.input.group %}',
          collectors: '{% $states.input.collectors %}',
        }),
        retryOnServiceExceptions: false,
        outputs: '{% $states.result.Payload %}',
      }),
    );
    const accounts = this.accountCollections(props);
    const evaluate = retryLambdaService(
      tasks.LambdaInvoke.jsonata(this, 'Evaluate', {
        comment: 'Evaluate every control on the latest evidence; record the transitions',
        lambdaFunction: props.evaluate,
        payload: sfn.TaskInput.fromObject({ group: '{% $states.input.group %}' }),
        retryOnServiceExceptions: false,
        outputs: "{% $merge([$states.input, { 'evaluation': $states.result.Payload }]) %}",
      }),
    );
    const sources = Object.entries(props.sources ?? {});
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'Proofline collection run: plan → accounts × regions × collectors → evaluate',
      queryLanguage: sfn.QueryLanguage.JSONATA,
      definitionBody: sfn.DefinitionBody.fromChainable(
        sources.length
          ? plan
              .next(
                sfn.Parallel.jsonata(this, 'Collections', {
                  comment:
                    'AWS accounts and the other sources at the same time: a long fan-out never holds the others back',
                  outputs: {
                    group: '{% $states.input.group %}',
                    accounts: '{% $states.result[0].accounts %}',
                    ok: '{% $sum($states.result.ok) %}',
                    failed: '{% $sum($states.result.failed) %}',
                  },
                })
                  .branch(accounts)
                  .branch(this.sourceCollections(sources, props.sourceConcurrency ?? 4)),
              )
              .next(evaluate)
          : plan.next(accounts).next(evaluate),
      ),
      timeout: props.timeout ?? Duration.hours(6),
      tracingEnabled: false,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
  }

  /**
   * A collection whose failure the same function records as an error artifact: throttling retried with
   * backoff and full jitter, transient Lambda errors sooner, any other failure (or throttling that outlasts
   * the retries) caught and recorded; a failed record ends in `unrecorded`.
   */
  private recordedCollection(c: {
    readonly ids: readonly [collect: string, record: string];
    readonly fn: lambda.IFunction;
    readonly comments: readonly [collect: string, record: string];
    readonly throttle: { readonly first: Duration; readonly attempts: number; readonly maxDelay: Duration };
    readonly unrecorded: sfn.Pass;
  }): tasks.LambdaInvoke {
    const invoke = (id: string, comment: string) =>
      tasks.LambdaInvoke.jsonata(this, id, {
        comment,
        lambdaFunction: c.fn,
        payload: sfn.TaskInput.fromText('{% $states.input %}'),
        retryOnServiceExceptions: false,
        outputs: '{% $states.result.Payload.status %}',
      });
    const collect = invoke(c.ids[0], c.comments[0]);
    collect.addRetry({
      errors: THROTTLE_ERRORS,
      interval: c.throttle.first,
      backoffRate: 2,
      maxAttempts: c.throttle.attempts,
      maxDelay: c.throttle.maxDelay,
      jitterStrategy: sfn.JitterType.FULL,
    });
    retryLambdaService(collect);
    const recordFailure = retryLambdaService(invoke(c.ids[1], c.comments[1]));
    recordFailure.addCatch(c.unrecorded, { errors: [sfn.Errors.ALL], outputs: 'unrecorded' });
    collect.addCatch(recordFailure, {
      errors: [sfn.Errors.ALL],
      outputs: "{% $merge([$states.input, { 'failure': $states.errorOutput }]) %}",
    });
    return collect;
  }

  /** The AWS accounts: a distributed map of child executions, each an inline map over one account's collections. */
  private accountCollections(props: CollectionRunProps): sfn.DistributedMap {
    const collect = this.recordedCollection({
      ids: ['Collect', 'RecordFailure'],
      fn: props.collect,
      comments: [
        'One collector over one account (and region) → evidence + findings',
        'Record the failed collection as an error artifact: a gap is evidence too',
      ],
      throttle: { first: Duration.seconds(20), attempts: 5, maxDelay: Duration.minutes(5) },
      unrecorded: sfn.Pass.jsonata(this, 'Unrecorded', {
        comment:
          'Even the error artifact could not be written: counted, and the collect function alarm fires',
        outputs: 'unrecorded',
      }),
    });
    const accountTargets = sfn.Map.jsonata(this, 'AccountTargets', {
      comment: 'Every collection of one account, a bounded number at a time',
      items: sfn.ProvideItems.jsonata(`{% ${ACCOUNT_TARGETS_JSONATA} %}`),
      maxConcurrency: props.perAccountConcurrency,
      outputs: {
        account: '{% $states.input.account.id %}',
        ok: "{% $count($states.result[$ = 'ok']) %}",
        failed: "{% $count($states.result[$ != 'ok']) %}",
      },
    });
    accountTargets.itemProcessor(collect);
    const accounts = sfn.DistributedMap.jsonata(this, 'Accounts', {
      comment: 'One child execution per account, a bounded number at a time',
      items: sfn.ProvideItems.jsonata('{% $states.input.accounts %}'),
      itemSelector: {
        account: '{% $states.context.Map.Item.Value %}',
        regions: '{% $states.input.regions %}',
        collectors: '{% $states.input.collectors %}',
      },
      maxConcurrency: props.accountConcurrency,
      toleratedFailurePercentage: 100,
      mapExecutionType: sfn.StateMachineType.STANDARD,
      outputs: {
        group: '{% $states.input.group %}',
        accounts: '{% $count($states.result) %}',
        ok: '{% $sum($states.result.ok) %}',
        failed: '{% $sum($states.result.failed) %}',
      },
    });
    accounts.itemProcessor(accountTargets);
    return accounts;
  }

  /**
   * Every collector × scope of other sources in the plan (`sources: [{source, collectorId, scope}]`), a bounded
   * number at a time, each routed by its source to that source's function.
   */
  private sourceCollections(sources: [string, lambda.IFunction][], concurrency: number): sfn.Map {
    const unrecorded = sfn.Pass.jsonata(this, 'SourceUnrecorded', {
      comment: 'Even the error artifacts could not be written: the function’s error alarm fires',
      outputs: 'unrecorded',
    });
    const route = sfn.Choice.jsonata(this, 'BySource', {
      comment: 'Each source’s collectors run in its own function',
    });
    for (const [source, fn] of sources) {
      const collect = this.recordedCollection({
        ids: [`Collect-${source}`, `RecordFailure-${source}`],
        fn,
        comments: [
          `One ${source} collector over one scope its config names → evidence + findings`,
          `Record the failed ${source} collection as error artifacts: a gap is evidence too`,
        ],
        throttle: { first: Duration.seconds(60), attempts: 4, maxDelay: Duration.minutes(15) },
        unrecorded,
      });
      route.when(sfn.Condition.jsonata(`{% $states.input.source = '${source}' %}`), collect);
    }
    route.otherwise(unrecorded);
    const map = sfn.Map.jsonata(this, 'Sources', {
      comment: 'The collectors of other sources (GitHub, IdPs), a bounded number at a time',
      items: sfn.ProvideItems.jsonata('{% $states.input.sources %}'),
      maxConcurrency: concurrency,
      outputs: {
        ok: "{% $count($states.result[$ = 'ok']) %}",
        failed: "{% $count($states.result[$ != 'ok']) %}",
      },
    });
    map.itemProcessor(route);
    return map;
  }
}
