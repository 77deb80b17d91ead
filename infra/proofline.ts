import { join } from 'node:path';
import { Aws, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { organizationPermissions } from '../collectors/aws/organization.ts';
import { collectors as registry } from '../collectors/index.ts';
import type { AnyCollector } from '../core/collector.ts';
import type { ScheduleGroupConfig } from '../core/config.ts';
import { ENV, PREFIX, TELEMETRY } from '../core/deployed.ts';
import { collectorPolicy } from '../core/permissions.ts';
import {
  INDEX_TABLE,
  type IndexTableDesign,
  STORE_ACTIONS,
  type StoreOperation,
} from '../core/stores/index-table.ts';
import { CollectionRun } from './collection-run.ts';
import {
  BUNDLING,
  HANDLERS,
  type HandlerName,
  type HandlerSpec,
  PROJECT_ROOT,
  prebuiltHandler,
  type SourceHandlerSpec,
} from './handlers.ts';
import { acknowledgeWildcards, WILDCARD_REASONS as WHY } from './nag.ts';
import {
  type DeployedSource,
  deployedSources,
  resolveScheduleGroups,
  type ScheduleGroup,
  type ScopeStatement,
  sourceScopes,
} from './schedules.ts';

export interface ProoflineProps {
  /**
   * Object Lock retention (COMPLIANCE mode) of every evidence object, in days.
   * @default 400 — a 12-month SOC 2 Type II window plus the audit
   */
  readonly retentionDays?: number;
  /**
   * Retention of the functions' and the state machine's CloudWatch logs, in days.
   * @default 400
   */
  readonly logRetentionDays?: logs.RetentionDays;
  /**
   * Collector groups, each started by its own EventBridge Scheduler schedule.
   * @default one group per distinct `defaultSchedule` of the AWS collectors and of the sources `scope` configures
   */
  readonly schedules?: Readonly<Record<string, ScheduleGroupConfig>>;
  /**
   * IANA time zone of cron schedule expressions.
   * @default 'UTC'
   */
  readonly scheduleTimezone?: string;
  /**
   * When the digest function signs the digests that became due.
   * @default 'rate(1 hour)'
   */
  readonly digestSchedule?: string;
  /**
   * When the alert topic gets the daily summary of the controls still needing attention.
   * @default 'cron(0 8 * * ? *)'
   */
  readonly summarySchedule?: string;
  /**
   * Also import failing controls into AWS Security Hub (resolved on recovery); Security Hub must be enabled.
   * @default false
   */
  readonly securityHub?: boolean;
  /**
   * E-mail addresses subscribed to the alert topic.
   * @default - no subscription
   */
  readonly alertEmails?: readonly string[];
  /**
   * Collect from every ACTIVE account of the AWS Organization (the stack must be in the management account or
   * a delegated administrator account).
   * @default false
   */
  readonly organizationEnabled?: boolean;
  /**
   * Accounts to collect from when `organizationEnabled` is false.
   * @default - only the account the stack is in
   */
  readonly accounts?: readonly string[];
  /**
   * Regions the regional collectors read.
   * @default - the stack's region
   */
  readonly regions?: readonly string[];
  /**
   * Name of the read-only role the member role stack creates in every collected account.
   * @default 'ProoflineMember'
   */
  readonly memberRoleName?: string;
  /**
   * External id passed when assuming the member role; required when collecting from other accounts.
   * @default - none (only the stack's own account can be collected)
   */
  readonly externalId?: string;
  /**
   * Accounts collected at the same time.
   * @default 10
   */
  readonly accountConcurrency?: number;
  /**
   * Collections (collector × region) at the same time within one account.
   * @default 4
   */
  readonly perAccountConcurrency?: number;
  /**
   * Principals (IAM role, user or account root ARNs) allowed to assume the auditor role.
   * @default - the stack's own account, i.e. whoever its IAM policies allow
   */
  readonly auditorPrincipals?: readonly string[];
  /**
   * Validity of a presigned export download URL, in minutes (at most 60).
   * @default 15
   */
  readonly exportUrlMinutes?: number;
  /**
   * The collectors the stack schedules and whose permissions the collector role gets.
   * @default - every collector of the registry (collectors/index.ts)
   */
  readonly collectors?: readonly AnyCollector[];
  /**
   * The scope statement (`scope` of the config): the section of each source other than AWS a schedule collects
   * is passed to that source's function (secret ARNs, never secrets).
   * @default - none: only AWS collectors can be scheduled
   */
  readonly scope?: ScopeStatement;
  /**
   * Collectors of sources other than AWS running at the same time in a run.
   * @default 4
   */
  readonly sourceConcurrency?: number;
  /**
   * Name of the collector role: the member roles trust exactly this role.
   * @default `<stack name>-collector-<region>`
   */
  readonly collectorRoleName?: string;
}

/**
 * Proofline in one construct: the locked evidence bucket and its index table, the keys, one function per
 * handler, the scheduled collection runs (Step Functions fan-out across accounts and regions), alerts, alarms,
 * and the auditor's read-only access. Evidence, index and keys are retained when the stack is deleted.
 */
export class Proofline extends Construct {
  readonly dataKey: kms.Key;
  readonly signingKey: kms.Key;
  readonly logBucket: s3.Bucket;
  readonly evidenceBucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly alertTopic: sns.Topic;
  readonly deadLetterQueue: sqs.Queue;
  readonly functions: Readonly<Record<HandlerName, nodejs.NodejsFunction>>;
  /** The collect function of each source other than AWS a schedule collects (GitHub, IdPs). */
  readonly sourceFunctions: Readonly<Partial<Record<string, nodejs.NodejsFunction>>>;
  readonly sources: readonly DeployedSource[];
  readonly collectorRole: iam.Role;
  readonly stateMachine: sfn.StateMachine;
  readonly scheduleGroups: readonly ScheduleGroup[];
  readonly auditorRole: iam.Role;
  readonly exportUrl: lambda.FunctionUrl;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ProoflineProps = {}) {
    super(scope, id);
    // Server access logs are granted by a bucket policy, not the legacy LogDeliveryWrite ACL, in any CDK app.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const stack = Stack.of(this);
    const collectors = props.collectors ?? registry;
    const retentionDays = props.retentionDays ?? 400;
    const logRetention = props.logRetentionDays ?? logs.RetentionDays.THIRTEEN_MONTHS;
    const accounts = props.accounts ?? [];
    const organization = props.organizationEnabled ?? false;
    const crossAccount = organization || accounts.length > 0;
    const memberRoleName = props.memberRoleName ?? 'ProoflineMember';
    const exportUrlMinutes = props.exportUrlMinutes ?? 15;
    const accountConcurrency = props.accountConcurrency ?? 10;
    const perAccountConcurrency = props.perAccountConcurrency ?? 4;
    validate(retentionDays, exportUrlMinutes, accountConcurrency, perAccountConcurrency, crossAccount, props);
    this.scheduleGroups = resolveScheduleGroups(props.schedules, collectors, props.scope);
    this.sources = deployedSources(this.scheduleGroups, collectors, props.scope ?? {});

    // ---- keys ----
    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'Proofline: encrypts evidence, the index table and the alert topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch alarms publish to the encrypted alert topic.
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToAlertTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.signingKey = new kms.Key(this, 'SigningKey', {
      description: 'Proofline: signs the digest chain and export manifests (ECDSA P-256, SHA-256)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // ---- storage ----
    this.logBucket = new s3.Bucket(this, 'AccessLogBucket', {
      // S3 server access logs can only be delivered to a bucket with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(Math.max(retentionDays, 400)) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.evidenceBucket = new s3.Bucket(this, 'EvidenceBucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(retentionDays)),
      versioned: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'evidence-bucket/',
      // The one lifecycle rule cleans up the parts of export uploads that never completed (a function that
      // timed out): incomplete uploads are not objects, so nothing Object Lock keeps can expire.
      lifecycleRules: [
        {
          id: 'abort-incomplete-export-uploads',
          prefix: PREFIX.exports,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const { key, globalIndexes }: IndexTableDesign = INDEX_TABLE;
    this.table = new dynamodb.Table(this, 'IndexTable', {
      partitionKey: { name: key.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: key.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        ...(index.include
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : { projectionType: dynamodb.ProjectionType.ALL }),
      });
    }

    // ---- alerts and failed deliveries ----
    this.alertTopic = new sns.Topic(this, 'AlertTopic', {
      displayName: 'Proofline alerts',
      masterKey: this.dataKey,
      enforceSSL: true,
    });
    // The topic policy replaces SNS's default one, so the alarms' publisher is allowed explicitly.
    this.alertTopic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alertTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    for (const email of props.alertEmails ?? []) {
      this.alertTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    // ---- functions ----
    this.collectorRole = new iam.Role(this, 'CollectorRole', {
      roleName: props.collectorRoleName ?? `${stack.stackName}-collector-${stack.region}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        'Proofline collect function: read-only collection, evidence writes, member role assumption',
    });
    const common: Record<string, string> = {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: TELEMETRY.service,
      POWERTOOLS_METRICS_NAMESPACE: TELEMETRY.namespace,
      [ENV.bucket]: this.evidenceBucket.bucketName,
      [ENV.table]: this.table.tableName,
      [ENV.signingKey]: this.signingKey.keyId,
      [ENV.retentionDays]: String(retentionDays),
      [ENV.alertTopic]: this.alertTopic.topicArn,
    };
    const regions = props.regions?.length ? [...props.regions] : [stack.region];
    const extra: Record<HandlerName, Record<string, string>> = {
      plan: {
        [ENV.organization]: String(organization),
        [ENV.accounts]: accounts.join(','),
        [ENV.regions]: regions.join(','),
        [ENV.memberRoleName]: memberRoleName,
        ...(this.sources.length
          ? { [ENV.sourceScopes]: JSON.stringify(sourceScopes(this.sources, stack.region)) }
          : {}),
      },
      collect: props.externalId ? { [ENV.externalId]: props.externalId } : {},
      evaluate: props.securityHub ? { [ENV.securityHubAccount]: stack.account } : {},
      digest: {},
      summary: {},
      export: { [ENV.exportUrlSeconds]: String(exportUrlMinutes * 60) },
    };
    const fns = {} as Record<HandlerName, nodejs.NodejsFunction>;
    for (const spec of HANDLERS) {
      fns[spec.name] = this.handler(spec, { ...common, ...extra[spec.name] }, logRetention);
    }
    this.functions = fns;
    this.sourceFunctions = Object.fromEntries(
      this.sources.map((s) => [
        s.source,
        this.handler(s.handler, { ...common, [ENV.sourceConfig]: JSON.stringify(s.config) }, logRetention),
      ]),
    );

    // ---- permissions (explicit actions, no wildcard actions) ----
    const collectorActions = collectorPolicy(collectors).Statement[0]!.Action;
    this.collectorRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOnlyCollection',
        actions: collectorActions,
        resources: ['*'],
      }),
    );
    if (crossAccount) {
      const partition = Aws.PARTITION;
      this.collectorRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeMemberRoles',
          actions: ['sts:AssumeRole'],
          resources: organization
            ? [`arn:${partition}:iam::*:role/${memberRoleName}`]
            : accounts.map((a) => `arn:${partition}:iam::${a}:role/${memberRoleName}`),
        }),
      );
    }
    if (organization) {
      fns.plan.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ListOrganizationAccounts',
          actions: organizationPermissions,
          resources: ['*'],
        }),
      );
    }
    const collection: StoreOperation[] = ['recordArtifacts', 'recordFindings'];
    this.grantStore(fns.collect, collection);
    this.grantStore(fns.evaluate, ['readEvidence', 'recordFindings', 'recordControlResults']);
    this.grantStore(fns.digest, ['recordDigests']);
    this.grantSign(fns.digest, 'SignDigests');
    fns.evaluate.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishAlerts',
        actions: ['sns:Publish'],
        resources: [this.alertTopic.topicArn],
      }),
    );
    fns.evaluate.addToRolePolicy(this.useDataKey(['sns'], ['kms:Decrypt', 'kms:GenerateDataKey']));
    if (props.securityHub) {
      fns.evaluate.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ImportSecurityHubFindings',
          actions: ['securityhub:BatchImportFindings'],
          resources: [
            stack.formatArn({
              service: 'securityhub',
              resource: 'product',
              resourceName: `${stack.account}/default`,
            }),
          ],
        }),
      );
    }
    this.grantStore(fns.summary, ['readControlStates']);
    fns.summary.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PublishSummary',
        actions: ['sns:Publish'],
        resources: [this.alertTopic.topicArn],
      }),
    );
    fns.summary.addToRolePolicy(this.useDataKey(['sns'], ['kms:Decrypt', 'kms:GenerateDataKey']));
    fns.evaluate.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PutAlertEvents',
        actions: ['events:PutEvents'],
        resources: [
          Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
        ],
      }),
    );
    // Archives are built from the evidence, its findings and the signed digests, into exports/ only.
    this.grantStore(fns.export, ['readEvidence', 'readDigests']);
    fns.export.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteExports',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.evidenceBucket.arnForObjects(`${PREFIX.exports}*`)],
      }),
    );
    // The archive is stored SSE-KMS like everything in the bucket (its parts are decrypted to complete it).
    fns.export.addToRolePolicy(this.useDataKey(['s3'], ['kms:GenerateDataKey']));
    this.grantSign(fns.export, 'SignArchives');
    this.grantExportRead(fns.export);
    for (const s of this.sources)
      this.grantSource(s, this.sourceFunctions[s.source]!, collectors, collection);

    // ---- collection runs ----
    const runLogs = new logs.LogGroup(this, 'RunLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const run = new CollectionRun(this, 'CollectionRun', {
      plan: fns.plan,
      collect: fns.collect,
      evaluate: fns.evaluate,
      sources: this.sourceFunctions as Record<string, nodejs.NodejsFunction>,
      sourceConcurrency: props.sourceConcurrency ?? 4,
      accountConcurrency,
      perAccountConcurrency,
      logGroup: runLogs,
    });
    this.stateMachine = run.stateMachine;

    const scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', {
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const timeZone = TimeZone.of(props.scheduleTimezone ?? 'UTC');
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'Proofline schedules: start collection runs, invoke the digest function',
    });
    for (const group of this.scheduleGroups) {
      new scheduler.Schedule(this, `Collect-${group.name}`, {
        description: `Proofline collection: ${group.collectors.join(', ')}`,
        scheduleGroup,
        schedule: scheduler.ScheduleExpression.expression(group.expression, timeZone),
        target: new targets.StepFunctionsStartExecution(this.stateMachine, {
          input: scheduler.ScheduleTargetInput.fromObject({
            group: group.name,
            collectors: group.collectors,
          }),
          role: schedulerRole,
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
        }),
      });
    }
    new scheduler.Schedule(this, 'Digest', {
      description: 'Proofline: sign the digests that became due',
      scheduleGroup,
      schedule: scheduler.ScheduleExpression.expression(props.digestSchedule ?? 'rate(1 hour)', timeZone),
      target: new targets.LambdaInvoke(fns.digest, {
        role: schedulerRole,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    new scheduler.Schedule(this, 'Summary', {
      description: 'Proofline: the daily summary of controls still needing attention, to the alert topic',
      scheduleGroup,
      schedule: scheduler.ScheduleExpression.expression(
        props.summarySchedule ?? 'cron(0 8 * * ? *)',
        timeZone,
      ),
      target: new targets.LambdaInvoke(fns.summary, {
        role: schedulerRole,
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    // ---- auditor access ----
    this.exportUrl = fns.export.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    const auditors = props.auditorPrincipals?.length
      ? props.auditorPrincipals.map((arn) => new iam.ArnPrincipal(arn))
      : [new iam.AccountRootPrincipal()];
    this.auditorRole = new iam.Role(this, 'AuditorRole', {
      assumedBy: new iam.CompositePrincipal(...auditors),
      description: 'Proofline auditor: read exports/ and the public signing key, call the export URL',
      maxSessionDuration: Duration.hours(1),
    });
    this.grantExportRead(this.auditorRole);
    this.auditorRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadPublicKey',
        actions: ['kms:GetPublicKey', 'kms:DescribeKey'],
        resources: [this.signingKey.keyArn],
      }),
    );
    this.exportUrl.grantInvokeUrl(this.auditorRole);

    this.addAlarms(run);

    // ---- reviewed cdk-nag acknowledgements (each wildcard kind with its reason) ----
    acknowledgeWildcards(this.collectorRole, [
      WHY.collectorReads,
      WHY.evidencePrefix,
      WHY.tableIndexes,
      WHY.memberRoleEveryAccount,
    ]);
    for (const fn of [fns.evaluate, fns.digest, fns.export, fns.summary]) {
      acknowledgeWildcards(fn.role!, [WHY.evidencePrefix, WHY.tableIndexes]);
    }
    acknowledgeWildcards(this.auditorRole, [WHY.evidencePrefix]);
    if (organization) acknowledgeWildcards(fns.plan.role!, [WHY.organizationListing]);
    acknowledgeWildcards(this.stateMachine, [
      WHY.functionVersions,
      WHY.stepFunctionsLogDelivery,
      WHY.childExecutions,
    ]);
    acknowledgeWildcards(schedulerRole, [WHY.functionVersions]);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'No X-Ray tracing: every state is logged (level ALL), each function emits structured logs and metrics (Powertools), and tracing would add cost and xray:Put* permissions on every resource.',
    });
  }

  /**
   * A source function's permissions: the store like the collect function, exactly its configured secrets, and
   * for a source read through AWS APIs its collectors' read-only actions; nothing else.
   */
  private grantSource(
    source: DeployedSource,
    fn: nodejs.NodejsFunction,
    collectors: readonly AnyCollector[],
    store: readonly StoreOperation[],
  ) {
    this.grantStore(fn, store);
    if (source.secretArns.length)
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadSourceCredentials',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [...source.secretArns],
        }),
      );
    if (source.handler.readsAws)
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadOnlyCollection',
          actions: [
            ...new Set(collectors.filter((c) => c.source === source.source).flatMap((c) => c.permissions)),
          ].sort(),
          resources: ['*'],
        }),
      );
    acknowledgeWildcards(fn.role!, [
      WHY.evidencePrefix,
      WHY.tableIndexes,
      ...(source.handler.readsAws ? [WHY.collectorReads] : []),
    ]);
  }

  /** One NodejsFunction: its own role (no managed policy), log group and bundling from infra/handlers.ts. */
  private handler(
    spec: HandlerSpec | SourceHandlerSpec,
    environment: Record<string, string>,
    retention: logs.RetentionDays,
  ): nodejs.NodejsFunction {
    const id = pascal(spec.name);
    const prebuilt = prebuiltHandler(spec);
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention, removalPolicy: RemovalPolicy.RETAIN });
    const role =
      spec.name === 'collect'
        ? this.collectorRole
        : new iam.Role(this, `${id}Role`, {
            assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
            description: `Proofline ${spec.name} function`,
          });
    const fn = new nodejs.NodejsFunction(this, `${id}Function`, {
      entry: join(PROJECT_ROOT, spec.entry),
      handler: 'handler',
      description: `Proofline: ${spec.description}`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      role,
      logGroup,
      environment,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      ...(spec.name === 'digest' ? { deadLetterQueue: this.deadLetterQueue, retryAttempts: 2 } : {}),
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: BUNDLING.target,
        minify: BUNDLING.minify,
        sourceMap: BUNDLING.sourcemap,
        sourcesContent: false,
        mainFields: [...BUNDLING.mainFields],
        externalModules: [...BUNDLING.external],
        banner: BUNDLING.banner,
        esbuildArgs: Object.fromEntries(
          Object.entries(BUNDLING.alias).map(([from, to]) => [
            '--alias',
            `${from}=${join(PROJECT_ROOT, to)}`,
          ]),
        ),
        ...(spec.assets.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir: string, outputDir: string) =>
                  spec.assets.map(
                    (folder) =>
                      `node -e "require('fs').cpSync(process.argv[1], process.argv[2], { recursive: true, filter: (s) => !s.endsWith('.ts') })" "${join(inputDir, folder)}" "${join(outputDir, folder)}"`,
                  ),
              },
            }
          : {}),
      },
      // Installed from the package: the handler bundled at pack time (synth needs no esbuild, no TypeScript).
      ...(prebuilt ? { code: lambda.Code.fromAsset(prebuilt), handler: 'index.handler' } : {}),
    });
    logGroup.grantWrite(role);
    return fn;
  }

  /** Use of the data key through AWS services (S3, DynamoDB, SNS), never directly. */
  private useDataKey(
    services: readonly ('s3' | 'dynamodb' | 'sns')[],
    actions: readonly ('kms:Decrypt' | 'kms:GenerateDataKey')[],
  ): iam.PolicyStatement {
    const verb = actions.includes('kms:GenerateDataKey') ? 'Use' : 'Decrypt';
    return new iam.PolicyStatement({
      sid: `${verb}DataKeyVia${services.map((s) => s.toUpperCase()).join('')}`,
      actions: [...actions],
      resources: [this.dataKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': services.map((s) => `${s}.${Stack.of(this).region}.amazonaws.com`),
        },
      },
    });
  }

  /**
   * The store's S3 + DynamoDB access for the operations a function uses (STORE_ACTIONS in
   * core/stores/index-table.ts): object actions on their prefixes, index actions on the table (and its indexes
   * when it queries), listing the bucket, and the data key as S3 and DynamoDB use it for those calls.
   */
  private grantStore(fn: lambda.Function, operations: readonly StoreOperation[]) {
    const bucket = this.evidenceBucket;
    const access = operations.map((o) => STORE_ACTIONS[o] as (typeof STORE_ACTIONS)[StoreOperation]);
    const prefixes = new Map<string, Set<string>>();
    for (const a of access)
      for (const [prefix, actions] of Object.entries('objects' in a ? a.objects : {}))
        for (const action of actions) prefixes.set(action, (prefixes.get(action) ?? new Set()).add(prefix));
    const sids: Record<string, string> = {
      's3:GetObject': 'ReadEvidence',
      's3:PutObject': 'WriteEvidence',
      's3:PutObjectRetention': 'LockEvidence',
    };
    for (const [action, on] of prefixes)
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: sids[action],
          actions: [action],
          resources: [...on].map((p) => bucket.arnForObjects(`${p}*`)),
        }),
      );
    if (access.some((a) => 'list' in a))
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ListEvidence',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
        }),
      );
    const index = [...new Set(access.flatMap((a) => ('index' in a ? [...a.index] : [])))];
    const reads = new Set<string>(STORE_ACTIONS.readEvidence.index);
    if (index.length)
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: index.every((a) => reads.has(a)) ? 'ReadIndex' : 'UseIndex',
          actions: index,
          resources: [
            this.table.tableArn,
            ...(index.includes('dynamodb:Query') ? [`${this.table.tableArn}/index/*`] : []),
          ],
        }),
      );
    // S3 decrypts what it returns and generates a data key for what it stores; DynamoDB decrypts the table key.
    const services = [
      ...(prefixes.size ? (['s3'] as const) : []),
      ...(index.length ? (['dynamodb'] as const) : []),
    ];
    fn.addToRolePolicy(this.useDataKey(services, ['kms:Decrypt']));
    if (prefixes.has('s3:PutObject')) fn.addToRolePolicy(this.useDataKey(['s3'], ['kms:GenerateDataKey']));
  }

  /** Sign with the signing key (digests, archive manifests) and read its public key. */
  private grantSign(fn: lambda.Function, sid: string) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid,
        actions: ['kms:Sign', 'kms:GetPublicKey', 'kms:DescribeKey'],
        resources: [this.signingKey.keyArn],
      }),
    );
  }

  /** Read exports/ (and only exports/) of the evidence bucket, through S3. */
  private grantExportRead(grantee: lambda.Function | iam.Role) {
    const add = (statement: iam.PolicyStatement) =>
      grantee instanceof iam.Role
        ? grantee.addToPrincipalPolicy(statement)
        : grantee.addToRolePolicy(statement);
    add(
      new iam.PolicyStatement({
        sid: 'ReadExports',
        actions: ['s3:GetObject'],
        resources: [this.evidenceBucket.arnForObjects(`${PREFIX.exports}*`)],
      }),
    );
    add(
      new iam.PolicyStatement({
        sid: 'ListExports',
        actions: ['s3:ListBucket'],
        resources: [this.evidenceBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${PREFIX.exports}*`] } },
      }),
    );
    add(this.useDataKey(['s3'], ['kms:Decrypt']));
  }

  private addAlarms(run: CollectionRun) {
    const notify = new cwActions.SnsAction(this.alertTopic);
    const alarm = (id: string, props: cloudwatch.AlarmProps) => {
      const a = new cloudwatch.Alarm(this, id, props);
      a.addAlarmAction(notify);
      a.addOkAction(notify);
      this.alarms.push(a);
      return a;
    };
    const custom = (metricName: string, period: Duration, extra: Record<string, string> = {}) =>
      new cloudwatch.Metric({
        namespace: TELEMETRY.namespace,
        metricName,
        dimensionsMap: { service: TELEMETRY.service, ...extra },
        statistic: 'Sum',
        period,
      });
    const hour = Duration.hours(1);

    alarm('CollectionErrorsAlarm', {
      alarmDescription: 'Collections failed and were recorded as error artifacts (evidence gaps)',
      metric: custom(TELEMETRY.metrics.collectionErrors, hour),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('CollectionThrottledAlarm', {
      alarmDescription: 'A source kept throttling a collector after the SDK’s retries',
      metric: custom(TELEMETRY.metrics.collectionThrottled, hour),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('CollectThrottlesAlarm', {
      alarmDescription: 'Lambda throttled the collect function (account concurrency)',
      metric: this.functions.collect.metricThrottles({ period: hour, statistic: 'Sum' }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const functions = [
      ...HANDLERS.map((spec) => [spec.name, this.functions[spec.name]] as const),
      ...this.sources.map((s) => [s.handler.name, this.sourceFunctions[s.source]!] as const),
    ];
    for (const [name, fn] of functions) {
      alarm(`${pascal(name)}ErrorsAlarm`, {
        alarmDescription: `The ${name} function failed`,
        metric: fn.metricErrors({ period: hour, statistic: 'Sum' }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    alarm('RunFailedAlarm', {
      alarmDescription: 'A collection run failed, timed out or was aborted',
      metric: new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: run.stateMachine.metricFailed({ period: hour, statistic: 'Sum' }),
          timedOut: run.stateMachine.metricTimedOut({ period: hour, statistic: 'Sum' }),
          aborted: run.stateMachine.metricAborted({ period: hour, statistic: 'Sum' }),
        },
        period: hour,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm('DeadLetterAlarm', {
      alarmDescription:
        'A scheduled run or digest could not be delivered (messages in the dead-letter queue)',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const group of this.scheduleGroups) {
      const periods = Math.ceil(group.missedAfterHours);
      alarm(`MissedSchedule-${group.name}`, {
        alarmDescription: `No run of the ${group.name} collectors started for ${periods} hours (missed schedule)`,
        metric: custom(TELEMETRY.metrics.runsStarted, hour, { [TELEMETRY.groupDimension]: group.name }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
  }
}

/** `collect-identity-center` → `CollectIdentityCenter`: construct ids. */
export const pascal = (name: string) =>
  name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

function validate(
  retentionDays: number,
  exportUrlMinutes: number,
  accountConcurrency: number,
  perAccountConcurrency: number,
  crossAccount: boolean,
  props: ProoflineProps,
) {
  const problems: string[] = [];
  if (!Number.isInteger(retentionDays) || retentionDays < 1) problems.push('retentionDays must be ≥ 1');
  if (!Number.isInteger(exportUrlMinutes) || exportUrlMinutes < 1 || exportUrlMinutes > 60)
    problems.push('exportUrlMinutes must be 1–60');
  if (!Number.isInteger(accountConcurrency) || accountConcurrency < 1 || accountConcurrency > 1000)
    problems.push('accountConcurrency must be 1–1000');
  if (!Number.isInteger(perAccountConcurrency) || perAccountConcurrency < 1 || perAccountConcurrency > 40)
    problems.push('perAccountConcurrency must be 1–40');
  const sourceConcurrency = props.sourceConcurrency ?? 4;
  if (!Number.isInteger(sourceConcurrency) || sourceConcurrency < 1 || sourceConcurrency > 40)
    problems.push('sourceConcurrency must be 1–40');
  if (crossAccount && !props.externalId)
    problems.push('externalId is required when collecting from other accounts');
  if (props.organizationEnabled && props.accounts?.length)
    problems.push('accounts must be empty when organizationEnabled is true');
  if (problems.length) throw new Error(`Proofline: ${problems.join('; ')}`);
}
