import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IdentityApiError, MalformedResponseError } from '../../../collectors/identity/api-error.ts';
import {
  mfaForAdmins,
  mfaForAllUsers,
} from '../../../collectors/identity/entra/conditional-access/checks.ts';
import { collect as collectPolicies } from '../../../collectors/identity/entra/conditional-access/collect.ts';
import { entraConditionalAccess as entraConditionalAccessDefinition } from '../../../collectors/identity/entra/conditional-access/index.ts';
import type { ConditionalAccessPolicy } from '../../../collectors/identity/entra/conditional-access/snapshot.ts';
import { entraConnector } from '../../../collectors/identity/entra/connector.ts';
import { entraSession } from '../../../collectors/identity/entra/session.ts';
import { reviewAccounts } from '../../../collectors/identity/entra/users/accounts.ts';
import {
  adminsMfaCapable,
  guestsUnprivileged,
  roleLabel,
  usersInactive,
  usersMfaCapable,
} from '../../../collectors/identity/entra/users/checks.ts';
import { collect } from '../../../collectors/identity/entra/users/collect.ts';
import { entraUsers as entraUsersDefinition } from '../../../collectors/identity/entra/users/index.ts';
import type { EntraUser, EntraUsersSnapshot } from '../../../collectors/identity/entra/users/snapshot.ts';
import { collectTargets } from '../../../core/pipeline.ts';
import {
  authenticationStrength,
  caPolicy,
  context,
  daysBefore,
  type EntraSeed,
  type EntraStandIn,
  entraResponses,
  startEntraStandIn,
  tempStore,
  verdicts,
} from '../../support/identity.ts';
import { runnable } from '../../support/runnable.ts';

const entraConditionalAccess = runnable(entraConditionalAccessDefinition);
const entraUsers = runnable(entraUsersDefinition);

const TENANT = 'contoso.example';
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const PRIVILEGED_ROLE_ADMIN = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const created = '2025-01-01T00:00:00Z';

const seed: EntraSeed = {
  tenantId: TENANT,
  clientId: 'proofline-reader',
  clientSecret: 'the-secret',
  maxPageSize: 2, // four users → two pages, each followed through @odata.nextLink
  users: [
    {
      id: 'u1',
      userPrincipalName: 'adele@contoso.example',
      accountEnabled: true,
      createdDateTime: created,
      lastSignInDateTime: daysBefore(2),
      mfa: { capable: true, methods: ['microsoftAuthenticatorPush'] },
    },
    {
      id: 'u2',
      userPrincipalName: 'brian@contoso.example',
      accountEnabled: true,
      createdDateTime: created,
      lastSignInDateTime: daysBefore(3),
      mfa: { capable: false, methods: [] },
    },
    {
      id: 'u3',
      userPrincipalName: 'partner_x.example#EXT#@contoso.example',
      mail: 'pat@partner.example',
      userType: 'Guest',
      accountEnabled: true,
      createdDateTime: created,
      mfa: null,
    },
    {
      id: 'u4',
      userPrincipalName: 'old@contoso.example',
      accountEnabled: false,
      createdDateTime: created,
      mfa: null,
    },
  ],
  roles: [
    {
      id: 'r1',
      displayName: 'Global Administrator',
      roleTemplateId: GLOBAL_ADMIN,
      memberIds: ['u1', 'u2', 'u3'],
    },
    {
      id: 'r2',
      displayName: 'Reports Reader',
      roleTemplateId: '4a5d8f65-41da-4de4-8968-e035b65339cf',
      memberIds: ['u2', 'sp1'],
    },
  ],
  policies: [
    caPolicy('p1', 'Require MFA for admins', { includeRoles: [GLOBAL_ADMIN, PRIVILEGED_ROLE_ADMIN] }),
    caPolicy('p2', 'Require MFA for everyone (report-only)', {
      includeUsers: ['All'],
      state: 'enabledForReportingButNotEnforced',
    }),
  ],
};

/** A session on the stand-in for `of`, with the seed's credentials. */
const standInSession = (entra: EntraStandIn, of: EntraSeed) =>
  entraSession({
    tenantId: of.tenantId,
    clientId: of.clientId,
    clientSecret: of.clientSecret,
    authorityHost: entra.url,
    graphBaseUrl: entra.url,
    ca: entra.ca,
    maxRetries: 2,
  });

