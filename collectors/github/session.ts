import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { ProoflineError } from '../../core/errors.ts';
import { MalformedResponseError } from '../identity/api-error.ts';

/**
 * Octokit with GitHub's recommended throttling (primary + secondary rate limits) and retries of 5xx errors.
 * Typed as Octokit (the plugins add options, not methods), so the package's declarations name no private type.
 */
export const GitHubClient: typeof Octokit = Octokit.plugin(throttling, retry);
export type GitHubClient = InstanceType<typeof GitHubClient>;

/** How Proofline authenticates to GitHub: a GitHub App installation (preferred) or a token. */
export type GitHubCredential =
  | { readonly kind: 'token'; readonly token: string }
  | {
      readonly kind: 'app';
      readonly appId: string;
      readonly privateKey: string;
      /** Default: looked up per organization with GET /orgs/{org}/installation. */
      readonly installationId?: number;
    };

export interface GitHubLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface GitHubClientOptions {
  readonly credential: GitHubCredential;
  /** REST API root. Default: https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3. */
  readonly baseUrl?: string;
  /** Longest rate-limit wait (seconds) worth sleeping through; a longer one fails the call. Default: 300. */
  readonly maxRateLimitWaitSeconds?: number;
  /** Retries after a rate limit (primary or secondary) on one request. Default: 3. */
  readonly rateLimitRetries?: number;
  /** Called once per HTTP request (counting calls in tests and benchmarks). */
  readonly onCall?: (service: string, operation: string) => void;
  /** Default: warnings and errors to stderr, nothing else. */
  readonly log?: GitHubLog;
}

export const DEFAULT_GITHUB_API = 'https://api.github.com';

/** Octokit's request log reports every 4xx; those are expected (gaps are recorded in the evidence). */
const REQUEST_LOG_LINE = /^[A-Z]+ \S+ - \d{3} with id /;
const stderrLog = (message: string) => {
  if (!REQUEST_LOG_LINE.test(message)) process.stderr.write(`github: ${message}\n`);
};
const quietLog: GitHubLog = { debug: () => {}, info: () => {}, warn: stderrLog, error: stderrLog };

/** A request's path without host or query (pagination follows full `Link` URLs; a query may carry anything). */
const routeOf = (url: string) => url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');

/** An authenticated, throttled client. App credentials need an installation id here (see `installationIdFor`). */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const { credential } = options;
  const maxWait = options.maxRateLimitWaitSeconds ?? 300;
  const retries = options.rateLimitRetries ?? 3;
  const log = options.log ?? quietLog;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      const wait = retryAfter <= maxWait && retryCount < retries;
      log.warn(
        `${kind} rate limit on ${request.method} ${request.url}: ${wait ? `retrying in ${retryAfter} s` : 'giving up'}`,
      );
      return wait;
    };
  const client = new GitHubClient({
    baseUrl: options.baseUrl ?? DEFAULT_GITHUB_API,
    userAgent: 'proofline-evidence-collector',
    log,
    request: { fetch: wholeBodyFetch },
    throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    // Six attempts at a failed request, as the AWS clients make (Octokit's default is four).
    retry: { retries: 5 },
    ...(credential.kind === 'token'
      ? { auth: credential.token }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: credential.appId,
            privateKey: credential.privateKey,
            ...(credential.installationId ? { installationId: credential.installationId } : {}),
          },
        }),
  });
  // A failed request names its method and path (`GET /orgs/acme/members`) in the error artifact: never its
  // URL's host, query or headers.
  client.hook.error('request', (error, request) => {
    if (error && typeof error === 'object')
      Object.assign(error, { operation: `${request.method} ${routeOf(request.url)}` });
    throw error;
  });
  client.hook.after('request', (response, request) => {
    const paged = 'per_page' in request || /[?&]per_page=/.test(request.url);
    const problem = shapeProblem(response.status, response.data, paged);
    if (problem)
      throw new MalformedResponseError('github', `${request.method} ${routeOf(request.url)}`, problem);
  });
  const onCall = options.onCall;
  if (onCall)
    client.hook.before('request', (request) => onCall('github', `${request.method} ${request.url}`));
  return client;
}

