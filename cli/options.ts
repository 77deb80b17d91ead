import { InvalidArgumentError } from 'commander';

/** Option parsers the commands share: what a bad value is told, in the same words for every command. */

/** A repeatable option: each occurrence adds its value. */
export const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

/** A count: an integer of at least 1. */
export const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not a positive integer`);
  return n;
};
