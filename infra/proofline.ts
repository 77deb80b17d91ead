import { Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { organizationPermissions } from '../collectors/aws/organization.ts';
import { collectors as registry } from '../collectors/index.ts';
import { checkSettingsSchema } from '../core/check-settings.ts';
import type { AnyCollector } from '../core/collector.ts';
import { alertsSchema, type DeployConfig, deploySchema, ismsSchema, parseWith } from '../core/config.ts';
import { ENV, PREFIX, TELEMETRY } from '../core/deployed.ts';
import { collectorPolicy } from '../core/permissions.ts';
import type { StoreOperation } from '../core/stores/index-table.ts';
import { Alerts } from './alerts.ts';
import { AuditorAccess } from './auditor-access.ts';
import { CollectionRun } from './collection-run.ts';
import { EvidenceStorage } from './evidence-storage.ts';
import { prooflineFunction } from './function.ts';
import { HANDLERS, type HandlerName } from './handlers.ts';
import { acknowledgeWildcards, WILDCARD_REASONS as WHY } from './nag.ts';
import {
  type DeployedSource,
  deployedSources,
  resolveScheduleGroups,
  type ScheduleGroup,
  type ScopeStatement,
  sourceScopes,
} from './schedules.ts';
import { Schedules } from './scheduling.ts';

export interface ProoflineProps {
  /**
   * The `deploy` section of the config, as written: validated here by `deploySchema` (core/config.ts), the one
   * home of every setting's range and default.
   * @default - every default
   */
  readonly deploy?: z.input<typeof deploySchema>;
  /**
   * The scope statement (`scope` of the config): the section of each source other than AWS a schedule collects
   * is passed to that source's function (secret ARNs, never secrets); `scope.aws.regions` are the regions when
   * `deploy.regions` is not set.
   * @default - none: only AWS collectors can be scheduled
   */
  readonly scope?: ScopeStatement;
  /**
   * The `checks` section of the config: the thresholds the deployed collect and evaluate functions apply, as
   * the CLI does (validated by `checkSettingsSchema`, core/check-settings.ts).
   * @default - every default
   */
  readonly checks?: z.input<typeof checkSettingsSchema>;
  /**
   * The `alerts` section of the config: the due days by severity the daily summary judges by.
   * @default - every default
   */
  readonly alerts?: z.input<typeof alertsSchema>;
  /**
   * The `isms` section of the config: how the summary's governance gaps and the export's ISO 27001 archives
   * judge the ISMS records (e.g. `soaMaxAgeDays`, the SoA approval's allowed age), as the CLI does.
   * @default - every default
   */
  readonly isms?: z.input<typeof ismsSchema>;
  /**
   * The collectors the stack schedules and whose permissions the collector role gets.
   * @default - every collector of the registry (collectors/index.ts)
   */
  readonly collectors?: readonly AnyCollector[];
  /**
   * Name of the collector role: the member roles trust exactly this role.
   * @default `<stack name>-collector-<region>`
   */
  readonly collectorRoleName?: string;
}

/** Whether the stack collects from accounts other than its own. */
const crossAccount = (deploy: DeployConfig) => deploy.organization.enabled || deploy.accounts.length > 0;

/**
 * Proofline in one construct: the evidence storage, one function per handler, the scheduled collection runs
 * (Step Functions fan-out across accounts and regions), alerts and alarms, and the auditor's access. Evidence,
 * index and keys are retained when the stack is deleted.
 */
export class Proofline extends Construct {
  readonly storage: EvidenceStorage;
  readonly alerts: Alerts;
  readonly functions: Readonly<Record<HandlerName, nodejs.NodejsFunction>>;
  /** The collect function of each source other than AWS a schedule collects (GitHub, IdPs). */
  readonly sourceFunctions: Readonly<Partial<Record<string, nodejs.NodejsFunction>>>;
  readonly sources: readonly DeployedSource[];
  readonly collectorRole: iam.Role;
  readonly stateMachine: sfn.StateMachine;
  readonly scheduleGroups: readonly ScheduleGroup[];
  readonly schedules: Schedules;
  readonly auditor: AuditorAccess;
  private readonly collectors: readonly AnyCollector[];

  constructor(scope: Construct, id: string, props: ProoflineProps = {}) {
    super(scope, id);
    // Server access logs are granted by a bucket policy, not the legacy LogDeliveryWrite ACL, in any CDK app.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const deploy = parseWith(deploySchema, props.deploy ?? {}, 'Proofline', ['deploy']);
    this.collectors = props.collectors ?? registry;
    this.scheduleGroups = resolveScheduleGroups(deploy.schedules, this.collectors, props.scope);
    this.sources = deployedSources(this.scheduleGroups, this.collectors, props.scope ?? {});
    const logRetention = deploy.logRetentionDays as logs.RetentionDays;

    this.storage = new EvidenceStorage(this, 'Storage', {
      retentionDays: deploy.retentionDays,
      exportExpireDays: deploy.exports.expireDays,
    });
    this.alerts = new Alerts(this, 'Alerts', { storage: this.storage, emails: deploy.alertEmails });
    this.collectorRole = new iam.Role(this, 'CollectorRole', {
      roleName: props.collectorRoleName ?? `${Stack.of(this).stackName}-collector-${Stack.of(this).region}`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description:
        'Proofline collect function: read-only collection, evidence writes, member role assumption',
    });
    this.functions = this.handlerFunctions(deploy, props, logRetention);
    const sourceEnvironment = this.environments(deploy, props).source;
    this.sourceFunctions = Object.fromEntries(
      this.sources.map((s) => [
        s.source,
        prooflineFunction(this, s.handler, {
          environment: { ...sourceEnvironment, [ENV.sourceConfig]: JSON.stringify(s.config) },
          logRetention,
        }),
      ]),
    );
    this.grantFunctions(deploy);

    const fns = this.functions;
    const run = new CollectionRun(this, 'CollectionRun', {
      plan: fns.plan,
      collect: fns.collect,
      evaluate: fns.evaluate,
      sources: this.sourceFunctions as Record<string, nodejs.NodejsFunction>,
      sourceConcurrency: deploy.concurrency.sources,
      accountConcurrency: deploy.concurrency.accounts,
      perAccountConcurrency: deploy.concurrency.perAccount,
      logGroup: new logs.LogGroup(this, 'RunLogs', {
        retention: logRetention,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
    });
    this.stateMachine = run.stateMachine;
    this.schedules = new Schedules(this, 'Scheduling', {
      groups: this.scheduleGroups,
      stateMachine: this.stateMachine,
      digest: fns.digest,
      summary: fns.summary,
      digestSchedule: deploy.digestSchedule,
      summarySchedule: deploy.summarySchedule,
      timezone: deploy.scheduleTimezone,
      deadLetterQueue: this.alerts.deadLetterQueue,
    });
    this.auditor = new AuditorAccess(this, 'Auditor', {
      storage: this.storage,
      exportFunction: fns.export,
      principals: deploy.auditorPrincipals,
    });
    this.alerts.watch({
      functions: [
        ...HANDLERS.map((spec) => [spec.name, fns[spec.name]] as const),
        ...this.sources.map((s) => [s.handler.name, this.sourceFunctions[s.source]!] as const),
      ],
      collect: fns.collect,
      stateMachine: this.stateMachine,
      scheduleGroups: this.scheduleGroups,
    });
    this.acknowledge(deploy);
  }

  /** One function per handler (infra/handlers.ts) with its environment; collect runs as the collector role. */
  private handlerFunctions(
    deploy: DeployConfig,
    props: ProoflineProps,
    logRetention: logs.RetentionDays,
  ): Record<HandlerName, nodejs.NodejsFunction> {
    const environment = this.environments(deploy, props);
    const extra: Partial<Record<HandlerName, Partial<nodejs.NodejsFunctionProps>>> = {
      digest: { deadLetterQueue: this.alerts.deadLetterQueue, retryAttempts: 2 },
      // One auditor cannot occupy the account's concurrency with 15-minute builds.
      export: { reservedConcurrentExecutions: deploy.exports.concurrency },
    };
    return Object.fromEntries(
      HANDLERS.map((spec) => [
        spec.name,
        prooflineFunction(this, spec, {
          environment: environment[spec.name],
          logRetention,
          ...(spec.name === 'collect' ? { role: this.collectorRole } : {}),
          ...(extra[spec.name] ? { extra: extra[spec.name] } : {}),
        }),
      ]),
    ) as Record<HandlerName, nodejs.NodejsFunction>;
  }

  /** What every function is told: where the store is, its retention, the alert topic, the telemetry names. */
  private common(deploy: DeployConfig): Record<string, string> {
    return {
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: TELEMETRY.service,
      POWERTOOLS_METRICS_NAMESPACE: TELEMETRY.namespace,
      [ENV.bucket]: this.storage.evidenceBucket.bucketName,
      [ENV.table]: this.storage.table.tableName,
      [ENV.signingKey]: this.storage.signingKey.keyId,
      [ENV.retentionDays]: String(deploy.retentionDays),
      [ENV.alertTopic]: this.alerts.topic.topicArn,
    };
  }

  /** Each handler's environment (`source`: every source function's): the common part and what only it reads. */
  private environments(
    deploy: DeployConfig,
    props: ProoflineProps,
  ): Record<HandlerName | 'source', Record<string, string>> {
    const stack = Stack.of(this);
    const regions = regionsOf(deploy, props.scope, stack.region);
    const checks = {
      [ENV.checkSettings]: JSON.stringify(
        parseWith(checkSettingsSchema, props.checks, 'Proofline', ['checks']),
      ),
    };
    const alerts = parseWith(alertsSchema, props.alerts ?? {}, 'Proofline', ['alerts']);
    const isms = {
      [ENV.ismsSettings]: JSON.stringify(parseWith(ismsSchema, props.isms ?? {}, 'Proofline', ['isms'])),
    };
    const exportsBucket = { [ENV.exportsBucket]: this.storage.exportsBucket.bucketName };
    const schedules = {
      [ENV.schedules]: JSON.stringify(scheduleOverrides(this.scheduleGroups, this.collectors)),
    };
    const extra: Record<HandlerName | 'source', Record<string, string>> = {
      source: checks,
      plan: {
        [ENV.organization]: String(deploy.organization.enabled),
        [ENV.accounts]: deploy.accounts.join(','),
        [ENV.regions]: regions.join(','),
        [ENV.memberRoleName]: deploy.organization.memberRoleName,
        ...(this.sources.length
          ? { [ENV.sourceScopes]: JSON.stringify(sourceScopes(this.sources, stack.region)) }
          : {}),
      },
      collect: {
        ...checks,
        ...(deploy.organization.externalId ? { [ENV.externalId]: deploy.organization.externalId } : {}),
      },
      evaluate: {
        ...checks,
        ...schedules,
        ...exportsBucket,
        ...(deploy.securityHub ? { [ENV.securityHubAccount]: stack.account } : {}),
      },
      digest: {},
      summary: { ...exportsBucket, ...isms, [ENV.alertSettings]: JSON.stringify(alerts) },
      export: {
        ...schedules,
        ...exportsBucket,
        ...isms,
        [ENV.exportUrlSeconds]: String(deploy.exportUrlMinutes * 60),
        [ENV.exportsPerHour]: String(deploy.exports.perHour),
      },
    };
    const common = this.common(deploy);
    return Object.fromEntries(
      Object.entries(extra).map(([name, own]) => [name, { ...common, ...own }]),
    ) as Record<HandlerName | 'source', Record<string, string>>;
  }

  /** Every function's permissions: explicit actions, no wildcard actions. */
  private grantFunctions(deploy: DeployConfig): void {
    const fns = this.functions;
    const storage = this.storage;
    this.grantCollection(deploy);
    storage.grantStore(fns.evaluate, ['readEvidence', 'recordFindings', 'recordControlResults']);
    storage.grantStore(fns.digest, ['recordDigests']);
    storage.grantSign(fns.digest, 'SignDigests');
    this.alerts.grantPublish(fns.evaluate, 'PublishAlerts');
    if (deploy.securityHub) {
      const stack = Stack.of(this);
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
    // The summary reads the period's evidence for its report, which it writes to reports/ of the exports bucket.
    storage.grantStore(fns.summary, ['readControlStates', 'readEvidence']);
    storage.grantExportWrite(fns.summary, { prefix: PREFIX.reports, sid: 'WriteReports' });
    this.alerts.grantPublish(fns.summary, 'PublishSummary');
    fns.evaluate.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PutAlertEvents',
        actions: ['events:PutEvents'],
        resources: [
          Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' }),
        ],
      }),
    );
    // Archives are built from the evidence, its findings and the signed digests, into the exports bucket only.
    storage.grantStore(fns.export, ['readEvidence', 'readDigests']);
    storage.grantExportWrite(fns.export, { prefix: PREFIX.exports, sid: 'WriteExports', multipart: true });
    storage.grantSign(fns.export, 'SignArchives');
    storage.grantExportRead(fns.export);
  }

  /** The collect function reads what its collectors declare and assumes the member roles; the sources too. */
  private grantCollection(deploy: DeployConfig): void {
    const collection: StoreOperation[] = ['recordArtifacts', 'recordFindings'];
    this.collectorRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadOnlyCollection',
        actions: collectorPolicy(this.collectors).Statement[0]!.Action,
        resources: ['*'],
      }),
    );
    if (crossAccount(deploy)) {
      const role = deploy.organization.memberRoleName;
      this.collectorRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'AssumeMemberRoles',
          actions: ['sts:AssumeRole'],
          resources: deploy.organization.enabled
            ? [`arn:${Aws.PARTITION}:iam::*:role/${role}`]
            : deploy.accounts.map((a) => `arn:${Aws.PARTITION}:iam::${a}:role/${role}`),
        }),
      );
    }
    if (deploy.organization.enabled) {
      this.functions.plan.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ListOrganizationAccounts',
          actions: organizationPermissions,
          resources: ['*'],
        }),
      );
    }
    this.storage.grantStore(this.functions.collect, collection);
    for (const s of this.sources) this.grantSource(s, this.sourceFunctions[s.source]!, collection);
  }

  /**
   * A source function's permissions: the store like the collect function, exactly its configured secrets, and
   * for a source read through AWS APIs its collectors' read-only actions; nothing else.
   */
  private grantSource(source: DeployedSource, fn: lambda.Function, store: readonly StoreOperation[]) {
    this.storage.grantStore(fn, store);
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
            ...new Set(
              this.collectors.filter((c) => c.source === source.source).flatMap((c) => c.permissions),
            ),
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

  /** Reviewed cdk-nag acknowledgements: each wildcard kind with its reason. */
  private acknowledge(deploy: DeployConfig): void {
    const fns = this.functions;
    acknowledgeWildcards(this.collectorRole, [
      WHY.collectorReads,
      WHY.evidencePrefix,
      WHY.tableIndexes,
      WHY.memberRoleEveryAccount,
    ]);
    for (const fn of [fns.evaluate, fns.digest, fns.export, fns.summary]) {
      acknowledgeWildcards(fn.role!, [WHY.evidencePrefix, WHY.tableIndexes]);
    }
    acknowledgeWildcards(this.auditor.role, [WHY.evidencePrefix]);
    if (deploy.organization.enabled) acknowledgeWildcards(fns.plan.role!, [WHY.organizationListing]);
    acknowledgeWildcards(this.stateMachine, [
      WHY.functionVersions,
      WHY.stepFunctionsLogDelivery,
      WHY.childExecutions,
    ]);
    acknowledgeWildcards(this.schedules.role, [WHY.functionVersions]);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF2',
      reason:
        'No X-Ray tracing: every state is logged (level ALL), each function emits structured logs and metrics (Powertools), and tracing would add cost and xray:Put* permissions on every resource.',
    });
  }
}

/** Regions the regional collectors read: `deploy.regions`, else `scope.aws.regions`, else the stack's. */
function regionsOf(deploy: DeployConfig, scope: ScopeStatement | undefined, stackRegion: string): string[] {
  const scoped = (scope?.aws as { regions?: string[] } | undefined)?.regions;
  const regions = deploy.regions ?? scoped;
  return regions?.length ? [...regions] : [stackRegion];
}

/**
 * The deployed schedules that differ from the collectors' defaults (the functions judge the others by their
 * default), as expression → collector ids: short enough for Lambda's 4 KB of environment.
 */
export function scheduleOverrides(
  groups: readonly ScheduleGroup[],
  collectors: readonly AnyCollector[],
): Record<string, string[]> {
  const defaults = new Map(collectors.map((c) => [c.id, c.defaultSchedule]));
  const overrides: Record<string, string[]> = {};
  for (const g of groups) {
    const ids = g.collectors.filter((id) => defaults.get(id) !== g.expression);
    if (ids.length) overrides[g.expression] = [...(overrides[g.expression] ?? []), ...ids];
  }
  return overrides;
}
