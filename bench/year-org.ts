/**
 * A mid-size organisation that changes day by day, as the snapshots its collectors would return: ~120 GitHub
 * repositories, 150 GitHub members, 250 Okta users, 60 buckets, 80 IAM users, 120 roles, instances, keys and
 * functions in two regions. Seeded: the same day of the same org always gives the same snapshots.
 */
import type { Ec2InstancesSnapshot } from '../collectors/aws/ec2-instances/snapshot.ts';
import type { CredentialReportSnapshot } from '../collectors/aws/iam-credential-report/snapshot.ts';
import type { IamPoliciesSnapshot } from '../collectors/aws/iam-policies/snapshot.ts';
import type { KmsKeysSnapshot } from '../collectors/aws/kms-keys/snapshot.ts';
import type { LambdaFunctionsSnapshot } from '../collectors/aws/lambda-functions/snapshot.ts';
import type { S3BucketsSnapshot } from '../collectors/aws/s3-buckets/snapshot.ts';
import type { StatementSnapshot } from '../collectors/aws/shared/policy-document.ts';
import type { OrgMembersSnapshot } from '../collectors/github/org-members/snapshot.ts';
import type { RepoSnapshot, ReposSnapshot } from '../collectors/github/repos/snapshot.ts';
import { DEFAULT_POLICY } from '../collectors/github/session.ts';
import type { OktaUsersSnapshot } from '../collectors/identity/okta/users/snapshot.ts';
import { DAY_MS } from '../core/collector.ts';
import { syntheticBuckets } from './evaluate.ts';
import { random } from './timing.ts';

export const ACCOUNT = '111122223333';
export const REGIONS = ['us-east-1', 'eu-west-1'] as const;

const ok = <T>(value: T) => ({ ok: true as const, value });

/**
 * The org's settings that drift: a few flags flip each day (a repo loses protection, a user loses MFA, a
 * bucket's encryption is removed, and later restored), so controls change status over the year.
 */
interface Drift {
  repoProtected: boolean[];
  repoScanning: boolean[];
  memberTwoFactor: boolean[];
  oktaMfa: boolean[];
  oktaStatus: string[];
  iamMfa: boolean[];
  bucketEncrypted: boolean[];
  instanceImdsV2: boolean[];
  keyRotation: boolean[];
}

export interface YearOrg {
  /** Moves the org to the next day: a few settings drift. */
  advance(): void;
  /** Each collector's snapshot at `at`, by collector id and region (`global` when not regional). */
  snapshot(collector: string, region: string, at: Date): unknown;
}

const STATEMENT = (actions: string[], resources: string[]): StatementSnapshot => ({
  effect: 'Allow',
  actions,
  notAction: false,
  resources,
  principals: { aws: [], service: [], federated: [] },
  conditionKeys: [],
});

export function yearOrg(seed = 2026): YearOrg {
  const next = random(seed);
  const flags = (n: number, p: number) => Array.from({ length: n }, () => next() < p);
  const drift: Drift = {
    repoProtected: flags(120, 0.9),
    repoScanning: flags(120, 0.8),
    memberTwoFactor: flags(150, 0.97),
    oktaMfa: flags(250, 0.95),
    oktaStatus: Array.from({ length: 250 }, () => (next() < 0.05 ? 'DEPROVISIONED' : 'ACTIVE')),
    iamMfa: flags(80, 0.9),
    bucketEncrypted: flags(60, 0.9),
    instanceImdsV2: flags(80, 0.85),
    keyRotation: flags(60, 0.9),
  };
  const flip = (list: boolean[], p: number) => {
    for (let i = 0; i < list.length; i++) if (next() < p) list[i] = !list[i];
  };
  const advance = () => {
    // Mostly repairs of what broke, some new breakage: about one change a day in each of the larger sets.
    flip(drift.repoProtected, 0.01);
    flip(drift.repoScanning, 0.005);
    flip(drift.memberTwoFactor, 0.003);
    flip(drift.oktaMfa, 0.004);
    for (let i = 0; i < drift.oktaStatus.length; i++)
      if (next() < 0.002) drift.oktaStatus[i] = drift.oktaStatus[i] === 'ACTIVE' ? 'DEPROVISIONED' : 'ACTIVE';
    flip(drift.iamMfa, 0.005);
    flip(drift.bucketEncrypted, 0.004);
    flip(drift.instanceImdsV2, 0.005);
    flip(drift.keyRotation, 0.003);
  };
  const snapshot = (collector: string, region: string, at: Date): unknown => {
    const ago = (days: number) => new Date(at.getTime() - days * DAY_MS).toISOString();
    switch (collector) {
      case 'github.repos':
        return repos(drift, ago);
      case 'github.org.members':
        return members(drift);
      case 'okta.users':
        return oktaUsers(drift, ago);
      case 'aws.s3.buckets':
        return buckets(drift);
      case 'aws.iam.credential-report':
        return credentialReport(drift, ago);
      case 'aws.iam.policies':
        return iamPolicies(ago);
      case 'aws.ec2.instances':
        return instances(drift, region, ago);
      case 'aws.kms.keys':
        return keys(drift, region);
      case 'aws.lambda.functions':
        return functions(region);
      default:
        throw new Error(`no generated snapshot for ${collector}`);
    }
  };
  return { advance, snapshot };
}

