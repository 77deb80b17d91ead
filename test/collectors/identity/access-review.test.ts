import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatAccessReview, runAccessReview } from '../../../cli/access-review.ts';
import { openContext } from '../../../cli/context.ts';
import { main } from '../../../cli/program.ts';
import type {
  CredentialReportSnapshot,
  CredentialReportUser,
} from '../../../collectors/aws/iam-credential-report/snapshot.ts';
import { adminsMfa, orphanedAccess } from '../../../collectors/identity/access-review/checks.ts';
import { accessReviewCsv, CSV_COLUMNS } from '../../../collectors/identity/access-review/csv.ts';
import type { GithubOrgMembersSnapshot } from '../../../collectors/identity/access-review/github.ts';
import {
  EMPTY_IDENTITY_MAP,
  type IdentityMap,
} from '../../../collectors/identity/access-review/identity-map.ts';
import { parseIdentityMap } from '../../../collectors/identity/access-review/identity-map-file.ts';
import { buildAccessReview, type ReviewInputs } from '../../../collectors/identity/access-review/review.ts';
import type { AccessReviewSnapshot } from '../../../collectors/identity/access-review/snapshot.ts';
import type { IdentityCenterSnapshot } from '../../../collectors/identity/identity-center/access/snapshot.ts';
import type { OktaUser, OktaUsersSnapshot } from '../../../collectors/identity/okta/users/snapshot.ts';
import type { Artifact } from '../../../core/model.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import { DEMO_IDENTITY_MAP } from '../../../demo/identity-demo.ts';
import { context, daysBefore, tempStore, verdicts } from '../../support/identity.ts';

const totp = { factorType: 'token:software:totp', provider: 'OKTA', status: 'ACTIVE' };
const oktaUser = (login: string, over: Partial<OktaUser> = {}): OktaUser => ({
  id: login,
  login,
  email: login,
  status: 'ACTIVE',
  created: daysBefore(300),
  lastLogin: daysBefore(1),
  statusChanged: null,
  factors: [totp],
  adminRoles: [],
  assignedApps: [],
  ...over,
});
const okta: OktaUsersSnapshot = {
  orgUrl: 'https://acme.okta.com',
  users: [
    oktaUser('alice@acme.example', { adminRoles: ['SUPER_ADMIN'] }),
    oktaUser('bob@acme.example', { status: 'DEPROVISIONED', factors: [] }),
    oktaUser('carol@acme.example', { adminRoles: ['ORG_ADMIN'], factors: [] }),
    oktaUser('dave@acme.example'),
  ],
};
const iamUser = (user: string, over: Partial<CredentialReportUser> = {}): CredentialReportUser => ({
  user,
  arn: `arn:aws:iam::123456789012:user/${user}`,
  userCreationTime: daysBefore(300),
  passwordEnabled: true,
  passwordLastUsed: daysBefore(2),
  passwordLastChanged: null,
  mfaActive: true,
  accessKeys: [
    { slot: 1, active: false, lastRotated: null, lastUsed: null },
    { slot: 2, active: false, lastRotated: null, lastUsed: null },
  ],
  ...over,
});
const withKey = {
  passwordEnabled: false,
  mfaActive: false,
  accessKeys: [{ slot: 1 as const, active: true, lastRotated: daysBefore(10), lastUsed: daysBefore(1) }],
};
const iam: CredentialReportSnapshot = {
  reportGeneratedAt: daysBefore(0),
  users: [
    iamUser('<root_account>'),
    iamUser('alice'),
    iamUser('bob', { mfaActive: false }),
    iamUser('ci-deployer', withKey),
    iamUser('mallory', withKey),
    iamUser('old-intern', { passwordEnabled: false }),
  ],
  passwordPolicy: null,
  accountSummary: {},
};
// Shaped as the github.org.members collector writes it: members, and those listed under filter=2fa_disabled.
const github: GithubOrgMembersSnapshot = {
  members: [
    { login: 'alice-gh', email: 'Alice@acme.example', role: 'admin' },
    { login: 'bobcodes', role: 'member' },
    { login: 'octo-admin', role: 'admin' },
    { login: 'release-bot', role: 'member' },
  ],
  withoutTwoFactor: { ok: true, value: ['bobcodes', 'Octo-Admin'] },
};
const identityCenter: IdentityCenterSnapshot = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1',
  identityStoreId: 'd-1',
  users: [
    { userId: 'ic-alice', userName: 'alice', displayName: null, emails: ['alice@acme.example'] },
    { userId: 'ic-erin', userName: 'erin', displayName: null, emails: ['erin@acme.example'] },
    { userId: 'ic-dave', userName: 'dave', displayName: null, emails: ['dave@acme.example'] },
  ],
  groups: [{ groupId: 'g-admins', displayName: 'aws-admins', memberUserIds: ['ic-alice'] }],
  permissionSets: [
    {
      arn: 'ps-admin',
      name: 'AdministratorAccess',
      sessionDuration: 'PT1H',
      managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      customerManagedPolicies: [],
      inlinePolicy: null,
    },
    {
      arn: 'ps-ro',
      name: 'ReadOnly',
      sessionDuration: 'PT1H',
      managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      customerManagedPolicies: [],
      inlinePolicy: null,
    },
  ],
  assignments: [
    {
      accountId: '111111111111',
      permissionSetArn: 'ps-admin',
      principalType: 'GROUP',
      principalId: 'g-admins',
    },
    { accountId: '111111111111', permissionSetArn: 'ps-ro', principalType: 'USER', principalId: 'ic-erin' },
  ],
};
const MAP_YAML = `
people:
  - email: bob@acme.example
    accounts:
      aws-iam: [bob]
      github: [BobCodes]
  - email: alice@acme.example
    accounts: { aws-iam: [alice] }
serviceAccounts:
  - { system: aws-iam, account: ci-deployer, owner: platform, purpose: deploys from CI }
  - { system: github, account: release-bot, owner: platform, purpose: tags releases }
`;
const map = parseIdentityMap(MAP_YAML, 'identity-map.yaml');
const inputs: ReviewInputs = {
  okta: [{ scope: 'acme.okta.com', snapshot: okta }],
  entra: [],
  google: [],
  identityCenter: [{ scope: 'ssoins-1', snapshot: identityCenter }],
  awsIam: [{ scope: '123456789012', snapshot: iam }],
  github: [{ scope: 'acme', snapshot: github }],
};
const review = (i: ReviewInputs = inputs, m: IdentityMap = map) =>
  buildAccessReview(i, m, { sources: [], notCollected: [], gaps: [], identityMap: null });
