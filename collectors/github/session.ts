import { createAppAuth } from '@octokit/auth-app';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import * as z from 'zod';
import { ProoflineError } from '../../core/errors.ts';
import { MalformedResponseError } from '../identity/api-error.ts';
import { errorAnswer, githubAnswer } from './answers.ts';
import { GAP_STATUSES } from './readable.ts';

/**
 * A request as an error artifact names it: method and path (`GET /orgs/acme/members`), never its host
 * (pagination follows full `Link` URLs), query or headers.
 */
function operationOf(
  octokit: Pick<Octokit, 'request'>,
  request: Parameters<Octokit['request']['endpoint']['parse']>[0],
) {
  const { method, url } = octokit.request.endpoint.parse(request);
  return `${method} ${url.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '')}`;
}

type OctokitPlugin = Parameters<typeof Octokit.plugin>[0];

/**
 * Refuses, naming the request, an answer not of the shape every GitHub answer has. Applied before the
 * throttling and retry plugins so that its hooks run inside theirs: those plugins read fields of answers too
 * (the retry plugin `errors[0].message` of every answer), and a damaged answer must be a malformed answer,
 * not a TypeError out of them.
 */
const answerShape: OctokitPlugin = (octokit) => {
  octokit.hook.after('request', (response, request) => {
    const paged = 'per_page' in request || /[?&]per_page=/.test(request.url);
    const problem = shapeProblem(response.status, response.data, paged);
    if (problem) throw new MalformedResponseError('github', operationOf(octokit, request), problem);
  });
  octokit.hook.error('request', (error, request) => {
    const problem = errorBodyProblem(error);
    if (problem) throw new MalformedResponseError('github', operationOf(octokit, request), problem);
    throw error;
  });
};

/**
 * Octokit with GitHub's recommended throttling (primary + secondary rate limits) and retries of 5xx errors,
 * every answer checked for its shape first. Typed as Octokit (the plugins add options, not methods), so the
 * package's declarations name no private type.
 */
export const GitHubClient: typeof Octokit = Octokit.plugin(answerShape, throttling, retry);
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
  client.hook.error('request', (error, request) => {
    if (error && typeof error === 'object') Object.assign(error, { operation: operationOf(client, request) });
    throw error;
  });
  const onCall = options.onCall;
  if (onCall)
    client.hook.before('request', (request) => onCall('github', `${request.method} ${request.url}`));
  return client;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first item of `list` that is not an object, described; undefined when every item is one. */
function notAnObject(list: readonly unknown[], what: string): string | undefined {
  const index = list.findIndex((item) => !isObject(item));
  return index < 0 ? undefined : `item ${index} of ${what} is ${JSON.stringify(list[index])}, not an object`;
}

/**
 * Every JSON answer of the REST API is an object or a list of objects, and a page of a list (every list is
 * read with per_page) is a list or a `total_count` object; an `errors` field (CODEOWNERS errors, GraphQL
 * errors) is a list of objects. Anything else (a body that is not JSON, a list holding null) is refused,
 * naming the request, before a plugin or a collector reads a field of it.
 */
function shapeProblem(status: number, data: unknown, paged: boolean): string | undefined {
  if (status === 204 || status === 205 || data === undefined) return undefined;
  if (isObject(data)) {
    if (paged && !('total_count' in data)) return 'expected a list, got an object';
    if (!('errors' in data)) return undefined;
    return Array.isArray(data.errors)
      ? notAnObject(data.errors, 'errors')
      : `errors is ${JSON.stringify(data.errors)}, not a list`;
  }
  if (!Array.isArray(data))
    return `expected a JSON object or list, got ${typeof data === 'string' ? 'text' : JSON.stringify(data)}`;
  return notAnObject(data, 'the list');
}

/**
 * A 403, 404 or 422 is recorded as a gap with GitHub's message, or read by that message as a rate limit or a
 * disabled feature: one whose body is not GitHub's error message is a malformed answer, never a gap with a
 * message GitHub did not send.
 */
function errorBodyProblem(error: unknown): string | undefined {
  const { status, response } = (error ?? {}) as { status?: unknown; response?: { data?: unknown } };
  if (typeof status !== 'number' || !GAP_STATUSES.has(status) || !response) return undefined;
  return errorAnswer.safeParse(response.data).success
    ? undefined
    : `HTTP ${status} without GitHub's error message: ${JSON.stringify(response.data) ?? 'no body'}`;
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

const installationAnswer = z.looseObject({ id: z.number().int().positive() });

/** The App installation on an organization, found with the App's own JWT. */
export async function installationIdFor(options: GitHubClientOptions, org: string): Promise<number> {
  if (options.credential.kind !== 'app')
    throw new Error('installation ids exist for GitHub App credentials only');
  if (options.credential.installationId) return options.credential.installationId;
  const app = createGitHubClient(options);
  try {
    const { data } = await app.rest.apps.getOrgInstallation({ org });
    return githubAnswer(installationAnswer, data, `GET /orgs/${org}/installation`).id;
  } catch (error) {
    // A damaged answer is GitHub's fault, not the credentials': the error says what was malformed.
    if (error instanceof MalformedResponseError) throw error;
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
