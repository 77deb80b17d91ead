import { createHash, createPublicKey, type JsonWebKey, randomUUID, verify } from 'node:crypto';
import {
  json,
  jwtPayload,
  page,
  type StandIn,
  type StandInRequest,
  type StandInResponse,
  startStandIn,
} from './http-stand-in.ts';

/**
 * An Okta org as the Management API documents it (developer.okta.com/docs/api): users (DEPROVISIONED ones only
 * through `search`), factors, role assignments, apps filtered by `user.id`, policies and rules, with `Link`
 * header paging, SSWS tokens or OAuth 2.0 client credentials (private_key_jwt) at /oauth2/v1/token.
 */
export interface OktaSeedUser {
  readonly id: string;
  readonly login: string;
  readonly email?: string;
  readonly status: string;
  readonly created: string;
  readonly lastLogin?: string | null;
  readonly factors?: readonly { factorType: string; provider: string; status: string }[];
  /** Admin role types, e.g. SUPER_ADMIN. */
  readonly roles?: readonly string[];
  readonly apps?: readonly { id: string; label: string; status: string }[];
}

/** A policy as Okta returns it, with its rules (served from /policies/{id}/rules). */
export interface OktaSeedPolicy {
  readonly id: string;
  readonly type: 'PASSWORD' | 'OKTA_SIGN_ON' | 'ACCESS_POLICY';
  readonly name: string;
  readonly status: string;
  readonly priority?: number;
  readonly settings?: unknown;
  readonly rules?: readonly unknown[];
}

export interface OktaSeed {
  readonly users: readonly OktaSeedUser[];
  readonly policies?: readonly OktaSeedPolicy[];
  /** Accepted SSWS API token. */
  readonly token?: string;
  /**
   * An API service app allowed the client-credentials grant, with its public key (PEM). With `requireDpop`,
   * tokens are DPoP-bound: the token request needs a proof carrying the nonce Okta hands out, every API call
   * a proof for that call (RFC 9449).
   */
  readonly serviceApp?: {
    readonly clientId: string;
    readonly publicKeyPem: string;
    readonly requireDpop?: boolean;
  };
  /** Page size when the client asks for more (to exercise paging with few users). */
  readonly maxPageSize?: number;
}

const error = (
  status: number,
  errorCode: string,
  errorSummary: string,
  headers: Record<string, string> = {},
) =>
  json(
    status,
    {
      errorCode,
      errorSummary,
      errorLink: errorCode,
      errorId: `oae${randomUUID().slice(0, 8)}`,
      errorCauses: [],
    },
    headers,
  );

export const oktaResponses = {
  unauthorized: (): StandInResponse => error(401, 'E0000011', 'Invalid token provided'),
  forbidden: (): StandInResponse =>
    error(403, 'E0000006', 'You do not have permission to perform the requested action'),
  /** 429 with the reset time `resetInSeconds` from now, as Okta sends it. */
  rateLimited: (resetInSeconds = 0): StandInResponse =>
    error(429, 'E0000047', 'API call exceeded rate limit due to too many requests.', {
      'x-rate-limit-limit': '600',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + resetInSeconds),
    }),
};

const userJson = (u: OktaSeedUser) => ({
  id: u.id,
  status: u.status,
  created: u.created,
  activated: u.created,
  statusChanged: u.created,
  lastLogin: u.lastLogin ?? null,
  lastUpdated: u.created,
  passwordChanged: u.created,
  type: { id: 'oty1' },
  profile: {
    login: u.login,
    email: u.email ?? u.login,
    firstName: u.login.split('@')[0],
    lastName: 'Example',
  },
  credentials: { provider: { type: 'OKTA', name: 'OKTA' } },
  _links: { self: { href: `/api/v1/users/${u.id}` } },
});

