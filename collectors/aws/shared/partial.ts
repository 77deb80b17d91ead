/**
 * A sub-read of a collector that failed (refused, unimplemented, not available in the region): recorded in the
 * snapshot as explicitly unknown with the error code, so the checks that depend on it report a gap with a
 * reason instead of passing on an empty answer.
 */
export interface Unknown {
  readonly unknown: string;
}

export type Known<T> = T | Unknown;

export const isUnknown = (value: unknown): value is Unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'unknown' in value;

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