/** The collectors the org is collected with, and the regions of the regional ones. */
export const YEAR_COLLECTORS: readonly { id: string; regions: readonly string[] }[] = [
  { id: 'github.repos', regions: ['global'] },
  { id: 'github.org.members', regions: ['global'] },
  { id: 'okta.users', regions: ['global'] },
  { id: 'aws.s3.buckets', regions: ['global'] },
  { id: 'aws.iam.credential-report', regions: ['global'] },
  { id: 'aws.iam.policies', regions: ['global'] },
  { id: 'aws.ec2.instances', regions: REGIONS },
  { id: 'aws.kms.keys', regions: REGIONS },
  { id: 'aws.lambda.functions', regions: REGIONS },
];

type Ago = (days: number) => string;

function repos(drift: Drift, ago: Ago): ReposSnapshot {
  const repo = (i: number): RepoSnapshot => {
    const name = `service-${String(i).padStart(3, '0')}`;
    const archived = i % 17 === 0;
    return {
      name,
      visibility: i % 23 === 0 ? 'public' : 'private',
      archived,
      fork: false,
      defaultBranch: 'main',
      createdAt: ago(900 + i),
      pushedAt: ago(i % 40 === 0 ? 200 : i % 5),
      details: archived
        ? null
        : {
            deleteBranchOnMerge: true,
            security: ok({
              secretScanning: drift.repoScanning[i]!,
              pushProtection: drift.repoScanning[i]!,
              dependabotSecurityUpdates: true,
            }),
            classicProtection: ok(
              drift.repoProtected[i]
                ? {
                    requiredApprovals: 1 + (i % 2),
                    dismissStaleReviews: true,
                    requireCodeOwnerReviews: i % 3 === 0,
                    requireLastPushApproval: false,
                    statusChecks: ['build', 'test'],
                    enforceAdmins: i % 4 !== 0,
                    requiredSignatures: false,
                    linearHistory: true,
                    allowForcePushes: false,
                    allowDeletions: false,
                    conversationResolution: true,
                  }
                : null,
            ),
            branchRules: ok([]),
            rulesets: ok([]),
            codeowners: ok(i % 3 === 0 ? { errors: 0 } : null),
            securityPolicy: i % 23 === 0 ? ok('SECURITY.md') : null,
            dependabotAlerts: ok(true),
            openAlerts: ok(
              i % 9 === 0
                ? [
                    {
                      number: 7,
                      severity: 'high',
                      package: 'lodash',
                      advisory: 'GHSA-xxxx',
                      createdAt: ago(45),
                    },
                  ]
                : [],
            ),
            codeScanning: ok({ enabled: i % 2 === 0, lastAnalysisAt: i % 2 === 0 ? ago(1) : null }),
            deployKeys: ok(
              i % 10 === 0
                ? [{ id: i, title: 'ci', readOnly: true, createdAt: ago(400), lastUsed: ago(2) }]
                : [],
            ),
            webhooks: ok([]),
            actions: ok({ enabled: true, allowedActions: 'selected' }),
            workflowPermissions: ok({
              defaultWorkflowPermissions: 'read',
              canApprovePullRequestReviews: false,
            }),
            immutableReleases: ok(false),
          },
    };
  };
  return {
    org: 'acme',
    policy: DEFAULT_POLICY,
    repositories: Array.from({ length: 120 }, (_, i) => repo(i)),
  };
}

