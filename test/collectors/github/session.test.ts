import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditLog as auditLogDefinition } from '../../../collectors/github/audit-log/index.ts';
import type { AuditLogSnapshot } from '../../../collectors/github/audit-log/snapshot.ts';
import { githubConnector, sessionFor } from '../../../collectors/github/connector.ts';
import { orgMembers as orgMembersDefinition } from '../../../collectors/github/org-members/index.ts';
import { orgSettings as orgSettingsDefinition } from '../../../collectors/github/org-settings/index.ts';
import { repos as reposDefinition } from '../../../collectors/github/repos/index.ts';
import { createGitHubClient, DEFAULT_POLICY } from '../../../collectors/github/session.ts';
import { MalformedResponseError } from '../../../collectors/identity/api-error.ts';
import { collectTargets } from '../../../core/pipeline.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import {
  auditEvent,
  emptyOrg,
  findingsOf,
  type GitHubStandIn,
  NOW,
  organization,
  recordingLog,
  repository,
  type StandInSeed,
  scopeOf,
  startGitHubStandIn,
  TOKEN,
  tokenSession,
  user,
} from '../../support/github/index.ts';
import { GOOD, goodOrg } from '../../support/github/orgs.ts';
import { runnable } from '../../support/runnable.ts';

const auditLog = runnable(auditLogDefinition);
const orgMembers = runnable(orgMembersDefinition);
const orgSettings = runnable(orgSettingsDefinition);
const repos = runnable(reposDefinition);

let standIn: GitHubStandIn | undefined;
const start = async (seed: StandInSeed) => {
  standIn = await startGitHubStandIn(seed);
  return standIn;
};
afterEach(async () => {
  await standIn?.stop();
  standIn = undefined;
});

