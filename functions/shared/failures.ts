import { ProoflineError } from '../../core/errors.ts';

/** Error codes meaning "slow down": the state machine retries these with backoff and jitter. */
const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'TooManyRequests',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
]);

/**
 * Whether a collection failed because the source throttled it: an AWS throttling code, HTTP 429 from any SDK,
 * or GitHub's primary or secondary rate limit (HTTP 403 with a rate-limit message or no requests remaining).
 */
export function isThrottling(error: unknown): boolean {
  const e = error as {
    name?: string;
    Code?: string;
    code?: string;
    status?: number;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    response?: { headers?: Record<string, string | undefined> };
  } | null;
  if ([e?.name, e?.Code, e?.code].some((code) => THROTTLING.has(code ?? ''))) return true;
  if (e?.$metadata?.httpStatusCode === 429 || e?.status === 429) return true;
  return (
    e?.status === 403 &&
    (/rate limit/i.test(e.message ?? '') || e.response?.headers?.['x-ratelimit-remaining'] === '0')
  );
}

/** Thrown after the throttled attempt is recorded, so the state machine retries the collection later. */
export class CollectorThrottled extends ProoflineError {
  override name = 'CollectorThrottled';
  override readonly userFixable = false;
}

/** The cause Step Functions reports for a failed Lambda task is JSON ({errorType, errorMessage, trace}). */
export function failureMessage(cause: string | undefined): string {
  if (!cause) return 'the collection failed without a cause';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage.slice(0, 2000);
  } catch {
    // not JSON: keep the text
  }
  return cause.slice(0, 2000);
}

/** The error a state machine catcher reports, as an Error to record in an error artifact. */
export function failureError(failure: { Error?: string; Cause?: string }): Error {
  return Object.assign(new Error(failureMessage(failure.Cause)), {
    name: failure.Error ?? 'States.TaskFailed',
  });
}
