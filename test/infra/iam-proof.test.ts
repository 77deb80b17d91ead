import { readFile, writeFile } from 'node:fs/promises';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsCollectors } from '../../collectors/aws/index.ts';
import { collectors } from '../../collectors/index.ts';
import type { AnyCollector } from '../../core/collector.ts';
import { STORE_ACTIONS, type StoreAccess } from '../../core/stores/index-table.ts';
import { seedDemoAccount } from '../../demo/seed-aws.ts';
import { handler as collect } from '../../functions/collect.ts';
import { handler as digest } from '../../functions/digest.ts';
import { handler as evaluate } from '../../functions/evaluate.ts';
import { handler as exportHandler } from '../../functions/export.ts';
import { handler as plan } from '../../functions/plan.ts';
import { closeEvidenceStore } from '../../functions/shared/store.ts';
import { handler as entra } from '../../functions/sources/entra.ts';
import { handler as github } from '../../functions/sources/github.ts';
import { handler as google } from '../../functions/sources/google.ts';
import { handler as identityCenter } from '../../functions/sources/identity-center.ts';
import { handler as okta } from '../../functions/sources/okta.ts';
import { handler as summary } from '../../functions/summary.ts';
import { pascal } from '../../infra/function.ts';
import { HANDLERS, SOURCE_HANDLERS } from '../../infra/handlers.ts';
import { DEPLOY_DOC } from '../../scripts/config-docs.ts';
import { lambdaContext } from '../functions/support.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { type AwsCall, AwsCallRecorder } from '../support/aws-calls.ts';
import { afterThisHour, runAt } from '../support/clock.ts';
import { type GitHubStandIn, startGitHubStandIn, TOKEN } from '../support/github/index.ts';
import { goodOrg } from '../support/github/orgs.ts';
import {
  type Bindings,
  type Deployment,
  describeNeed,
  functionRoleId,
  type Grant,
  type Need,
  needsOf,
  type PolicyStatement,
  proveRole,
  resolve,
  roleStatements,
  shortId,
} from '../support/iam-proof.ts';
import { type StandIn, startOktaStandIn } from '../support/identity.ts';
import { createAwsStoreResources, createKmsSigningKey } from '../support/stores.ts';
import { type Cfn, exampleConfig, type Synthesized, synth } from './support.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const ACCOUNT = '123456789012'; // moto's default account
const REGION = 'us-east-1';
const MEMBER_ROLE = 'arn:aws:iam::111111111111:role/ProoflineMember';
const OKTA_TOKEN = 'okta-ssws-token';

/**
 * Grants no recorded call uses, each with the reason it stays. Keyed by action, or `<function>/<action>` for
 * one function only.
 */
const JUSTIFIED: Record<string, string> = {
  'evaluate/s3:PutObject':
    'findings over 300 KB gzipped of an artifact stored without findings (its collection stopped in between) go to findings/',
  'evaluate/kms:GenerateDataKey': 'the same findings object, stored SSE-KMS',
  'digest/sqs:SendMessage':
    'Lambda sends a scheduled invocation that failed every retry to the dead-letter queue with the function’s role',
  'digest/s3:GetObject':
    'two digest runs racing for a period: the one that loses reads the winner’s digest to continue the chain from it',
  'logs:CreateLogStream': 'the Lambda runtime (not the code) writes the function’s logs to its own log group',
  'logs:PutLogEvents': 'the Lambda runtime (not the code) writes the function’s logs to its own log group',
  'export/s3:AbortMultipartUpload':
    'an archive over one 8 MiB part is uploaded in parts; a failed one is aborted so no partial object remains',
  's3:ListBucket':
    'a missing key then answers 404 NoSuchKey, which the store reads as absent, instead of 403 AccessDenied',
};

/** Why a collector-declared read stays when the run against moto did not call it. */
const declaredBy = (action: string, among: readonly AnyCollector[]) =>
  among.filter((c) => c.permissions.includes(action)).map((c) => c.id);

