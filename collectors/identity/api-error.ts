import { setTimeout as sleep } from 'node:timers/promises';
import * as z from 'zod';
import { ProoflineError } from '../../core/errors.ts';
import type { Source } from '../../core/model.ts';
import { issueLine } from '../../core/validate.ts';

const CODE_BY_STATUS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  429: 'TooManyRequests',
};

/**
 * An identity provider's API refused or failed a call. Thrown out of collect(), it becomes an error artifact
 * with the HTTP status and the operation: a 401/403 is recorded as a gap, never read as "no users".
 */
export class IdentityApiError extends ProoflineError {
  override name = 'IdentityApiError';
  /** Only refused credentials are the user's to fix; any other failure is the provider's. */
  override readonly userFixable: boolean;
  constructor(
    readonly source: Source,
    readonly operation: string,
    readonly status: number | undefined,
    detail: string,
  ) {
    super(
      `${source} ${operation} failed${status === undefined ? '' : ` with HTTP ${status}`}: ${detail}${
        status === 401 || status === 403
          ? ' (the credentials are wrong or lack the read permissions listed in docs/sources/identity.md)'
          : ''
      }`,
      { code: status === undefined ? 'RequestFailed' : (CODE_BY_STATUS[status] ?? `HTTP${status}`) },
    );
    this.userFixable = status === 401 || status === 403;
  }
}

/** An API answered 2xx with a body that does not have the documented shape. */
export class MalformedResponseError extends ProoflineError {
  override name = 'MalformedResponseError';
  override readonly userFixable = false;
  constructor(
    readonly source: Source,
    readonly operation: string,
    detail: string,
  ) {
    super(`${source} ${operation} returned a malformed response: ${detail}`, { code: 'MalformedResponse' });
  }
}

/** The HTTP status an SDK error carries, whichever SDK threw it. */
export function httpStatusOf(error: unknown): number | undefined {
  const e = error as {
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    response?: { status?: unknown };
    $metadata?: { httpStatusCode?: unknown };
  } | null;
  for (const candidate of [
    e?.status,
    e?.statusCode,
    e?.response?.status,
    e?.$metadata?.httpStatusCode,
    e?.code,
  ]) {
    if (typeof candidate === 'number' && candidate >= 100 && candidate < 600) return candidate;
  }
  // A refused token exchange reaches the Graph client as AuthenticationRequiredError without a status:
  // the credentials were rejected, which is what a 401 says.
  const code =
    (error as { code?: unknown; name?: unknown } | null)?.code ?? (error as { name?: unknown } | null)?.name;
  if (code === 'AuthenticationRequiredError' || code === 'AuthenticationError') return 401;
  return undefined;
}

/** Runs one API operation; whatever the SDK throws comes out as an IdentityApiError naming the operation. */
export async function apiCall<T>(source: Source, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof IdentityApiError || error instanceof MalformedResponseError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // SDKs that fail to parse a 2xx body throw a SyntaxError (node-fetch: type invalid-json): a malformed
    // payload, not an outage.
    if (error instanceof SyntaxError || (error as { type?: unknown }).type === 'invalid-json')
      throw new MalformedResponseError(source, operation, message);
    throw new IdentityApiError(source, operation, httpStatusOf(error), message);
  }
}

/** Validates a response body against the fields a collector relies on; the error names the field. */
export function parsePayload<T>(schema: z.ZodType<T>, data: unknown, source: Source, operation: string): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new MalformedResponseError(source, operation, issue ? issueLine(issue) : '(root): unexpected shape');
}

/**
 * A date-time as the vendors document theirs (ISO 8601 with `Z` or an offset). Read through it, a value of
 * another type, or text that is no date, is a malformed answer, never a date guessed or a "never".
 */
export const timestamp = z.iso.datetime({ offset: true });

/** Retries after a failed attempt: six attempts in all, as the AWS, GitHub and every identity client make. */
export const IDP_MAX_RETRIES = 5;

/**
 * How long to wait before retrying a 429: `Retry-After` (seconds or an HTTP date), else Okta-style
 * `X-Rate-Limit-Reset` (epoch seconds), else exponential backoff. Capped so a bad header cannot stall a run.
 */
export function retryDelayMs(
  headers: { get(name: string): string | null | undefined },
  attempt: number,
  now: number = Date.now(),
  capMs = 60_000,
): number {
  const retryAfter = headers.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : new Date(retryAfter).getTime() - now;
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), capMs);
  }
  const reset = Number(headers.get('x-rate-limit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.min(Math.max(reset * 1000 - now, 0), capMs);
  return Math.min(500 * 2 ** attempt, capMs);
}

export { sleep };
