import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MalformedResponseError } from '../../../collectors/identity/api-error.ts';
import { googleConnector } from '../../../collectors/identity/google/connector.ts';
import { googleSession } from '../../../collectors/identity/google/session.ts';
import {
  superAdmins2sv,
  superAdminsLimited,
  twoStepEnforced,
  twoStepEnrolled,
  usersInactive,
} from '../../../collectors/identity/google/users/checks.ts';
import { collect } from '../../../collectors/identity/google/users/collect.ts';
import { googleUsers as googleUsersDefinition } from '../../../collectors/identity/google/users/index.ts';
import type { GoogleUser, GoogleUsersSnapshot } from '../../../collectors/identity/google/users/snapshot.ts';
import { collectArtifact, collectTargets } from '../../../core/pipeline.ts';
import {
  context,
  daysBefore,
  type GoogleStandIn,
  googleResponses,
  startGoogleStandIn,
  tempStore,
  verdicts,
} from '../../support/identity.ts';
import { runnable } from '../../support/runnable.ts';

const googleUsers = runnable(googleUsersDefinition);

const ADMIN = 'admin@acme.example';
const created = '2025-01-01T00:00:00.000Z';

describe('google.users collect against the Directory API stand-in', () => {
  let google: GoogleStandIn;
  const session = (adminEmail = ADMIN) =>
    googleSession({
      serviceAccount: google.serviceAccountKey,
      adminEmail,
      tokenUrl: `${google.url}/token`,
      apiRootUrl: google.url,
      maxRetries: 2,
    });
  beforeAll(async () => {
    google = await startGoogleStandIn({
      adminEmail: ADMIN,
      maxPageSize: 2,
      users: [
        {
          id: '1',
          primaryEmail: ADMIN,
          isAdmin: true,
          isEnrolledIn2Sv: true,
          isEnforcedIn2Sv: true,
          creationTime: created,
          lastLoginTime: daysBefore(1),
        },
        {
          id: '2',
          primaryEmail: 'bea@acme.example',
          isEnrolledIn2Sv: true,
          isEnforcedIn2Sv: false,
          creationTime: created,
          lastLoginTime: daysBefore(10),
        },
        {
          id: '3',
          primaryEmail: 'cal@acme.example',
          isEnrolledIn2Sv: false,
          isEnforcedIn2Sv: false,
          creationTime: created,
          lastLoginTime: null,
        },
        {
          id: '4',
          primaryEmail: 'dee@acme.example',
          suspended: true,
          isEnrolledIn2Sv: false,
          isEnforcedIn2Sv: false,
          creationTime: created,
        },
        {
          id: '5',
          primaryEmail: 'eve@acme.example',
          isAdmin: true,
          isEnrolledIn2Sv: false,
          isEnforcedIn2Sv: false,
          creationTime: created,
          lastLoginTime: daysBefore(3),
        },
      ],
    });
  });
  afterAll(() => google.close());
  afterEach(() => google.requests.splice(0));

  it('exchanges a signed JWT (domain-wide delegation) for a token and pages with nextPageToken', async () => {
    const snapshot = await collect(session());
    expect(
      snapshot.users.map((u) => [
        u.primaryEmail,
        u.suspended,
        u.isAdmin,
        u.isEnrolledIn2Sv,
        u.isEnforcedIn2Sv,
        u.lastLoginTime,
      ]),
    ).toEqual([
      [ADMIN, false, true, true, true, daysBefore(1)],
      ['bea@acme.example', false, false, true, false, daysBefore(10)],
      ['cal@acme.example', false, false, false, false, null], // 1970-01-01 means never
      ['dee@acme.example', true, false, false, false, null],
      ['eve@acme.example', false, true, false, false, daysBefore(3)],
    ]);
    expect(google.requests[0]).toEqual({ method: 'POST', path: '/token' });
    expect(google.requests.filter((r) => r.path.includes('pageToken='))).toHaveLength(2);
  });

  it('retries a 429 (honouring Retry-After when given) and then succeeds', async () => {
    google.inject({ path: /^\/admin\/directory\/v1\/users/, response: googleResponses.rateLimited(1) });
    google.inject({
      path: /^\/admin\/directory\/v1\/users.*pageToken=2/,
      response: googleResponses.rateLimited(),
    });
    const started = Date.now();
    const snapshot = await collect(session());
    expect(snapshot.users).toHaveLength(5);
    expect(google.requests.filter((r) => r.path.startsWith('/admin/'))).toHaveLength(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('records a refused delegation (401 at the token endpoint) as a failed collection', async () => {
    const { store, dispose } = await tempStore();
    try {
      const [outcome] = await collectTargets(store, [
        {
          collector: googleUsers,
          scope: { source: 'google', id: 'acme.example' },
          session: session('someone@acme.example'),
        },
      ]);
      const { artifact } = await store.getArtifact(outcome?.ref.key ?? '');
      expect(artifact).toMatchObject({
        status: 'error',
        error: { httpStatus: 401, code: 'Unauthorized', operation: 'users.list' },
      });
      expect(artifact.status === 'error' && artifact.error.message).toMatch(/unauthorized_client/);
    } finally {
      await dispose();
    }
  });

  it.each([
    ['without access_token', { token_type: 'Bearer', expires_in: 3599 }, 'access_token'],
    [
      'with an empty access_token',
      { access_token: '', token_type: 'Bearer', expires_in: 3599 },
      'access_token',
    ],
    ['that is not an object', ['ya29.token'], '\\(root\\)'],
  ])(
    'a token answer %s is a malformed answer, never "the credentials are wrong"',
    async (_what, body, field) => {
      google.inject({ path: /^\/token/, response: { status: 200, body } });
      const artifact = await collectArtifact(
        { collector: googleUsers, scope: { source: 'google', id: 'acme.example' }, session: session() },
        new Date(),
      );
      expect(artifact.status === 'error' && [artifact.error.code, artifact.error.message]).toEqual([
        'MalformedResponse',
        expect.stringMatching(new RegExp(`^google token returned a malformed response: ${field}: `)),
      ]);
    },
  );

  it('records a 403 from the Directory API as a gap', async () => {
    google.inject({ path: /^\/admin\/directory\/v1\/users/, response: googleResponses.forbidden() });
    const { store, dispose } = await tempStore();
    try {
      const [outcome] = await collectTargets(store, [
        { collector: googleUsers, scope: { source: 'google', id: 'acme.example' }, session: session() },
      ]);
      const { artifact } = await store.getArtifact(outcome?.ref.key ?? '');
      expect(artifact).toMatchObject({ status: 'error', error: { httpStatus: 403, code: 'Forbidden' } });
      expect(outcome?.findings).toEqual([]);
    } finally {
      await dispose();
    }
  });

  it('refuses malformed pages: users not a list, a user without primaryEmail, a body that is not JSON', async () => {
    google.inject({
      path: /^\/admin\/directory\/v1\/users/,
      response: { status: 200, body: { users: { id: '1' } } },
    });
    await expect(collect(session())).rejects.toThrow(MalformedResponseError);
    google.inject({
      path: /^\/admin\/directory\/v1\/users/,
      response: { status: 200, body: { users: [{ id: '1' }] } },
    });
    await expect(collect(session())).rejects.toThrow(
      /google users.list returned a malformed response: users.0.primaryEmail/,
    );
    google.inject({
      path: /^\/admin\/directory\/v1\/users/,
      response: { status: 200, raw: 'Service Unavailable' },
    });
    await expect(collect(session())).rejects.toThrow(MalformedResponseError);
  });
});

/** A user as users.list answers for the fields the collector asks, to damage one field at a time. */
const listed = (over: Record<string, unknown> = {}) => ({
  id: '9',
  primaryEmail: 'zed@acme.example',
  suspended: false,
  archived: false,
  isAdmin: true,
  isDelegatedAdmin: false,
  isEnrolledIn2Sv: true,
  isEnforcedIn2Sv: true,
  lastLoginTime: '2026-11-20T08:00:00.000Z',
  creationTime: created,
  ...over,
});

describe('google.users records what users.list established, nothing guessed', () => {
  let google: GoogleStandIn;
  beforeAll(async () => {
    google = await startGoogleStandIn({
      adminEmail: ADMIN,
      users: [
        { id: '1', primaryEmail: ADMIN, isEnrolledIn2Sv: true, isEnforcedIn2Sv: true, creationTime: created },
      ],
    });
  });
  afterAll(() => google.close());

  /** The artifact of one collection whose users.list answers `body`. */
  const collectedFrom = async (body: unknown) => {
    google.inject({ path: /^\/admin\/directory\/v1\/users/, response: { status: 200, body } });
    const session = googleSession({
      serviceAccount: google.serviceAccountKey,
      adminEmail: ADMIN,
      tokenUrl: `${google.url}/token`,
      apiRootUrl: google.url,
    });
    return collectArtifact(
      { collector: googleUsers, scope: { source: 'google', id: 'acme.example' }, session },
      new Date(created),
    );
  };
  const errorOf = async (body: unknown) => {
    const artifact = await collectedFrom(body);
    if (artifact.status !== 'error') throw new Error(`collected ${JSON.stringify(artifact.snapshot)}`);
    return artifact.error;
  };

  it('an intact answer is a snapshot of what it says', async () => {
    const artifact = await collectedFrom({ users: [listed()] });
    expect(artifact.status === 'ok' && artifact.snapshot).toEqual({
      customer: 'my_customer',
      users: [{ ...listed() }],
    });
  });

  // Each flag was read `?? false` when missing: "not suspended", "not an admin", "no 2SV".
  it.each([
    'suspended',
    'archived',
    'isAdmin',
    'isDelegatedAdmin',
    'isEnrolledIn2Sv',
    'isEnforcedIn2Sv',
    'lastLoginTime',
    'creationTime',
  ])('a user without %s is an error naming the request, the user and the field', async (field) => {
    const error = await errorOf({ users: [listed(), listed({ id: '10', [field]: undefined })] });
    expect(error).toMatchObject({ code: 'MalformedResponse', operation: 'users.list' });
    expect(error.message).toContain(`google users.list returned a malformed response: users.1.${field}:`);
  });

  it.each([
    ['isAdmin', 'true'],
    ['suspended', null],
    ['isEnrolledIn2Sv', 1],
    ['lastLoginTime', 'not-a-date'],
    ['lastLoginTime', '2026-02-30T00:00:00.000Z'],
    ['creationTime', 0],
    ['creationTime', '01/02/2025'],
  ])('a user whose %s is %j is an error naming the field', async (field, value) => {
    const error = await errorOf({ users: [listed({ [field]: value })] });
    expect(error.message).toContain(`users.0.${field}:`);
  });

  it('an empty directory, a user listed twice or an empty page token is an error, not "no admins"', async () => {
    expect((await errorOf({})).message).toMatch(/users: no user listed/);
    expect((await errorOf({ users: [listed(), listed()] })).message).toMatch(/user 9 listed twice/);
    expect((await errorOf({ users: [listed()], nextPageToken: '' })).message).toMatch(/nextPageToken:/);
  });
});

describe('google connector', () => {
  const config = { domain: 'acme.example', adminEmail: ADMIN };
  it('validates the section and reports missing credentials', () => {
    expect(
      googleConnector.schema.safeParse({ domain: 'acme.example', adminEmail: 'not-an-email' }).success,
    ).toBe(false);
    expect(googleConnector.missing(config, { env: {} })).toMatch(/GOOGLE_SERVICE_ACCOUNT_KEY/);
    expect(
      googleConnector.missing(config, { env: { GOOGLE_APPLICATION_CREDENTIALS: '/k.json' } }),
    ).toBeUndefined();
  });

  it('refuses a key that is not a service account key, naming where it came from', async () => {
    await expect(
      googleConnector.targets([googleUsers], config, { env: { GOOGLE_SERVICE_ACCOUNT_KEY: '{"type":"x"}' } }),
    ).rejects.toThrow(/service account key in the environment lacks client_email or private_key/);
    await expect(
      googleConnector.targets([googleUsers], config, { env: { GOOGLE_SERVICE_ACCOUNT_KEY: 'nope' } }),
    ).rejects.toThrow(/is not JSON/);
  });
});

const user = (over: Partial<GoogleUser>): GoogleUser => ({
  id: '1',
  primaryEmail: 'u@acme.example',
  suspended: false,
  archived: false,
  isAdmin: false,
  isDelegatedAdmin: false,
  isEnrolledIn2Sv: true,
  isEnforcedIn2Sv: true,
  lastLoginTime: daysBefore(1),
  creationTime: created,
  ...over,
});
const users = (...list: GoogleUser[]): GoogleUsersSnapshot => ({ customer: 'my_customer', users: list });
const ctx = context('google', 'acme.example');

describe('google.users checks', () => {
  it('google.users.2sv-enrolled and 2sv-enforced judge active users only', () => {
    const s = users(
      user({ primaryEmail: 'ok' }),
      user({ primaryEmail: 'enrolled-only', isEnforcedIn2Sv: false }),
      user({ primaryEmail: 'none', isEnrolledIn2Sv: false, isEnforcedIn2Sv: false }),
      user({ primaryEmail: 'suspended', suspended: true, isEnrolledIn2Sv: false }),
      user({ primaryEmail: 'archived', archived: true, isEnrolledIn2Sv: false }),
    );
    expect(verdicts(twoStepEnrolled.evaluate(s, ctx))).toEqual([
      'pass ok',
      'pass enrolled-only',
      'fail none',
    ]);
    expect(verdicts(twoStepEnforced.evaluate(s, ctx))).toEqual([
      'pass ok',
      'fail enrolled-only',
      'fail none',
    ]);
  });

  it('google.super-admins.2sv: super admins need 2SV enrolled and enforced', () => {
    const s = users(
      user({ primaryEmail: 'good', isAdmin: true }),
      user({ primaryEmail: 'loose', isAdmin: true, isEnforcedIn2Sv: false }),
      user({ primaryEmail: 'plain', isEnrolledIn2Sv: false }),
    );
    const findings = superAdmins2sv.evaluate(s, ctx);
    expect(verdicts(findings)).toEqual(['pass good', 'fail loose']);
    expect(findings[1]?.reason).toBe('super admin loose: 2SV not enforced');
  });

  it('google.users.inactive: last sign-in (or creation) within 90 days', () => {
    const s = users(
      user({ primaryEmail: 'recent' }),
      user({ primaryEmail: 'stale', lastLoginTime: daysBefore(91) }),
      user({ primaryEmail: 'never-new', lastLoginTime: null, creationTime: daysBefore(5) }),
      user({ primaryEmail: 'suspended', suspended: true, lastLoginTime: daysBefore(400) }),
    );
    expect(verdicts(usersInactive.evaluate(s, ctx))).toEqual(['pass recent', 'fail stale', 'pass never-new']);
  });

  it('google.super-admins.limited: at most four active super admins', () => {
    const admins = (n: number) =>
      Array.from({ length: n }, (_, i) => user({ primaryEmail: `a${i}`, isAdmin: true }));
    expect(
      verdicts(
        superAdminsLimited.evaluate(users(...admins(4), user({ isAdmin: true, suspended: true })), ctx),
      ),
    ).toEqual(['pass acme.example']);
    const five = superAdminsLimited.evaluate(users(...admins(5)), ctx);
    expect(verdicts(five)).toEqual(['fail acme.example']);
    expect(five[0]?.reason).toBe('5 active super administrators: a0, a1, a2, a3, a4');
  });
});
