import * as z from 'zod';
import { canonicalJson, sha256Hex } from './canonical.ts';
import { DAY_MS } from './collector.ts';
import { EXIT, type ExitCode, ProoflineError } from './errors.ts';
import type { Control, ControlResult, Finding } from './model.ts';
import { parseIsoTime } from './validate.ts';

/** Exceptions are stored as artifacts of this collector (source `manual`, scope id = the control id). */
export const EXCEPTION_COLLECTOR = 'proofline.exception';
export const DEFAULT_MAX_EXCEPTION_DAYS = 90;

const text = z.string().trim().min(1, 'must not be empty');
const isoTime = z.iso.datetime();

const grantSchema = z.strictObject({
  kind: z.literal('grant'),
  id: z.string().regex(/^EXC-[0-9A-F]{10}$/),
  control: text,
  /** A glob over finding resources (`*` any run of characters, `?` one); absent = every resource. */
  resource: text.optional(),
  reason: text,
  owner: text,
  approvedBy: text,
  grantedAt: isoTime,
  expiresAt: isoTime,
});
const revocationSchema = z.strictObject({
  kind: z.literal('revoke'),
  id: z.string().regex(/^EXC-[0-9A-F]{10}$/),
  reason: text,
  revokedBy: text,
  revokedAt: isoTime,
});
export const exceptionRecordSchema = z.discriminatedUnion('kind', [grantSchema, revocationSchema]);

export type ExceptionGrant = z.infer<typeof grantSchema>;
export type ExceptionRevocation = z.infer<typeof revocationSchema>;
/** Records are append-only: a grant, and later perhaps its revocation (a new record, never an edit). */
export type ExceptionRecord = ExceptionGrant | ExceptionRevocation;

/** An exception request or revocation that cannot be recorded as given: bad usage (exit 2). */
export class ExceptionError extends ProoflineError {
  override name = 'ExceptionError';
  override readonly exitCode: ExitCode = EXIT.usage;
}

export interface ExceptionRequest {
  readonly control?: string;
  readonly resource?: string;
  readonly reason?: string;
  readonly owner?: string;
  readonly approvedBy?: string;
  /** `YYYY-MM-DD` (valid through the end of that UTC day) or an ISO 8601 time. */
  readonly expires?: string;
}

/** Parses an expiry: ISO 8601 only; a bare date means the end of that day (UTC). */
export function parseExpiry(value: string): Date {
  const date = parseIsoTime(value, { endOfDay: true });
  if (!date)
    throw new ExceptionError(
      `expiry "${value}" is not a date: use YYYY-MM-DD (valid through the end of that UTC day) or an ISO 8601 time with its zone`,
    );
  return date;
}

/** The latest expiry allowed for an exception granted at `now`: the end of the UTC day `maxDays` later. */
export function latestExpiry(now: Date, maxDays: number): Date {
  const day = new Date(now.getTime() + maxDays * DAY_MS).toISOString().slice(0, 10);
  return new Date(`${day}T23:59:59.999Z`);
}

/**
 * Validates a request and returns the grant to record. Every problem is reported at once. An exception must
 * name a known control with automated checks (it covers failing findings), a reason, an owner, an approver
 * and an expiry in the future, at most `maxDays` away.
 */