/**
 * Every JSON answer of the REST API is an object or a list of objects, and a page of a list (every list is
 * read with per_page) is a list or a `total_count` object: anything else (a body that is not JSON, a list
 * holding null) is refused here, naming the request, before a collector reads a field of it.
 */
function shapeProblem(status: number, data: unknown, paged: boolean): string | undefined {
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (status === 204 || status === 205 || data === undefined) return undefined;
  if (isObject(data))
    return paged && !('total_count' in (data as object)) ? 'expected a list, got an object' : undefined;
  if (!Array.isArray(data))
    return `expected a JSON object or list, got ${typeof data === 'string' ? 'text' : JSON.stringify(data)}`;
  const index = data.findIndex((item) => !isObject(item));
  return index < 0 ? undefined : `item ${index} of the list is ${JSON.stringify(data[index])}, not an object`;
}

/** A request that has not answered in this time is abandoned (and retried). */
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * fetch that reads each answer whole before Octokit sees it. Octokit turns a body that fails to arrive into an
 * empty string (a 200 with no data: "no members"); read here, the failure is a network error Octokit retries
 * and, after its retries, reports. A request that stalls is abandoned after REQUEST_TIMEOUT_MS.
 */
async function wholeBodyFetch(url: string | URL | Request, init?: RequestInit): Promise<Response> {
  const signal = AbortSignal.any([
    AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    ...(init?.signal ? [init.signal] : []),
  ]);
  const response = await fetch(url, { ...init, signal });
  const empty = [101, 204, 205, 304].includes(response.status);
  const body = empty ? null : await response.arrayBuffer();
  const whole = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(whole, 'url', { value: response.url });
  return whole;
}

/** The App installation on an organization, found with the App's own JWT. */
export async function installationIdFor(options: GitHubClientOptions, org: string): Promise<number> {
  if (options.credential.kind !== 'app')
    throw new Error('installation ids exist for GitHub App credentials only');
  if (options.credential.installationId) return options.credential.installationId;
  const app = createGitHubClient(options);
  try {
    const { data } = await app.rest.apps.getOrgInstallation({ org });
    return data.id;
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new GitHubCredentialsError(
      status === 404
        ? `the GitHub App ${options.credential.appId} is not installed on organization ${org}`
        : `cannot find the GitHub App installation on ${org}: ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export class GitHubCredentialsError extends ProoflineError {
  override name = 'GitHubCredentialsError';
}

/** What the scope statement asks of GitHub, recorded in each snapshot so the evidence says what was required. */
export interface GitHubPolicy {
  /** Approving reviews required on default branches. */
  readonly requiredApprovals: number;
  /** A repository not pushed to for this many days should be archived. */
  readonly inactiveDays: number;
  /** Open critical/high Dependabot alerts older than this many days fail. */
  readonly alertMaxAgeDays: number;
  /** Deploy keys older than this many days fail. */
  readonly deployKeyMaxAgeDays: number;
  /** Pull requests merged and audit-log events within this many days are collected. */
  readonly lookbackDays: number;
  /** Repositories meant to be public (`name`); other public repositories fail. */
  readonly approvedPublicRepos: readonly string[];
}

export const DEFAULT_POLICY: GitHubPolicy = {
  requiredApprovals: 1,
  inactiveDays: 180,
  alertMaxAgeDays: 30,
  deployKeyMaxAgeDays: 365,
  lookbackDays: 30,
  approvedPublicRepos: [],
};

/** What every GitHub collector receives: an authenticated client for one organization and the policy. */
export interface GitHubSession {
  /** Resolved on first use, so a failed App installation lookup fails (and is recorded for) that collection only. */
  readonly client: () => Promise<GitHubClient>;
  readonly policy: GitHubPolicy;
  /** The collection clock (the start of the look-back window is computed from it). */
  readonly now: () => Date;
}
