import type { ZodType } from 'zod';
import * as z from 'zod';
import { EXIT, type ExitCode, ProoflineError } from '../errors.ts';
import type { ArtifactRef, Control } from '../model.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { isIsoDay } from '../validate.ts';

/**
 * ISMS records (register versions, SoA approvals, internal audits, nonconformities, management reviews) are
 * artifacts of this collector: source `manual`, scope id = the record kind. Like exceptions they are
 * append-only: a change is a new record, never an edit, so the evidence holds the whole history.
 */
export const ISMS_COLLECTOR = 'proofline.isms';
export const ISMS_KINDS = ['register', 'soa-approval', 'audit', 'nc', 'review'] as const;
export type IsmsKind = (typeof ISMS_KINDS)[number];

/** An ISMS record that cannot be recorded as given: bad usage (exit 2). */
export class IsmsError extends ProoflineError {
  override name = 'IsmsError';
  override readonly exitCode: ExitCode = EXIT.usage;
}

export const text = z.string().trim().min(1, 'must not be empty');
export const isoTime = z.iso.datetime();
export const isoDay = z.string().refine(isIsoDay, 'must be a date YYYY-MM-DD');

/** A stored record with the evidence key it was read from. */
export interface Stored<T> {
  readonly record: T;
  readonly key: string;
}

/** Reads every record of a kind, oldest first, each validated; a record out of shape stops the read. */
export async function loadIsmsRecords<T>(
  store: EvidenceStore,
  kind: IsmsKind,
  schema: ZodType<T>,
): Promise<Stored<T>[]> {
  const records: Stored<T>[] = [];
  for (const ref of await store.listArtifacts({ collector: ISMS_COLLECTOR, scopeKey: `${kind}-global` })) {
    if (ref.status !== 'ok') continue;
    const { artifact } = await store.getArtifact(ref.key);
    if (artifact.status !== 'ok') continue;
    const parsed = schema.safeParse(artifact.snapshot);
    if (!parsed.success)
      throw new Error(`${ref.key}: not a ${kind} record: ${parsed.error.issues[0]?.message}`);
    records.push({ record: parsed.data, key: ref.key });
  }
  return records;
}

/**
 * Appends a record. Records are ordered by their time, so a record is stamped at least a millisecond after the
 * previous one of its kind: two changes in the same millisecond still read back in the order they were made.
 */
export async function appendIsmsRecord(
  store: EvidenceStore,
  kind: IsmsKind,
  build: (at: string) => object,
  now: Date,
): Promise<{ ref: ArtifactRef; at: string }> {
  const existing = await store.listArtifacts({ collector: ISMS_COLLECTOR, scopeKey: `${kind}-global` });
  const last = existing.at(-1)?.collectedAt;
  const at = new Date(Math.max(now.getTime(), last ? Date.parse(last) + 1 : 0)).toISOString();
  const { ref } = await store.putArtifact({
    collector: ISMS_COLLECTOR,
    scope: { source: 'manual', id: kind },
    collectedAt: at,
    schemaVersion: 1,
    status: 'ok',
    snapshot: build(at),
  });
  return { ref, at };
}

/** Control ids that are not in the catalog, as one problem line (or none). */
export function unknownControls(ids: readonly string[], controls: readonly Control[]): string[] {
  const known = new Set(controls.map((c) => c.id));
  const unknown = ids.filter((id) => !known.has(id));
  return unknown.length ? [`unknown control ${unknown.map((id) => `"${id}"`).join(', ')}`] : [];
}

/** Reads a `YYYY-MM-DD` option; anything else is a problem naming the flag. */
export function dayOption(value: string | undefined, flag: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  const day = value.trim();
  if (!isIsoDay(day)) {
    problems.push(`${flag} "${value}" is not a date: use YYYY-MM-DD`);
    return undefined;
  }
  return day;
}

/** Throws every problem at once, `; `-separated, as one line. */
export function refuse(problems: readonly string[]): void {
  if (problems.length > 0) throw new IsmsError(problems.join('; '));
}