describe('GitHub session against the stand-in', () => {
  it('follows Link pagination to the last page', async () => {
    // Prepare: 250 members, listed 100 per page.
    const members = Array.from({ length: 250 }, (_, i) => ({
      user: user(`dev-${i}`, 50_000 + i),
      role: 'member' as const,
      twoFactor: true,
    }));
    const s = await start({ orgs: [emptyOrg('big', { members })], tokens: [TOKEN] });
    // Act
    const snapshot = await orgMembers.collect(tokenSession(s, 'big'), scopeOf('big'));
    // Assess
    expect(snapshot.members).toHaveLength(250);
    const pages = s.requests.filter((r) => r.url.startsWith('/orgs/big/members?role=all')).map((r) => r.url);
    expect(pages).toHaveLength(3);
    expect(pages[2]).toContain('page=3');
  });

  it('serves rate-limit headers that Octokit exposes', async () => {
    const s = await start({ orgs: [emptyOrg('acme')], tokens: [TOKEN], rateLimit: 60 });
    const client = await tokenSession(s, 'acme').client();
    await client.rest.orgs.get({ org: 'acme' });
    const { headers } = await client.rest.orgs.get({ org: 'acme' });
    expect(headers['x-ratelimit-limit']).toBe('60');
    expect(headers['x-ratelimit-remaining']).toBe('58');
    expect(Number(headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now() / 1000);
  });

  it('waits out a secondary rate limit and retries the request', async () => {
    // Prepare: the first request for the org answers 403 "secondary rate limit" with retry-after: 1.
    const s = await start({
      orgs: [emptyOrg('acme')],
      tokens: [TOKEN],
      secondaryRateLimit: { path: '/orgs/acme', retryAfterSeconds: 1 },
    });
    const log = recordingLog();
    const session = sessionFor(
      { credential: { kind: 'token', token: TOKEN }, baseUrl: s.url, log },
      'acme',
      DEFAULT_POLICY,
    );
    // Act
    const snapshot = await orgSettings.collect(session, scopeOf('acme'));
    // Assess: collected, after a 403 and a retry about a second later.
    expect(snapshot.org).toBe('acme');
    const attempts = s.requests.filter((r) => r.url === '/orgs/acme');
    expect(attempts.map((r) => r.status)).toEqual([403, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(log.lines.join('\n')).toMatch(/secondary rate limit on GET \/orgs\/\{org\}: retrying in 1 s/);
  });

  it('gives up on a rate limit longer than the allowed wait', async () => {
    const s = await start({
      orgs: [emptyOrg('acme')],
      tokens: [TOKEN],
      secondaryRateLimit: { path: '/orgs/acme', retryAfterSeconds: 3600 },
    });
    const client = createGitHubClient({
      credential: { kind: 'token', token: TOKEN },
      baseUrl: s.url,
      log: recordingLog(),
      maxRateLimitWaitSeconds: 60,
    });
    await expect(client.rest.orgs.get({ org: 'acme' })).rejects.toMatchObject({ status: 403 });
  });

  it('records bad credentials (401) as a failed collection, never as findings', async () => {
    // Prepare
    const s = await start({ orgs: [goodOrg()], tokens: [TOKEN] });
    const dir = await mkdtemp(join(tmpdir(), 'proofline-github-'));
    const store = await LocalStore.open(dir);
    try {
      const session = tokenSession(s, GOOD, {}, 'ghp_revoked');
      // Act
      const [outcome] = await collectTargets(store, [{ collector: repos, scope: scopeOf(GOOD), session }]);
      // Assess
      expect(outcome?.ref.status).toBe('error');
      expect(outcome?.findings).toEqual([]);
      // The outcome carries what collect() threw, for callers that act on it (throttling, logs).
      expect(outcome?.error).toMatchObject({ status: 401 });
      const { artifact } = await store.getArtifact(outcome?.ref.key ?? '');
      expect(artifact).toMatchObject({
        status: 'error',
        error: { httpStatus: 401, message: expect.stringMatching(/Bad credentials/) },
      });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('records a permission missing on one endpoint as a gap that fails its check', async () => {
    const s = await start({
      orgs: [goodOrg()],
      tokens: [TOKEN],
      faults: [
        { path: '/repos/good/svc/hooks', status: 403, message: 'Resource not accessible by integration' },
      ],
    });
    const snapshot = await repos.collect(tokenSession(s, GOOD), scopeOf(GOOD));
    const svc = snapshot.repositories.find((r) => r.name === 'svc');
    expect(svc?.details?.webhooks).toEqual({
      ok: false,
      gap: {
        endpoint: 'GET /repos/good/svc/hooks',
        status: 403,
        message: 'Resource not accessible by integration',
      },
    });
    // The rest of the repository was still read.
    expect(svc?.details?.deployKeys.ok).toBe(true);
    const hookFinding = findingsOf(repos, GOOD, snapshot).find(
      (f) => f.check === 'github.repo.webhooks-secure' && f.resource === 'good/svc',
    );
    expect(hookFinding?.status).toBe('fail');
    expect(hookFinding?.reason).toMatch(
      /could not be read .*HTTP 403: Resource not accessible by integration/,
    );
  });

  it('reads code scanning as not set up only on GitHub\'s documented 404 "no analysis found"; any other 404 is a gap', async () => {
    const s = await start({
      orgs: [
        emptyOrg('acme', {
          repos: [
            { repo: repository('acme', 'never-scanned') },
            { repo: repository('acme', 'hidden'), codeScanning: [] },
          ],
        }),
      ],
      tokens: [TOKEN],
      // A 404 that is not the documented answer (e.g. a credential that cannot see the endpoint).
      faults: [{ path: '/repos/acme/hidden/code-scanning/analyses', status: 404, message: 'Not Found' }],
    });
    const snapshot = await repos.collect(tokenSession(s, 'acme'), scopeOf('acme'));
    const scanning = (name: string) =>
      snapshot.repositories.find((r) => r.name === name)?.details?.codeScanning;
    expect(scanning('never-scanned')).toEqual({ ok: true, value: { enabled: false, lastAnalysisAt: null } });
    expect(scanning('hidden')).toEqual({
      ok: false,
      gap: { endpoint: 'GET /repos/acme/hidden/code-scanning/analyses', status: 404, message: 'Not Found' },
    });
    const finding = findingsOf(repos, 'acme', snapshot).find(
      (f) => f.check === 'github.repo.code-scanning' && f.resource === 'acme/hidden',
    );
    expect(finding).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/could not be read .*HTTP 404: Not Found/),
    });
  });

  it.each([
    ['repository', repos, '/orgs/good/repos', 'GET /orgs/good/repos'],
    ['member', orgMembers, '/orgs/good/members', 'GET /orgs/good/members'],
  ])(
    'fails the whole collection on a 404 on the %s list, naming the request, never the token',
    async (_, collector, path, operation) => {
      const s = await start({
        orgs: [goodOrg()],
        tokens: [TOKEN],
        faults: [{ path, status: 404, message: 'Not Found' }],
      });
      const dir = await mkdtemp(join(tmpdir(), 'proofline-github-'));
      const store = await LocalStore.open(dir);
      try {
        const [outcome] = await collectTargets(store, [
          { collector, scope: scopeOf(GOOD), session: tokenSession(s, GOOD) },
        ]);
        const { artifact } = await store.getArtifact(outcome?.ref.key ?? '');
        expect(artifact).toMatchObject({ status: 'error', error: { httpStatus: 404, operation } });
        expect(JSON.stringify(artifact)).not.toContain(TOKEN);
        expect(outcome?.findings).toEqual([]);
      } finally {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  it('fails the 2FA check when the 2fa_disabled filter is refused (not an owner)', async () => {
    const s = await start({
      orgs: [goodOrg()],
      tokens: [TOKEN],
      faults: [{ path: /filter=2fa_disabled/, status: 422, message: 'Only owners can use this filter.' }],
    });
    const snapshot = await orgMembers.collect(tokenSession(s, GOOD), scopeOf(GOOD));
    const findings = findingsOf(orgMembers, GOOD, snapshot).filter(
      (f) => f.check === 'github.org.members-2fa',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        resource: GOOD,
        status: 'fail',
        reason: expect.stringMatching(/Only owners can use this filter/),
      }),
    ]);
  });

  it('fails organization checks whose settings are hidden from the credential', async () => {
    // Prepare: GitHub omits member privileges and the 2FA requirement for non-owners.
    const s = await start({ orgs: [emptyOrg('acme', { org: organization('acme') })], tokens: [TOKEN] });
    const snapshot = await orgSettings.collect(tokenSession(s, 'acme'), scopeOf('acme'));
    const mfa = findingsOf(orgSettings, 'acme', snapshot).find((f) => f.check === 'github.org.mfa-required');
    expect(snapshot.twoFactorRequired).toBeNull();
    expect(mfa).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/not visible to this credential/),
    });
  });

  it('records the audit log as not available where GitHub answers 404, and fails on 403', async () => {
    const s = await start({
      orgs: [
        emptyOrg('team-plan'),
        emptyOrg('locked', { auditLog: [auditEvent('org.update_member', 'x', NOW.toISOString())] }),
      ],
      tokens: [TOKEN],
      faults: [
        { path: '/orgs/locked/audit-log', status: 403, message: 'Must have admin rights to Repository.' },
      ],
    });
    const notAvailable = (await auditLog.collect(
      tokenSession(s, 'team-plan'),
      scopeOf('team-plan'),
    )) as AuditLogSnapshot;
    expect(notAvailable).toMatchObject({ available: false, status: 404 });
    expect(findingsOf(auditLog, 'team-plan', notAvailable)).toEqual([
      expect.objectContaining({
        status: 'not_applicable',
        reason: expect.stringMatching(/Enterprise Cloud only/),
      }),
    ]);
    const forbidden = await auditLog.collect(tokenSession(s, 'locked'), scopeOf('locked'));
    expect(findingsOf(auditLog, 'locked', forbidden)).toEqual([expect.objectContaining({ status: 'fail' })]);
  });

  it('reaches GitHub Enterprise Server under /api/v3 through the configured baseUrl', async () => {
    const s = await start({
      orgs: [emptyOrg('acme', { repos: [{ repo: repository('acme', 'app') }] })],
      tokens: [TOKEN],
    });
    const [target] = await githubConnector.targets(
      [orgSettings],
      githubConnector.schema.parse({ orgs: ['acme'], baseUrl: `${s.url}/api/v3/` }),
      { env: { GITHUB_TOKEN: TOKEN } },
    );
    const snapshot = await orgSettings.collect(target?.session as never, scopeOf('acme'));
    expect(snapshot.org).toBe('acme');
    expect(s.requests.every((r) => r.url.startsWith('/api/v3/'))).toBe(true);
  });

  describe('GitHub App authentication', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const app = { id: 4242, publicKeyPem };

    it('finds the installation of each organization and collects with its token', async () => {
      const s = await start({ orgs: [emptyOrg('acme', { installationId: 77 })], tokens: [], app });
      const session = sessionFor(
        {
          credential: { kind: 'app', appId: '4242', privateKey: privateKeyPem },
          baseUrl: s.url,
          log: recordingLog(),
        },
        'acme',
        DEFAULT_POLICY,
      );
      const snapshot = await orgSettings.collect(session, scopeOf('acme'));
      expect(snapshot.org).toBe('acme');
      const urls = s.requests.map((r) => `${r.status} ${r.method} ${r.url}`);
      expect(urls.slice(0, 3)).toEqual([
        '200 GET /orgs/acme/installation',
        '201 POST /app/installations/77/access_tokens',
        '200 GET /orgs/acme',
      ]);
    });

    it('explains that the App is not installed on an organization', async () => {
      const s = await start({ orgs: [emptyOrg('acme')], tokens: [], app });
      const session = sessionFor(
        {
          credential: { kind: 'app', appId: '4242', privateKey: privateKeyPem },
          baseUrl: s.url,
          log: recordingLog(),
        },
        'acme',
        DEFAULT_POLICY,
      );
      await expect(session.client()).rejects.toThrow(
        'the GitHub App 4242 is not installed on organization acme',
      );
    });

    it('is refused with a key that is not the App key', async () => {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs1',
        format: 'pem',
      });
      const s = await start({ orgs: [emptyOrg('acme', { installationId: 77 })], tokens: [], app });
      const session = sessionFor(
        {
          credential: { kind: 'app', appId: '4242', privateKey: other.toString(), installationId: 77 },
          baseUrl: s.url,
          log: recordingLog(),
        },
        'acme',
        DEFAULT_POLICY,
      );
      await expect(orgSettings.collect(session, scopeOf('acme'))).rejects.toMatchObject({ status: 401 });
    });
  });
});

