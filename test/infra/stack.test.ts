import { Match } from 'aws-cdk-lib/assertions';
import jsonata from 'jsonata';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsCollectors as collectors } from '../../collectors/aws/index.ts';
import { INDEX_TABLE, keyAttributes } from '../../core/stores/index-table.ts';
import { HANDLERS } from '../../infra/handlers.ts';
import {
  actionsOf,
  type Cfn,
  exampleConfig,
  identityStatements,
  resource,
  type Synthesized,
  stateMachineDefinition,
  synth,
  withDeploy,
} from './support.ts';

let example: Synthesized;
beforeAll(async () => {
  example = await synth(exampleConfig());
});

describe('evidence bucket', () => {
  const bucket = () =>
    resource(example.mainTemplate, 'AWS::S3::Bucket', 'ProoflineEvidenceBucket').Properties;

  it('has Object Lock in COMPLIANCE mode with the configured retention, and versioning', async () => {
    expect(bucket().ObjectLockEnabled).toBe(true);
    expect(bucket().ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } },
    });
    expect(bucket().VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const longer = await synth(withDeploy({ retentionDays: 731 }));
    expect(
      resource(longer.mainTemplate, 'AWS::S3::Bucket', 'ProoflineEvidenceBucket').Properties
        .ObjectLockConfiguration.Rule.DefaultRetention,
    ).toEqual({ Mode: 'COMPLIANCE', Days: 731 });
  });

  it('is encrypted with the customer-managed data key (SSE-KMS), which rotates', () => {
    const dataKey = resource(example.mainTemplate, 'AWS::KMS::Key', 'ProoflineDataKey');
    expect(dataKey.Properties.EnableKeyRotation).toBe(true);
    expect(bucket().BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      {
        BucketKeyEnabled: true,
        ServerSideEncryptionByDefault: {
          SSEAlgorithm: 'aws:kms',
          KMSMasterKeyID: { 'Fn::GetAtt': [dataKey.id, 'Arn'] },
        },
      },
    ]);
  });

  it('blocks public access, logs access to the separate log bucket and has no lifecycle rule that expires anything', () => {
    expect(bucket().PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const logBucket = resource(example.mainTemplate, 'AWS::S3::Bucket', 'ProoflineAccessLogBucket');
    expect(bucket().LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logBucket.id });
    // Only the parts of unfinished uploads are cleaned up: no object or version ever expires.
    expect(bucket().LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'abort-incomplete-uploads',
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Status: 'Enabled',
        },
      ],
    });
  });

  it('refuses every request that is not TLS', () => {
    const evidence = resource(example.mainTemplate, 'AWS::S3::Bucket', 'ProoflineEvidenceBucket');
    const policy = Object.values(example.mainTemplate.findResources('AWS::S3::BucketPolicy')).find(
      (p: Cfn) => p.Properties.Bucket.Ref === evidence.id,
    ) as Cfn;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Principal: { AWS: '*' },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('evidence, index and keys outlive the stack', () => {
    for (const [type, prefix] of [
      ['AWS::S3::Bucket', 'ProoflineEvidenceBucket'],
      ['AWS::DynamoDB::Table', 'ProoflineIndexTable'],
      ['AWS::KMS::Key', 'ProoflineDataKey'],
      ['AWS::KMS::Key', 'ProoflineSigningKey'],
    ] as const) {
      const found = example.mainTemplate.findResources(type);
      const [, r] = Object.entries(found).find(([id]) => id.startsWith(prefix))!;
      expect((r as Cfn).DeletionPolicy, prefix).toBe('Retain');
    }
  });
});

describe('index table and keys', () => {
  it('is on-demand, with point-in-time recovery, KMS encryption and the shared key design', () => {
    const table = resource(example.mainTemplate, 'AWS::DynamoDB::Table', 'ProoflineIndexTable').Properties;
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^ProoflineDataKey/), 'Arn'] },
    });
    expect(table.KeySchema).toEqual([
      { AttributeName: INDEX_TABLE.key.partitionKey, KeyType: 'HASH' },
      { AttributeName: INDEX_TABLE.key.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table.AttributeDefinitions.map((a: Cfn) => a.AttributeName).sort()).toEqual(
      keyAttributes().sort(),
    );
    expect(table.GlobalSecondaryIndexes.map((g: Cfn) => g.IndexName)).toEqual(
      INDEX_TABLE.globalIndexes.map((g) => g.name),
    );
  });

  it('has an ECC_NIST_P256 SIGN_VERIFY signing key', () => {
    const key = resource(example.mainTemplate, 'AWS::KMS::Key', 'ProoflineSigningKey').Properties;
    expect(key.KeySpec).toBe('ECC_NIST_P256');
    expect(key.KeyUsage).toBe('SIGN_VERIFY');
  });
});

