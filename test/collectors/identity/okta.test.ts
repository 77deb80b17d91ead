import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IdentityApiError, MalformedResponseError } from '../../../collectors/identity/api-error.ts';
import { oktaConnector } from '../../../collectors/identity/okta/connector.ts';
import {
  passwordPolicyStrength,
  signOnMfaRequired,
} from '../../../collectors/identity/okta/policies/checks.ts';
import { collect as collectPolicies } from '../../../collectors/identity/okta/policies/collect.ts';
import { oktaPolicies as oktaPoliciesDefinition } from '../../../collectors/identity/okta/policies/index.ts';
import type {
  OktaPoliciesSnapshot,
  OktaSignOnRule,
} from '../../../collectors/identity/okta/policies/snapshot.ts';
import { OktaHttpError, oktaSession } from '../../../collectors/identity/okta/session.ts';
import {
  adminsActive,
  adminsMfa,
  deactivatedAppAccess,
  usersInactive,
  usersMfaEnrolled,
} from '../../../collectors/identity/okta/users/checks.ts';
import { collect } from '../../../collectors/identity/okta/users/collect.ts';
import { oktaUsers as oktaUsersDefinition } from '../../../collectors/identity/okta/users/index.ts';
import type { OktaUser, OktaUsersSnapshot } from '../../../collectors/identity/okta/users/snapshot.ts';
import { collectTargets } from '../../../core/pipeline.ts';
import {
  AS_OF,
  accessPolicyRule,
  context,
  daysBefore,
  type OktaSeed,
  oktaResponses,
  passwordSettings,
  type StandIn,
  signOnRule,
  startOktaStandIn,
  tempStore,
  verdicts,
} from '../../support/identity.ts';
import { runnable } from '../../support/runnable.ts';

const oktaPolicies = runnable(oktaPoliciesDefinition);
const oktaUsers = runnable(oktaUsersDefinition);

const TOKEN = 'test-ssws-token';
const totp = { factorType: 'token:software:totp', provider: 'GOOGLE', status: 'ACTIVE' };
const created = '2025-01-01T00:00:00.000Z';

const seed: OktaSeed = {
  token: TOKEN,
  maxPageSize: 2, // five users → three pages of GET /api/v1/users, two of /iam/assignees/users
  users: [
    {
      id: '00ua',
      login: 'alice@acme.example',
      status: 'ACTIVE',
      created,
      lastLogin: daysBefore(1),
      factors: [totp],
      roles: ['SUPER_ADMIN'],
    },
    {
      id: '00ub',
      login: 'bob@acme.example',
      status: 'DEPROVISIONED',
      created,
      apps: [{ id: '0oa1', label: 'GitHub', status: 'ACTIVE' }],
    },
    {
      id: '00uc',
      login: 'carol@acme.example',
      status: 'ACTIVE',
      created,
      lastLogin: daysBefore(200),
      roles: ['ORG_ADMIN', 'APP_ADMIN'],
    },
    {
      id: '00ud',
      login: 'dan@acme.example',
      email: 'dan@acme.example',
      status: 'SUSPENDED',
      created,
      roles: ['HELP_DESK_ADMIN'],
    },
    { id: '00ue', login: 'erin@acme.example', status: 'STAGED', created },
    { id: '00uf', login: 'frank@acme.example', status: 'PASSWORD_EXPIRED', created, factors: [totp] },
  ],
  policies: [
    {
      id: '00p1',
      type: 'PASSWORD',
      name: 'Default Policy',
      status: 'ACTIVE',
      priority: 1,
      settings: passwordSettings(8, 0, 0),
    },
    {
      id: '00p2',
      type: 'PASSWORD',
      name: 'Admins',
      status: 'ACTIVE',
      priority: 0,
      settings: passwordSettings(14, 5, 5),
    },
    {
      id: '00p3',
      type: 'OKTA_SIGN_ON',
      name: 'Default Policy',
      status: 'ACTIVE',
      rules: [signOnRule('0pr1', 'Default Rule', false)],
    },
    {
      id: '00p4',
      type: 'ACCESS_POLICY',
      name: 'Any two factors',
      status: 'ACTIVE',
      rules: [accessPolicyRule('0pr2', 'Catch-all', '2FA')],
    },
  ],
};