describe('GitHub client on a connection lost mid-answer', () => {
  it('retries an answer cut off mid-body instead of reading it as empty', async () => {
    const org = JSON.stringify({ login: 'acme', id: 1 });
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(org.length) });
      if (paths.length === 1) return res.write(org.slice(0, 5), () => res.socket?.destroy());
      res.end(org);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const client = createGitHubClient({
        credential: { kind: 'token', token: TOKEN },
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      });
      const { data } = await client.rest.orgs.get({ org: 'acme' });
      expect(data).toMatchObject({ login: 'acme' });
      expect(paths).toEqual(['/orgs/acme', '/orgs/acme']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

/** A local server answering every request with `status` and the JSON `body`, as a damaged GitHub would. */
async function answering<T>(status: number, body: unknown, use: (baseUrl: string) => Promise<T>): Promise<T> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('GitHub client on answers not of the documented shape', () => {
  const client = (baseUrl: string) =>
    createGitHubClient({ credential: { kind: 'token', token: TOKEN }, baseUrl, rateLimitRetries: 0 });

  it('refuses an answer whose errors list holds null as malformed, before the retry plugin reads its message', async () => {
    // The shape of a damaged CODEOWNERS errors answer that ended github.repos in a TypeError.
    const refused = answering(200, { errors: [null] }, (baseUrl) =>
      client(baseUrl).rest.repos.codeownersErrors({ owner: 'acme', repo: 'svc' }),
    );
    await expect(refused).rejects.toThrow(MalformedResponseError);
    await expect(refused).rejects.toThrow(
      'github GET /repos/acme/svc/codeowners/errors returned a malformed response: item 0 of errors is null, not an object',
    );
  });

  it('refuses a 404 whose body is not GitHub error message as malformed, never a gap with a made-up message', async () => {
    const refused = answering(404, null, (baseUrl) =>
      client(baseUrl).rest.repos.getBranchProtection({ owner: 'acme', repo: 'svc', branch: 'main' }),
    );
    await expect(refused).rejects.toThrow(MalformedResponseError);
    await expect(refused).rejects.toThrow(
      'github GET /repos/acme/svc/branches/main/protection returned a malformed response: HTTP 404 without GitHub',
    );
  });

  it('still reads a 404 with GitHub error message as an HTTP error', async () => {
    const refused = answering(404, { message: 'Branch not protected' }, (baseUrl) =>
      client(baseUrl).rest.repos.getBranchProtection({ owner: 'acme', repo: 'svc', branch: 'main' }),
    );
    await expect(refused).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Branch not protected' } },
    });
  });
});
