import type { Known } from '../unknown.ts';

// One home for the unknown part of a snapshot (collectors/aws/unknown.ts); this file keeps the thunk form.
export { isUnknown, type Known, type Unknown } from '../unknown.ts';

/** The API error's code and HTTP status, as recorded for an unknown part. */
export function errorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return `${e.Code ?? e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}`;
}

/** Resolves to the call's value, or to an Unknown naming the error. */
export async function orUnknown<T>(call: () => Promise<T>): Promise<Known<T>> {
  try {
    return await call();
  } catch (error) {
    return { unknown: errorCode(error) };
  }
}