describe('okta.users collect against the Okta stand-in', () => {
  let okta: StandIn;
  beforeAll(async () => {
    okta = await startOktaStandIn(seed);
  });
  afterAll(() => okta.close());
  afterEach(() => okta.requests.splice(0));

  it('pages through every user (Link headers), reads factors, admin roles, and apps of deactivated users', async () => {
    const snapshot = await collect(oktaSession(okta.url, { kind: 'token', token: TOKEN }));
    expect(
      snapshot.users.map((u) => [
        u.login,
        u.status,
        u.factors.length,
        u.adminRoles,
        u.assignedApps.map((a) => a.label),
      ]),
    ).toEqual([
      ['alice@acme.example', 'ACTIVE', 1, ['SUPER_ADMIN'], []],
      ['bob@acme.example', 'DEPROVISIONED', 0, [], ['GitHub']],
      ['carol@acme.example', 'ACTIVE', 0, ['APP_ADMIN', 'ORG_ADMIN'], []],
      ['dan@acme.example', 'SUSPENDED', 0, ['HELP_DESK_ADMIN'], []],
      ['erin@acme.example', 'STAGED', 0, [], []],
      ['frank@acme.example', 'PASSWORD_EXPIRED', 1, [], []],
    ]);
    expect(snapshot.users[0]).toMatchObject({
      lastLogin: daysBefore(1),
      created,
      email: 'alice@acme.example',
    });
    const paths = okta.requests.map((r) => decodeURIComponent(r.path));
    expect(paths.filter((p) => p.startsWith('/api/v1/users?') && p.includes('after='))).toHaveLength(2);
    expect(paths.filter((p) => p.startsWith('/api/v1/iam/assignees/users'))).toHaveLength(2);
    // Deactivated users come only from the search; their factors are not asked for (Okta resets them).
    expect(paths).toContain('/api/v1/users?search=status eq "DEPROVISIONED"&limit=200');
    expect(paths).not.toContain('/api/v1/users/00ub/factors');
    expect(paths).toContain('/api/v1/apps?limit=200&filter=user.id eq "00ub"');
  });

  it('retries a 429 (after X-Rate-Limit-Reset) and then succeeds', async () => {
    okta.inject({ path: /^\/api\/v1\/users\/00ua\/factors/, response: oktaResponses.rateLimited(0) });
    const snapshot = await collect(oktaSession(okta.url, { kind: 'token', token: TOKEN }));
    expect(snapshot.users.find((u) => u.id === '00ua')?.factors).toHaveLength(1);
    expect(okta.requests.filter((r) => r.path === '/api/v1/users/00ua/factors')).toHaveLength(2);
  });

  it('gives up on a 429 that does not clear, naming the operation', async () => {
    okta.inject({
      path: /^\/api\/v1\/policies\?type=PASSWORD/,
      times: 2, // the request and its one retry
      response: oktaResponses.rateLimited(0),
    });
    const error = await collectPolicies(
      oktaSession(okta.url, { kind: 'token', token: TOKEN }, { maxRetries: 1 }),
    ).catch((e) => e);
    expect(error).toBeInstanceOf(IdentityApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'TooManyRequests',
      operation: 'listPolicies(PASSWORD)',
    });
  });

  it('exchanges a signed client assertion for a token (API service app, private_key_jwt)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const app = await startOktaStandIn({
      ...seed,
      token: undefined,
      serviceApp: {
        clientId: '0oaservice',
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    try {
      const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      const snapshot = await collect(
        oktaSession(app.url, { kind: 'privateKey', clientId: '0oaservice', privateKey: pem }),
      );
      expect(snapshot.users).toHaveLength(6);
      expect(app.requests[0]).toEqual({ method: 'POST', path: '/oauth2/v1/token' });

      const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .privateKey.export({ type: 'pkcs1', format: 'pem' })
        .toString();
      const refused = await collect(
        oktaSession(app.url, { kind: 'privateKey', clientId: '0oaservice', privateKey: other }),
      ).catch((e) => e);
      expect(refused).toBeInstanceOf(IdentityApiError);
      expect(refused.status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it.each([
    ['401', oktaResponses.unauthorized(), 401, 'Unauthorized'],
    ['403', oktaResponses.forbidden(), 403, 'Forbidden'],
  ])(
    'records a %s as a failed collection (a gap), never as an empty org',
    async (_name, response, status, code) => {
      okta.inject({ path: /^\/api\/v1\/users\?limit/, response });
      const { store, dispose } = await tempStore();
      try {
        const [outcome] = await collectTargets(store, [
          {
            collector: oktaUsers,
            scope: { source: 'okta', id: 'acme.okta.com' },
            session: oktaSession(okta.url, { kind: 'token', token: TOKEN }),
          },
        ]);
        expect(outcome?.ref.status).toBe('error');
        expect(outcome?.findings).toEqual([]);
        const { artifact } = await store.getArtifact(outcome?.ref.key ?? '');
        expect(artifact).toMatchObject({
          status: 'error',
          error: { code, httpStatus: status, operation: 'listUsers' },
        });
      } finally {
        await dispose();
      }
    },
  );

  it('writes dates as the SDK did (through a Date): milliseconds and Z always, null when absent', async () => {
    okta.inject({
      path: /^\/api\/v1\/users\?limit/,
      response: {
        status: 200,
        body: [
          {
            id: '00ue',
            status: 'STAGED',
            created: '2025-01-01T00:00:00Z',
            lastLogin: null,
            statusChanged: '2025-03-01T10:00:00.5+02:00',
            profile: { login: 'erin@acme.example' },
          },
        ],
      },
    });
    const snapshot = await collect(oktaSession(okta.url, { kind: 'token', token: TOKEN }));
    expect(snapshot.users.find((u) => u.id === '00ue')).toMatchObject({
      created: '2025-01-01T00:00:00.000Z',
      lastLogin: null,
      statusChanged: '2025-03-01T08:00:00.500Z',
      email: null,
    });
  });

  it('refuses a user without a login (malformed payload), naming the field', async () => {
    okta.inject({
      path: /^\/api\/v1\/users\?limit/,
      response: { status: 200, body: [{ id: '00ux', status: 'ACTIVE', profile: {} }] },
    });
    const error = await collect(oktaSession(okta.url, { kind: 'token', token: TOKEN })).catch((e) => e);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toMatch(/okta listUsers returned a malformed response: 0\.profile\.login/);
  });

  /** A collection's error on one answer damaged as the fuzz test's proxy damages them. */
  const damaged = async (
    path: RegExp,
    body: unknown,
    run: typeof collect | typeof collectPolicies = collect,
  ) => {
    okta.inject({ path, response: { status: 200, body } });
    return run(oktaSession(okta.url, { kind: 'token', token: TOKEN })).catch((e: unknown) => e);
  };
  const alice = {
    id: '00ua',
    status: 'ACTIVE',
    created,
    lastLogin: daysBefore(1),
    statusChanged: created,
    profile: { login: 'alice@acme.example' },
  };

  it('a page of users holding null is a malformed listUsers answer naming the item, not a TypeError', async () => {
    const error = await damaged(/^\/api\/v1\/users\?limit/, [null, alice]);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(
      /^okta listUsers returned a malformed response: 0: Invalid input: expected object, received null$/,
    );
  });

  it.each([
    ['not a date', 'not-a-date'],
    ['a number', 0],
    ['missing', undefined],
  ])('a last sign-in that is %s is a malformed answer, never "never signed in"', async (_what, lastLogin) => {
    const error = await damaged(/^\/api\/v1\/users\?limit/, [{ ...alice, lastLogin }]);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(/^okta listUsers returned a malformed response: 0\.lastLogin: /);
  });

  it.each([
    ['without _links (no evidence it was the last page)', { value: [{ id: '00ua' }] }, /_links: /],
    ['without value (no evidence nobody holds a role)', { _links: {} }, /value: /],
    [
      'whose next link is no URL',
      { value: [], _links: { next: { href: 'http://[bad' } } },
      /_links\.next\.href: /,
    ],
    [
      'whose next link has no cursor',
      { value: [], _links: { next: { href: 'https://a.example/x' } } },
      /names no "after" cursor/,
    ],
  ])('an admin assignment page %s is a malformed answer', async (_what, body, field) => {
    const error = await damaged(/^\/api\/v1\/iam\/assignees\/users/, body);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(
      /^okta listUsersWithRoleAssignments returned a malformed response: /,
    );
    expect((error as Error).message).toMatch(field);
  });

  it('a sign-on rule whose requireFactor is null is a malformed answer, never "MFA not required"', async () => {
    const rule = signOnRule('0pr1', 'Default Rule', true);
    const body = [{ ...rule, actions: { signon: { ...rule.actions.signon, requireFactor: null } } }];
    const error = await damaged(/^\/api\/v1\/policies\/00p3\/rules/, body, collectPolicies);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(
      /^okta listPolicyRules returned a malformed response: 0\.actions\.signon\.requireFactor: /,
    );
  });

  it('an ASSURANCE rule without its factorMode is a malformed answer, never "one factor"', async () => {
    const rule = accessPolicyRule('0pr2', 'Catch-all', '2FA');
    const { factorMode: _dropped, ...method } = rule.actions.appSignOn.verificationMethod;
    const body = [
      { ...rule, actions: { appSignOn: { ...rule.actions.appSignOn, verificationMethod: method } } },
    ];
    const error = await damaged(/^\/api\/v1\/policies\/00p4\/rules/, body, collectPolicies);
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(/0\.actions\.appSignOn\.verificationMethod\.factorMode: /);
  });

  it('records a rule verifying by an authentication method chain as not judged, never as "MFA not required"', async () => {
    const rule = accessPolicyRule('0pr3', 'Chained', '2FA');
    const verificationMethod = {
      type: 'AUTH_METHOD_CHAIN',
      chains: [
        {
          authenticationMethods: [{ key: 'okta_password', method: 'password' }],
          next: [{ authenticationMethods: [{ key: 'okta_verify', method: 'signed_nonce' }] }],
          reauthenticateIn: 'PT43800H',
        },
      ],
    };
    okta.inject({
      path: /^\/api\/v1\/policies\/00p4\/rules/,
      response: {
        status: 200,
        body: [{ ...rule, actions: { appSignOn: { ...rule.actions.appSignOn, verificationMethod } } }],
      },
    });
    const snapshot = await collectPolicies(oktaSession(okta.url, { kind: 'token', token: TOKEN }));
    const recorded = snapshot.signOnPolicies.find((p) => p.type === 'ACCESS_POLICY')?.rules[0];
    expect([recorded?.name, recorded?.requiresMfa, recorded?.verificationMethod]).toEqual([
      'Chained',
      null,
      'AUTH_METHOD_CHAIN',
    ]);
  });

  it('a password policy without its lock-out setting is a malformed answer, never "unlimited attempts"', async () => {
    const settings = passwordSettings(14, 5, 5);
    const { lockout: _dropped, ...password } = settings.password;
    const policy = { id: '00p2', type: 'PASSWORD', name: 'Admins', status: 'ACTIVE', priority: 0 };
    const error = await damaged(
      /^\/api\/v1\/policies\?type=PASSWORD/,
      [{ ...policy, settings: { ...settings, password } }],
      collectPolicies,
    );
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect((error as Error).message).toMatch(
      /^okta listPolicies\(PASSWORD\) returned a malformed response: 0\.settings\.password\.lockout: /,
    );
  });

  it('refuses a body that is not JSON', async () => {
    okta.inject({
      path: /^\/api\/v1\/policies\?type=OKTA_SIGN_ON/,
      response: { status: 200, raw: '<html>maintenance</html>' },
    });
    const error = await collectPolicies(oktaSession(okta.url, { kind: 'token', token: TOKEN })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(MalformedResponseError);
    expect(error.message).toMatch(
      /^okta listPolicies\(OKTA_SIGN_ON\) returned a malformed response: .*json/i,
    );
  });

  it('reads password policies and the MFA requirement of sign-on rules', async () => {
    const snapshot = await collectPolicies(oktaSession(okta.url, { kind: 'token', token: TOKEN }));
    expect(
      snapshot.passwordPolicies.map((p) => [p.name, p.minLength, p.historyCount, p.lockoutMaxAttempts]),
    ).toEqual([
      ['Default Policy', 8, 0, 0],
      ['Admins', 14, 5, 5],
    ]);
    expect(
      snapshot.signOnPolicies.map((p) => [
        p.type,
        p.name,
        p.rules.map((r) => [r.name, r.access, r.requiresMfa]),
      ]),
    ).toEqual([
      ['OKTA_SIGN_ON', 'Default Policy', [['Default Rule', 'ALLOW', false]]],
      ['ACCESS_POLICY', 'Any two factors', [['Catch-all', 'ALLOW', true]]],
    ]);
  });

  it('treats a Classic org without authentication policies (400 for ACCESS_POLICY) as having none', async () => {
    okta.inject({
      path: /^\/api\/v1\/policies\?type=ACCESS_POLICY/,
      response: {
        status: 400,
        body: { errorCode: 'E0000001', errorSummary: 'Api validation failed: type', errorCauses: [] },
      },
    });
    const snapshot = await collectPolicies(oktaSession(okta.url, { kind: 'token', token: TOKEN }));
    expect(snapshot.signOnPolicies.map((p) => p.type)).toEqual(['OKTA_SIGN_ON']);
  });
});

describe('okta REST client (what the SDK used to do)', () => {
  let okta: StandIn;
  beforeAll(async () => {
    okta = await startOktaStandIn(seed);
  });
  afterAll(() => okta.close());
  afterEach(() => okta.requests.splice(0));
  const session = (options = {}) => oktaSession(okta.url, { kind: 'token', token: TOKEN }, options);

  it('follows Link rel="next" across pages until there is none, keeping the query', async () => {
    const users = (await session().list('/api/v1/users', { limit: 200 })) as { id: string }[];
    expect(users.map((u) => u.id)).toEqual(['00ua', '00uc', '00ud', '00ue', '00uf']);
    expect(okta.requests.map((r) => r.path)).toEqual([
      '/api/v1/users?limit=200',
      '/api/v1/users?limit=2&after=2',
      '/api/v1/users?limit=2&after=4',
    ]);
  });

  it('encodes query values with %20, as Okta documents search and filter expressions', async () => {
    await session().list('/api/v1/users', { search: 'status eq "DEPROVISIONED"', limit: 200 });
    expect(okta.requests[0]?.path).toBe('/api/v1/users?search=status%20eq%20%22DEPROVISIONED%22&limit=200');
  });

  it('never follows a next link off the org (the token would go with it)', async () => {
    okta.inject({
      path: /^\/api\/v1\/users\?limit/,
      response: {
        status: 200,
        body: [],
        headers: { link: '<https://elsewhere.example/api/v1/users?after=2>; rel="next"' },
      },
    });
    await expect(session().list('/api/v1/users', { limit: 200 })).rejects.toThrow(
      /next page is on https:\/\/elsewhere\.example, not the org/,
    );
  });

  it('waits until X-Rate-Limit-Reset by the server’s Date (plus a second) before retrying a 429', async () => {
    const date = new Date('2026-11-27T12:00:00.000Z');
    okta.inject({
      path: /^\/api\/v1\/users\/00ua\/factors/,
      response: {
        ...oktaResponses.rateLimited(),
        headers: {
          date: date.toUTCString(),
          'x-rate-limit-limit': '600',
          'x-rate-limit-remaining': '0',
          'x-rate-limit-reset': String(date.getTime() / 1000 + 30),
        },
      },
    });
    const waits: number[] = [];
    const factors = await session({ sleep: async (ms: number) => waits.push(ms) }).list(
      '/api/v1/users/00ua/factors',
    );
    expect(factors).toHaveLength(1);
    expect(waits).toEqual([31_000]);
    expect(okta.requests).toHaveLength(2);
  });

  it('retries a 5xx with backoff, and after its retries names the status', async () => {
    const unavailable = {
      status: 503,
      body: { errorCode: 'E0000009', errorSummary: 'Internal Server Error' },
    };
    okta.inject({ path: /^\/api\/v1\/users\/00ua\/factors/, times: 2, response: unavailable });
    const waits: number[] = [];
    const factors = await session({ sleep: async (ms: number) => waits.push(ms) }).list(
      '/api/v1/users/00ua/factors',
    );
    expect(factors).toHaveLength(1);
    expect(waits).toEqual([500, 1000]);
    expect(okta.requests).toHaveLength(3);

    okta.inject({ path: /^\/api\/v1\/policies/, times: 2, response: unavailable });
    const error = await session({ maxRetries: 1, sleep: async () => {} })
      .list('/api/v1/policies', { type: 'PASSWORD' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(OktaHttpError);
    expect(error.status).toBe(503);
  });

  it('retries a dropped connection and an answer cut off mid-body, reading the body inside the retries', async () => {
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      if (requests === 1) return req.socket.destroy();
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      if (requests === 2) return res.write('[{"id":', () => res.socket?.destroy());
      res.end('[{"id":"00ua"}]'.padEnd(100));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const waits: number[] = [];
      const users = await oktaSession(
        url,
        { kind: 'token', token: TOKEN },
        { sleep: async (ms: number) => waits.push(ms) },
      ).list('/api/v1/users');
      expect(users).toEqual([{ id: '00ua' }]);
      expect(waits).toEqual([500, 1000]);
      expect(requests).toBe(3);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it.each([
    [oktaResponses.unauthorized(), 401, 'E0000011: Invalid token provided'],
    [oktaResponses.forbidden(), 403, 'E0000006: You do not have permission'],
  ])(
    'maps an error answer to its status and Okta’s error code and summary (%#)',
    async (response, status, detail) => {
      okta.inject({ path: /^\/api\/v1\/policies/, response });
      const error = await session()
        .list('/api/v1/policies', { type: 'PASSWORD' })
        .catch((e) => e);
      expect(error).toBeInstanceOf(OktaHttpError);
      expect(error.status).toBe(status);
      expect(error.message).toContain(`GET /api/v1/policies: ${detail}`);
      expect(okta.requests).toHaveLength(1); // not retried
    },
  );

  describe('API service app', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const serviceApp = (publicKey = rsa.publicKey, requireDpop = false) => ({
      clientId: '0oaservice',
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      requireDpop,
    });
    const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const tokenRequests = (app: StandIn) => app.requests.filter((r) => r.path === '/oauth2/v1/token');

    it('exchanges one token for every request of the session and asks again after a 401', async () => {
      const app = await startOktaStandIn({ ...seed, token: undefined, serviceApp: serviceApp() });
      try {
        const s = oktaSession(app.url, { kind: 'privateKey', clientId: '0oaservice', privateKey: pkcs8 });
        const snapshot = await collect(s);
        expect(snapshot.users).toHaveLength(6);
        expect(tokenRequests(app)).toHaveLength(1);
        expect(app.requests.length).toBeGreaterThan(10);

        app.inject({ path: /^\/api\/v1\/policies/, response: oktaResponses.unauthorized() });
        await s.list('/api/v1/policies', { type: 'PASSWORD' });
        expect(tokenRequests(app)).toHaveLength(2);
      } finally {
        await app.close();
      }
    });

    it('signs with an EC key given as a JWK, naming its kid', async () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const app = await startOktaStandIn({ ...seed, token: undefined, serviceApp: serviceApp(ec.publicKey) });
      try {
        const jwk = JSON.stringify({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'key-1' });
        const s = oktaSession(app.url, { kind: 'privateKey', clientId: '0oaservice', privateKey: jwk });
        expect(await s.list('/api/v1/users/00ua/factors')).toHaveLength(1);
      } finally {
        await app.close();
      }
    });

    it('refuses a private key it cannot read, before any request', () => {
      expect(() =>
        oktaSession('https://acme.okta.com', { kind: 'privateKey', clientId: 'x', privateKey: 'not a key' }),
      ).toThrow(/OKTA_PRIVATE_KEY is not a private key in PEM or JWK form/);
    });

    it.each([
      ['JSON that does not parse', '{"kty":"RSA","n":"abc","e":"AQAB","d":SECRETd0fragment}'],
      ['a JWK that is not a key', '{"kty":"RSA","n":"abc","e":"AQAB","d":"SECRETd0fragment"}'],
      ['a PEM that is not a key', '-----BEGIN PRIVATE KEY-----\nSECRETd0fragment\n-----END PRIVATE KEY-----'],
    ])('refuses %s without quoting any of the key', (_, privateKey) => {
      const refuse = () =>
        oktaSession('https://acme.okta.com', { kind: 'privateKey', clientId: 'x', privateKey });
      expect(refuse).toThrow(/^OKTA_PRIVATE_KEY /);
      expect(refuse).not.toThrow(/SECRET|d0fragment/);
    });

    it('refuses a token answer that is not JSON without quoting it', async () => {
      const server = createServer((_, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"access_token": eyJSECRETtoken, "token_type": "Bearer"}');
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      try {
        const key = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
        const s = oktaSession(`http://127.0.0.1:${port}`, {
          kind: 'privateKey',
          clientId: 'x',
          privateKey: key,
        });
        const error = await s.list('/api/v1/users').then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(error?.message).toMatch(/token exchange at .*: the answer is not JSON/);
        expect(error?.message).not.toContain('SECRET');
      } finally {
        server.close();
      }
    });

    it('gets a DPoP-bound token with the nonce Okta asks for when the app requires DPoP', async () => {
      const app = await startOktaStandIn({
        ...seed,
        token: undefined,
        serviceApp: serviceApp(rsa.publicKey, true),
      });
      try {
        const s = oktaSession(app.url, { kind: 'privateKey', clientId: '0oaservice', privateKey: pkcs8 });
        const snapshot = await collectPolicies(s);
        expect(snapshot.passwordPolicies).toHaveLength(2);
        expect(tokenRequests(app)).toHaveLength(2); // use_dpop_nonce, then the token
      } finally {
        await app.close();
      }
    });
  });
});

describe('okta connector', () => {
  const env = {};
  it('validates the scope section and says which credentials are missing', () => {
    expect(oktaConnector.schema.safeParse({ orgUrl: 'acme.okta.com' }).success).toBe(false);
    expect(oktaConnector.schema.safeParse({ orgUrl: 'https://acme.okta.com', token: 'x' }).success).toBe(
      false,
    );
    const config = { orgUrl: 'https://acme.okta.com' };
    expect(oktaConnector.missing(undefined, { env })).toMatch(/no scope.okta section/);
    expect(oktaConnector.missing(config, { env })).toMatch(/OKTA_API_TOKEN/);
    expect(oktaConnector.missing(config, { env: { OKTA_API_TOKEN: 't' } })).toBeUndefined();
  });

  it('names the scope after the org host and gives every collector the same session', async () => {
    const targets = await oktaConnector.targets(
      [oktaUsers, oktaPolicies],
      { orgUrl: 'https://acme.okta.com/' },
      { env: { OKTA_API_TOKEN: 't' } },
    );
    expect(targets.map((t) => [t.collector.id, t.scope])).toEqual([
      ['okta.users', { source: 'okta', id: 'acme.okta.com' }],
      ['okta.policies', { source: 'okta', id: 'acme.okta.com' }],
    ]);
    expect(targets[0]?.session).toBe(targets[1]?.session);
  });
});

const user = (over: Partial<OktaUser>): OktaUser => ({
  id: '00u',
  login: 'u@acme.example',
  email: 'u@acme.example',
  status: 'ACTIVE',
  created,
  lastLogin: daysBefore(5),
  statusChanged: created,
  factors: [totp],
  adminRoles: [],
  assignedApps: [],
  ...over,
});
const users = (...list: OktaUser[]): OktaUsersSnapshot => ({ orgUrl: 'https://acme.okta.com', users: list });
const ctx = context('okta', 'acme.okta.com');

describe('okta.users checks', () => {
  it('okta.users.mfa-enrolled: users who can sign in need an active factor other than a security question', () => {
    const s = users(
      user({ login: 'ok' }),
      user({ login: 'none', factors: [] }),
      user({ login: 'question', factors: [{ factorType: 'question', provider: 'OKTA', status: 'ACTIVE' }] }),
      user({ login: 'pending', factors: [{ ...totp, status: 'PENDING_ACTIVATION' }] }),
      user({ login: 'staged', status: 'STAGED', factors: [] }),
    );
    expect(verdicts(usersMfaEnrolled.evaluate(s, ctx))).toEqual([
      'pass ok',
      'fail none',
      'fail question',
      'fail pending',
    ]);
  });

  it('okta.admins.mfa: only administrators are judged', () => {
    const s = users(
      user({ login: 'admin', adminRoles: ['SUPER_ADMIN'] }),
      user({ login: 'weak', adminRoles: ['ORG_ADMIN'], factors: [] }),
      user({ login: 'plain', factors: [] }),
    );
    expect(verdicts(adminsMfa.evaluate(s, ctx))).toEqual(['pass admin', 'fail weak']);
    expect(adminsMfa.evaluate(users(user({})), ctx)[0]?.status).toBe('not_applicable');
  });

  it('okta.users.inactive: last sign-in, or creation for users who never signed in, within 90 days of asOf', () => {
    const s = users(
      user({ login: 'recent', lastLogin: daysBefore(90) }),
      user({ login: 'stale', lastLogin: daysBefore(91) }),
      user({ login: 'never-new', lastLogin: null, created: daysBefore(10) }),
      user({ login: 'never-old', lastLogin: null, created: daysBefore(200) }),
      user({ login: 'gone', status: 'DEPROVISIONED', lastLogin: daysBefore(400) }),
    );
    const findings = usersInactive.evaluate(s, ctx);
    expect(verdicts(findings)).toEqual(['pass recent', 'fail stale', 'pass never-new', 'fail never-old']);
    expect(findings[3]?.reason).toBe('never-old never signed in, created 200 days ago');
  });

  it('okta.users.deactivated-app-assignments: deactivated or suspended users keep no active app', () => {
    const s = users(
      user({
        login: 'clean',
        status: 'DEPROVISIONED',
        assignedApps: [{ id: '1', label: 'Old', status: 'INACTIVE' }],
      }),
      user({
        login: 'leaver',
        status: 'DEPROVISIONED',
        assignedApps: [{ id: '2', label: 'GitHub', status: 'ACTIVE' }],
      }),
      user({
        login: 'paused',
        status: 'SUSPENDED',
        assignedApps: [{ id: '3', label: 'Slack', status: 'ACTIVE' }],
      }),
      user({ login: 'active', assignedApps: [{ id: '2', label: 'GitHub', status: 'ACTIVE' }] }),
    );
    const findings = deactivatedAppAccess.evaluate(s, ctx);
    expect(verdicts(findings)).toEqual(['pass clean', 'fail leaver', 'fail paused']);
    expect(findings[1]?.reason).toBe('leaver is DEPROVISIONED but still assigned to GitHub');
  });

  it('okta.admins.active: admin roles held by users who cannot sign in fail', () => {
    const s = users(
      user({ login: 'admin', adminRoles: ['SUPER_ADMIN'] }),
      user({ login: 'gone', status: 'SUSPENDED', adminRoles: ['ORG_ADMIN'] }),
    );
    expect(verdicts(adminsActive.evaluate(s, ctx))).toEqual(['pass admin', 'fail gone']);
  });
});

describe('okta.policies checks', () => {
  const policies = (over: Partial<OktaPoliciesSnapshot>): OktaPoliciesSnapshot => ({
    orgUrl: 'https://acme.okta.com',
    passwordPolicies: [],
    signOnPolicies: [],
    ...over,
  });
  const pw = (
    name: string,
    minLength: number,
    historyCount: number,
    lockoutMaxAttempts: number,
    status = 'ACTIVE',
  ) => ({
    id: name,
    name,
    status,
    priority: 1,
    minLength,
    historyCount,
    maxAgeDays: 0,
    lockoutMaxAttempts,
  });

  it('okta.password-policy.strength: length ≥ 12, history ≥ 4, lock-out within 10 attempts', () => {
    const s = policies({
      passwordPolicies: [
        pw('strong', 12, 4, 10),
        pw('short', 8, 4, 5),
        pw('no-lockout', 14, 24, 0),
        pw('off', 1, 0, 0, 'INACTIVE'),
      ],
    });
    const findings = passwordPolicyStrength.evaluate(s, ctx);
    expect(verdicts(findings)).toEqual([
      'pass password-policy/strong',
      'fail password-policy/short',
      'fail password-policy/no-lockout',
    ]);
    expect(findings[2]?.reason).toBe('no-lockout: lock-out after unlimited attempts (at most 10)');
    expect(verdicts(passwordPolicyStrength.evaluate(policies({}), ctx))).toEqual(['fail acme.okta.com']);
  });

  it('okta.sign-on.mfa-required: every active rule that allows access requires MFA', () => {
    const rule = (name: string, requiresMfa: boolean, access = 'ALLOW', status = 'ACTIVE') => ({
      id: name,
      name,
      status,
      access,
      requiresMfa,
    });
    const s = policies({
      signOnPolicies: [
        {
          id: '1',
          name: 'Global',
          type: 'OKTA_SIGN_ON',
          status: 'ACTIVE',
          rules: [rule('mfa', true), rule('block', false, 'DENY'), rule('old', false, 'ALLOW', 'INACTIVE')],
        },
        {
          id: '2',
          name: 'Apps',
          type: 'ACCESS_POLICY',
          status: 'ACTIVE',
          rules: [rule('2fa', true), rule('catch-all', false)],
        },
        { id: '3', name: 'Unused', type: 'ACCESS_POLICY', status: 'INACTIVE', rules: [rule('x', false)] },
      ],
    });
    const findings = signOnMfaRequired.evaluate(s, ctx);
    expect(verdicts(findings)).toEqual(['pass sign-on-policy/Global', 'fail authentication-policy/Apps']);
    expect(findings[1]?.reason).toBe(
      'authentication policy Apps allows access without MFA in rule catch-all',
    );
    expect(verdicts(signOnMfaRequired.evaluate(policies({}), ctx))).toEqual(['fail acme.okta.com']);
  });

  it('okta.sign-on.mfa-required: a rule verifying by a method chain is named for review, never judged either way', () => {
    const chained: OktaSignOnRule = {
      id: 'c',
      name: 'chained',
      status: 'ACTIVE',
      access: 'ALLOW',
      requiresMfa: null,
      verificationMethod: 'AUTH_METHOD_CHAIN',
    };
    const s = policies({
      signOnPolicies: [{ id: '2', name: 'Apps', type: 'ACCESS_POLICY', status: 'ACTIVE', rules: [chained] }],
    });
    const [finding] = signOnMfaRequired.evaluate(s, ctx);
    expect(finding?.status).toBe('fail');
    expect(finding?.reason).toBe(
      'authentication policy Apps verifies users in rule chained by a method not judged here (AUTH_METHOD_CHAIN): review its steps',
    );
  });

  it('judges the stand-in org end to end as seeded', async () => {
    const okta = await startOktaStandIn(seed);
    try {
      const session = oktaSession(okta.url, { kind: 'token', token: TOKEN });
      const u = await collect(session);
      expect(verdicts(usersMfaEnrolled.evaluate(u, ctx)).filter((v) => v.startsWith('fail'))).toEqual([
        'fail carol@acme.example',
      ]);
      expect(verdicts(deactivatedAppAccess.evaluate(u, context('okta', 'acme.okta.com', AS_OF)))).toEqual([
        'fail bob@acme.example',
        'pass dan@acme.example',
      ]);
      const p = await collectPolicies(session);
      expect(verdicts(signOnMfaRequired.evaluate(p, ctx))).toEqual([
        'fail sign-on-policy/Default Policy',
        'pass authentication-policy/Any two factors',
      ]);
    } finally {
      await okta.close();
    }
  });
});