describe('entra collectors against the Entra ID / Graph stand-in', () => {
  let entra: EntraStandIn;
  const session = () => standInSession(entra, seed);
  beforeAll(async () => {
    entra = await startEntraStandIn(seed);
  });
  afterAll(() => entra.close());
  afterEach(() => entra.requests.splice(0));

  it('gets a token by client credentials and pages users, registration details and role members', async () => {
    const snapshot = await collect(session());
    expect(
      snapshot.users.map((u) => [
        u.userPrincipalName,
        u.accountEnabled,
        u.userType,
        u.mfaCapable,
        u.directoryRoles.map((r) => r.displayName),
      ]),
    ).toEqual([
      ['adele@contoso.example', true, 'Member', true, ['Global Administrator']],
      ['brian@contoso.example', true, 'Member', false, ['Global Administrator', 'Reports Reader']],
      ['old@contoso.example', false, 'Member', null, []],
      ['partner_x.example#EXT#@contoso.example', true, 'Guest', null, ['Global Administrator']],
    ]);
    expect(snapshot.users[0]?.lastSignIn).toBe(daysBefore(2));
    const paths = entra.requests.map((r) => decodeURIComponent(r.path));
    expect(paths.some((p) => p.startsWith(`/${TENANT}/oauth2/v2.0/token`))).toBe(true);
    expect(paths.filter((p) => p.startsWith('/v1.0/users') && p.includes('$skiptoken='))).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith('/v1.0/directoryRoles/r1/members'))).toHaveLength(2);
  });

  it('reads Conditional Access policies with their conditions and grant controls', async () => {
    const snapshot = await collectPolicies(session());
    expect(
      snapshot.policies.map((p) => [
        p.displayName,
        p.state,
        p.includeUsers,
        p.includeRoles.length,
        p.builtInControls,
      ]),
    ).toEqual([
      ['Require MFA for admins', 'enabled', [], 2, ['mfa']],
      ['Require MFA for everyone (report-only)', 'enabledForReportingButNotEnforced', ['All'], 0, ['mfa']],
    ]);
  });

  it('honours Retry-After on a 429 and then succeeds', async () => {
    entra.inject({ path: /^\/v1\.0\/identity\/conditionalAccess/, response: entraResponses.throttled(1) });
    const started = Date.now();
    const snapshot = await collectPolicies(session());
    expect(snapshot.policies).toHaveLength(2);
    expect(entra.requests.filter((r) => r.path.startsWith('/v1.0/identity/conditionalAccess'))).toHaveLength(
      2,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('records a refused client secret (401 at the token endpoint) as a failed collection', async () => {
    const { store, dispose } = await tempStore();
    try {
      const wrong = entraSession({
        tenantId: TENANT,
        clientId: seed.clientId,
        clientSecret: 'wrong',
        authorityHost: entra.url,
        graphBaseUrl: entra.url,
        ca: entra.ca,
      });
      const [outcome] = await collectTargets(store, [
        { collector: entraUsers, scope: { source: 'entra', id: TENANT }, session: wrong },
      ]);
      const { artifact } = await store.getArtifact(outcome?.ref.key ?? '');
      expect(artifact.status).toBe('error');
      expect(artifact.status === 'error' && artifact.error.message).toMatch(/AADSTS7000215/);
      expect(artifact).toMatchObject({
        error: { httpStatus: 401, code: 'Unauthorized', operation: 'listUsers' },
      });
      expect(outcome?.findings).toEqual([]);
    } finally {
      await dispose();
    }
  });

  it.each([
    ['401', entraResponses.unauthorized(), 401, 'Unauthorized'],
    ['403', entraResponses.forbidden(), 403, 'Forbidden'],
  ])('records a Graph %s as a gap with its status', async (_name, response, status, code) => {
    entra.inject({ path: /^\/v1\.0\/identity\/conditionalAccess/, response });
    const { store, dispose } = await tempStore();
    try {
      const [outcome] = await collectTargets(store, [
        { collector: entraConditionalAccess, scope: { source: 'entra', id: TENANT }, session: session() },
      ]);
      const { artifact } = await store.getArtifact(outcome?.ref.key ?? '');
      expect(artifact).toMatchObject({
        status: 'error',
        error: { code, httpStatus: status, operation: 'listConditionalAccessPolicies' },
      });
    } finally {
      await dispose();
    }
  });

  it('refuses a collection without a value array and a user without a userPrincipalName', async () => {
    entra.inject({
      path: /^\/v1\.0\/identity\/conditionalAccess/,
      response: { status: 200, body: { '@odata.context': 'x', policies: [] } },
    });
    const noValue = await collectPolicies(session()).catch((e) => e);
    expect(noValue).toBeInstanceOf(MalformedResponseError);
    expect(noValue.message).toMatch(
      /^entra listConditionalAccessPolicies returned a malformed response: .*page 1: value: /,
    );

    entra.inject({
      path: /^\/v1\.0\/users/,
      response: { status: 200, body: { value: [{ id: 'u9', accountEnabled: true }] } },
    });
    const noUpn = await collect(session()).catch((e) => e);
    expect(noUpn).toBeInstanceOf(MalformedResponseError);
    expect(noUpn.message).toMatch(/entra listUsers returned a malformed response: 0\.userPrincipalName/);
  });

  /** Graph's answer to `path`, once, replaced by `body`; what collecting the users (or `run`) then throws. */
  const damaged = async (
    path: RegExp,
    body: unknown,
    run: (s: ReturnType<typeof session>) => Promise<unknown> = collect,
  ) => {
    entra.inject({ path, response: { status: 200, body } });
    return run(session()).catch((e: unknown) => e);
  };
  const malformed = (error: unknown, message: RegExp) => {
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(message);
  };
  const USERS = /^\/v1\.0\/users\?/;
  const REGISTRATIONS = /^\/v1\.0\/reports\/authenticationMethods\/userRegistrationDetails/;
  const POLICIES = /^\/v1\.0\/identity\/conditionalAccess\/policies/;
  /** A user as Graph answers `GET /users` with the collector's `$select`. */
  const dora = {
    id: 'u9',
    displayName: 'dora',
    userPrincipalName: 'dora@contoso.example',
    mail: 'dora@contoso.example',
    accountEnabled: true,
    userType: 'Member',
    createdDateTime: created,
    signInActivity: {
      lastSignInDateTime: daysBefore(4),
      lastSignInRequestId: 'r9',
      lastNonInteractiveSignInDateTime: null,
      lastNonInteractiveSignInRequestId: null,
    },
  };
  const without = <T extends object>(value: T, key: keyof T) => {
    const { [key]: _dropped, ...rest } = value;
    return rest;
  };

  it.each([
    ['a null accountEnabled (read as "disabled")', { ...dora, accountEnabled: null }, '0.accountEnabled'],
    ['a missing accountEnabled (read as "disabled")', without(dora, 'accountEnabled'), '0.accountEnabled'],
    ['a missing userType (read as "Member")', without(dora, 'userType'), '0.userType'],
    ['a null userType (read as "Member")', { ...dora, userType: null }, '0.userType'],
    ['a createdDateTime that is no date', { ...dora, createdDateTime: 'not-a-date' }, '0.createdDateTime'],
    ['a missing createdDateTime (read as "unknown")', without(dora, 'createdDateTime'), '0.createdDateTime'],
    [
      'a last sign-in that is no date',
      { ...dora, signInActivity: { ...dora.signInActivity, lastSignInDateTime: 'not-a-date' } },
      '0.signInActivity.lastSignInDateTime',
    ],
    [
      'a missing last non-interactive sign-in (read as "never")',
      { ...dora, signInActivity: without(dora.signInActivity, 'lastNonInteractiveSignInDateTime') },
      '0.signInActivity.lastNonInteractiveSignInDateTime',
    ],
  ])(
    'a user with %s is a malformed listUsers answer naming the item and field',
    async (_what, user, field) => {
      malformed(
        await damaged(USERS, { value: [user] }),
        new RegExp(`^entra listUsers returned a malformed response: ${field.replaceAll('.', '\\.')}: `),
      );
    },
  );

  it('keeps what Graph documents absence to mean: no signInActivity is "never signed in", a null creation date is unknown', async () => {
    const legacy = { ...dora, id: 'u8', userPrincipalName: 'eve@contoso.example', createdDateTime: null };
    entra.inject({
      path: USERS,
      response: { status: 200, body: { value: [without(dora, 'signInActivity'), legacy] } },
    });
    const snapshot = await collect(session());
    expect(snapshot.users.map((u) => [u.id, u.lastSignIn, u.createdDateTime])).toEqual([
      ['u9', null, created],
      ['u8', daysBefore(4), null],
    ]);
  });

  it('a registration row without methodsRegistered is malformed, never "no methods"; no row is unknown, not []', async () => {
    const row = {
      id: 'u1',
      userPrincipalName: 'adele@contoso.example',
      isMfaCapable: true,
      isMfaRegistered: true,
      methodsRegistered: ['fido2'],
    };
    malformed(
      await damaged(REGISTRATIONS, { value: [without(row, 'methodsRegistered')] }),
      /^entra listUserRegistrationDetails returned a malformed response: 0\.methodsRegistered: /,
    );
    malformed(
      await damaged(REGISTRATIONS, { value: [{ ...row, isMfaCapable: null }] }),
      /^entra listUserRegistrationDetails returned a malformed response: 0\.isMfaCapable: /,
    );
    const snapshot = await collect(session());
    const old = snapshot.users.find((u) => u.id === 'u4');
    expect([old?.mfaCapable, old?.mfaRegistered, old?.methodsRegistered]).toEqual([null, null, null]);
  });

  it('a later page without value is malformed, never the end of the users', async () => {
    malformed(
      await damaged(/^\/v1\.0\/users\?.*\$skiptoken=/, { '@odata.context': 'x' }),
      /^entra listUsers returned a malformed response: .*page 2: value: /,
    );
  });

  it.each([
    ['no URL', 'http://[bad'],
    ['not text', 0],
    ['null', null],
  ])('a next link that is %s is a malformed answer, never followed', async (_what, nextLink) => {
    malformed(
      await damaged(USERS, { value: [], '@odata.nextLink': nextLink }),
      /^entra listUsers returned a malformed response: .*page 1: @odata\.nextLink: /,
    );
  });

  it('a role without its roleTemplateId is malformed, and a member without an id', async () => {
    malformed(
      await damaged(/^\/v1\.0\/directoryRoles\?|^\/v1\.0\/directoryRoles$/, {
        value: [{ id: 'r1', displayName: 'Global Administrator' }],
      }),
      /^entra listDirectoryRoles returned a malformed response: 0\.roleTemplateId: /,
    );
    malformed(
      await damaged(/^\/v1\.0\/directoryRoles\/r1\/members/, {
        value: [{ '@odata.type': '#microsoft.graph.user' }],
      }),
      /^entra listDirectoryRoleMembers returned a malformed response: 0\.id: /,
    );
  });

  const policy = caPolicy('p9', 'Require MFA for everyone', { includeUsers: ['All'], excludeUsers: ['bg1'] });
  const MFA_STRENGTH = authenticationStrength(
    '00000000-0000-0000-0000-000000000002',
    'Multifactor authentication',
    'mfa',
    ['windowsHelloForBusiness', 'fido2', 'password,microsoftAuthenticatorPush', 'password,sms'],
  );
  const withUsers = (users: unknown) => ({ ...policy, conditions: { ...policy.conditions, users } });
  /** The next policy list answers these policies. */
  const servePolicies = (...value: unknown[]) =>
    entra.inject({ path: POLICIES, response: { status: 200, body: { value } } });
  it.each([
    [
      'without excludeUsers (read as "no exclusions")',
      withUsers(without(policy.conditions.users, 'excludeUsers')),
      '0.conditions.users.excludeUsers',
    ],
    [
      'with excludeRoles null (read as "no role excluded")',
      withUsers({ ...policy.conditions.users, excludeRoles: null }),
      '0.conditions.users.excludeRoles',
    ],
    ['without users or client applications', withUsers(null), '0.conditions.users'],
    [
      'without includeApplications',
      {
        ...policy,
        conditions: {
          ...policy.conditions,
          applications: without(policy.conditions.applications, 'includeApplications'),
        },
      },
      '0.conditions.applications.includeApplications',
    ],
    [
      'whose grant controls state no operator',
      { ...policy, grantControls: without(policy.grantControls, 'operator') },
      '0.grantControls.operator',
    ],
    [
      'whose grant controls omit the terms of use (read as "none offered")',
      { ...policy, grantControls: without(policy.grantControls, 'termsOfUse') },
      '0.grantControls.termsOfUse',
    ],
    [
      'whose grant controls have null custom controls',
      { ...policy, grantControls: { ...policy.grantControls, customAuthenticationFactors: null } },
      '0.grantControls.customAuthenticationFactors',
    ],
    [
      'whose authentication strength does not say what it satisfies',
      {
        ...policy,
        grantControls: {
          ...policy.grantControls,
          authenticationStrength: without(MFA_STRENGTH, 'requirementsSatisfied'),
        },
      },
      '0.grantControls.authenticationStrength.requirementsSatisfied',
    ],
    ['in a state Graph does not document', { ...policy, state: 'x' }, '0.state'],
  ])('a policy %s is a malformed answer naming the field', async (_what, body, field) => {
    malformed(
      await damaged(POLICIES, { value: [body] }, collectPolicies),
      new RegExp(
        `^entra listConditionalAccessPolicies returned a malformed response: ${field.replaceAll('.', '\\.')}: `,
      ),
    );
  });

  it('records an authentication strength with what Graph says it satisfies', async () => {
    const passwordOnly = authenticationStrength('c1', 'Password or SMS', 'none', ['password', 'sms']);
    servePolicies(
      caPolicy('p1', 'Strong', { builtInControls: [], authenticationStrength: MFA_STRENGTH }),
      caPolicy('p2', 'Weak', { builtInControls: [], authenticationStrength: passwordOnly }),
    );
    const recorded = (await collectPolicies(session())).policies.map((p) => [
      p.authenticationStrength,
      p.authenticationStrengthSatisfies,
    ]);
    expect(recorded).toEqual([
      ['Multifactor authentication', 'mfa'],
      ['Password or SMS', 'none'],
    ]);
  });

  it('records the custom controls and terms of use a grant offers', async () => {
    const grantControls = {
      ...policy.grantControls,
      customAuthenticationFactors: ['duo'],
      termsOfUse: ['tou-1'],
    };
    servePolicies({ ...policy, grantControls });
    const [recorded] = (await collectPolicies(session())).policies;
    expect([recorded?.customAuthenticationFactors, recorded?.termsOfUse]).toEqual([['duo'], ['tou-1']]);
  });

  it('keeps what Graph documents absence to mean: no grant controls, and a workload-identity policy has no users', async () => {
    servePolicies(
      { ...policy, grantControls: null },
      {
        ...withUsers(null),
        id: 'p8',
        displayName: 'Block risky service principals',
        conditions: {
          ...withUsers(null).conditions,
          clientApplications: { includeServicePrincipals: ['All'], excludeServicePrincipals: [] },
        },
      },
    );
    const snapshot = await collectPolicies(session());
    expect(
      snapshot.policies.map((p) => [
        p.id,
        p.includeUsers,
        p.excludeUsers,
        p.grantOperator,
        p.builtInControls,
      ]),
    ).toEqual([
      ['p8', [], [], 'OR', ['mfa']],
      ['p9', ['All'], ['bg1'], null, []],
    ]);
  });

  it('gives up after the retries when throttling persists, naming the status', async () => {
    entra.inject({
      path: /^\/v1\.0\/identity\/conditionalAccess/,
      times: 5,
      response: entraResponses.throttled(0),
    });
    const error = await collectPolicies(session()).catch((e) => e);
    expect(error).toBeInstanceOf(IdentityApiError);
    expect(error.status).toBe(429);
  });
});

describe('entra directory roles held through a role-assignable group', () => {
  const PRIVILEGED_ROLE = { id: 'r2', displayName: 'Privileged Role Administrator' };
  const groupSeed: EntraSeed = {
    tenantId: TENANT,
    clientId: 'proofline-reader',
    clientSecret: 'the-secret',
    users: [
      {
        id: 'u1',
        userPrincipalName: 'adele@contoso.example',
        accountEnabled: true,
        createdDateTime: created,
        lastSignInDateTime: daysBefore(1),
        mfa: { capable: true, methods: ['fido2'] },
      },
      {
        id: 'u2',
        userPrincipalName: 'carol@contoso.example',
        accountEnabled: true,
        createdDateTime: created,
        lastSignInDateTime: daysBefore(1),
        mfa: { capable: false, methods: [] },
      },
      {
        id: 'u3',
        userPrincipalName: 'partner_y.example#EXT#@contoso.example',
        userType: 'Guest',
        accountEnabled: true,
        createdDateTime: created,
        mfa: null,
      },
    ],
    groups: [{ id: 'g1', displayName: 'Tier-0 operators', memberIds: ['u2', 'u3'] }],
    roles: [
      {
        id: 'r1',
        displayName: 'Global Administrator',
        roleTemplateId: GLOBAL_ADMIN,
        memberIds: ['u1', 'g1'],
      },
      { ...PRIVILEGED_ROLE, roleTemplateId: PRIVILEGED_ROLE_ADMIN, memberIds: ['g1'] },
    ],
  };
  let entra: EntraStandIn;
  const session = () => standInSession(entra, groupSeed);
  beforeAll(async () => {
    entra = await startEntraStandIn(groupSeed);
  });
  afterAll(() => entra.close());
  afterEach(() => entra.requests.splice(0));

  it("gives each member of the group the group's roles, reading its members once", async () => {
    const snapshot = await collect(session());
    const roles = (upn: string) => snapshot.users.find((u) => u.userPrincipalName === upn)?.directoryRoles;
    expect(roles('carol@contoso.example')).toEqual([
      { roleTemplateId: GLOBAL_ADMIN, displayName: 'Global Administrator', viaGroup: 'g1' },
      { roleTemplateId: PRIVILEGED_ROLE_ADMIN, displayName: PRIVILEGED_ROLE.displayName, viaGroup: 'g1' },
    ]);
    expect(roles('adele@contoso.example')).toEqual([
      { roleTemplateId: GLOBAL_ADMIN, displayName: 'Global Administrator' },
    ]);
    const groupReads = entra.requests.filter((r) => r.path.startsWith('/v1.0/groups/g1/transitiveMembers'));
    expect(groupReads).toHaveLength(1);
    // The admin checks now see the administrators the group makes.
    expect(verdicts(adminsMfaCapable.evaluate(snapshot, ctx))).toEqual([
      'pass adele@contoso.example',
      'fail carol@contoso.example',
      'fail partner_y.example#EXT#@contoso.example',
    ]);
    expect(verdicts(guestsUnprivileged.evaluate(snapshot, ctx))).toEqual([
      'fail partner_y.example#EXT#@contoso.example',
    ]);
  });

  it('a role member without its type is malformed: a group could not be told from a user', async () => {
    entra.inject({
      path: /^\/v1\.0\/directoryRoles\/r1\/members/,
      response: { status: 200, body: { value: [{ id: 'g1' }] } },
    });
    const error = await collect(session()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(
      /^entra listDirectoryRoleMembers returned a malformed response: 0\.@odata\.type: /,
    );
  });
});

describe('entra.users: roles eligible through PIM', () => {
  const AU_SCOPE = '/administrativeUnits/au1';
  const pimSeed: EntraSeed = {
    ...seed,
    maxPageSize: 100,
    users: [
      ...seed.users.slice(0, 3),
      { ...seed.users[0]!, id: 'u5', userPrincipalName: 'dave@contoso.example' },
    ],
    groups: [{ id: 'g1', displayName: 'Tier-0 on demand', memberIds: ['u3'] }],
    roles: [
      { id: 'r1', displayName: 'Global Administrator', roleTemplateId: GLOBAL_ADMIN, memberIds: ['u1'] },
    ],
    eligibleRoles: [
      { roleTemplateId: GLOBAL_ADMIN, principalId: 'u1' },
      { roleTemplateId: GLOBAL_ADMIN, principalId: 'u2' },
      { roleTemplateId: PRIVILEGED_ROLE_ADMIN, principalId: 'g1' },
      { roleTemplateId: GLOBAL_ADMIN, principalId: 'u5', directoryScopeId: AU_SCOPE },
    ],
  };
  let entra: EntraStandIn;
  beforeAll(async () => {
    entra = await startEntraStandIn(pimSeed);
  });
  afterAll(() => entra.close());
  afterEach(() => entra.requests.splice(0));
  const ELIGIBILITIES = /^\/v1\.0\/roleManagement\/directory\/roleEligibilityScheduleInstances/;

  it('counts tenant-wide eligible roles, directly or through a group, and an active one once', async () => {
    const snapshot = await collect(standInSession(entra, pimSeed));
    const roles = (upn: string) => snapshot.users.find((u) => u.userPrincipalName === upn)?.directoryRoles;
    expect(snapshot.roleEligibilities).toBe('read');
    expect(roles('adele@contoso.example')).toEqual([
      { roleTemplateId: GLOBAL_ADMIN, displayName: 'Global Administrator' },
    ]);
    expect(roles('brian@contoso.example')).toEqual([
      { roleTemplateId: GLOBAL_ADMIN, displayName: 'Global Administrator', eligible: true },
    ]);
    expect(roles('partner_x.example#EXT#@contoso.example')).toEqual([
      {
        roleTemplateId: PRIVILEGED_ROLE_ADMIN,
        displayName: 'Privileged Role Administrator',
        viaGroup: 'g1',
        eligible: true,
      },
    ]);
    expect(roles('dave@contoso.example')).toEqual([]); // eligible in an administrative unit only
    const read = entra.requests
      .filter((r) => ELIGIBILITIES.test(r.path))
      .map((r) => decodeURIComponent(r.path));
    expect(read).toEqual([
      '/v1.0/roleManagement/directory/roleEligibilityScheduleInstances?$expand=principal',
    ]);
    expect(verdicts(adminsMfaCapable.evaluate(snapshot, ctx))).toEqual([
      'pass adele@contoso.example',
      'fail brian@contoso.example',
      'fail partner_x.example#EXT#@contoso.example',
    ]);
    expect(guestsUnprivileged.evaluate(snapshot, ctx)[0]?.reason).toBe(
      'guest partner_x.example#EXT#@contoso.example holds Privileged Role Administrator (eligible)',
    );
    expect(reviewAccounts(snapshot).find((a) => a.account === 'brian@contoso.example')).toMatchObject({
      admin: true,
      access: ['Global Administrator (eligible)'],
    });
  });

  it('a tenant without a PIM licence is recorded as such, with its active roles', async () => {
    const unlicensed = { ...pimSeed, pimLicensed: false };
    const standIn = await startEntraStandIn(unlicensed);
    try {
      const snapshot = await collect(standInSession(standIn, unlicensed));
      expect(snapshot.roleEligibilities).toBe('unlicensed');
      expect(snapshot.users.flatMap((u) => u.directoryRoles.map((r) => `${u.id} ${roleLabel(r)}`))).toEqual([
        'u1 Global Administrator',
      ]);
    } finally {
      await standIn.close();
    }
  });

  it('eligibilities that cannot be read fail the collection, never read as "none"', async () => {
    entra.inject({ path: ELIGIBILITIES, response: entraResponses.forbidden() });
    const refused = await collect(standInSession(entra, pimSeed)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IdentityApiError);
    expect((refused as Error).message).toMatch(
      /^entra listRoleEligibilityScheduleInstances failed with HTTP 403/,
    );
    entra.inject({
      path: ELIGIBILITIES,
      response: { status: 200, body: { value: [{ roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: '/' }] } },
    });
    const damagedAnswer = await collect(standInSession(entra, pimSeed)).catch((e: unknown) => e);
    expect((damagedAnswer as Error).message).toMatch(
      /^entra listRoleEligibilityScheduleInstances returned a malformed response: 0\.principal: /,
    );
  });
});

describe('entra connector', () => {
  it('validates the section and reports missing credentials', () => {
    expect(
      entraConnector.schema.safeParse({ tenantId: 'contoso.example', graphBaseUrl: 'http://graph.example' })
        .success,
    ).toBe(false);
    expect(entraConnector.missing({ tenantId: 'contoso.example' }, { env: {} })).toMatch(
      /AZURE_CLIENT_ID and AZURE_CLIENT_SECRET/,
    );
    expect(
      entraConnector.missing(
        { tenantId: 'contoso.example' },
        { env: { AZURE_CLIENT_ID: 'a', AZURE_CLIENT_SECRET: 'b' } },
      ),
    ).toBeUndefined();
  });

  it('reads the CA file it is given, and says so when it cannot', async () => {
    await expect(
      entraConnector.targets(
        [entraUsers],
        { tenantId: 'contoso.example', caFile: '/nonexistent/ca.pem' },
        { env: { AZURE_CLIENT_ID: 'a', AZURE_CLIENT_SECRET: 'b' } },
      ),
    ).rejects.toThrow(/scope.entra.caFile: cannot read \/nonexistent\/ca.pem/);
    const targets = await entraConnector.targets(
      [entraUsers, entraConditionalAccess],
      { tenantId: 'contoso.example' },
      { env: { AZURE_CLIENT_ID: 'a', AZURE_CLIENT_SECRET: 'b' } },
    );
    expect(targets.map((t) => t.scope)).toEqual([
      { source: 'entra', id: 'contoso.example' },
      { source: 'entra', id: 'contoso.example' },
    ]);
  });
});

const user = (over: Partial<EntraUser>): EntraUser => ({
  id: 'u',
  userPrincipalName: 'u@contoso.example',
  mail: null,
  displayName: null,
  accountEnabled: true,
  userType: 'Member',
  createdDateTime: created,
  lastSignIn: daysBefore(1),
  mfaCapable: true,
  mfaRegistered: true,
  methodsRegistered: ['fido2'],
  directoryRoles: [],
  ...over,
});
const users = (...list: EntraUser[]): EntraUsersSnapshot => ({ tenantId: TENANT, users: list });
const ctx = context('entra', TENANT);
const globalAdmin = [{ roleTemplateId: GLOBAL_ADMIN, displayName: 'Global Administrator' }];

describe('entra.users checks', () => {
  it('entra.users.mfa-capable: enabled members are MFA capable; a missing report row fails', () => {
    const s = users(
      user({ userPrincipalName: 'ok' }),
      user({ userPrincipalName: 'no', mfaCapable: false }),
      user({ userPrincipalName: 'unknown', mfaCapable: null }),
      user({ userPrincipalName: 'off', accountEnabled: false, mfaCapable: false }),
      user({ userPrincipalName: 'guest', userType: 'Guest', mfaCapable: false }),
    );
    expect(verdicts(usersMfaCapable.evaluate(s, ctx))).toEqual(['pass ok', 'fail no', 'fail unknown']);
  });

  it('entra.admins.mfa-capable: only privileged role holders are judged', () => {
    const s = users(
      user({ userPrincipalName: 'admin', directoryRoles: globalAdmin }),
      user({ userPrincipalName: 'weak-admin', directoryRoles: globalAdmin, mfaCapable: false }),
      user({
        userPrincipalName: 'reader',
        directoryRoles: [{ roleTemplateId: 'x', displayName: 'Reports Reader' }],
        mfaCapable: false,
      }),
    );
    expect(verdicts(adminsMfaCapable.evaluate(s, ctx))).toEqual(['pass admin', 'fail weak-admin']);
  });

  it('entra.users.inactive: enabled users and guests signed in within 90 days', () => {
    const s = users(
      user({ userPrincipalName: 'recent' }),
      user({ userPrincipalName: 'stale', lastSignIn: daysBefore(120) }),
      user({
        userPrincipalName: 'never',
        lastSignIn: null,
        createdDateTime: daysBefore(100),
        userType: 'Guest',
      }),
      user({ userPrincipalName: 'disabled', accountEnabled: false, lastSignIn: daysBefore(500) }),
    );
    const findings = usersInactive.evaluate(s, ctx);
    expect(verdicts(findings)).toEqual(['pass recent', 'fail stale', 'fail never']);
    expect(findings[2]?.reason).toBe('guest never never signed in, created 100 days ago');
  });

  it('entra.guests.no-privileged-roles: guests with a privileged role fail', () => {
    const s = users(
      user({ userPrincipalName: 'g1', userType: 'Guest' }),
      user({ userPrincipalName: 'g2', userType: 'Guest', directoryRoles: globalAdmin }),
      user({ userPrincipalName: 'member', directoryRoles: globalAdmin }),
    );
    expect(verdicts(guestsUnprivileged.evaluate(s, ctx))).toEqual(['pass g1', 'fail g2']);
  });
});

describe('entra.conditional-access checks', () => {
  const policy = (over: Partial<ConditionalAccessPolicy>): ConditionalAccessPolicy => ({
    id: 'p',
    displayName: 'p',
    state: 'enabled',
    includeUsers: [],
    excludeUsers: [],
    includeGroups: [],
    excludeGroups: [],
    includeRoles: [],
    excludeRoles: [],
    includeApplications: ['All'],
    excludeApplications: [],
    grantOperator: 'OR',
    builtInControls: ['mfa'],
    customAuthenticationFactors: [],
    termsOfUse: [],
    authenticationStrength: null,
    authenticationStrengthSatisfies: null,
    ...over,
  });
  const snapshot = (...policies: ConditionalAccessPolicy[]) => ({ tenantId: TENANT, policies });

  it('entra.ca.mfa-all-users: passes only for an enforced all-users, all-apps MFA grant', () => {
    const pass = (p: ConditionalAccessPolicy) => mfaForAllUsers.evaluate(snapshot(p), ctx)[0]?.status;
    expect(pass(policy({ includeUsers: ['All'] }))).toBe('pass');
    expect(
      pass(
        policy({
          includeUsers: ['All'],
          builtInControls: [],
          authenticationStrength: 'Phishing-resistant MFA',
          authenticationStrengthSatisfies: 'mfa',
        }),
      ),
    ).toBe('pass');
    expect(pass(policy({ includeUsers: ['All'], state: 'enabledForReportingButNotEnforced' }))).toBe('fail');
    expect(
      pass(policy({ includeUsers: ['All'], includeApplications: ['00000003-0000-0ff1-ce00-000000000000'] })),
    ).toBe('fail');
    expect(
      pass(
        policy({ includeUsers: ['All'], builtInControls: ['mfa', 'compliantDevice'], grantOperator: 'OR' }),
      ),
    ).toBe('fail');
    expect(
      pass(
        policy({ includeUsers: ['All'], builtInControls: ['mfa', 'compliantDevice'], grantOperator: 'AND' }),
      ),
    ).toBe('pass');
    expect(pass(policy({ includeGroups: ['g1'] }))).toBe('fail');
    expect(
      mfaForAllUsers.evaluate(
        snapshot(policy({ includeUsers: ['All'], excludeUsers: ['breakglass'] })),
        ctx,
      )[0]?.reason,
    ).toMatch(/1 exclusions/);
  });

  it('entra.ca.mfa-all-users: an OR grant that offers any other way in does not require MFA', () => {
    const pass = (over: Partial<ConditionalAccessPolicy>) =>
      mfaForAllUsers.evaluate(snapshot(policy({ includeUsers: ['All'], ...over })), ctx)[0]?.status;
    const strength = {
      builtInControls: [],
      authenticationStrength: 'Multifactor authentication',
      authenticationStrengthSatisfies: 'mfa',
    };
    expect(pass({ termsOfUse: ['tou-1'] })).toBe('fail');
    expect(pass({ customAuthenticationFactors: ['duo'] })).toBe('fail');
    expect(pass({ ...strength, builtInControls: ['compliantDevice'] })).toBe('fail');
    expect(pass({ termsOfUse: ['tou-1'], grantOperator: 'AND' })).toBe('pass');
    expect(pass({ ...strength, builtInControls: ['compliantDevice'], grantOperator: 'AND' })).toBe('pass');
    expect(pass({ ...strength, termsOfUse: [] })).toBe('pass');
  });

  it('entra.ca.mfa-all-users: an authentication strength that does not satisfy MFA is no MFA, alone or beside it', () => {
    const pass = (over: Partial<ConditionalAccessPolicy>) =>
      mfaForAllUsers.evaluate(snapshot(policy({ includeUsers: ['All'], ...over })), ctx)[0]?.status;
    const weak = { authenticationStrength: 'Password or SMS', authenticationStrengthSatisfies: 'none' };
    expect(pass({ ...weak, builtInControls: [] })).toBe('fail');
    expect(pass({ ...weak, builtInControls: [], grantOperator: 'AND' })).toBe('fail');
    expect(pass({ ...weak, builtInControls: ['mfa'] })).toBe('fail');
    expect(pass({ ...weak, builtInControls: ['mfa'], grantOperator: 'AND' })).toBe('pass');
    // Recorded before what a strength satisfies was: not established, so not MFA.
    expect(pass({ builtInControls: [], authenticationStrength: 'Multifactor authentication' })).toBe('fail');
  });

  it('entra.ca.mfa-all-users: a snapshot that does not record custom controls and terms of use cannot show an OR grant requires MFA', () => {
    const { customAuthenticationFactors: _, termsOfUse: __, ...older } = policy({ includeUsers: ['All'] });
    expect(mfaForAllUsers.evaluate(snapshot(older), ctx)[0]?.status).toBe('fail');
    expect(mfaForAllUsers.evaluate(snapshot({ ...older, grantOperator: 'AND' }), ctx)[0]?.status).toBe(
      'pass',
    );
  });

  it('entra.ca.mfa-admins: all users, or every core admin role, must be covered', () => {
    const core = [
      GLOBAL_ADMIN,
      PRIVILEGED_ROLE_ADMIN,
      '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
      '194ae4cb-b126-40b2-bd5b-6091b380977d',
      'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9',
    ];
    const verdict = (...p: ConditionalAccessPolicy[]) => mfaForAdmins.evaluate(snapshot(...p), ctx)[0];
    expect(verdict(policy({ includeRoles: core }))?.status).toBe('pass');
    expect(verdict(policy({ includeUsers: ['All'] }))?.status).toBe('pass');
    expect(
      verdict(policy({ includeRoles: core.slice(0, 3) }), policy({ includeRoles: core.slice(3) }))?.status,
    ).toBe('pass');
    const partial = verdict(policy({ includeRoles: [GLOBAL_ADMIN] }));
    expect(partial?.status).toBe('fail');
    expect(partial?.reason).toMatch(/no enabled policy requires MFA for Privileged Role Administrator, /);
    expect(verdict(policy({ includeRoles: core, state: 'disabled' }))?.status).toBe('fail');
  });
});
