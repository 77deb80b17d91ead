import { InvalidArgumentError } from 'commander';
import { parseIsoTime } from '../core/validate.ts';

/** Option parsers the commands share: what a bad value is told, in the same words for every command. */

/** A repeatable option: each occurrence adds its value. */
export const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A count: an integer of at least 1. */
export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return n;
};

/** A date option: YYYY-MM-DD or an ISO 8601 time with its zone, as an ISO time. */
export const isoDate = (value: string): string => {
  const date = parseIsoTime(value);
  if (!date)
    throw new InvalidArgumentError(
      `"${value}" is not a date: use YYYY-MM-DD or an ISO 8601 time with its zone (2026-12-31T18:00:00Z)`,
    );
  return date.toISOString();
};

/** One of `values`, named as `what` when it is not. */
export const choice =
  <T extends string>(what: string, values: readonly T[]) =>
  (value: string): T => {
    if (!values.includes(value as T))
      throw new InvalidArgumentError(`"${value}" is not a ${what} (one of ${values.join(', ')})`);
    return value as T;
  };
