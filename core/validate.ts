import type { ZodType } from 'zod';
import { ProoflineError } from './errors.ts';

// Input validation in one place, free of the YAML parser so the deployed functions can use it too.

/** A configuration (file, section or deployed setting) that does not validate; names the field and the problem. */
export class ConfigError extends ProoflineError {
  override name = 'ConfigError';
}

type PathKey = string | number;

/** The part of a zod issue a message needs. */
interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `a.b.0: what is wrong`: the field path under `prefix`, or `root` when the issue is about the whole value. */
export function issueLine(issue: Issue, prefix: readonly PathKey[] = [], root = '(root)'): string {
  return `${[...prefix, ...issue.path.map(String)].join('.') || root}: ${issue.message}`;
}

export interface ParseOptions {
  /** How an issue about the whole value is named (default `(root)`). */
  readonly root?: string;
  /** The error thrown (default ConfigError). */
  readonly error?: new (
    message: string,
  ) => Error;
}

/**
 * Validates `data` with `schema`. On failure throws one error naming `where`, then every problem as
 * `field.path: what is wrong`, `; `-separated; `prefix` is prepended to each path (the section's place in a file).
 */
export function parseWith<T>(
  schema: ZodType<T>,
  data: unknown,
  where: string,
  prefix: readonly PathKey[] = [],
  options: ParseOptions = {},
): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => issueLine(issue, prefix, options.root));
  throw new (options.error ?? ConfigError)(`${where}: ${problems.join('; ')}`);
}

/** An environment variable the deployment sets; its absence is a configuration error naming it. */
export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (!value) throw new ConfigError(`environment variable ${name} is not set`);
  return value;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Whether `value` is a `YYYY-MM-DD` day that exists: 2027-02-30 does not, and is not read as March 2. */
export function isIsoDay(value: string): boolean {
  if (!ISO_DAY.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/**
 * Reads an ISO 8601 time: a day `YYYY-MM-DD` (its start in UTC, or its last millisecond with `endOfDay`), or a
 * date-time with its zone (`2026-12-31T18:00:00Z`, `…+01:00`). Anything else — `12/31/2026`, a day that does
 * not exist, a time without a zone — is undefined, never a guess.
 */
export function parseIsoTime(value: string, options: { endOfDay?: boolean } = {}): Date | undefined {
  if (isIsoDay(value)) return new Date(`${value}T${options.endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`);
  const time = ISO_TIME.exec(value);
  if (!time || !isIsoDay(time[1]!)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