function members(drift: Drift): OrgMembersSnapshot {
  const logins = drift.memberTwoFactor.map((_, i) => `dev-${i}`);
  return {
    org: 'acme',
    members: logins.map((login, i) => ({ login, id: 1000 + i, role: i < 4 ? 'admin' : 'member' })),
    withoutTwoFactor: ok(logins.filter((_, i) => !drift.memberTwoFactor[i])),
    outsideCollaborators: ok(['contractor-1', 'contractor-2']),
    pendingInvitations: ok([]),
    repositories: Array.from({ length: 120 }, (_, i) => ({
      name: `service-${String(i).padStart(3, '0')}`,
      archived: i % 17 === 0,
      outsideCollaborators: ok(i % 30 === 0 ? [{ login: 'contractor-1', permission: 'write' as const }] : []),
    })),
  };
}

function oktaUsers(drift: Drift, ago: Ago): OktaUsersSnapshot {
  return {
    orgUrl: 'https://acme.okta.com',
    users: drift.oktaStatus.map((status, i) => {
      const active = status === 'ACTIVE';
      return {
        id: `00u${String(i).padStart(17, '0')}`,
        login: `user${i}@acme.example`,
        email: `user${i}@acme.example`,
        status,
        created: ago(500 + (i % 300)),
        lastLogin: active ? ago(i % 50 === 0 ? 120 : i % 3) : ago(200),
        statusChanged: ago(300),
        factors: active
          ? [
              ...(drift.oktaMfa[i]
                ? [{ factorType: 'token:software:totp', provider: 'OKTA', status: 'ACTIVE' }]
                : []),
              { factorType: 'email', provider: 'OKTA', status: 'ACTIVE' },
            ]
          : [],
        adminRoles: i < 5 ? ['SUPER_ADMIN'] : [],
        assignedApps: active || i % 2 ? [] : [{ id: `0oa${i}`, label: 'Slack', status: 'ACTIVE' }],
      };
    }),
  };
}

