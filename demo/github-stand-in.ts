/**
 * A local stand-in for the GitHub REST API (node:http), serving a seeded organization the way api.github.com
 * answers: bodies typed per endpoint from GitHub's OpenAPI description (`@octokit/openapi-types`, checked at
 * compile time), `Link` pagination, rate-limit headers, an optional secondary-rate-limit 403, 404s for
 * features that are off, 401 for bad credentials and injected 403s for missing permissions. GitHub App
 * authentication works too: the App's JWT is verified (RS256) and installation tokens are issued.
 * Used by the demo and the tests; the real Octokit talks to it through `baseUrl`.
 */
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { paths } from '@octokit/openapi-types';
import { type AuditLogEvent, installation, type Schema } from './github-fixtures.ts';

export interface StandInRepo {
  readonly repo: Schema<'full-repository'>;
  /** Classic protection of the default branch; absent → 404 "Branch not protected". */
  readonly protection?: Schema<'branch-protection'>;
  readonly rules?: Schema<'repository-rule-detailed'>[];
  readonly rulesets?: Schema<'repository-ruleset'>[];
  /** Absent → 404 (no CODEOWNERS file). */
  readonly codeowners?: Schema<'codeowners-errors'>;
  readonly files?: Record<string, Schema<'content-file'>>;
  readonly vulnerabilityAlerts?: boolean;
  /** Analyses; absent → 404 "no analysis found"; 'advanced-security-disabled' → 403. */
  readonly codeScanning?: Schema<'code-scanning-analysis'>[] | 'advanced-security-disabled';
  readonly deployKeys?: Schema<'deploy-key'>[];
  readonly hooks?: Schema<'hook'>[];
  readonly actions?: Schema<'actions-repository-permissions'>;
  readonly workflow?: Schema<'actions-get-default-workflow-permissions'>;
  readonly immutableReleases?: boolean;
  /** Outside collaborators (affiliation=outside). */
  readonly outsideCollaborators?: Schema<'collaborator'>[];
  readonly pulls?: Schema<'pull-request-simple'>[];
  readonly reviews?: Record<number, Schema<'pull-request-review'>[]>;
}

export interface StandInMember {
  readonly user: Schema<'simple-user'>;
  readonly role: 'admin' | 'member';
  readonly twoFactor: boolean;
}

export interface StandInOrg {
  readonly org: Schema<'organization-full'>;
  readonly actions?: Schema<'actions-organization-permissions'>;
  readonly workflow?: Schema<'actions-get-default-workflow-permissions'>;
  readonly hooks?: Schema<'org-hook'>[];
  readonly members: StandInMember[];
  readonly invitations?: Schema<'organization-invitation'>[];
  readonly dependabotAlerts?: Schema<'dependabot-alert-with-repository'>[];
  /** Absent → 404, as on any plan but GitHub Enterprise Cloud. */
  readonly auditLog?: AuditLogEvent[];
  readonly repos: StandInRepo[];
  readonly installationId?: number;
}

/** An injected failure: requests whose path (and query, for a RegExp) match get this status. */
export interface Fault {
  readonly path: string | RegExp;
  readonly status: 401 | 403 | 404 | 422 | 500;
  readonly message: string;
}

export interface StandInSeed {
  readonly orgs: StandInOrg[];
  /** Personal access / installation tokens that authenticate. */
  readonly tokens: string[];
  /** A GitHub App whose JWTs (RS256) authenticate App endpoints. */
  readonly app?: { readonly id: number; readonly publicKeyPem: string };
  readonly faults?: Fault[];
  /** The first request whose path matches gets a secondary-rate-limit 403 with this retry-after. */
  readonly secondaryRateLimit?: { readonly path: string | RegExp; readonly retryAfterSeconds: number };
  /** The core rate limit advertised in headers. Default: 5000. */
  readonly rateLimit?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly status: number;
  readonly at: number;
}

export interface GitHubStandIn {
  /** Base URL for Octokit (`baseUrl`). */
  readonly url: string;
  readonly requests: RecordedRequest[];
  stop(): Promise<void>;
}

// ── Typed routes ──────────────────────────────────────────────────────────────────────────────────────────

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type OkBody<P extends keyof paths, M extends 'get' | 'post'> =
  paths[P] extends Record<M, { responses: infer R }>
    ? R extends { 200: infer Ok }
      ? JsonOf<Ok>
      : R extends { 201: infer Created }
        ? JsonOf<Created>
        : R extends { 204: unknown }
          ? null
          : never
    : never;

interface Failure {
  readonly status: 401 | 403 | 404 | 422 | 500;
  readonly message: string;
  readonly headers?: Record<string, string>;
}
type Reply<B> = { readonly status: 200 | 201 | 204; readonly body: B } | Failure;

