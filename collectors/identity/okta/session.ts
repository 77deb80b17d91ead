import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomUUID,
  sign,
} from 'node:crypto';
import { ProoflineError } from '../../../core/errors.ts';
import { IDP_MAX_RETRIES, retryDelayMs, sleep } from '../api-error.ts';
import { CredentialsError } from '../credentials.ts';

/** Read-only OAuth 2.0 scopes for an API service app; an SSWS token instead carries its admin's rights. */
export const OKTA_SCOPES = [
  'okta.users.read',
  'okta.factors.read',
  'okta.roles.read',
  'okta.apps.read',
  'okta.policies.read',
] as const;

export type OktaCredentials =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'privateKey';
      readonly clientId: string;
      /** PEM (PKCS#1 or PKCS#8) or a JWK as JSON, RSA or EC, as the Admin Console generates them. */
      readonly privateKey: string;
      readonly keyId?: string;
    };

/** Query parameters, sent in the order given (undefined ones left out). */
export type OktaQuery = Readonly<Record<string, string | number | undefined>>;

/**
 * One Okta org read over its REST API (developer.okta.com/docs/api) with `fetch`: `Link: <…>; rel="next"`
 * paging, 429 retried after `X-Rate-Limit-Reset` (5xx and dropped connections with backoff), SSWS or OAuth 2.0 (private_key_jwt, DPoP when asked)
 * authorization. Not the Okta SDK: it bundles to about 5 MB, past the 1 MB limit of a function bundle.
 */
export interface OktaSession {
  readonly orgUrl: string;
  /** One JSON resource, e.g. `get('/api/v1/iam/assignees/users', { limit: 200 })`. */
  get(path: string, query?: OktaQuery): Promise<unknown>;
  /** Every item of a list, following `Link` headers until there is no `rel="next"`. */
  list(path: string, query?: OktaQuery): Promise<unknown[]>;
}

export interface OktaSessionOptions {
  /** Retries of a request answered 429 or 5xx, or whose connection failed, before giving up (default 5). */
  readonly maxRetries?: number;
  /** Longest wait (ms) for an answer before the attempt is abandoned (and retried). Default: 30 s. */
  readonly requestTimeoutMs?: number;
  /** How the session waits before a retry (tests observe the delay instead of waiting). */
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/** Okta answered a request with an error status; `status` is what apiCall maps to an IdentityApiError. */
export class OktaHttpError extends ProoflineError {
  override name = 'OktaHttpError';
  override readonly userFixable = false;
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

const MAX_PAGES = 10_000;
/** Statuses of a failure on Okta's side that a retry may not meet. */
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
/** A request that has not answered in this time is abandoned (and retried). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Okta's reset time is in whole seconds: wait one more so the retry lands in the new window (as the SDK did). */
const RESET_MARGIN_MS = 1000;
/** A cached access token is renewed this long before it expires. */
const TOKEN_RENEWAL_MS = 60_000;

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** A compact JWS over `claims`, signed with an RSA (RS256) or EC (ES256/384/512) key. */
function signJwt(key: KeyObject, header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const { alg, hash } = algorithmOf(key);
  const input = `${base64url(JSON.stringify({ ...header, alg }))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign(hash, Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function algorithmOf(key: KeyObject): { alg: string; hash: string } {
  if (key.asymmetricKeyType === 'rsa') return { alg: 'RS256', hash: 'sha256' };
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType === 'ec' && curve === 'prime256v1') return { alg: 'ES256', hash: 'sha256' };
  if (key.asymmetricKeyType === 'ec' && curve === 'secp384r1') return { alg: 'ES384', hash: 'sha384' };
  if (key.asymmetricKeyType === 'ec' && curve === 'secp521r1') return { alg: 'ES512', hash: 'sha512' };
  throw new CredentialsError(
    `OKTA_PRIVATE_KEY: a ${key.asymmetricKeyType} key${curve ? ` on ${curve}` : ''} cannot sign for Okta (RSA or EC P-256/384/521)`,
  );
}

/**
 * The service app's key from PEM or JWK JSON, and the key id its JWK names. A key that does not parse is
 * refused with the kind of problem only: parser messages quote their input, and this input is the secret.
 */
function parsePrivateKey(text: string): { key: KeyObject; kid?: string } {
  let jwk: (JsonWebKey & { kid?: string }) | undefined;
  if (text.trim().startsWith('{')) {
    try {
      jwk = JSON.parse(text) as JsonWebKey & { kid?: string };
    } catch {
      throw new CredentialsError(
        'OKTA_PRIVATE_KEY starts as a JWK but is not valid JSON (its content is not shown)',
      );
    }
  }
  try {
    const key = jwk ? createPrivateKey({ key: jwk, format: 'jwk' }) : createPrivateKey(text);
    return jwk?.kid ? { key, kid: jwk.kid } : { key };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CredentialsError(
      `OKTA_PRIVATE_KEY is not a private key in PEM or JWK form${typeof code === 'string' ? ` (${code})` : ''}`,
    );
  }
}

/** `Link: <https://…>; rel="self", <https://…>; rel="next"` → the next URL. */
function nextLink(header: string | null): string | undefined {
  for (const part of header?.split(/,\s*(?=<)/) ?? []) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (match?.[1] && /;\s*rel="?next"?(\s*;|\s*$)/.test(match[2] ?? '')) return match[1];
  }
  return undefined;
}

const queryString = (query: OktaQuery = {}) => {
  const pairs = Object.entries(query).flatMap(([k, v]) =>
    v === undefined ? [] : [`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`],
  );
  return pairs.length ? `?${pairs.join('&')}` : '';
};

/** Okta's error body `{errorCode, errorSummary}` or OAuth's `{error, error_description}`, as one line. */
async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const code = body.errorCode ?? body.error;
    const summary = body.errorSummary ?? body.error_description;
    if (code || summary) return [code, summary].filter(Boolean).join(': ');
  } catch {
    // not JSON: keep the status text
  }
  return response.statusText || 'no detail';
}