function buckets(drift: Drift): S3BucketsSnapshot {
  const base = syntheticBuckets(60);
  return {
    ...base,
    buckets: base.buckets.map((b, n) => ({
      ...b,
      encryption: drift.bucketEncrypted[n]
        ? { algorithm: 'aws:kms', kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${n}` }
        : null,
    })),
  };
}

function credentialReport(drift: Drift, ago: Ago): CredentialReportSnapshot {
  return {
    reportGeneratedAt: ago(0),
    users: drift.iamMfa.map((mfa, i) => ({
      user: i === 0 ? '<root_account>' : `user-${i}`,
      arn: i === 0 ? `arn:aws:iam::${ACCOUNT}:root` : `arn:aws:iam::${ACCOUNT}:user/user-${i}`,
      userCreationTime: ago(400 + (i % 300)),
      passwordEnabled: i % 3 === 0,
      passwordLastUsed: i % 3 === 0 ? ago(i % 20) : null,
      passwordLastChanged: ago(30 + (i % 60)),
      mfaActive: mfa,
      accessKeys: [
        { slot: 1, active: i % 2 === 0, lastRotated: ago(10 + (i % 120)), lastUsed: ago(i % 4) },
        { slot: 2, active: false, lastRotated: null, lastUsed: null },
      ],
    })),
    passwordPolicy: {
      minimumPasswordLength: 14,
      requireSymbols: true,
      requireNumbers: true,
      requireUppercaseCharacters: true,
      requireLowercaseCharacters: true,
      passwordReusePrevention: 24,
      maxPasswordAge: 90,
    },
    accountSummary: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0 },
  };
}

function iamPolicies(ago: Ago): IamPoliciesSnapshot {
  const arn = (kind: string, name: string) => `arn:aws:iam::${ACCOUNT}:${kind}/${name}`;
  const policies = Array.from({ length: 80 }, (_, i) => ({
    id: arn('policy', `app-${i}`),
    name: `app-${i}`,
    kind: 'managed' as const,
    attachedTo: [arn('role', `app-${i}`)],
    statements: [
      STATEMENT(['s3:GetObject', 's3:PutObject'], [`arn:aws:s3:::bucket-${i % 60}/*`]),
      STATEMENT(i % 25 === 0 ? ['*'] : ['dynamodb:Query', 'dynamodb:GetItem'], [
        i % 25 === 0 ? '*' : `table/${i}`,
      ]),
    ],
  }));
  return {
    users: Array.from({ length: 80 }, (_, i) => ({
      name: `user-${i}`,
      arn: arn('user', `user-${i}`),
      attachedPolicies: i % 10 === 0 ? ['arn:aws:iam::aws:policy/AdministratorAccess'] : [],
      inlinePolicies: [],
      groups: ['developers'],
    })),
    groups: [
      { name: 'developers', arn: arn('group', 'developers'), attachedPolicies: [], inlinePolicies: [] },
    ],
    roles: Array.from({ length: 120 }, (_, i) => ({
      name: `app-${i}`,
      arn: arn('role', `app-${i}`),
      attachedPolicies: i < 80 ? [arn('policy', `app-${i}`)] : [],
      inlinePolicies: [],
      path: '/',
      createdAt: ago(600),
      lastUsedAt: i % 13 === 0 ? null : ago(i % 5),
      trust: [
        {
          ...STATEMENT(['sts:AssumeRole'], []),
          principals: { aws: [], service: ['lambda.amazonaws.com'], federated: [] },
        },
      ],
    })),
    policies,
  };
}

function instances(drift: Drift, region: string, ago: Ago): Ec2InstancesSnapshot {
  const offset = region === REGIONS[0] ? 0 : 40;
  const ids = Array.from({ length: 40 }, (_, i) => i + offset);
  return {
    region,
    ebsEncryptionByDefault: true,
    instances: ids.map((i) => ({
      id: `i-${(0x1000000 + i).toString(16)}`,
      state: i % 11 === 0 ? 'stopped' : 'running',
      launchTime: ago(30 + (i % 90)),
      stoppedAt: i % 11 === 0 ? ago(20) : null,
      metadataTokens: drift.instanceImdsV2[i] ? 'required' : 'optional',
      metadataEndpoint: 'enabled',
      publicIp: i % 9 === 0 ? `203.0.113.${i}` : null,
      instanceProfileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/app-${i}`,
      detailedMonitoring: i % 2 === 0,
      userDataSecretNames: [],
    })),
    volumes: ids.map((i) => ({
      id: `vol-${(0x2000000 + i).toString(16)}`,
      encrypted: i % 15 !== 0,
      state: 'in-use',
      attachedTo: [`i-${(0x1000000 + i).toString(16)}`],
    })),
    snapshots: ids.slice(0, 20).map((i) => ({
      id: `snap-${(0x3000000 + i).toString(16)}`,
      volumeId: `vol-${(0x2000000 + i).toString(16)}`,
      encrypted: true,
      public: false,
    })),
    images: [],
  };
}

function keys(drift: Drift, region: string): KmsKeysSnapshot {
  const offset = region === REGIONS[0] ? 0 : 30;
  return {
    keys: Array.from({ length: 30 }, (_, n) => {
      const i = n + offset;
      const id = `${(0x10000000 + i).toString(16)}-0000-4000-8000-000000000000`;
      return {
        keyId: id,
        arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`,
        manager: i % 6 === 0 ? ('AWS' as const) : ('CUSTOMER' as const),
        keySpec: 'SYMMETRIC_DEFAULT',
        keyState: 'Enabled',
        origin: 'AWS_KMS',
        rotationEnabled: i % 6 === 0 ? null : drift.keyRotation[i]!,
      };
    }),
  };
}

function functions(region: string): LambdaFunctionsSnapshot {
  return {
    functions: Array.from({ length: 50 }, (_, i) => ({
      name: `fn-${i}`,
      arn: `arn:aws:lambda:${region}:${ACCOUNT}:function:fn-${i}`,
      runtime: i % 12 === 0 ? 'nodejs16.x' : 'nodejs22.x',
      inVpc: i % 2 === 0,
      secretEnvironmentNames: i % 20 === 0 ? ['API_TOKEN'] : [],
      environmentCustomerKey: i % 3 === 0,
      url: i % 25 === 0 ? { authType: 'NONE', allowOrigins: ['*'] } : null,
      policy: [],
    })),
  };
}