describe('functions', () => {
  it('one arm64 Node.js 24 function per handler, each with its own log group and no managed policy', () => {
    const functions = example.mainTemplate.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(HANDLERS.length);
    for (const spec of HANDLERS) {
      const id = spec.name.charAt(0).toUpperCase() + spec.name.slice(1);
      const fn = resource(example.mainTemplate, 'AWS::Lambda::Function', `Proofline${id}Function`).Properties;
      expect(fn.Runtime).toBe('nodejs24.x');
      expect(fn.Architectures).toEqual(['arm64']);
      expect(fn.Handler).toBe('index.handler');
      expect(fn.LoggingConfig.LogGroup).toEqual({
        Ref: expect.stringMatching(new RegExp(`^Proofline${id}Logs`)),
      });
      expect(fn.Environment.Variables).toMatchObject({
        POWERTOOLS_SERVICE_NAME: 'proofline',
        EVIDENCE_BUCKET: expect.anything(),
        INDEX_TABLE: expect.anything(),
        ALERT_TOPIC_ARN: expect.anything(),
        RETENTION_DAYS: '400',
      });
    }
    for (const role of Object.values(example.mainTemplate.findResources('AWS::IAM::Role'))) {
      expect((role as Cfn).Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('the plan function is told the accounts, regions and member role; collect gets the external id', () => {
    const plan = resource(example.mainTemplate, 'AWS::Lambda::Function', 'ProoflinePlanFunction').Properties;
    expect(plan.Environment.Variables).toMatchObject({
      ACCOUNTS: '111111111111,222222222222',
      REGIONS: 'eu-west-1,us-east-1',
      ORGANIZATION_ENABLED: 'false',
      MEMBER_ROLE_NAME: 'ProoflineMember',
    });
    const collect = resource(
      example.mainTemplate,
      'AWS::Lambda::Function',
      'ProoflineCollectFunction',
    ).Properties;
    expect(collect.Environment.Variables.MEMBER_EXTERNAL_ID).toBe('proofline-example-7d1c2f');
  });
});

describe('schedules and the collection run', () => {
  it('one schedule per collector group with the configured cadence, starting the state machine', async () => {
    example.mainTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 5 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({
        Arn: { Ref: Match.stringLikeRegexp('^ProoflineCollectionRunStateMachine') },
        Input: JSON.stringify({ group: 'daily', collectors: collectors.map((c) => c.id).sort(byExample()) }),
        DeadLetterConfig: {
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProoflineDeadLetterQueue'), 'Arn'] },
        },
      }),
    });
    const twoGroups = await synth(
      withDeploy({
        schedules: {
          hourly: { expression: 'rate(1 hour)', collectors: ['aws.iam.credential-report'] },
          weekly: { expression: 'rate(7 days)', collectors: ['aws.kms.keys', 'aws.s3.buckets'] },
        },
      }),
    );
    const expressions = Object.values(twoGroups.mainTemplate.findResources('AWS::Scheduler::Schedule')).map(
      (s: Cfn) => s.Properties.ScheduleExpression,
    );
    // + the digest chain and the daily summary
    expect(expressions.sort()).toEqual(['cron(0 8 * * ? *)', 'rate(1 hour)', 'rate(1 hour)', 'rate(7 days)']);
    const missed = Object.values(twoGroups.mainTemplate.findResources('AWS::CloudWatch::Alarm'))
      .filter((a: Cfn) => a.Properties.MetricName === 'RunsStarted')
      .map((a: Cfn) => [
        a.Properties.Dimensions.find((d: Cfn) => d.Name === 'group').Value,
        a.Properties.EvaluationPeriods,
      ]);
    // 1.25 × the cadence in one-hour periods, at most the 7 days CloudWatch can evaluate.
    expect(Object.fromEntries(missed)).toEqual({ hourly: 2, weekly: 168 });
  });

  it('without configured groups, one group per default schedule of the collectors', async () => {
    const config = exampleConfig();
    const { schedules: _, ...deploy } = config.deploy as Record<string, unknown>;
    const defaults = await synth({ ...config, deploy });
    defaults.mainTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 day)',
      Target: Match.objectLike({
        Input: JSON.stringify({ group: 'every-1-day', collectors: collectors.map((c) => c.id) }),
      }),
    });
  });

  it('fans out over accounts with the configured concurrency, child executions tolerated to fail', () => {
    const definition = stateMachineDefinition(example.mainTemplate);
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(definition.StartAt).toBe('Plan');
    const accounts = definition.States.Accounts;
    expect(accounts.ItemProcessor.ProcessorConfig).toEqual({
      Mode: 'DISTRIBUTED',
      ExecutionType: 'STANDARD',
    });
    expect(accounts.MaxConcurrency).toBe(10);
    expect(accounts.ToleratedFailurePercentage).toBe(100);
    const perAccount = accounts.ItemProcessor.States.AccountTargets;
    expect(perAccount.ItemProcessor.ProcessorConfig).toEqual({ Mode: 'INLINE' });
    expect(perAccount.MaxConcurrency).toBe(4);
    expect(definition.States.Accounts.Next).toBe('Evaluate');
  });

  it('the concurrency follows the config', async () => {
    const tuned = await synth(withDeploy({ concurrency: { accounts: 3, perAccount: 7 } }));
    const accounts = stateMachineDefinition(tuned.mainTemplate).States.Accounts;
    expect(accounts.MaxConcurrency).toBe(3);
    expect(accounts.ItemProcessor.States.AccountTargets.MaxConcurrency).toBe(7);
  });

  it('retries throttling with exponential backoff and full jitter, and records every other failure', () => {
    const states = stateMachineDefinition(example.mainTemplate).States.Accounts.ItemProcessor.States
      .AccountTargets.ItemProcessor.States;
    const throttle = states.Collect.Retry.find((r: Cfn) => r.ErrorEquals.includes('CollectorThrottled'));
    expect(throttle).toMatchObject({
      ErrorEquals: ['Lambda.TooManyRequestsException', 'CollectorThrottled'],
      BackoffRate: 2,
      JitterStrategy: 'FULL',
      MaxAttempts: 5,
    });
    expect(states.Collect.Catch).toEqual([
      expect.objectContaining({ ErrorEquals: ['States.ALL'], Next: 'RecordFailure' }),
    ]);
    expect(states.Collect.Catch[0].Output).toContain("'failure': $states.errorOutput");
    expect(states.RecordFailure.Catch[0]).toMatchObject({ ErrorEquals: ['States.ALL'], Next: 'Unrecorded' });
  });

  it('every JSONata expression in the definition parses, and the run summaries count right', async () => {
    const expressions: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node === 'string') {
        const m = /^\{%(.*)%\}$/s.exec(node);
        if (m) expressions.push(m[1]!);
      } else if (node && typeof node === 'object') Object.values(node).forEach(walk);
    };
    const definition = stateMachineDefinition(example.mainTemplate);
    walk(definition);
    expect(expressions.length).toBeGreaterThan(10);
    for (const e of expressions) expect(() => jsonata(e), e).not.toThrow();

    const evaluate = (template: Cfn, states: unknown) =>
      Promise.all(
        Object.entries(template).map(async ([k, v]) => [
          k,
          await jsonata(/^\{%(.*)%\}$/s.exec(v as string)![1]!).evaluate({}, { states }),
        ]),
      ).then(Object.fromEntries);
    const perAccount = definition.States.Accounts.ItemProcessor.States.AccountTargets;
    expect(
      await evaluate(perAccount.Output, {
        input: { account: { id: '111111111111' } },
        result: ['ok', 'error', 'ok', 'unrecorded'],
      }),
    ).toEqual({ account: '111111111111', ok: 2, failed: 2 });
    expect(
      await evaluate(definition.States.Accounts.Output, {
        input: { group: 'daily' },
        result: [
          { account: '1', ok: 2, failed: 2 },
          { account: '2', ok: 3, failed: 0 },
        ],
      }),
    ).toEqual({ group: 'daily', accounts: 2, ok: 5, failed: 2 });
    const catcher = perAccount.ItemProcessor.States.Collect.Catch[0].Output;
    const request = { collectorId: 'aws.kms.keys', scope: { source: 'aws', id: '1', region: 'eu-west-1' } };
    const error = { Error: 'Sandbox.Timedout', Cause: 'timed out' };
    expect(
      await jsonata(/^\{%(.*)%\}$/s.exec(catcher)![1]!).evaluate(
        {},
        { states: { input: request, errorOutput: error } },
      ),
    ).toEqual({
      ...request,
      failure: error,
    });
  });

  it('logs every state of every run', () => {
    const sm = resource(example.mainTemplate, 'AWS::StepFunctions::StateMachine', 'ProoflineCollectionRun');
    expect(sm.Properties.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
  });
});