interface Run {
  readonly stack: Synthesized;
  /** The function (infra/handlers.ts name) whose role made the calls. */
  readonly fn: string;
  readonly label: string;
  readonly calls: AwsCall[];
  /** The AWS collector whose reads these are, for a collect run. */
  readonly collector?: AnyCollector;
}

let stack: Synthesized;
let orgStack: Synthesized;
let bind: Bindings;
let deployment: Deployment;
/** Values of this run (moto's secret ARNs, account, region) → what the docs show instead. */
const shown: [string, string][] = [];
const display = (text: string) => shown.reduce((t, [value, name]) => t.replaceAll(value, name), text);
const runs: Run[] = [];
/** The collectors a schedule can run: AWS and the sources with a function of their own. */
const scheduled = collectors.filter(
  (c) => c.source === 'aws' || SOURCE_HANDLERS.some((h) => h.source === c.source),
);
const recorder = new AwsCallRecorder();

/** The template's value for a reference, with the resources created in moto standing in for the stack's. */
function bindings(physical: Record<string, Record<string, string>>): Bindings {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  return (id, attribute) => pseudo[id] ?? physical[shortId(id)]?.[attribute];
}

/** A function's environment as the stack sets it, with its references bound to the moto resources. */
function environmentOf(s: Synthesized, fn: string): Record<string, string> {
  const resource = s.mainTemplate.toJSON().Resources[functionId(s, fn)] as Cfn;
  const variables = resource.Properties.Environment.Variables as Record<string, Cfn>;
  return Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, resolve(v, bind)]));
}

/** Runs a handler with its stack environment, recording its calls. */
async function run<T>(
  s: Synthesized,
  fn: string,
  label: string,
  invoke: (context: Context) => Promise<T>,
  collector?: AnyCollector,
): Promise<T> {
  for (const [name, value] of Object.entries(environmentOf(s, fn))) vi.stubEnv(name, value);
  // A cold start: each function opens the store and its signing key itself, as in its own Lambda runtime.
  await closeEvidenceStore();
  try {
    const { result, calls } = await recorder.during(() => invoke(lambdaContext(ACCOUNT, `proofline-${fn}`)));
    runs.push({ stack: s, fn, label, calls, ...(collector ? { collector } : {}) });
    return result;
  } finally {
    vi.unstubAllEnvs();
  }
}

/** A function URL POST asking for a sampled SOC 2 archive of one day. */
const archiveRequest = (day: string) =>
  ({
    requestContext: { http: { method: 'POST' } },
    body: JSON.stringify({ framework: 'soc2', from: day, to: day, sample: 2, seed: 'c0ffee' }),
    isBase64Encoded: false,
  }) as never;

const secret = async (name: string, value: unknown) => {
  const client = new SecretsManagerClient(awsConfig());
  const { ARN } = await client.send(
    new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }),
  );
  client.destroy();
  return ARN!;
};