/** A JWS signature check for RSA (PKCS#1 v1.5) and EC (raw r||s) keys. */
const signatureValid = (jws: string, key: ReturnType<typeof createPublicKey>): boolean => {
  const [header, payload, signature] = jws.split('.');
  if (!header || !payload || !signature) return false;
  const { alg } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string };
  const hash = { RS256: 'sha256', ES256: 'sha256', ES384: 'sha384', ES512: 'sha512' }[alg ?? ''];
  return (
    !!hash &&
    verify(
      hash,
      Buffer.from(`${header}.${payload}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    )
  );
};

const jwtHeader = (jws: string) =>
  JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString() || '{}') as Record<string, unknown>;

export async function startOktaStandIn(seed: OktaSeed): Promise<StandIn> {
  /** Access token → the JWK (as JSON) of the DPoP key it is bound to, or '' for a Bearer token. */
  const accessTokens = new Map<string, string>();
  const dpopNonce = `nonce-${randomUUID()}`;
  let base = '';

  /** A DPoP proof for this request, signed by the key in its header (and `boundTo` when given). */
  const dpopProof = (req: StandInRequest, extra: Record<string, unknown>, boundTo?: string) => {
    const proof = String(req.headers.dpop ?? '');
    try {
      const header = jwtHeader(proof);
      const jwk = header.jwk as JsonWebKey | undefined;
      if (header.typ !== 'dpop+jwt' || !jwk) return undefined;
      if (boundTo !== undefined && JSON.stringify(jwk) !== boundTo) return undefined;
      if (!signatureValid(proof, createPublicKey({ key: jwk, format: 'jwk' }))) return undefined;
      const claims = jwtPayload(proof);
      const ok =
        claims.htm === req.method &&
        claims.htu === `${base}${req.url.pathname}` &&
        typeof claims.jti === 'string' &&
        Object.entries(extra).every(([k, v]) => claims[k] === v);
      return ok ? { jwk: JSON.stringify(jwk), claims } : undefined;
    } catch {
      return undefined;
    }
  };

  const authorized = (req: StandInRequest) => {
    const header = req.headers.authorization ?? '';
    if (seed.token && header === `SSWS ${seed.token}`) return true;
    const [, scheme, value] = /^(Bearer|DPoP) (.+)$/.exec(header) ?? [];
    const boundTo = value === undefined ? undefined : accessTokens.get(value);
    if (boundTo === undefined) return false;
    if (boundTo === '') return scheme === 'Bearer';
    const ath = createHash('sha256')
      .update(value ?? '')
      .digest('base64url');
    return scheme === 'DPoP' && !!dpopProof(req, { ath }, boundTo);
  };

  /** Okta pages with `limit` and an opaque `after`, linking the next page in a `Link` header. */
  const paged = (req: StandInRequest, items: readonly unknown[]): StandInResponse => {
    const limit = Math.min(Number(req.url.searchParams.get('limit') ?? 200), seed.maxPageSize ?? 200);
    const { items: slice, next } = page(items, req.url.searchParams.get('after'), limit);
    const self = `${base}${req.url.pathname}${req.url.search}`;
    const links = [`<${self}>; rel="self"`];
    if (next) {
      const nextUrl = new URL(`${base}${req.url.pathname}${req.url.search}`);
      nextUrl.searchParams.set('after', next);
      nextUrl.searchParams.set('limit', String(limit));
      links.push(`<${nextUrl}>; rel="next"`);
    }
    return json(200, slice, { link: links.join(', ') });
  };

  const token = (req: StandInRequest): StandInResponse => {
    const form = new URLSearchParams(req.body);
    const assertion = form.get('client_assertion') ?? '';
    const app = seed.serviceApp;
    if (form.get('grant_type') !== 'client_credentials' || !app)
      return json(400, { error: 'invalid_request', error_description: 'unsupported grant' });
    const claims = assertion.split('.').length === 3 ? jwtPayload(assertion) : {};
    const valid =
      claims.iss === app.clientId &&
      claims.sub === app.clientId &&
      claims.aud === `${base}/oauth2/v1/token` &&
      typeof claims.exp === 'number' &&
      typeof claims.jti === 'string' &&
      signatureValid(assertion, createPublicKey(app.publicKeyPem));
    if (!valid)
      return json(401, {
        error: 'invalid_client',
        error_description: 'The client_assertion signature is invalid.',
      });
    let boundTo = '';
    if (app.requireDpop) {
      if (!req.headers.dpop)
        return json(400, {
          error: 'invalid_dpop_proof',
          error_description: 'The DPoP proof JWT header is missing.',
        });
      const proof = dpopProof(req, {});
      if (!proof)
        return json(400, { error: 'invalid_dpop_proof', error_description: 'The DPoP proof is invalid.' });
      if (proof.claims.nonce !== dpopNonce)
        return json(
          400,
          {
            error: 'use_dpop_nonce',
            error_description: 'Authorization server requires nonce in DPoP proof.',
          },
          { 'dpop-nonce': dpopNonce },
        );
      boundTo = proof.jwk;
    }
    const accessToken = `okta-at-${randomUUID()}`;
    accessTokens.set(accessToken, boundTo);
    return json(200, {
      token_type: boundTo ? 'DPoP' : 'Bearer',
      expires_in: 3600,
      access_token: accessToken,
      scope: form.get('scope'),
    });
  };

  const users = seed.users;
  const policies = seed.policies ?? [];
  const handler = (req: StandInRequest): StandInResponse => {
    const path = req.url.pathname;
    if (req.method === 'POST' && path === '/oauth2/v1/token') return token(req);
    if (!authorized(req)) return oktaResponses.unauthorized();
    if (path === '/api/v1/users') {
      const search = req.url.searchParams.get('search');
      const status = search ? /^status eq "([A-Z_]+)"$/.exec(search)?.[1] : undefined;
      if (search && !status) return error(400, 'E0000031', 'Invalid search.');
      const list = users.filter((u) => (status ? u.status === status : u.status !== 'DEPROVISIONED'));
      return paged(req, list.map(userJson));
    }
    const factorsOfUser = /^\/api\/v1\/users\/([^/]+)\/factors$/.exec(path)?.[1];
    if (factorsOfUser) {
      const user = users.find((u) => u.id === factorsOfUser);
      if (!user) return error(404, 'E0000007', `Not found: Resource not found: ${factorsOfUser} (User)`);
      return json(
        200,
        (user.factors ?? []).map((f, i) => ({
          id: `${user.id}f${i}`,
          ...f,
          created: user.created,
          _links: {},
        })),
      );
    }
    const rolesOfUser = /^\/api\/v1\/users\/([^/]+)\/roles$/.exec(path)?.[1];
    if (rolesOfUser) {
      const user = users.find((u) => u.id === rolesOfUser);
      if (!user) return error(404, 'E0000007', `Not found: Resource not found: ${rolesOfUser} (User)`);
      return json(
        200,
        (user.roles ?? []).map((type, i) => ({
          id: `ra${i}${user.id}`,
          label: type.replace(/_/g, ' ').toLowerCase(),
          type,
          status: 'ACTIVE',
          assignmentType: 'USER',
          created: user.created,
          lastUpdated: user.created,
          _links: {},
        })),
      );
    }
    if (path === '/api/v1/iam/assignees/users') {
      const admins = users.filter((u) => (u.roles ?? []).length > 0);
      const limit = Math.min(Number(req.url.searchParams.get('limit') ?? 100), seed.maxPageSize ?? 100);
      const { items, next } = page(admins, req.url.searchParams.get('after'), limit);
      return json(200, {
        value: items.map((u) => ({ id: u.id, orn: `orn:okta:directory:00o1:users:${u.id}`, _links: {} })),
        _links: next
          ? { next: { href: `${base}/api/v1/iam/assignees/users?after=${next}&limit=${limit}` } }
          : {},
      });
    }
    if (path === '/api/v1/apps') {
      const filter = req.url.searchParams.get('filter');
      const userId = filter ? /^user\.id eq "([^"]+)"$/.exec(filter)?.[1] : undefined;
      if (filter && !userId) return error(400, 'E0000031', 'Invalid filter.');
      const apps = userId
        ? (users.find((u) => u.id === userId)?.apps ?? [])
        : [...new Map(users.flatMap((u) => u.apps ?? []).map((a) => [a.id, a])).values()];
      return paged(
        req,
        apps.map((a) => ({
          id: a.id,
          name: 'oidc_client',
          label: a.label,
          status: a.status,
          signOnMode: 'OPENID_CONNECT',
          _links: {},
        })),
      );
    }
    if (path === '/api/v1/policies') {
      const type = req.url.searchParams.get('type');
      if (!type) return error(400, 'E0000001', 'Api validation failed: type');
      return paged(
        req,
        policies
          .filter((p) => p.type === type)
          .map(({ rules: _rules, ...policy }) => ({ ...policy, system: false, _links: {} })),
      );
    }
    const rulesOfPolicy = /^\/api\/v1\/policies\/([^/]+)\/rules$/.exec(path)?.[1];
    if (rulesOfPolicy) {
      const policy = policies.find((p) => p.id === rulesOfPolicy);
      if (!policy) return error(404, 'E0000007', `Not found: Resource not found: ${rulesOfPolicy} (Policy)`);
      return json(200, policy.rules ?? []);
    }
    return error(404, 'E0000022', `The endpoint does not support the provided HTTP method`);
  };

  const standIn = await startStandIn(handler);
  base = standIn.url;
  return standIn;
}

/** A rule of a global session policy (type SIGN_ON) as Okta returns it. */
export const signOnRule = (
  id: string,
  name: string,
  requireFactor: boolean,
  access: 'ALLOW' | 'DENY' = 'ALLOW',
) => ({
  id,
  name,
  type: 'SIGN_ON',
  status: 'ACTIVE',
  priority: 1,
  system: false,
  conditions: { people: { users: { exclude: [] } }, network: { connection: 'ANYWHERE' } },
  actions: {
    signon: {
      access,
      requireFactor,
      ...(requireFactor ? { factorPromptMode: 'ALWAYS', rememberDeviceByDefault: false } : {}),
      session: { usePersistentCookie: false, maxSessionIdleMinutes: 120, maxSessionLifetimeMinutes: 0 },
    },
  },
});

/** A rule of an authentication policy (type ACCESS_POLICY) as Okta Identity Engine returns it. */
export const accessPolicyRule = (id: string, name: string, factorMode: '1FA' | '2FA') => ({
  id,
  name,
  type: 'ACCESS_POLICY',
  status: 'ACTIVE',
  priority: 0,
  system: false,
  conditions: null,
  actions: {
    appSignOn: {
      access: 'ALLOW',
      verificationMethod: { factorMode, type: 'ASSURANCE', reauthenticateIn: 'PT2H', constraints: [] },
    },
  },
});

/** A password policy's settings as Okta returns them. */
export const passwordSettings = (minLength: number, historyCount: number, maxAttempts: number) => ({
  password: {
    complexity: {
      minLength,
      minLowerCase: 1,
      minUpperCase: 1,
      minNumber: 1,
      minSymbol: 0,
      excludeUsername: true,
    },
    age: { maxAgeDays: 0, expireWarnDays: 0, minAgeMinutes: 0, historyCount },
    lockout: { maxAttempts, autoUnlockMinutes: 0, showLockoutFailures: false },
  },
  recovery: { factors: {} },
  delegation: { options: { skipUnlock: false } },
});