const ctx = context('manual', 'access-review');

describe('identity map', () => {
  it('accepts people and service accounts, lower-casing e-mails', () => {
    expect(map.people.map((p) => p.email)).toEqual(['bob@acme.example', 'alice@acme.example']);
    expect(map.serviceAccounts).toHaveLength(2);
    expect(parseIdentityMap('', 'empty.yaml')).toEqual(EMPTY_IDENTITY_MAP);
  });

  it.each([
    [
      'people:\n  - email: not-an-email\n    accounts: { github: [x] }',
      /people\.0\.email: must be an e-mail address/,
    ],
    [
      'people:\n  - email: a@x.example\n    accounts: { gitlab: [x] }',
      /people\.0\.accounts: Unrecognized key: "gitlab"/,
    ],
    [
      'people:\n  - email: a@x.example\n    accounts: { github: [x] }\n    team: core',
      /people\.0: Unrecognized key: "team"/,
    ],
    ['serviceAccounts:\n  - { system: aws-iam, account: ci, purpose: ci }', /serviceAccounts\.0\.owner/],
    [
      'people:\n  - email: a@x.example\n    accounts: { github: [Sam] }\n  - email: b@x.example\n    accounts: { github: [sam] }',
      /people\.1 \(b@x\.example\): github account "sam" is already mapped at people\.0 \(a@x\.example\)/,
    ],
    [
      'people:\n  - email: a@x.example\n    accounts: { github: [x] }\n  - email: A@x.example\n    accounts: { aws-iam: [y] }',
      /people\.1\.email: a@x\.example is listed twice/,
    ],
    ['people: [unclosed', /map\.yaml: not valid YAML/],
  ])('rejects %j with an error naming the entry', (text, message) => {
    expect(() => parseIdentityMap(text, 'map.yaml')).toThrow(message);
  });
});