describeAws('the deployed functions’ IAM grants, proven against the calls they make (moto)', () => {
  let standIns: { github: GitHubStandIn; okta: StandIn };

  beforeAll(async () => {
    // ── the account, the stack's resources in moto, the sources' stand-ins and secrets ──
    await seedDemoAccount();
    const { bucket, table } = await createAwsStoreResources('proof');
    const exportsBucket = 'proof-exports';
    await new S3Client(awsConfig()).send(new CreateBucketCommand({ Bucket: exportsBucket }));
    const signingKey = await createKmsSigningKey();
    const kms = new KMSClient(awsConfig());
    const dataKey = (await kms.send(new CreateKeyCommand({ Description: 'data key' }))).KeyMetadata!;
    const topic = (await new SNSClient(awsConfig()).send(new CreateTopicCommand({ Name: 'alerts' })))
      .TopicArn!;
    await new SecurityHubClient(awsConfig()).send(new EnableSecurityHubCommand({})).catch(() => {});
    standIns = {
      github: await startGitHubStandIn({ orgs: [goodOrg()], tokens: [TOKEN] }),
      okta: await startOktaStandIn({ token: OKTA_TOKEN, users: [] }),
    };
    const sso = new SSOAdminClient(awsConfig());
    const instanceArn = (await sso.send(new ListInstancesCommand({}))).Instances![0]!.InstanceArn!;
    const scope = {
      aws: { regions: [REGION] },
      github: {
        orgs: [goodOrg().org.login],
        baseUrl: standIns.github.url,
        secretArn: await secret('proofline/github', { token: TOKEN }),
      },
      okta: {
        orgUrl: standIns.okta.url,
        secretArn: await secret('proofline/okta', { OKTA_API_TOKEN: OKTA_TOKEN }),
      },
      // No stand-in: the secret holds no credential, so the collection is recorded as an error artifact —
      // the same store writes, after the same secret read.
      google: {
        domain: 'acme.example',
        adminEmail: 'admin@acme.example',
        secretArn: await secret('proofline/google', {}),
      },
      entra: { tenantId: 'acme.example', secretArn: await secret('proofline/entra', {}) },
      'identity-center': { instanceArn, region: REGION },
    };
    for (const [source, section] of Object.entries(scope))
      if ('secretArn' in section) shown.push([section.secretArn, `<scope.${source}.secretArn>`]);
    shown.push([ACCOUNT, '<account>'], [REGION, '<region>']);
    const example = exampleConfig();
    const deploy = {
      ...(example.deploy as object),
      account: ACCOUNT,
      region: REGION,
      regions: [REGION],
      securityHub: true,
      schedules: { all: { expression: 'rate(1 day)', collectors: scheduled.map((c) => c.id) } },
    };
    stack = await synth({ ...example, scope, deploy });
    orgStack = await synth({
      ...example,
      scope,
      deploy: { ...deploy, accounts: [], organization: { enabled: true, externalId: 'org-ext-id' } },
    });

    const arnOf = (service: string, resource: string) =>
      `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
    const physical = {
      EvidenceBucket: { Ref: bucket, Arn: `arn:aws:s3:::${bucket}` },
      ExportsBucket: { Ref: exportsBucket, Arn: `arn:aws:s3:::${exportsBucket}` },
      IndexTable: { Ref: table, Arn: arnOf('dynamodb', `table/${table}`) },
      SigningKey: { Ref: signingKey, Arn: arnOf('kms', `key/${signingKey}`) },
      DataKey: { Ref: dataKey.KeyId!, Arn: dataKey.Arn! },
      AlertTopic: { Ref: topic, TopicName: 'alerts' },
    };
    bind = bindings(physical);
    // The KMS key each encrypted resource names in the template (the data key, for bucket, table and topic).
    const resources = Object.entries(stack.mainTemplate.toJSON().Resources as Record<string, Cfn>);
    const keyOf = new Map<string, string>();
    for (const [id, r] of resources) {
      const p = r.Properties ?? {};
      const key =
        p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault
          ?.KMSMasterKeyID ??
        p.SSESpecification?.KMSMasterKeyId ??
        p.KmsMasterKeyId;
      if (!key) continue;
      const name = shortId(id) as keyof typeof physical;
      const arn = physical[name] && (name === 'AlertTopic' ? topic : physical[name].Arn);
      if (arn) keyOf.set(arn, resolve(key, bind));
    }
    deployment = { account: ACCOUNT, keyOf: (arn) => keyOf.get(arn) };

    // ── every handler, as the stack deploys it (what they print is not under test here) ──
    const printed = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    recorder.start();
    const today = new Date().toISOString().slice(0, 10);
    await run(stack, 'plan', 'plan a run of every collector', (context) =>
      plan({ group: 'all', collectors: scheduled.map((c) => c.id) }, context),
    );
    await new OrganizationsClient(awsConfig()).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    await run(orgStack, 'plan', 'plan a run over the organization', (context) =>
      plan({ group: 'all', collectors: ['aws.s3.buckets'] }, context),
    );
    for (const collector of awsCollectors) {
      const scope = { source: 'aws', id: ACCOUNT, ...(collector.regional ? { region: REGION } : {}) };
      await run(
        stack,
        'collect',
        `collect ${collector.id}`,
        (context) => collect({ collectorId: collector.id, scope }, context),
        collector,
      );
    }
    await run(stack, 'collect', 'collect through the member role', (context) =>
      collect(
        { collectorId: 'aws.s3.buckets', scope: { source: 'aws', id: '111111111111' }, roleArn: MEMBER_ROLE },
        context,
      ),
    );
    await run(stack, 'collect', 'record a failed collection', (context) =>
      collect(
        {
          collectorId: 'aws.kms.keys',
          scope: { source: 'aws', id: ACCOUNT, region: REGION },
          failure: { Error: 'Sandbox.Timedout', Cause: 'timed out' },
        },
        context,
      ),
    );
    const sources = { github, okta, google, entra, 'identity-center': identityCenter } as const;
    for (const [source, handler] of Object.entries(sources)) {
      for (const collector of collectors.filter((c) => c.source === source)) {
        await run(stack, `collect-${source}`, `collect ${collector.id}`, (context) =>
          handler({ source, collectorId: collector.id }, context),
        );
      }
    }
    // Before the first evaluation an archive judges each day by the findings stored with the evidence.
    await run(stack, 'export', 'build an archive before any evaluation', (context) =>
      exportHandler(archiveRequest(today), context),
    );
    await run(stack, 'evaluate', 'evaluate and alert', (context) => evaluate({}, context));
    await run(stack, 'digest', 'sign the due digests', (context) =>
      runAt(afterThisHour(), () => digest({}, context)),
    );
    await run(stack, 'summary', 'send the daily summary', (context) => summary({}, context));
    const built = await run(stack, 'export', 'build an archive', (context) =>
      exportHandler(archiveRequest(today), context),
    );
    const key = JSON.parse((built as { body: string }).body).key as string;
    await run(stack, 'export', 'hand out a download URL', (context) =>
      exportHandler(
        { requestContext: { http: { method: 'GET' } }, queryStringParameters: { key } } as never,
        context,
      ),
    );
    printed.mockRestore();
  }, 600_000);

  afterAll(async () => {
    recorder.stop();
    await closeEvidenceStore();
    await standIns?.github.stop();
    await standIns?.okta.close();
  });

  it('ran every function the stack deploys, and no call failed', () => {
    const deployed = [...HANDLERS.map((h) => h.name), ...SOURCE_HANDLERS.map((h) => h.name)];
    expect(new Set(runs.map((r) => r.fn))).toEqual(new Set(deployed));
    // The functions' own calls got answers (absent configuration, "no such …", is one); a collector's failed
    // read is the collector's gap, recorded as an error artifact.
    const failed = runs
      .filter((r) => !r.collector)
      .flatMap((r) => r.calls)
      .filter((c) => c.error && !/^NoSuch|NotFound/.test(c.error));
    expect(failed).toEqual([]);
    // The collect function read another account through the member role, and only collector reads there.
    expect(new Set(recorder.assumed.values())).toEqual(new Set([MEMBER_ROLE]));
    expect(proofs().member.needs.length).toBeGreaterThan(0);
  });

  it('each function’s role allows every call it made (action, resource, conditions)', () => {
    const { functions } = proofs();
    expect(functions.map((f) => f.name).sort()).toContain('collect');
    expect(functions.filter((f) => f.fn !== 'plan' && f.needs.length === 0)).toEqual([]);
    const denied = functions.flatMap((f) => f.denied.map((n) => `${f.name}: ${describeNeed(n)}`));
    expect(denied, 'calls the deployed functions would be denied').toEqual([]);
  });

  it('each function’s role grants nothing its calls do not use, unless the grant is justified', () => {
    const unjustified = proofs().functions.flatMap((proof) =>
      proof.grants
        .filter((g) => g.used.length === 0 && !justification(proof.fn, g))
        .map((g) => `${proof.name}: ${g.sid} ${g.action}`),
    );
    expect(unjustified, 'unused grants: remove them, or justify them here').toEqual([]);
    // And no justification outlives its grant.
    const unused = proofs().functions.flatMap((proof) =>
      proof.grants.filter((g) => g.used.length === 0).flatMap((g) => [g.action, `${proof.fn}/${g.action}`]),
    );
    expect(Object.keys(JUSTIFIED).filter((key) => !unused.includes(key))).toEqual([]);
  });

  it('the member role allows every call made through it, and each collector calls only what it declares', () => {
    const { member } = proofs();
    expect(member.denied.map(describeNeed), 'calls the member role would deny').toEqual([]);
    for (const r of runs.filter((r) => r.collector)) {
      const reads = r.calls
        .filter((c) => !recorder.assumed.has(c.accessKeyId))
        .flatMap((c) => needsOf(c, deployment))
        .filter((n) => !n.implied && !STORE.has(n.action));
      expect(reads.length, r.label).toBeGreaterThan(0);
      const undeclared = reads.filter((n) => !r.collector!.permissions.includes(n.action));
      expect(undeclared.map(describeNeed), `${r.collector!.id} calls what it does not declare`).toEqual([]);
    }
    // Whatever the registry holds: each AWS collector's declared actions are allowed by the member role.
    for (const collector of awsCollectors) {
      const declared = collector.permissions.map((action) => ({
        action,
        resource: '*',
        why: `declared by ${collector.id}`,
      }));
      const { denied } = proveRole(member.statements, declared, bind);
      expect(denied.map(describeNeed)).toEqual([]);
    }
  });

  it('fails when a needed action is missing from the synthesized policy (dynamodb:UpdateItem stripped)', () => {
    const collect = proofs().functions.find((f) => f.name === 'collect')!;
    const stripped = collect.statements.map((s) => ({
      ...s,
      Action: (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => a !== 'dynamodb:UpdateItem'),
    }));
    const { denied } = proveRole(stripped, collect.needs, bind);
    expect(denied.length).toBeGreaterThan(0);
    expect(new Set(denied.map((n) => `${n.action} ${n.why}`))).toEqual(
      new Set(['dynamodb:UpdateItem UpdateItem']),
    );
  });

  it('docs/deploy.md lists each function’s grants and why (regenerate: `npm run docs:iam`)', async () => {
    const doc = await readFile(DEPLOY_DOC, 'utf8');
    const updated = withPermissionTable(doc, permissionTable(proofs()));
    if (process.env.PROOFLINE_WRITE_DOCS) await writeFile(DEPLOY_DOC, updated);
    else expect(doc).toBe(updated);
  });
});

/** Each role's proof: every function of both stacks that ran, and the member role the collect function assumed. */
const proofs = lazy(() => {
  const byFunction = new Map<string, { stack: Synthesized; fn: string; needs: Need[] }>();
  const member: Need[] = [];
  for (const r of runs) {
    const name = r.stack === orgStack ? `${r.fn} (organization)` : r.fn;
    const entry = byFunction.get(name) ?? { stack: r.stack, fn: r.fn, needs: [] };
    byFunction.set(name, entry);
    for (const call of r.calls) {
      const needs = needsOf(call, deployment);
      if (recorder.assumed.has(call.accessKeyId)) member.push(...needs);
      else entry.needs.push(...needs);
    }
  }
  const functions = [...byFunction].map(([name, { stack: s, fn, needs }]) => {
    const statements = roleStatements(s.mainTemplate, functionRoleId(s.mainTemplate, functionId(s, fn)));
    return { name, fn, needs, statements, ...proveRole(statements, needs, bind, show) };
  });
  const memberStatements = roleStatements(stack.memberTemplate, memberRoleId());
  return {
    functions,
    member: {
      needs: member,
      statements: memberStatements,
      ...proveRole(memberStatements, member, bind, show),
    },
  };
});

describe('the policy evaluation the proof rests on', () => {
  const BUCKET = 'ProoflineEvidenceBucket1234ABCD';
  const values: Record<string, string> = {
    'AWS::Region/Ref': 'us-east-1',
    [`${BUCKET}/Arn`]: 'arn:aws:s3:::b',
  };
  const at: Bindings = (id, attribute) => values[`${id}/${attribute}`];
  const need = (action: string, resource: string, context?: Record<string, string>): Need => ({
    action,
    resource,
    why: 'test',
    ...(context ? { context } : {}),
  });
  const denied = (statements: PolicyStatement[], needs: Need[]) =>
    proveRole(statements, needs, at).denied.map((n) => `${n.action} ${n.resource}`);

  it('matches actions and the template’s resource patterns, wildcards included', () => {
    const evidence = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [BUCKET, 'Arn'] }, '/evidence/*']] };
    const statements: PolicyStatement[] = [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: evidence }];
    expect(
      denied(statements, [
        need('s3:GetObject', 'arn:aws:s3:::b/evidence/x/y.json'),
        need('s3:GetObject', 'arn:aws:s3:::b/exports/x.zip'),
        need('s3:PutObject', 'arn:aws:s3:::b/evidence/x.json'),
        need('s3:GetObject', 'arn:aws:s3:::other/evidence/x.json'),
      ]),
    ).toEqual([
      's3:GetObject arn:aws:s3:::b/exports/x.zip',
      's3:PutObject arn:aws:s3:::b/evidence/x.json',
      's3:GetObject arn:aws:s3:::other/evidence/x.json',
    ]);
    // A reference the run has no value for never matches anything.
    const unbound: PolicyStatement[] = [
      { Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: 'Topic' } },
    ];
    expect(denied(unbound, [need('sns:Publish', 'arn:aws:sns:us-east-1:1:t')])).toHaveLength(1);
  });

  it('holds a statement only when each of its conditions holds in the call’s context; an explicit Deny wins', () => {
    const statements: PolicyStatement[] = [
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: {
          StringEquals: {
            'kms:ViaService': [{ 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] }],
          },
        },
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: '*',
        Condition: { StringLike: { 's3:prefix': ['exports/*'] } },
      },
      { Effect: 'Allow', Action: 'sqs:*', Resource: '*', Condition: { NumericLessThan: { 'aws:x': '1' } } },
      { Effect: 'Allow', Action: 'sns:*', Resource: '*' },
      { Effect: 'Deny', Action: 'sns:Publish', Resource: '*' },
    ];
    expect(
      denied(statements, [
        need('kms:Decrypt', 'k', { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }),
        need('kms:Decrypt', 'k', { 'kms:ViaService': 'sns.us-east-1.amazonaws.com' }),
        need('kms:Decrypt', 'k'),
        need('s3:ListBucket', 'b', { 's3:prefix': 'exports/soc2/' }),
        need('s3:ListBucket', 'b', { 's3:prefix': 'evidence/' }),
        need('sqs:SendMessage', 'q', { 'aws:x': '0' }),
        need('sns:Subscribe', 't'),
        need('sns:Publish', 't'),
      ]),
    ).toEqual(['kms:Decrypt k', 'kms:Decrypt k', 's3:ListBucket b', 'sqs:SendMessage q', 'sns:Publish t']);
  });
});

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────────

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

/** The store's own actions: a collector never needs them. */
const STORE = new Set<string>(
  Object.values(STORE_ACTIONS as Record<string, StoreAccess>).flatMap((a) => [
    ...Object.values(a.objects ?? {}).flat(),
    ...(a.index ?? []),
    ...(a.list ? ['s3:ListBucket'] : []),
  ]),
);

/** The stack's references as `${Id.Attr}` (pseudo parameters too), for the docs. */
const show: Bindings = () => undefined;

function functionId(s: Synthesized, fn: string): string {
  const id = Object.keys(s.mainTemplate.toJSON().Resources).find((k) =>
    new RegExp(`^Proofline${pascal(fn)}Function[0-9A-F]{8}$`).test(k),
  );
  if (!id) throw new Error(`no ${fn} function in the stack`);
  return id;
}

function memberRoleId(): string {
  const [id] = Object.keys(stack.memberTemplate.findResources('AWS::IAM::Role')).filter((k) =>
    k.startsWith('MemberRole'),
  );
  if (!id) throw new Error('no member role in the member stack');
  return id;
}

/** Why a grant stays although no recorded call used it; undefined: it should go. */
function justification(fn: string, grant: Grant): string | undefined {
  const reason = JUSTIFIED[`${fn}/${grant.action}`] ?? JUSTIFIED[grant.action];
  if (reason) return reason;
  if (grant.sid === 'ReadOnlyCollection') {
    const by = declaredBy(grant.action, collectors);
    if (by.length) return `declared by ${by.join(', ')}`;
  }
  return undefined;
}

const MARKS = [
  '<!-- function-permissions:start (generated by `npm run docs:iam` from the calls test/infra/iam-proof.test.ts records) -->',
  '<!-- function-permissions:end -->',
] as const;

function withPermissionTable(doc: string, table: string): string {
  const start = doc.indexOf(MARKS[0]);
  const end = doc.indexOf(MARKS[1]);
  if (start < 0 || end < start) throw new Error(`docs/deploy.md has no ${MARKS[0]} … ${MARKS[1]} section`);
  return `${doc.slice(0, start + MARKS[0].length)}\n\n${table}\n${doc.slice(end)}`;
}

const code = (text: string) => `\`${text}\``;

/** One row per function × action: what it is granted on and which calls need it (or why it stays unused). */
function permissionTable(p: ReturnType<typeof proofs>): string {
  const rows: string[] = ['| function | action | granted on | needed by |', '| --- | --- | --- | --- |'];
  const order: string[] = [...HANDLERS.map((h) => h.name), ...SOURCE_HANDLERS.map((h) => h.name)];
  const functions = [...p.functions].sort(
    (a, b) => order.indexOf(a.fn) - order.indexOf(b.fn) || a.name.localeCompare(b.name),
  );
  for (const proof of functions) {
    const byAction = new Map<string, Grant[]>();
    let reads = false;
    for (const grant of proof.grants) {
      if (grant.sid === 'ReadOnlyCollection') {
        reads = true;
        continue;
      }
      byAction.set(grant.action, [...(byAction.get(grant.action) ?? []), grant]);
    }
    for (const [action, grants] of [...byAction].sort(([a], [b]) => a.localeCompare(b))) {
      const used = grants.filter((g) => g.used.length);
      const on = [...new Set((used.length ? used : grants).flatMap((g) => g.resources))]
        .map((r) => code(display(r)))
        .join(', ');
      const why = used.length
        ? [...new Set(used.flatMap((g) => g.used.map((n) => n.why)))].sort().map(code).join(', ')
        : `unused here, kept: ${justification(proof.fn, grants[0]!)}`;
      rows.push(`| ${code(proof.name)} | ${code(action)} | ${on} | ${why} |`);
    }
    if (reads)
      rows.push(
        `| ${code(proof.name)} | the read actions its collectors declare | ${code('*')} | the collectors’ own calls (see [collectors.md](collectors.md)) |`,
      );
  }
  rows.push(
    `| member role | the read actions every AWS collector declares | ${code('*')} | the collectors’ calls in that account |`,
  );
  return rows.join('\n');
}