interface Request {
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly auth: 'token' | 'app';
}

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly names: string[];
  /** App (JWT) endpoints; the others need a token. */
  readonly appAuth: boolean;
  handle(request: Request): Reply<unknown>;
}

/** The list form of a repository (minimal-repository): no clone token, the license in its short form. */
function minimalRepository(repo: Schema<'full-repository'>): Schema<'minimal-repository'> {
  const { temp_clone_token: _token, license, ...rest } = repo;
  return {
    ...rest,
    license: license && {
      key: license.key,
      name: license.name,
      node_id: license.node_id,
      url: license.url ?? '',
    },
  };
}

const fail = (status: Failure['status'], message: string): Failure => ({ status, message });
const ok200 = <B>(body: B) => ({ status: 200 as const, body });

function compile(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return name === 'path' ? '(.+)' : '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}$`), names };
}

function routes(seed: StandInSeed, issued: Set<string>): Route[] {
  const list: Route[] = [];
  const add = <P extends keyof paths, M extends 'get' | 'post'>(
    method: M,
    template: P,
    handle: (request: Request) => Reply<OkBody<P, M>>,
    appAuth = false,
  ) => list.push({ method: method.toUpperCase() as 'GET' | 'POST', ...compile(template), appAuth, handle });
  /** The audit log is not in the api.github.com description; its events are checked against ghec.json in a test. */
  const addUntyped = (template: string, handle: (request: Request) => Reply<unknown>) =>
    list.push({ method: 'GET', ...compile(template), appAuth: false, handle });

  const orgOf = (login: string | undefined) =>
    seed.orgs.find((o) => o.org.login.toLowerCase() === login?.toLowerCase());
  const repoOf = (owner: string | undefined, name: string | undefined) =>
    orgOf(owner)?.repos.find((r) => r.repo.name.toLowerCase() === name?.toLowerCase());
  const withOrg = <B>(r: Request, f: (org: StandInOrg) => Reply<B>): Reply<B> => {
    const org = orgOf(r.params.org);
    return org ? f(org) : fail(404, 'Not Found');
  };
  const withRepo = <B>(r: Request, f: (repo: StandInRepo, org: StandInOrg) => Reply<B>): Reply<B> => {
    const org = orgOf(r.params.owner);
    const repo = repoOf(r.params.owner, r.params.repo);
    return org && repo ? f(repo, org) : fail(404, 'Not Found');
  };

  // GitHub App authentication
  add(
    'get',
    '/orgs/{org}/installation',
    (r) =>
      withOrg(r, (o) =>
        o.installationId && seed.app
          ? ok200(installation(o.installationId, seed.app.id, o.org.login))
          : fail(404, 'Not Found'),
      ),
    true,
  );
  add(
    'post',
    '/app/installations/{installation_id}/access_tokens',
    (r) => {
      if (!seed.orgs.some((o) => String(o.installationId) === r.params.installation_id))
        return fail(404, 'Not Found');
      const token = `ghs_${randomBytes(18).toString('hex')}`;
      issued.add(token);
      return { status: 201, body: { token, expires_at: new Date(Date.now() + 3_600_000).toISOString() } };
    },
    true,
  );

  // Organization
  add('get', '/orgs/{org}', (r) => withOrg(r, (o) => ok200(o.org)));
  add('get', '/orgs/{org}/actions/permissions', (r) =>
    withOrg(r, (o) => ok200(o.actions ?? { enabled_repositories: 'all', allowed_actions: 'all' })),
  );
  add('get', '/orgs/{org}/actions/permissions/workflow', (r) =>
    withOrg(r, (o) =>
      ok200(o.workflow ?? { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false }),
    ),
  );
  add('get', '/orgs/{org}/hooks', (r) => withOrg(r, (o) => ok200(o.hooks ?? [])));
  add('get', '/orgs/{org}/members', (r) =>
    withOrg(r, (o) => {
      const role = r.query.get('role') ?? 'all';
      const filter = r.query.get('filter') ?? 'all';
      return ok200(
        o.members
          .filter((m) => role === 'all' || m.role === role)
          .filter((m) => filter !== '2fa_disabled' || !m.twoFactor)
          .map((m) => m.user),
      );
    }),
  );
  add('get', '/orgs/{org}/outside_collaborators', (r) =>
    withOrg(r, (o) => {
      const byLogin = new Map(
        o.repos.flatMap((repo) => repo.outsideCollaborators ?? []).map((c) => [c.login, c]),
      );
      return ok200(
        [...byLogin.values()].map(({ permissions: _p, role_name: _r, ...simpleUser }) => simpleUser),
      );
    }),
  );
  add('get', '/orgs/{org}/invitations', (r) => withOrg(r, (o) => ok200(o.invitations ?? [])));
  add('get', '/orgs/{org}/repos', (r) =>
    withOrg(r, (o) => ok200(o.repos.map(({ repo }) => minimalRepository(repo)))),
  );
  add('get', '/orgs/{org}/dependabot/alerts', (r) =>
    withOrg(r, (o) => {
      const states = r.query.get('state')?.split(',');
      const severities = r.query.get('severity')?.split(',');
      return ok200(
        (o.dependabotAlerts ?? []).filter(
          (a) =>
            (!states || states.includes(a.state)) &&
            (!severities || severities.includes(a.security_advisory.severity)),
        ),
      );
    }),
  );
  addUntyped('/orgs/{org}/audit-log', (r) =>
    withOrg(r, (o) => (o.auditLog ? ok200(o.auditLog) : fail(404, 'Not Found'))),
  );

  // Repositories
  add('get', '/repos/{owner}/{repo}', (r) => withRepo(r, (repo) => ok200(repo.repo)));
  add('get', '/repos/{owner}/{repo}/branches/{branch}/protection', (r) =>
    withRepo(r, (repo) => (repo.protection ? ok200(repo.protection) : fail(404, 'Branch not protected'))),
  );
  add('get', '/repos/{owner}/{repo}/rules/branches/{branch}', (r) =>
    withRepo(r, (repo) => ok200(repo.rules ?? [])),
  );
  add('get', '/repos/{owner}/{repo}/rulesets/{ruleset_id}', (r) =>
    withRepo(r, (repo) => {
      const found = repo.rulesets?.find((rs) => String(rs.id) === r.params.ruleset_id);
      return found ? ok200(found) : fail(404, 'Not Found');
    }),
  );
  add('get', '/repos/{owner}/{repo}/codeowners/errors', (r) =>
    withRepo(r, (repo) => (repo.codeowners ? ok200(repo.codeowners) : fail(404, 'Not Found'))),
  );
  add('get', '/repos/{owner}/{repo}/contents/{path}', (r) =>
    withRepo(r, (repo) => {
      const file = repo.files?.[decodeURIComponent(r.params.path ?? '')];
      return file ? ok200(file) : fail(404, 'Not Found');
    }),
  );
  add('get', '/repos/{owner}/{repo}/vulnerability-alerts', (r) =>
    withRepo(r, (repo) => (repo.vulnerabilityAlerts ? { status: 204, body: null } : fail(404, 'Not Found'))),
  );
  add('get', '/repos/{owner}/{repo}/code-scanning/analyses', (r) =>
    withRepo(r, (repo) => {
      if (repo.codeScanning === 'advanced-security-disabled')
        return fail(403, 'Advanced Security must be enabled for this repository to use code scanning.');
      return repo.codeScanning?.length ? ok200(repo.codeScanning) : fail(404, 'no analysis found');
    }),
  );
  add('get', '/repos/{owner}/{repo}/keys', (r) => withRepo(r, (repo) => ok200(repo.deployKeys ?? [])));
  add('get', '/repos/{owner}/{repo}/hooks', (r) => withRepo(r, (repo) => ok200(repo.hooks ?? [])));
  add('get', '/repos/{owner}/{repo}/actions/permissions', (r) =>
    withRepo(r, (repo) => ok200(repo.actions ?? { enabled: true, allowed_actions: 'all' })),
  );
  add('get', '/repos/{owner}/{repo}/actions/permissions/workflow', (r) =>
    withRepo(r, (repo) =>
      ok200(
        repo.workflow ?? { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false },
      ),
    ),
  );
  add('get', '/repos/{owner}/{repo}/immutable-releases', (r) =>
    withRepo(r, (repo) =>
      repo.immutableReleases ? ok200({ enabled: true, enforced_by_owner: false }) : fail(404, 'Not Found'),
    ),
  );
  add('get', '/repos/{owner}/{repo}/collaborators', (r) =>
    withRepo(r, (repo) =>
      ok200(r.query.get('affiliation') === 'outside' ? (repo.outsideCollaborators ?? []) : []),
    ),
  );
  add('get', '/repos/{owner}/{repo}/pulls', (r) =>
    withRepo(r, (repo) => {
      const state = r.query.get('state') ?? 'open';
      const base = r.query.get('base');
      const desc = (r.query.get('direction') ?? 'desc') === 'desc';
      const list = (repo.pulls ?? [])
        .filter((p) => state === 'all' || p.state === state)
        .filter((p) => !base || p.base.ref === base)
        .sort((a, b) =>
          desc ? b.updated_at.localeCompare(a.updated_at) : a.updated_at.localeCompare(b.updated_at),
        );
      return ok200(list);
    }),
  );
  add('get', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (r) =>
    withRepo(r, (repo) => ok200(repo.reviews?.[Number(r.params.pull_number)] ?? [])),
  );
  return list;
}