describe('alerts and alarms', () => {
  it('the alert topic is KMS-encrypted and has the configured e-mail subscriptions', () => {
    const topic = resource(example.mainTemplate, 'AWS::SNS::Topic', 'ProoflineAlertTopic');
    expect(topic.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ProoflineDataKey/), 'Arn'],
    });
    example.mainTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      }),
    });
    example.mainTemplate.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'security@example.com',
      TopicArn: { Ref: topic.id },
    });
  });

  it('alarms on collector errors, throttling, failed runs, dead letters and missed schedules', () => {
    const alarms = Object.values(example.mainTemplate.findResources('AWS::CloudWatch::Alarm')) as Cfn[];
    const named = (metric: string) => alarms.filter((a) => a.Properties.MetricName === metric);
    expect(named('CollectionErrors')).toHaveLength(1);
    expect(named('CollectionThrottled')).toHaveLength(1);
    expect(named('Throttles')).toHaveLength(1);
    expect(named('ApproximateNumberOfMessagesVisible')).toHaveLength(1);
    const missed = named('RunsStarted');
    expect(missed).toHaveLength(1);
    expect(missed[0].Properties).toMatchObject({
      Namespace: 'Proofline',
      Dimensions: expect.arrayContaining([{ Name: 'group', Value: 'daily' }]),
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      EvaluationPeriods: 26,
    });
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^ProoflineAlertTopic/) }]);
    }
  });

  it('the daily summary goes to the alert topic on its schedule', async () => {
    const fn = resource(example.mainTemplate, 'AWS::Lambda::Function', 'ProoflineSummaryFunction');
    example.mainTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [fn.id, 'Arn'] } }),
    });
    const later = await synth(withDeploy({ summarySchedule: 'cron(30 6 ? * MON-FRI *)' }));
    later.mainTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 6 ? * MON-FRI *)',
    });
    const own = identityStatements(example.mainTemplate).filter((s) =>
      s.owner.startsWith('ProoflineSummaryRole'),
    );
    const actions = own.flatMap(actionsOf);
    // It reads the control states and the evidence (for the report), writes the report to reports/ of the
    // exports bucket and publishes to the topic; nothing else.
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 's3:PutObject', 'sns:Publish']));
    expect(
      actions.filter(
        (a) =>
          !/^(dynamodb:(Get|BatchGet|Query)|kms:|s3:(List|GetObject$|PutObject$)|sns:Publish$|logs:)/.test(a),
      ),
    ).toEqual([]);
    const writes = own.find((s) => s.Sid === 'WriteReports')!;
    expect(JSON.stringify(writes.Resource)).toMatch(/ProoflineExportsBucket\w+","Arn"\]\},"\/reports\/\*"/);
    const publish = own.find((s) => actionsOf(s).includes('sns:Publish'))!;
    expect(publish.Resource).toEqual({ Ref: expect.stringMatching(/^ProoflineAlertTopic/) });
  });

  it('imports into Security Hub only when enabled, and only into its own account’s default product', async () => {
    const evaluateFn = (s: Synthesized) =>
      resource(s.mainTemplate, 'AWS::Lambda::Function', 'ProoflineEvaluateFunction').Properties;
    const hubStatements = (s: Synthesized) =>
      identityStatements(s.mainTemplate).filter((st) =>
        // Import only: the aws.securityhub collector's read actions (DescribeHub, GetFindings…) are not this.
        actionsOf(st).some((a) => a === 'securityhub:BatchImportFindings'),
      );
    expect(evaluateFn(example).Environment.Variables.SECURITY_HUB_ACCOUNT).toBeUndefined();
    expect(hubStatements(example)).toEqual([]);
    const hub = await synth(withDeploy({ securityHub: true }));
    expect(evaluateFn(hub).Environment.Variables.SECURITY_HUB_ACCOUNT).toBeDefined();
    const [statement, ...more] = hubStatements(hub);
    expect(more).toEqual([]);
    expect(statement!.owner).toMatch(/^ProoflineEvaluateRole/);
    expect(actionsOf(statement!)).toEqual(['securityhub:BatchImportFindings']);
    expect(JSON.stringify(statement!.Resource)).toMatch(/:product\/.*\/default/);
  });

  it('dead letters go to an encrypted queue', () => {
    const queue = resource(example.mainTemplate, 'AWS::SQS::Queue', 'ProoflineDeadLetterQueue');
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    const digest = resource(example.mainTemplate, 'AWS::Lambda::Function', 'ProoflineDigestFunction');
    expect(digest.Properties.DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queue.id, 'Arn'] } });
  });
});

/** The example config lists the collectors in registry order. */
function byExample() {
  const order = (exampleConfig().deploy as Cfn).schedules.daily.collectors as string[];
  return (a: string, b: string) => order.indexOf(a) - order.indexOf(b);
}