interface AccessToken {
  readonly value: string;
  readonly dpop: boolean;
  readonly renewAt: number;
}

export function oktaSession(
  orgUrl: string,
  credentials: OktaCredentials,
  options: OktaSessionOptions = {},
): OktaSession {
  const origin = new URL(orgUrl).origin;
  const maxRetries = options.maxRetries ?? IDP_MAX_RETRIES;
  const wait = options.sleep ?? sleep;
  const ssws = credentials.kind === 'token' ? credentials.token : undefined;
  const app =
    credentials.kind === 'privateKey'
      ? {
          clientId: credentials.clientId,
          keyId: credentials.keyId,
          ...parsePrivateKey(credentials.privateKey),
        }
      : undefined;
  const tokenUrl = `${orgUrl}/oauth2/v1/token`;
  let cached: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  // DPoP proofs are signed with a key of the session's own, apart from the client's key (Okta's advice).
  let dpopKey: { privateKey: KeyObject; jwk: JsonWebKey } | undefined;

  const dpopProof = (method: string, url: string, extra: Record<string, unknown> = {}) => {
    if (!dpopKey) {
      const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      dpopKey = { privateKey: pair.privateKey, jwk: pair.publicKey.export({ format: 'jwk' }) };
    }
    const claims = {
      htm: method,
      htu: url.split('?')[0],
      iat: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
      ...extra,
    };
    return signJwt(dpopKey.privateKey, { typ: 'dpop+jwt', jwk: dpopKey.jwk }, claims);
  };

  /**
   * Client credentials with a signed client assertion (private_key_jwt). A DPoP proof goes along, as the SDK
   * sent it: an app that requires DPoP answers 400 `use_dpop_nonce` with a nonce for the next proof, then a
   * token of type DPoP; other apps answer a Bearer token.
   */
  async function exchange(service: NonNullable<typeof app>): Promise<AccessToken> {
    const kid = service.kid ?? service.keyId;
    let nonce: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const now = Math.floor(Date.now() / 1000);
      const assertion = signJwt(
        service.key,
        { typ: 'JWT', ...(kid ? { kid } : {}) },
        {
          aud: tokenUrl,
          iss: service.clientId,
          sub: service.clientId,
          iat: now,
          exp: now + 300,
          jti: randomUUID(),
        },
      );
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          dpop: dpopProof('POST', tokenUrl, nonce ? { nonce } : {}),
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: OKTA_SCOPES.join(' '),
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        }).toString(),
      });
      if (!response.ok) {
        const detail = await errorDetail(response);
        const asked = response.headers.get('dpop-nonce');
        if (response.status === 400 && asked && attempt === 0 && detail.startsWith('use_dpop_nonce')) {
          nonce = asked;
          continue;
        }
        throw new OktaHttpError(response.status, `token exchange at ${tokenUrl}: ${detail}`);
      }
      // Not response.json(): its parse error quotes the body, which holds the token.
      let body: { access_token?: unknown; token_type?: unknown; expires_in?: unknown };
      try {
        body = JSON.parse(await response.text()) ?? {};
      } catch {
        throw new OktaHttpError(response.status, `token exchange at ${tokenUrl}: the answer is not JSON`);
      }
      if (typeof body.access_token !== 'string' || !body.access_token)
        throw new OktaHttpError(response.status, `token exchange at ${tokenUrl}: no access_token`);
      const lifetime = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3_600_000;
      return {
        value: body.access_token,
        dpop: String(body.token_type).toLowerCase() === 'dpop',
        renewAt: Date.now() + Math.max(lifetime - TOKEN_RENEWAL_MS, 0),
      };
    }
  }

  /** One token shared by every request of the session (one exchange at a time), renewed before it expires. */
  function accessToken(service: NonNullable<typeof app>): Promise<AccessToken> {
    if (cached && Date.now() < cached.renewAt) return Promise.resolve(cached);
    pending ??= exchange(service)
      .then((fresh) => {
        cached = fresh;
        return fresh;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }

  async function authorization(method: string, url: string): Promise<Record<string, string>> {
    if (!app) return { authorization: `SSWS ${ssws}` };
    const { value, dpop } = await accessToken(app);
    if (!dpop) return { authorization: `Bearer ${value}` };
    const ath = createHash('sha256').update(value).digest('base64url');
    return { authorization: `DPoP ${value}`, dpop: dpopProof(method, url, { ath }) };
  }

  /**
   * GET with retries of a 429, a 5xx, a refused, dropped or stalled connection and an answer cut off
   * mid-body, and one fresh token after a 401: the body is read whole inside the retries.
   */
  async function request(url: string): Promise<{ text: string; headers: Headers }> {
    let renewedToken = false;
    for (let attempt = 0; ; attempt++) {
      const headers = { accept: 'application/json', ...(await authorization('GET', url)) };
      let response: Response;
      try {
        response = await fetch(url, {
          headers,
          signal: AbortSignal.timeout(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS),
        });
        if (response.ok) return { text: await response.text(), headers: response.headers };
      } catch (error) {
        if (attempt >= maxRetries) throw error;
        await wait(retryDelayMs(new Headers(), attempt));
        continue;
      }
      const retryable = response.status === 429 || TRANSIENT_STATUS.has(response.status);
      if (retryable && attempt < maxRetries) {
        await response.body?.cancel();
        await wait(rateLimitDelayMs(response.headers, attempt));
        continue;
      }
      if (response.status === 401 && app && !renewedToken) {
        // The cached token may have been revoked or expired early: exchange once more.
        await response.body?.cancel();
        renewedToken = true;
        cached = undefined;
        continue;
      }
      const path = new URL(url).pathname;
      throw new OktaHttpError(response.status, `GET ${path}: ${await errorDetail(response)}`);
    }
  }

  const urlOf = (path: string, query?: OktaQuery) => `${orgUrl}${path}${queryString(query)}`;

  return {
    orgUrl,
    async get(path, query) {
      return JSON.parse((await request(urlOf(path, query))).text);
    },
    async list(path, query) {
      const items: unknown[] = [];
      let url: string | undefined = urlOf(path, query);
      for (let page = 0; url; page++) {
        if (page >= MAX_PAGES) throw new Error(`GET ${path}: more than ${MAX_PAGES} pages, giving up`);
        const response = await request(url);
        const body: unknown = JSON.parse(response.text);
        if (!Array.isArray(body)) throw new SyntaxError(`GET ${path}: expected a JSON array`);
        items.push(...body);
        const next = nextLink(response.headers.get('link'));
        url = next === undefined ? undefined : new URL(next, orgUrl).href;
        // The token goes to the org alone, whatever a Link header says.
        if (url && new URL(url).origin !== origin)
          throw new Error(`GET ${path}: the next page is on ${new URL(url).origin}, not the org ${origin}`);
      }
      return items;
    },
  };
}

/** Until Okta's `X-Rate-Limit-Reset` (epoch seconds) by the server's own clock (`Date`), plus a margin. */
export function rateLimitDelayMs(headers: Headers, attempt: number): number {
  const serverNow = Date.parse(headers.get('date') ?? '');
  const delay = retryDelayMs(headers, attempt, Number.isNaN(serverNow) ? Date.now() : serverNow);
  return headers.get('x-rate-limit-reset') ? delay + RESET_MARGIN_MS : delay;
}
