import { admin, type admin_directory_v1, auth } from '@googleapis/admin';
import * as z from 'zod';
import { IDP_MAX_RETRIES, parsePayload, retryDelayMs, sleep } from '../api-error.ts';

export const DIRECTORY_SCOPES = ['https://www.googleapis.com/auth/admin.directory.user.readonly'] as const;
export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface GoogleSessionOptions {
  /** The service account's JSON key (client_email, private_key). */
  readonly serviceAccount: { readonly client_email: string; readonly private_key: string };
  /** The administrator the service account acts as (domain-wide delegation). */
  readonly adminEmail: string;
  readonly customer?: string;
  /** Where the signed JWT is exchanged for a token. Default: Google's. */
  readonly tokenUrl?: string;
  /** The Admin SDK's root URL. Default: https://admin.googleapis.com/. */
  readonly apiRootUrl?: string;
  /** Retries of a retryable answer or a failed connection (default: five, six attempts in all). */
  readonly maxRetries?: number;
  /** Longest wait (ms) for an answer before the attempt is abandoned (and retried). Default: 30 s. */
  readonly requestTimeoutMs?: number;
}

type RetryConfig = NonNullable<admin_directory_v1.Options['retryConfig']>;

export interface GoogleSession {
  readonly customer: string;
  readonly directory: admin_directory_v1.Admin;
  /** Options of every API call: the retries and the timeout. */
  readonly requestOptions: { readonly retryConfig: RetryConfig; readonly timeout: number };
}

/** What a successful token exchange answers (RFC 6749 §5.1): at least the token. */
const tokenAnswer = z.looseObject({ access_token: z.string().min(1) });

/** A request silent this long is abandoned (and retried): one that never answers would hold its collector. */
const REQUEST_TIMEOUT_MS = 30_000;
/** The 403 reasons Google documents as rate limits, retried with backoff like a 429. */
const RATE_LIMIT_REASONS = new Set(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded']);

/**
 * What Google documents as retryable (developers.google.com/workspace/admin/directory/v1/limits): 429,
 * a 403 whose reason is a rate limit, and 5xx; and an answer that never came or was cut off.
 */
function retryable(
  error: { response?: { status?: number; data?: unknown }; code?: unknown },
  attempt: number,
  maxRetries: number,
): boolean {
  if (attempt >= maxRetries) return false;
  const status = error.response?.status;
  if (status === undefined) return error.code !== 'AbortError';
  if (status === 429 || status >= 500) return true;
  const errors = (error.response?.data as { error?: { errors?: { reason?: unknown }[] } } | undefined)?.error
    ?.errors;
  return status === 403 && !!errors?.some((e) => RATE_LIMIT_REASONS.has(String(e.reason)));
}

export function googleSession(options: GoogleSessionOptions): GoogleSession {
  const jwt = new auth.JWT({
    email: options.serviceAccount.client_email,
    key: options.serviceAccount.private_key,
    scopes: [...DIRECTORY_SCOPES],
    subject: options.adminEmail,
  });
  const timeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // The token exchange has no timeout of its own: it gets the API calls' one (interceptors run too late).
  jwt.transporter.defaults = { ...jwt.transporter.defaults, timeout };
  const tokenUrl = options.tokenUrl;
  // A token answer without a token would be sent on as no credentials, and end as a 401 blaming the key.
  const tokenUrls = new Set([
    GOOGLE_TOKEN_URL,
    ...(tokenUrl && URL.canParse(tokenUrl) ? [new URL(tokenUrl).href] : []),
  ]);
  jwt.transporter.interceptors.response.add({
    resolved: async (response) => {
      if (tokenUrls.has(String(response.config.url)))
        parsePayload(tokenAnswer, response.data, 'google', 'token');
      return response;
    },
  });
  if (tokenUrl && tokenUrl !== GOOGLE_TOKEN_URL) {
    // The JWT client posts to a fixed token URL; its transporter's public interceptors send that call to the
    // configured one instead (a private endpoint, or the local stand-in).
    jwt.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(tokenUrl);
        return config;
      },
    });
  }
  const directory = admin({
    version: 'directory_v1',
    auth: jwt,
    ...(options.apiRootUrl ? { rootUrl: options.apiRootUrl.replace(/\/?$/, '/') } : {}),
  });
  const maxRetries = options.maxRetries ?? IDP_MAX_RETRIES;
  return {
    customer: options.customer ?? 'my_customer',
    directory,
    requestOptions: {
      timeout,
      retryConfig: {
        retry: maxRetries,
        noResponseRetries: maxRetries,
        shouldRetry: (err) => retryable(err, err.config.retryConfig?.currentRetryAttempt ?? 0, maxRetries),
        // Exponential backoff, as Google asks, unless the answer says how long to wait.
        retryBackoff: (err, defaultMs) => {
          const headers = err.response?.headers;
          return sleep(headers?.get('retry-after') ? retryDelayMs(headers, 0) : defaultMs);
        },
      },
    },
  };
}
