import type { ArtifactRef, Control, ControlStatus, Finding, Transition } from '../model.ts';
import type { Period } from './types.ts';

export type DayStatus = 'passing' | 'failing' | 'excepted' | 'no_evidence';

/** One collector × scope the control needed on days it got nothing from it. */
export interface CollectionGap {
  /** `collector scope`, or the collector alone when it never ran in the period. */
  readonly source: string;
  readonly notCollected: readonly string[];
  readonly collectionFailed: readonly string[];
}

/** A control over an audit period, one verdict per UTC day (the SOC 2 Type II view). */
export interface ControlPeriodStatus {
  readonly control: string;
  readonly statusAtEnd: ControlStatus | 'not_evaluated';
  readonly days: readonly DayStatus[];
  readonly passing: number;
  readonly failing: number;
  readonly excepted: number;
  readonly withoutEvidence: number;
  /** Share of the period's days with passing evidence, in percent (one decimal). */
  readonly pctPassing: number;
  readonly failingDays: readonly string[];
  readonly gaps: readonly CollectionGap[];
}

export interface PeriodStatusInput {
  readonly control: Control;
  readonly period: Period;
  /** The control's evidence in the period (selectEvidence's byControl). */
  readonly evidence: readonly ArtifactRef[];
  /** The collectors the control's checks need: one that never ran leaves a gap every day. */
  readonly collectors: ReadonlySet<string>;
  /** The control's transitions, oldest first, from before the period up to its end. */
  readonly transitions: readonly Transition[];
  /** Stored findings of an artifact, read only for days before the control was ever evaluated. */
  readonly findingsOf: (key: string) => Promise<readonly Finding[] | undefined>;
}

const DAY_MS = 86_400_000;

/**
 * Each day of the period, judged from the evidence collected that day and the control's recorded status
 * (its transitions):
 * - no_evidence: nothing usable was collected that day, or some collector × scope the control relies on
 *   (any seen in the period, or a collector it needs that never ran) has no successful collection that day —
 *   unless what was collected already shows a failure;
 * - failing: the control was failing at some moment of the day (before its first evaluation: a check of the
 *   control failed on that day's evidence);
 * - excepted: failing findings were covered by an exception;
 * - passing: complete evidence and nothing failing.
 */
export async function controlPeriodStatus(input: PeriodStatusInput): Promise<ControlPeriodStatus> {
  const { control, period, transitions } = input;
  const dayOf = new Map(period.days.map((d, i) => [d, i]));
  const n = period.days.length;

  const pairs = new Map<string, { ok: Set<number>; failed: Set<number> }>();
  const okByDay: ArtifactRef[][] = Array.from({ length: n }, () => []);
  const seenCollectors = new Set<string>();
  for (const ref of input.evidence) {
    const i = dayOf.get(ref.collectedAt.slice(0, 10));
    if (i === undefined) continue;
    seenCollectors.add(ref.collector);
    const pairKey = `${ref.collector} ${ref.scopeKey}`;
    const pair = pairs.get(pairKey) ?? { ok: new Set<number>(), failed: new Set<number>() };
    pairs.set(pairKey, pair);
    if (ref.status === 'ok') {
      pair.ok.add(i);
      okByDay[i]!.push(ref);
    } else pair.failed.add(i);
  }
  for (const collector of [...input.collectors].sort())
    if (!seenCollectors.has(collector)) pairs.set(collector, { ok: new Set(), failed: new Set() });

  const checks = new Set(control.checks);
  const days: DayStatus[] = [];
  let cursor = 0;
  let current: ControlStatus | undefined;
  const startMs = Date.parse(period.start);
  for (let i = 0; i < n; i++) {
    const dayStart = new Date(startMs + i * DAY_MS).toISOString();
    const dayEnd = new Date(startMs + (i + 1) * DAY_MS).toISOString();
    while (cursor < transitions.length && transitions[cursor]!.at < dayStart)
      current = transitions[cursor++]!.to;
    const held = new Set<ControlStatus>(current ? [current] : []);
    while (cursor < transitions.length && transitions[cursor]!.at < dayEnd) {
      current = transitions[cursor++]!.to;
      held.add(current);
    }
    const complete = [...pairs.values()].every((p) => p.ok.has(i));
    if (okByDay[i]!.length === 0) days.push('no_evidence');
    else if (held.size === 0) {
      // Never evaluated yet: judge the day by the findings stored with its artifacts.
      let failed = false;
      for (const ref of okByDay[i]!) {
        const findings = (await input.findingsOf(ref.key)) ?? [];
        if (findings.some((f) => checks.has(f.check) && f.status === 'fail')) failed = true;
      }
      days.push(failed ? 'failing' : complete ? 'passing' : 'no_evidence');
    } else if (held.has('failing')) days.push('failing');
    else if (!complete) days.push('no_evidence');
    else if (held.has('excepted')) days.push('excepted');
    else if (held.has('passing')) days.push('passing');
    else days.push('no_evidence');
  }
  while (cursor < transitions.length && transitions[cursor]!.at < period.end)
    current = transitions[cursor++]!.to;

  const count = (s: DayStatus) => days.filter((d) => d === s).length;
  const passing = count('passing');
  const gaps: CollectionGap[] = [];
  for (const [source, pair] of [...pairs].sort(([a], [b]) => a.localeCompare(b))) {
    const notCollected: string[] = [];
    const collectionFailed: string[] = [];
    for (let i = 0; i < n; i++) {
      if (pair.ok.has(i)) continue;
      (pair.failed.has(i) ? collectionFailed : notCollected).push(period.days[i]!);
    }
    if (notCollected.length || collectionFailed.length) gaps.push({ source, notCollected, collectionFailed });
  }
  return {
    control: control.id,
    statusAtEnd: current ?? 'not_evaluated',
    days,
    passing,
    failing: count('failing'),
    excepted: count('excepted'),
    withoutEvidence: count('no_evidence'),
    pctPassing: n === 0 ? 0 : Math.round((passing / n) * 1000) / 10,
    failingDays: period.days.filter((_, i) => days[i] === 'failing'),
    gaps,
  };
}

/** `2026-01-01..2026-01-03, 2026-01-07`: consecutive days as ranges. */
export function dayRanges(days: readonly string[]): string {
  const out: string[] = [];
  let first: string | undefined;
  let last: string | undefined;
  const flush = () => {
    if (first) out.push(first === last ? first : `${first}..${last}`);
  };
  for (const day of days) {
    if (last && Date.parse(day) - Date.parse(last) === DAY_MS) last = day;
    else {
      flush();
      first = last = day;
    }
  }
  flush();
  return out.join(', ');
}

/** `aws.iam.credential-report 123456789012-global: not collected 2026-01-02; collection failed 2026-01-05..2026-01-06` */
export function formatGaps(gaps: readonly CollectionGap[]): string {
  return gaps
    .map((g) => {
      const parts = [];
      if (g.notCollected.length) parts.push(`not collected ${dayRanges(g.notCollected)}`);
      if (g.collectionFailed.length) parts.push(`collection failed ${dayRanges(g.collectionFailed)}`);
      return `${g.source}: ${parts.join('; ')}`;
    })
    .join(' | ');
}