export function exceptionGrant(
  request: ExceptionRequest,
  controls: readonly Control[],
  now: Date,
  maxDays: number = DEFAULT_MAX_EXCEPTION_DAYS,
): ExceptionGrant {
  const problems: string[] = [];
  const control = controls.find((c) => c.id === request.control);
  if (!request.control) problems.push('an exception needs a control (--control)');
  else if (!control) problems.push(`unknown control "${request.control}"`);
  else if (control.checks.length === 0)
    problems.push(
      `control ${control.id} has no automated checks: an exception covers failing findings, and it has none`,
    );
  for (const [field, flag] of [
    ['reason', '--reason'],
    ['owner', '--owner'],
    ['approvedBy', '--approved-by'],
  ] as const)
    if (!request[field]?.trim()) problems.push(`an exception needs ${field} (${flag})`);
  if (request.resource !== undefined && !request.resource.trim())
    problems.push('resource pattern must not be empty (leave --resource out to cover every resource)');
  let expiresAt: Date | undefined;
  if (!request.expires?.trim()) problems.push('an exception needs an expiry date (--expires YYYY-MM-DD)');
  else {
    try {
      expiresAt = parseExpiry(request.expires.trim());
      const limit = latestExpiry(now, maxDays);
      if (expiresAt.getTime() <= now.getTime())
        problems.push(`expiry ${expiresAt.toISOString()} is not in the future`);
      else if (expiresAt.getTime() > limit.getTime())
        problems.push(
          `expiry ${expiresAt.toISOString().slice(0, 10)} is beyond the maximum of ${maxDays} days (latest allowed: ${limit.toISOString().slice(0, 10)})`,
        );
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ExceptionError(problems.join('; '));
  const body = {
    control: control!.id,
    ...(request.resource ? { resource: request.resource.trim() } : {}),
    reason: request.reason!.trim(),
    owner: request.owner!.trim(),
    approvedBy: request.approvedBy!.trim(),
    grantedAt: now.toISOString(),
    expiresAt: expiresAt!.toISOString(),
  };
  const id = `EXC-${sha256Hex(canonicalJson(body)).slice(0, 10).toUpperCase()}`;
  return { kind: 'grant', id, ...body };
}

export type ExceptionState = 'active' | 'expired' | 'revoked';

export interface ExceptionView {
  readonly grant: ExceptionGrant;
  readonly state: ExceptionState;
  readonly revocation?: ExceptionRevocation;
  /** The evidence key of the grant record, when read from a store. */
  readonly key?: string;
}

/** Each grant with its state at `asOf`: revoked (by a later record), expired, or active. */
export function exceptionStates(
  records: readonly { readonly record: ExceptionRecord; readonly key?: string }[],
  asOf: Date,
): ExceptionView[] {
  const revocations = new Map<string, ExceptionRevocation>();
  for (const { record } of records)
    if (record.kind === 'revoke' && record.revokedAt <= asOf.toISOString() && !revocations.has(record.id))
      revocations.set(record.id, record);
  const views: ExceptionView[] = [];
  for (const { record, key } of records) {
    if (record.kind !== 'grant' || record.grantedAt > asOf.toISOString()) continue;
    const revocation = revocations.get(record.id);
    const state: ExceptionState = revocation
      ? 'revoked'
      : asOf.getTime() >= new Date(record.expiresAt).getTime()
        ? 'expired'
        : 'active';
    views.push({ grant: record, state, ...(revocation ? { revocation } : {}), ...(key ? { key } : {}) });
  }
  return views;
}

/** Whether a resource glob (`*`, `?`) matches a finding's resource; no pattern matches every resource. */
export function resourceMatches(pattern: string | undefined, resource: string): boolean {
  if (pattern === undefined) return true;
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(resource);
}

/**
 * The exception rule. A failing finding covered by an active exception of its control moves from `failing`
 * to `excepted` (its own status stays `fail`, marked with the exception id). A control whose failing
 * findings are all excepted is `excepted` (or `no_evidence` when evidence is also missing). Expired
 * exceptions cover nothing; those that would still cover a failing finding are listed so they get noticed.
 */
export function applyExceptions(result: ControlResult, exceptions: readonly ExceptionView[]): ControlResult {
  const mine = exceptions.filter((e) => e.grant.control === result.control);
  if (mine.length === 0) return result;
  const active = mine.filter((e) => e.state === 'active');
  const expired = mine.filter((e) => e.state === 'expired');
  const failing: Finding[] = [];
  const excepted: Finding[] = [];
  const used = new Set<ExceptionView>();
  for (const finding of result.failing) {
    const cover = active.find((e) => resourceMatches(e.grant.resource, finding.resource));
    if (cover) {
      used.add(cover);
      excepted.push({ ...finding, exception: cover.grant.id });
    } else failing.push(finding);
  }
  const expiredExceptions = expired
    .filter((e) => failing.some((f) => resourceMatches(e.grant.resource, f.resource)))
    .map((e) => e.grant.id);
  if (excepted.length === 0 && expiredExceptions.length === 0) return result;
  const allExcepted = result.status === 'failing' && failing.length === 0;
  return {
    ...result,
    status: allExcepted ? (result.gaps.length > 0 ? 'no_evidence' : 'excepted') : result.status,
    failing,
    evidence: [...result.evidence, ...[...used].flatMap((e) => (e.key ? [e.key] : []))],
    ...(excepted.length > 0 ? { excepted } : {}),
    ...(expiredExceptions.length > 0 ? { expiredExceptions } : {}),
  };
}
