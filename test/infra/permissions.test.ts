import { beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { collectorPolicy } from '../../core/permissions.ts';
import {
  actionsOf,
  type Cfn,
  identityStatements,
  type NamedStatement,
  resource,
  resourcesOf,
  type Synthesized,
  synth,
  withDeploy,
} from './support.ts';

/** Actions that only read (GenerateCredentialReport only asks IAM to build the report; API Gateway's read action is its HTTP verb GET). */
const READ = /^[a-z0-9-]+:(Get|List|Describe|Query|BatchGet|GenerateCredentialReport$)|^apigateway:GET$/;
/**
 * The only writes allowed on every resource: Step Functions' log delivery to CloudWatch Logs, whose actions
 * support no resource-level permissions (AWS documents `"Resource": "*"` for them).
 */
const WRITES_ON_ANY_RESOURCE = new Set([
  'logs:CreateLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:PutResourcePolicy',
]);
/** Nothing in the stack may be able to delete or unlock evidence, or loosen the bucket, table or keys. */
const NEVER = [
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutBucketObjectLockConfiguration',
  's3:PutLifecycleConfiguration',
  's3:PutBucketPolicy',
  's3:PutBucketVersioning',
  'dynamodb:DeleteItem',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateTable',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:PutKeyPolicy',
];

let example: Synthesized;
let organization: Synthesized;
let allStatements: NamedStatement[];
beforeAll(async () => {
  example = await synth();
  organization = await synth(
    withDeploy({ organization: { enabled: true, externalId: 'org-ext-id' }, accounts: [] }),
  );
  allStatements = [example.mainTemplate, example.memberTemplate, organization.mainTemplate].flatMap(
    identityStatements,
  );
});

describe('every identity policy of both stacks', () => {
  it('allows no wildcard action', () => {
    expect(allStatements.length).toBeGreaterThan(20);
    for (const s of allStatements.filter((s) => s.Effect === 'Allow')) {
      for (const action of actionsOf(s)) expect(action, `${s.owner} ${s.Sid ?? ''}`).not.toContain('*');
    }
  });

  it('allows writes only on named resources, never on "*"', () => {
    for (const s of allStatements.filter((s) => s.Effect === 'Allow' && resourcesOf(s).includes('*'))) {
      const writes = actionsOf(s).filter((a) => !READ.test(a) && !WRITES_ON_ANY_RESOURCE.has(a));
      expect(writes, `${s.owner} ${s.Sid ?? ''} writes on *`).toEqual([]);
    }
  });

  it('can never delete or unlock evidence, nor loosen the bucket, table or keys', () => {
    const granted = new Set(allStatements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf));
    for (const action of NEVER) expect(granted.has(action), action).toBe(false);
  });

  it('writes objects only under evidence/, findings/ and digests/ of the evidence bucket, exports/ (the export function) and reports/ (the summary) of the exports bucket', () => {
    const puts = allStatements.filter((s) => actionsOf(s).includes('s3:PutObject'));
    expect(puts.length).toBeGreaterThan(0);
    const where = {
      evidence: 'Evidence',
      findings: 'Evidence',
      digests: 'Evidence',
      exports: 'Exports',
      reports: 'Exports',
    };
    for (const s of puts) {
      for (const r of resourcesOf(s) as Cfn[]) {
        const [, bucket, prefix] =
          /^\{"Fn::Join":\["",\[\{"Fn::GetAtt":\["Proofline(\w+)Bucket[0-9A-F]{8}","Arn"\]\},"\/(\w+)\/\*"\]\]\}$/.exec(
            JSON.stringify(r),
          ) ?? [];
        expect(prefix && where[prefix as keyof typeof where], `${s.owner} ${s.Sid}`).toBe(bucket);
        if (prefix === 'exports') expect(s.owner).toMatch(/^ProoflineExportRole/);
        if (prefix === 'reports') expect(s.owner).toMatch(/^ProoflineSummaryRole/);
      }
    }
  });
});