describe('access review (pure join)', () => {
  it('joins accounts to people by the identity map first, then by e-mail', () => {
    const r = review();
    const who = (system: string, account: string) =>
      r.accounts.find((a) => a.system === system && a.account === account);
    expect(who('aws-iam', 'bob')).toMatchObject({ person: 'bob@acme.example', matchedBy: 'identity-map' });
    expect(who('github', 'bobcodes')).toMatchObject({
      person: 'bob@acme.example',
      matchedBy: 'identity-map',
    });
    expect(who('github', 'alice-gh')).toMatchObject({
      person: 'alice@acme.example',
      matchedBy: 'email',
      admin: true,
    });
    expect(who('github', 'octo-admin')).toMatchObject({ person: null, matchedBy: 'none' });
    expect(who('aws-iam', 'ci-deployer')).toMatchObject({
      matchedBy: 'service-account',
      serviceAccount: { owner: 'platform', purpose: 'deploys from CI' },
    });
    expect(who('identity-center', 'alice')).toMatchObject({
      admin: true,
      access: ['111111111111:AdministratorAccess (group aws-admins)'],
    });
    expect(r.accounts.some((a) => a.account === '<root_account>')).toBe(false);
    expect(r.people.map((p) => `${p.email} ${p.idpStatus}`)).toEqual([
      'alice@acme.example active',
      'bob@acme.example deactivated',
      'carol@acme.example active',
      'dave@acme.example active',
      'erin@acme.example missing',
    ]);
  });

  it('finds orphaned access: leavers still active downstream, people unknown to the IdP, unmapped accounts', () => {
    expect(review().orphaned.map((o) => `${o.system} ${o.account}: ${o.reason}`)).toEqual([
      'aws-iam bob: aws-iam account bob (123456789012) is active: console password, but bob@acme.example is deactivated in the identity provider',
      'github bobcodes: github account bobcodes (acme) is active: member, but bob@acme.example is deactivated in the identity provider',
      'identity-center erin: identity-center account erin (ssoins-1) is active: 111111111111:ReadOnly, but erin@acme.example has no identity-provider account',
      'aws-iam mallory: aws-iam account mallory (123456789012) is active: access key 1, but no person is known for it (add it to the identity map)',
      'github octo-admin: github account octo-admin (acme) is active: admin, but no person is known for it (add it to the identity map)',
    ]);
  });

  it('finds admins without MFA across systems', () => {
    expect(review().adminsWithoutMfa.map((a) => `${a.who}: ${a.withoutMfa.join(', ') || 'ok'}`)).toEqual([
      'alice@acme.example: ok',
      'carol@acme.example: okta carol@acme.example',
      'github:acme:octo-admin: github octo-admin',
    ]);
  });

  it('access-review.orphaned-access and access-review.admins-mfa: pass and fail per account / per admin', () => {
    const r = review();
    expect(verdicts(orphanedAccess.evaluate(r, ctx))).toEqual([
      'pass aws-iam:123456789012:alice',
      'pass github:acme:alice-gh',
      'pass identity-center:ssoins-1:alice',
      'fail aws-iam:123456789012:bob',
      'fail github:acme:bobcodes',
      'fail identity-center:ssoins-1:erin',
      'pass aws-iam:123456789012:ci-deployer',
      'fail aws-iam:123456789012:mallory',
      'fail github:acme:octo-admin',
      'pass github:acme:release-bot',
    ]);
    expect(verdicts(adminsMfa.evaluate(r, ctx))).toEqual([
      'pass alice@acme.example',
      'fail carol@acme.example',
      'fail github:acme:octo-admin',
    ]);
  });

  it('reads GitHub 2FA from the members listed under filter=2fa_disabled, and unknown when that list is a gap', () => {
    const mfaOf = (r: ReturnType<typeof review>) =>
      r.accounts.filter((a) => a.system === 'github').map((a) => `${a.account} ${a.mfa}`);
    expect(mfaOf(review())).toEqual([
      'alice-gh true',
      'bobcodes false',
      'octo-admin false',
      'release-bot true',
    ]);
    const gap = {
      endpoint: 'GET /orgs/acme/members?filter=2fa_disabled',
      status: 403,
      message: 'Must be an owner',
    };
    const hidden = { ...github, withoutTwoFactor: { ok: false as const, gap } };
    expect(mfaOf(review({ ...inputs, github: [{ scope: 'acme', snapshot: hidden }] }))).toEqual([
      'alice-gh null',
      'bobcodes null',
      'octo-admin null',
      'release-bot null',
    ]);
  });

  it('without any IdP snapshot it judges nothing as orphaned and says it cannot', () => {
    const r = review({ ...inputs, okta: [] });
    expect(r.orphaned).toEqual([]);
    expect(r.gaps).toEqual([expect.stringMatching(/no identity-provider snapshot/)]);
    expect(orphanedAccess.evaluate(r, ctx)).toEqual([
      {
        check: 'access-review.orphaned-access',
        resource: 'access-review',
        status: 'fail',
        reason: 'no identity-provider evidence: orphaned access cannot be judged',
      },
    ]);
  });

  it('writes who-has-what as CSV, one row per account with its flags', () => {
    const rows = parse(accessReviewCsv(review()), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(review().accounts.length);
    const bob = rows.find((r) => r.system === 'aws-iam' && r.account === 'bob');
    expect(bob).toMatchObject({
      person: 'bob@acme.example',
      idp_status: 'deactivated',
      active: 'yes',
      mfa: 'no',
      flags: 'ORPHANED',
    });
    const carol = rows.find((r) => r.system === 'okta' && r.account === 'carol@acme.example');
    expect(carol).toMatchObject({ admin: 'yes', access: 'ORG_ADMIN', flags: 'ADMIN WITHOUT MFA' });
    expect(rows.find((r) => r.account === 'ci-deployer')?.flags).toBe(
      'service account (owner platform: deploys from CI)',
    );
  });

  it('writes a collected name that a spreadsheet would run as a formula as text', () => {
    const base = review();
    const login = '=HYPERLINK("http://evil.example","open")';
    const hostile = {
      ...base,
      accounts: base.accounts.map((a, i) => (i === 0 ? { ...a, account: login } : a)),
    };
    const rows = parse(accessReviewCsv(hostile), { columns: true }) as Record<string, string>[];
    expect(rows[0]?.account).toBe(`'${login}`);
  });
});

const artifact = (
  collector: string,
  source: Artifact['scope']['source'],
  id: string,
  snapshot: unknown,
  collectedAt = daysBefore(0),
): Artifact => ({
  collector,
  scope: { source, id },
  collectedAt,
  schemaVersion: 1,
  status: 'ok',
  snapshot,
});

describe('proofline access-review (store → review artifact → CSV)', () => {
  let store: LocalStore;
  let dir: string;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dir, dispose } = await tempStore());
    await store.putArtifact(artifact('okta.users', 'okta', 'acme.okta.com', okta));
    await store.putArtifact(artifact('aws.iam.credential-report', 'aws', '123456789012', iam));
    await store.putArtifact(artifact('github.org.members', 'github', 'acme', github));
    await store.putArtifact(
      artifact('github.org.members', 'github', 'acme-labs', { org: 'acme-labs', users: [] }),
    );
    await store.putArtifact({
      collector: 'identity-center.access',
      scope: { source: 'identity-center', id: 'ssoins-1', region: 'us-east-1' },
      collectedAt: daysBefore(0),
      schemaVersion: 1,
      status: 'error',
      error: { code: 'AccessDeniedException', message: 'not authorized', httpStatus: 403 },
    });
    await store.close();
    await writeFile(join(dir, 'map.yaml'), MAP_YAML);
  });
  afterEach(() => dispose());

  it('stores the review as evidence of its own (source manual), with its inputs, gaps and the map hash', async () => {
    const ctx = await openContext({ store: join(dir, 'store') });
    try {
      const run = await runAccessReview(ctx, {
        identityMap: join(dir, 'map.yaml'),
        csv: join(dir, 'review.csv'),
        record: true,
      });
      expect(run.ref).toMatchObject({ collector: 'proofline.access-review', source: 'manual', status: 'ok' });
      expect(run.ref!.key).toMatch(
        /^evidence\/source=manual\/collector=proofline\.access-review\/scope=access-review-global\//,
      );
      const r = (await ctx.store.getArtifact(run.ref!.key)).artifact as Artifact<AccessReviewSnapshot>;
      const snapshot = r.status === 'ok' ? r.snapshot : undefined;
      expect(snapshot?.sources.map((s) => `${s.collector} ${s.scope} ${s.status}`).sort()).toEqual([
        'aws.iam.credential-report 123456789012-global ok',
        'github.org.members acme-global ok',
        'github.org.members acme-labs-global ok',
        'identity-center.access ssoins-1-us-east-1 error',
        'okta.users acme.okta.com-global ok',
      ]);
      expect(snapshot?.notCollected).toEqual(['entra.users', 'google.users']);
      expect(snapshot?.gaps).toEqual([
        'identity-center.access ssoins-1-us-east-1: latest collection failed (AccessDeniedException: not authorized)',
        'github.org.members acme-labs-global: unexpected snapshot shape at members: Invalid input: expected array, received undefined',
      ]);
      // Relative to the config file's folder (here the working directory): no absolute path of this machine.
      expect(snapshot?.identityMap?.file).toBe(relative(process.cwd(), join(dir, 'map.yaml')));
      expect(snapshot?.identityMap?.file).not.toMatch(/^\//);
      expect(snapshot?.identityMap?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(snapshot?.orphaned.map((o) => `${o.system} ${o.account}`)).toEqual([
        'aws-iam bob',
        'github bobcodes',
        'aws-iam mallory',
        'github octo-admin',
      ]);
      expect(run.findings.filter((f) => f.status === 'fail')).toHaveLength(6);
      const csv = await readFile(join(dir, 'review.csv'), 'utf8');
      expect(csv.split('\n')[0]).toBe(CSV_COLUMNS.join(','));
      const states = new Map((await ctx.store.controlStates()).map((s) => [s.control, s]));
      expect(states.get('IDP-07')?.status).toBe('failing');
      expect(states.get('IDP-04')?.failing.map((f) => f.resource)).toContain('aws-iam:123456789012:bob');
      const text = formatAccessReview(run, join(dir, 'review.csv'));
      expect(text).toContain(
        'ORPHANED  aws-iam account bob (123456789012) is active: console password, but bob@acme.example is deactivated in the identity provider',
      );
      expect(text).toContain(
        'NO MFA    carol@acme.example: admin in okta carol@acme.example (ORG_ADMIN); no MFA on okta carol@acme.example',
      );
      expect(text).toContain('Not in the store, so not reviewed: entra.users, google.users');
    } finally {
      await ctx.store.close();
    }
  });

  it('runs from the command line, printing the CSV to standard output with --csv -', async () => {
    const lines: string[] = [];
    const code = await main(
      [
        'node',
        'proofline',
        '--store',
        join(dir, 'store'),
        'access-review',
        '--identity-map',
        join(dir, 'map.yaml'),
        '--csv',
        '-',
      ],
      { out: (t) => lines.push(t), err: () => {} },
    );
    expect(code).toBe(0);
    const rows = parse(lines.join('\n'), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r.flags?.includes('ORPHANED')).map((r) => r.account)).toEqual([
      'bob',
      'bobcodes',
      'mallory',
      'octo-admin',
    ]);
  });

  it('shows a review without storing it, and --record refuses an identity map that maps nobody', async () => {
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(
        ['node', 'proofline', '--store', join(dir, 'store'), 'access-review', ...args],
        {
          out: (t) => out.push(t),
          err: (t) => err.push(t),
        },
      );
      return { code, out: out.join('\n'), err };
    };
    const reviews = async () => {
      const s = await LocalStore.open(join(dir, 'store'));
      try {
        return await s.listArtifacts({ collector: 'proofline.access-review' });
      } finally {
        await s.close();
      }
    };
    const shown = await cli('--identity-map', join(dir, 'map.yaml'));
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('ORPHANED  aws-iam account bob');
    expect(shown.out).toContain('Not recorded: pass --record to keep this review as evidence');
    expect(await reviews()).toEqual([]);

    await writeFile(join(dir, 'empty.yaml'), 'people: []\nserviceAccounts: []\n');
    const refused = await cli('--identity-map', join(dir, 'empty.yaml'), '--record');
    expect(refused.code).toBe(2);
    expect(refused.err).toHaveLength(1);
    expect(refused.err[0]).toMatch(
      /^proofline: the identity map .*empty\.yaml maps no person or service account/,
    );
    expect(await reviews()).toEqual([]);

    const recorded = await cli('--identity-map', join(dir, 'map.yaml'), '--record');
    expect(recorded.code).toBe(0);
    expect(await reviews()).toHaveLength(1);
  });

  it('refuses an invalid identity map as a usage error naming the problem', async () => {
    await writeFile(join(dir, 'bad.yaml'), 'people:\n  - email: nobody\n    accounts: {}\n');
    const errors: string[] = [];
    const code = await main(
      [
        'node',
        'proofline',
        '--store',
        join(dir, 'store'),
        'access-review',
        '--identity-map',
        join(dir, 'bad.yaml'),
      ],
      { out: () => {}, err: (t) => errors.push(t) },
    );
    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(/bad\.yaml: people\.0\.email: must be an e-mail address/);
  });
});

it('the identity map shipped in governance/ is valid', async () => {
  const text = await readFile(new URL('../../../governance/identity-map.yaml', import.meta.url), 'utf8');
  expect(parseIdentityMap(text, 'governance/identity-map.yaml')).toEqual(EMPTY_IDENTITY_MAP);
  expect(parseIdentityMap(DEMO_IDENTITY_MAP, 'demo').people.map((p) => p.email)).toEqual([
    'alice@acme.example',
    'bob@acme.example',
  ]);
});
