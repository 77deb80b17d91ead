import { parseEvidenceKey } from '../evidence-key.ts';
import type { ArtifactRef } from '../model.ts';
import { slotDaysOf, slotIndex, slotsOf } from './period-status.ts';
import type { DigestEntry, Period } from './types.ts';

/** One collector × scope: the collections its schedule expected in the period and what the store holds. */
export interface CompletenessRow {
  readonly collector: string;
  /** The scope key, or empty for a collector that never collected any scope. */
  readonly scope: string;
  readonly schedule: string;
  readonly expected: number;
  readonly collected: number;
  readonly failed: number;
  /** Slots (UTC days or day ranges) with no collection at all. */
  readonly missing: readonly string[];
  /** Slots whose only collections failed. */
  readonly failedSlots: readonly string[];
  /** Artifacts a signed digest lists that the store no longer holds (deleted after they were written). */
  readonly deleted: readonly string[];
}

/**
 * The completeness table: for every collector the exported controls rely on and every scope it collects,
 * one expected collection per schedule slot of the period (whole UTC days), and whether the store holds a
 * successful one, only failed ones, or none. A scope first collected during the period is expected from its
 * first slot on, unless it was collected before the period. Digest entries the store no longer holds are named.
 */
export async function completenessTable(options: CompletenessInput): Promise<CompletenessRow[]> {
  const wanted = new Set(options.collectors);
  const pairs = collectionsByPair(options, wanted);
  const deleted = await deletedByPair(options, wanted, pairs);
  const rows: CompletenessRow[] = [];
  for (const collector of [...wanted].sort()) {
    const schedule = options.scheduleOf(collector) ?? 'rate(1 day)';
    const slots = slotsOf(options.period, slotDaysOf(schedule));
    const scopes = [...pairs.keys()]
      .filter((k) => k.startsWith(`${collector}\n`))
      .map((k) => k.slice(collector.length + 1));
    if (scopes.length === 0) {
      rows.push({
        collector,
        scope: '',
        schedule,
        expected: slots.length,
        collected: 0,
        failed: 0,
        missing: slots.map((s) => s.label),
        failedSlots: [],
        deleted: [],
      });
      continue;
    }
    for (const scope of scopes.sort()) {
      const key = pairKey(collector, scope);
      const before = () => options.collectedBefore(collector, scope);
      rows.push(
        await pairRow({ collector, scope, schedule }, slots, pairs.get(key)!, before, deleted.get(key) ?? []),
      );
    }
  }
  return rows;
}

interface CompletenessInput {
  readonly period: Period;
  /** Collectors whose collections are expected (sources in the deployment; no record collectors). */
  readonly collectors: readonly string[];
  readonly scheduleOf: (collector: string) => string | undefined;
  /** The period's artifacts of those collectors, in the exported scope. */
  readonly refs: readonly ArtifactRef[];
  /** The newest artifact of every collector × scope in the store (in the exported scope). */
  readonly latest: readonly ArtifactRef[];
  /** Whether the store holds a collection of the pair from before the period. */
  readonly collectedBefore: (collector: string, scope: string) => Promise<boolean>;
  /** What the period's signed digests list. */
  readonly digestEntries: readonly DigestEntry[];
  readonly inScope: (scopeKey: string) => boolean;
  readonly stored: (key: string) => Promise<boolean>;
}

const pairKey = (collector: string, scope: string) => `${collector}\n${scope}`;

/** The period's collections of each collector × scope the store knows (none for a pair collected only before). */
function collectionsByPair(options: CompletenessInput, wanted: Set<string>): Map<string, ArtifactRef[]> {
  const pairs = new Map<string, ArtifactRef[]>();
  for (const ref of options.latest)
    if (wanted.has(ref.collector)) pairs.set(pairKey(ref.collector, ref.scopeKey), []);
  for (const ref of options.refs) {
    if (!wanted.has(ref.collector)) continue;
    const key = pairKey(ref.collector, ref.scopeKey);
    const refs = pairs.get(key) ?? [];
    refs.push(ref);
    pairs.set(key, refs);
  }
  return pairs;
}

/** Per pair, the period's evidence a digest lists that the store no longer holds; adds the pairs it names. */
async function deletedByPair(
  options: CompletenessInput,
  wanted: Set<string>,
  pairs: Map<string, ArtifactRef[]>,
): Promise<Map<string, string[]>> {
  const { period } = options;
  const present = new Set(options.refs.map((r) => r.key));
  const deleted = new Map<string, string[]>();
  for (const entry of options.digestEntries) {
    if (present.has(entry.key)) continue;
    let parsed: ReturnType<typeof parseEvidenceKey>;
    try {
      parsed = parseEvidenceKey(entry.key);
    } catch {
      continue;
    }
    if (!wanted.has(parsed.collector) || !options.inScope(parsed.scopeKey)) continue;
    if (parsed.date < period.from || parsed.date > period.to || (await options.stored(entry.key))) continue;
    const key = pairKey(parsed.collector, parsed.scopeKey);
    if (!pairs.has(key)) pairs.set(key, []);
    deleted.set(key, [...(deleted.get(key) ?? []), entry.key]);
  }
  return deleted;
}

/**
 * One pair's row: each slot collected, failed only, or missing. A scope first collected during the period (and
 * never before it) is expected from its first slot on.
 */
async function pairRow(
  pair: { collector: string; scope: string; schedule: string },
  slots: ReturnType<typeof slotsOf>,
  refs: readonly ArtifactRef[],
  /** Asked only when the pair's first collection in the period is after its first slot. */
  collectedBefore: () => Promise<boolean>,
  deleted: string[],
): Promise<CompletenessRow> {
  const ok = new Set<number>();
  const failed = new Set<number>();
  for (const ref of refs) {
    const i = slotIndex(slots, Date.parse(ref.collectedAt));
    if (i >= 0) (ref.status === 'ok' ? ok : failed).add(i);
  }
  const firstSlot = Math.min(...ok, ...failed, slots.length);
  const from = firstSlot > 0 && !(await collectedBefore()) ? firstSlot : 0;
  const expected = slots.slice(from);
  const at = (i: number) => i + from;
  return {
    ...pair,
    expected: expected.length,
    collected: expected.filter((_, i) => ok.has(at(i))).length,
    failed: expected.filter((_, i) => !ok.has(at(i)) && failed.has(at(i))).length,
    missing: expected.filter((_, i) => !ok.has(at(i)) && !failed.has(at(i))).map((s) => s.label),
    failedSlots: expected.filter((_, i) => !ok.has(at(i)) && failed.has(at(i))).map((s) => s.label),
    deleted,
  };
}