describe('cross-account collection', () => {
  it('the member role allows exactly the collectors’ declared actions, all read-only', () => {
    const role = resource(example.memberTemplate, 'AWS::IAM::Role', 'MemberRole').Properties;
    expect(role.Policies).toHaveLength(1);
    expect(role.Policies[0].PolicyDocument).toEqual(collectorPolicy(collectors));
    const actions = role.Policies[0].PolicyDocument.Statement.flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(READ);
  });

  it('the member role trusts only the collector role, with the external id', () => {
    const role = resource(example.memberTemplate, 'AWS::IAM::Role', 'MemberRole').Properties;
    expect(role.RoleName).toBe('ProoflineMember');
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: { Ref: 'CollectorRoleArn' } },
        Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
      },
    ]);
    const parameters = example.memberTemplate.toJSON().Parameters;
    expect(parameters.ExternalId.Default).toBe('proofline-example-7d1c2f');
    expect(Object.keys(parameters).sort()).toEqual(['CollectorRoleArn', 'ExternalId']); // no bootstrap version
  });

  it('the collector role is the one the member roles name, and assumes only the configured accounts’ roles', () => {
    const role = resource(example.mainTemplate, 'AWS::IAM::Role', 'ProoflineCollectorRole').Properties;
    expect(JSON.stringify(role.RoleName)).toContain('Proofline-collector-');
    const assume = identityStatements(example.mainTemplate).filter((s) =>
      actionsOf(s).includes('sts:AssumeRole'),
    );
    expect(assume).toHaveLength(1);
    expect(assume[0]!.Sid).toBe('AssumeMemberRoles');
    expect(JSON.stringify(assume[0]!.Resource)).toMatch(/111111111111:role\/ProoflineMember.*222222222222/);
  });

  it('with the organization enabled, plan lists accounts and the collector may assume the member role anywhere', () => {
    const statements = identityStatements(organization.mainTemplate);
    const list = statements.find((s) => actionsOf(s).includes('organizations:ListAccounts'));
    expect(list?.owner).toMatch(/^ProoflinePlanRole/);
    const assume = statements.find((s) => actionsOf(s).includes('sts:AssumeRole'));
    expect(JSON.stringify(assume?.Resource)).toContain(':iam::*:role/ProoflineMember');
    const plan = resource(
      organization.mainTemplate,
      'AWS::Lambda::Function',
      'ProoflinePlanFunction',
    ).Properties;
    expect(plan.Environment.Variables.ORGANIZATION_ENABLED).toBe('true');
  });

  it('without other accounts, the collector cannot assume any role', async () => {
    const config = withDeploy({ accounts: [], organization: { enabled: false } });
    const single = await synth(config);
    expect(identityStatements(single.mainTemplate).some((s) => actionsOf(s).includes('sts:AssumeRole'))).toBe(
      false,
    );
  });
});

describe('auditor access', () => {
  const auditorStatements = () =>
    identityStatements(example.mainTemplate).filter((s) => s.owner.startsWith('ProoflineAuditorRole'));

  it('the auditor role can only read exports/, read the public key and call the export URL', () => {
    const granted = auditorStatements().flatMap((s) => actionsOf(s).map((a) => [a, s] as const));
    expect(granted.map(([a]) => a).sort()).toEqual([
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:GetPublicKey',
      'lambda:InvokeFunction',
      'lambda:InvokeFunctionUrl',
      's3:GetObject',
      's3:ListBucket',
    ]);
    const by = (action: string) => granted.find(([a]) => a === action)![1];
    expect(JSON.stringify(by('s3:GetObject').Resource)).toMatch(/"\/exports\/\*"\]\]\}$/);
    expect(by('s3:ListBucket').Condition).toEqual({ StringLike: { 's3:prefix': ['exports/*'] } });
    expect(by('kms:Decrypt').Condition?.StringEquals?.['kms:ViaService']).toEqual([
      expect.stringMatching(/^s3\./),
    ]);
    expect(JSON.stringify(by('kms:GetPublicKey').Resource)).toContain('ProoflineSigningKey');
    expect(by('lambda:InvokeFunction').Condition).toEqual({ Bool: { 'lambda:InvokedViaFunctionUrl': true } });
  });

  it('only the configured principals may assume it, for at most an hour', () => {
    const role = resource(example.mainTemplate, 'AWS::IAM::Role', 'ProoflineAuditorRole').Properties;
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { AWS: 'arn:aws:iam::333333333333:role/ExternalAuditor' },
      },
    ]);
  });

  it('the export function reads the store, writes only exports/, never the index, and signs with the signing key', () => {
    const own = identityStatements(example.mainTemplate).filter((s) =>
      s.owner.startsWith('ProoflineExportRole'),
    );
    const actions = new Set(own.flatMap(actionsOf));
    for (const write of ['dynamodb:PutItem', 'dynamodb:BatchWriteItem', 's3:PutObjectRetention'])
      expect(actions.has(write), write).toBe(false);
    expect([...actions]).toEqual(
      expect.arrayContaining(['dynamodb:Query', 'kms:Sign', 's3:AbortMultipartUpload']),
    );
    const reads = own.find((s) => s.Sid === 'ReadEvidence')!;
    expect(JSON.stringify(reads.Resource)).toMatch(/evidence\/\*.*findings\/\*.*digests\/\*/);
    const writes = own.find((s) => s.Sid === 'WriteExports')!;
    expect(JSON.stringify(writes.Resource)).toMatch(/"\/exports\/\*"\]\]\}$/);
    const sign = own.find((s) => s.Sid === 'SignArchives')!;
    expect(JSON.stringify(sign.Resource)).toContain('ProoflineSigningKey');
  });

  it('the export function has an IAM-authenticated URL and hands out URLs valid at most one hour', () => {
    const url = resource(example.mainTemplate, 'AWS::Lambda::Url', 'ProoflineExportFunction').Properties;
    expect(url.AuthType).toBe('AWS_IAM');
    const fn = resource(example.mainTemplate, 'AWS::Lambda::Function', 'ProoflineExportFunction').Properties;
    const seconds = Number(fn.Environment.Variables.EXPORT_URL_SECONDS);
    expect(seconds).toBe(15 * 60);
    expect(seconds).toBeLessThanOrEqual(3600);
  });
});