// ── Authentication ────────────────────────────────────────────────────────────────────────────────────────

function verifyAppJwt(jwt: string, app: NonNullable<StandInSeed['app']>): boolean {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return false;
  const valid = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey(app.publicKeyPem),
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) return false;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { iss?: unknown; exp?: number };
  return String(claims.iss) === String(app.id) && (claims.exp ?? 0) * 1000 > Date.now();
}

// ── Server ────────────────────────────────────────────────────────────────────────────────────────────────

const matches = (rule: string | RegExp, pathname: string, pathAndQuery: string) =>
  typeof rule === 'string' ? rule === pathname : rule.test(pathAndQuery);

/** Starts the stand-in on a free loopback port. */
export async function startGitHubStandIn(seed: StandInSeed): Promise<GitHubStandIn> {
  const issued = new Set<string>();
  const table = routes(seed, issued);
  const requests: RecordedRequest[] = [];
  const limit = seed.rateLimit ?? 5000;
  const reset = Math.floor(Date.now() / 1000) + 3600;
  let used = 0;
  let secondaryFired = false;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const origin = `http://${req.headers.host}`;
    const url = new URL(req.url ?? '/', origin);
    // GitHub Enterprise Server serves the same API under /api/v3.
    const prefix = url.pathname.startsWith('/api/v3/') ? '/api/v3' : '';
    const pathname = url.pathname.slice(prefix.length);
    const pathAndQuery = `${pathname}${url.search}`;
    used++;
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-used': String(used),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-resource': 'core',
    };
    const send = (status: number, body?: unknown, extra: Record<string, string> = {}) => {
      requests.push({ method: req.method ?? 'GET', url: `${prefix}${pathAndQuery}`, status, at: Date.now() });
      res.writeHead(status, { ...headers, ...extra });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const error = (f: Failure) =>
      send(
        f.status,
        { message: f.message, documentation_url: 'https://docs.github.com/rest', status: String(f.status) },
        f.headers,
      );

    let params: Record<string, string> = {};
    const route = table.find((r) => {
      if (r.method !== req.method) return false;
      const m = r.pattern.exec(pathname);
      if (!m) return false;
      params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(m[i + 1] ?? '')]));
      return true;
    });

    const [scheme, credential] = (req.headers.authorization ?? '').split(' ');
    const isJwt = scheme?.toLowerCase() === 'bearer' && credential?.split('.').length === 3;
    const authenticated = route?.appAuth
      ? isJwt && !!seed.app && verifyAppJwt(credential ?? '', seed.app)
      : !!credential && !isJwt && (seed.tokens.includes(credential) || issued.has(credential));
    if (!authenticated) return error(fail(401, 'Bad credentials'));
    if (!route) return error(fail(404, 'Not Found'));

    if (
      seed.secondaryRateLimit &&
      !secondaryFired &&
      matches(seed.secondaryRateLimit.path, pathname, pathAndQuery)
    ) {
      secondaryFired = true;
      return error({
        status: 403,
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
        headers: { 'retry-after': String(seed.secondaryRateLimit.retryAfterSeconds) },
      });
    }
    const fault = seed.faults?.find((f) => matches(f.path, pathname, pathAndQuery));
    if (fault) return error(fail(fault.status, fault.message));

    const reply = route.handle({ params, query: url.searchParams, auth: route.appAuth ? 'app' : 'token' });
    if ('message' in reply) return error(reply);
    if (reply.status === 204) return send(204);
    if (!Array.isArray(reply.body)) return send(reply.status, reply.body);

    // Page-numbered pagination with a Link header, as GitHub's list endpoints answer.
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const pages = Math.max(1, Math.ceil(reply.body.length / perPage));
    const link = (n: number, rel: string) => {
      const next = new URL(url);
      next.searchParams.set('page', String(n));
      return `<${next.toString()}>; rel="${rel}"`;
    };
    const links = [
      ...(page > 1 ? [link(page - 1, 'prev'), link(1, 'first')] : []),
      ...(page < pages ? [link(page + 1, 'next'), link(pages, 'last')] : []),
    ];
    send(
      200,
      reply.body.slice((page - 1) * perPage, page * perPage),
      links.length ? { link: links.join(', ') } : {},
    );
  };

  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      try {
        handle(req, res);
      } catch (e) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `stand-in error: ${(e as Error).message}` }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
