/**
 * What one endpoint could not tell us. A missing permission (403), a hidden or absent resource (404) or a
 * refused filter (422) on ONE endpoint is recorded in the snapshot as a gap for that resource, and checks
 * judge a gap as failing: evidence that could not be read is never a pass.
 */
export interface Gap {
  /** The request, e.g. `GET /repos/acme/api/hooks`. */
  readonly endpoint: string;
  readonly status: number;
  /** GitHub's own message, e.g. `Resource not accessible by integration`. */
  readonly message: string;
}

export type Readable<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly gap: Gap };

export const ok = <T>(value: T): Readable<T> => ({ ok: true, value });

interface HttpError {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

/** The statuses that are a gap in what one endpoint could tell, not a failed collection. */
export const GAP_STATUSES: ReadonlySet<number> = new Set([403, 404, 422]);

function httpError(error: unknown): HttpError | undefined {
  const e = error as Partial<HttpError> | null;
  return e && typeof e.status === 'number' && typeof e.message === 'string' ? (e as HttpError) : undefined;
}

/** GitHub's message from the error body, without the documentation link Octokit appends. */
export function githubMessage(error: HttpError): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message : error.message;
}

const isRateLimit = (e: HttpError) =>
  e.response?.headers?.['x-ratelimit-remaining'] === '0' || /rate limit/i.test(githubMessage(e));

/**
 * Runs one read. A 403/404/422 becomes a gap (unless `interpret` turns that status into a value, e.g. a 404
 * that means "feature disabled"); anything else — bad credentials (401), rate limits the throttling could not
 * absorb, server errors — fails the whole collection, which the pipeline records as an error artifact.
 */
export async function readable<T>(
  endpoint: string,
  call: () => Promise<T>,
  interpret?: (status: number, message: string) => T | undefined,
): Promise<Readable<T>> {
  try {
    return ok(await call());
  } catch (error) {
    const e = httpError(error);
    if (!e || !GAP_STATUSES.has(e.status) || isRateLimit(e)) throw error;
    const message = githubMessage(e);
    const value = interpret?.(e.status, message);
    if (value !== undefined) return ok(value);
    return { ok: false, gap: { endpoint, status: e.status, message } };
  }
}

/** How a gap reads in a finding. */
export const describeGap = (what: string, gap: Gap): string =>
  `${what} could not be read (${gap.endpoint} → HTTP ${gap.status}: ${gap.message}); not judged as passing`;
