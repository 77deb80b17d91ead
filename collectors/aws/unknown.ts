import { type Check, type CheckContext, type CheckMeta, perResource } from '../../core/collector.ts';

/**
 * A part of a snapshot that could not be read (refused, unimplemented): the error code stands in for the data,
 * so a check depending on it reports a failing finding with the reason instead of passing on silence.
 */
export interface Unknown {
  readonly unknown: string;
}

/** A value or the Unknown that stands in for it. */
export type Known<T> = T | Unknown;

export const isUnknown = (value: unknown): value is Unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'unknown' in value;

/** The code of an AWS SDK error (`AccessDenied`, `UnknownOperationException` …) and its HTTP status. */
function errorCode(error: unknown): string {
  const e = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.Code ?? e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  return status ? `${code} (HTTP ${status})` : code;
}

/**
 * The call's result (mapped by `map`), or an Unknown naming the error (code, HTTP status and, for an error the
 * service returned, the first line of its message) when it fails. The call is a promise, or a function returning one (for a read of several steps).
 */
export async function orUnknown<T, U = T>(
  call: Promise<T> | (() => Promise<T>),
  map?: (value: T) => U,
): Promise<U | Unknown> {
  let value: T;
  try {
    value = await (typeof call === 'function' ? call() : call);
  } catch (error) {
    // A service's own error carries a useful message; a response the SDK could not parse (an HTML error page)
    // does not, so only the code and status are kept.
    const e = error as { message?: string; $fault?: string };
    const message = e.$fault ? (e.message ?? '').split('\n')[0]?.trim() : '';
    return { unknown: message ? `${errorCode(error)}: ${message}` : errorCode(error) };
  }
  return map ? map(value) : (value as unknown as U);
}

/**
 * `perResource` over a list the collector may have failed to read: an unreadable list is one failing finding
 * for the scope naming what could not be read and why. With `noneMeans`, an empty list fails with that
 * reason instead of recording not_applicable (for resources whose absence is itself the finding).
 */
export function perReadResource<S, R>(
  meta: CheckMeta,
  what: string,
  resources: (snapshot: S, context: CheckContext) => readonly R[] | Unknown,
  resourceId: (resource: R) => string,
  judge: (resource: R, snapshot: S, context: CheckContext) => readonly [ok: boolean, reason: string],
  noneMeans?: string,
): Check<S> {
  const fail = (context: CheckContext, reason: string) => [
    { check: meta.id, resource: context.scope.id, status: 'fail' as const, reason },
  ];
  return {
    ...meta,
    evaluate(snapshot, context) {
      const list = resources(snapshot, context);
      if (isUnknown(list)) return fail(context, `${what} could not be read: ${list.unknown}`);
      if (list.length === 0 && noneMeans) return fail(context, noneMeans);
      return perResource(meta, () => list, resourceId, judge).evaluate(snapshot, context);
    },
  };
}
