import { EXCEPTION_COLLECTOR } from '../exceptions.ts';
import { GOVERNANCE_COLLECTOR } from '../governance.ts';
import { ISMS_COLLECTOR } from '../isms/records.ts';
import { MANUAL_EVIDENCE_COLLECTOR } from '../manual-evidence.ts';
import type { ArtifactRef, Control, ControlStatus, Finding, Transition } from '../model.ts';
import { rateIntervalMs } from '../schedule.ts';
import type { Period } from './types.ts';

const DAY_MS = 86_400_000;
/**
 * Missing collections or failing findings an occurrence names one by one; beyond, it counts them and says which
 * table names each. A year of a control failing on thousands of resources would otherwise write cells of
 * megabytes, past what a spreadsheet holds in one cell (32,767 characters).
 */
const NAMED = 3;

/**
 * How often a control is expected to operate, as auditors size samples by it. Events (merged pull requests,
 * joiners, leavers) happen many times a day.
 */
export type Frequency = 'many_per_day' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'annual';
export const FREQUENCIES: readonly Frequency[] = [
  'many_per_day',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'annual',
];

/** The frequency of something expected every `ms` (a collection interval, a manual cadence). */
export function frequencyOf(ms: number): Frequency {
  const days = ms / DAY_MS;
  if (days < 1) return 'many_per_day';
  if (days <= 1) return 'daily';
  if (days <= 7) return 'weekly';
  if (days <= 31) return 'monthly';
  if (days <= 92) return 'quarterly';
  return 'annual';
}

/** What feeds a control, each expected at its own cadence. */
export type FeedKind = 'collection' | 'manual' | 'event';

/** One expected occurrence: met (operated, nothing failing), failing, excepted, or missed (a gap). */
export type OccurrenceStatus = 'met' | 'failing' | 'excepted' | 'missed';

export interface Occurrence {
  readonly feed: FeedKind;
  /** A slot's UTC days (`2026-06-01` or `2026-06-01..2026-06-07`), or an event's resource. */
  readonly label: string;
  /** When: a slot's start, or the event's time (ISO 8601). */
  readonly at: string;
  readonly status: OccurrenceStatus;
  /** Why it is failing or missed (empty when met). */
  readonly detail: string;
  /** Keys of the evidence behind it. */
  readonly evidence: readonly string[];
  /** What an auditor reads about an event (author, approvers …). */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface Feed {
  readonly kind: FeedKind;
  /** The cadence judged against, in words: `daily (rate(1 day) of aws.iam.credential-report)`. */
  readonly cadence: string;
  readonly frequency: Frequency;
  readonly expected: number;
}

/** One collector × scope the control needed in slots it got nothing from it. */
export interface CollectionGap {
  /** `collector scope`, or the collector alone when it never ran in the period. */
  readonly source: string;
  /** Slot labels. */
  readonly notCollected: readonly string[];
  readonly collectionFailed: readonly string[];
}

/** A control over an audit period, judged per expected occurrence at its own cadence (the SOC 2 Type II view). */
export interface ControlPeriodStatus {
  readonly control: string;
  readonly statusAtEnd: ControlStatus | 'not_evaluated';
  readonly feeds: readonly Feed[];
  readonly occurrences: readonly Occurrence[];
  readonly expected: number;
  readonly met: number;
  readonly failing: number;
  readonly excepted: number;
  readonly missed: number;
  /** Share of expected occurrences met, in percent (one decimal); 0 when none was expected. */
  readonly pctMet: number;
  /** The most frequent of its feeds (it sizes the sample); undefined when nothing is expected. */
  readonly frequency: Frequency | undefined;
  readonly gaps: readonly CollectionGap[];
}

/** An event of a population (a merged pull request …) as judged by the check that reads it. */
export interface PopulationEvent {
  readonly check: string;
  readonly resource: string;
  readonly at: string;
  readonly status: 'pass' | 'fail';
  readonly reason: string;
  readonly exception?: string;
  /** The latest artifact that judged it. */
  readonly evidence: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** A stretch of time no collection of an event population read: events in it may be missing. */
export interface PopulationHole {
  readonly source: string;
  readonly from: string;
  readonly to: string;
}

export interface PeriodStatusInput {
  readonly control: Control;
  readonly period: Period;
  /** The control's evidence in the period (selectEvidence's byControl), manual uploads in force included. */
  readonly evidence: readonly ArtifactRef[];
  /**
   * The collectors whose every collection the control relies on (its sources outside the deployment and its
   * event populations left out): one that never ran leaves every slot missed.
   */
  readonly collectors: ReadonlySet<string>;
  /** A collector's schedule expression (deployed or configured); a cron or unknown one is judged daily. */
  readonly scheduleOf?: (collector: string) => string | undefined;
  /** The control's event population in the period, and the stretches no collection read. */
  readonly events?: { readonly items: readonly PopulationEvent[]; readonly holes: readonly PopulationHole[] };
  /** The control's transitions, oldest first, from before the period up to its end. */
  readonly transitions: readonly Transition[];
  /** Stored findings of an artifact, read only for slots before the control was ever evaluated. */
  readonly findingsOf: (key: string) => Promise<readonly Finding[] | undefined>;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A schedule's slot in whole UTC days (at least one): `rate(7 days)` → 7; a cron or none is judged daily. */
export const slotDaysOf = (schedule: string | undefined): number =>
  Math.max(1, Math.ceil((rateIntervalMs(schedule ?? '') ?? DAY_MS) / DAY_MS));

/**
 * `[start, end)` slots of `length` days over the period, labelled by their UTC days; the last one is shorter,
 * or with `stretchLast` absorbs the remainder (a 365-day period of 90-day slots: four, the last 95 days).
 */
export function slotsOf(period: Period, lengthDays: number, stretchLast = false): readonly Slot[] {
  // Every control of an export asks for the same few: each is made once per period.
  const cache = slotCache.get(period) ?? new Map<string, readonly Slot[]>();
  slotCache.set(period, cache);
  const key = `${lengthDays} ${stretchLast}`;
  const slots = cache.get(key) ?? makeSlots(period, lengthDays, stretchLast);
  cache.set(key, slots);
  return slots;
}

interface Slot {
  /** In milliseconds; `startAt` and `endAt` are the same instants in ISO 8601, as transition times compare. */
  readonly start: number;
  readonly end: number;
  readonly startAt: string;
  readonly endAt: string;
  readonly label: string;
}
const slotCache = new WeakMap<Period, Map<string, readonly Slot[]>>();

function makeSlots(period: Period, lengthDays: number, stretchLast: boolean): Slot[] {
  const startMs = Date.parse(period.start);
  const endMs = Date.parse(period.end);
  const n = period.days.length;
  const count = stretchLast ? Math.max(1, Math.floor(n / lengthDays)) : Math.ceil(n / lengthDays);
  return Array.from({ length: count }, (_, i) => {
    const start = startMs + i * lengthDays * DAY_MS;
    const end = i === count - 1 ? endMs : Math.min(endMs, start + lengthDays * DAY_MS);
    const first = isoDay(start);
    const last = isoDay(end - DAY_MS);
    const startAt = new Date(start).toISOString();
    const endAt = new Date(end).toISOString();
    return { start, end, startAt, endAt, label: first === last ? first : `${first}..${last}` };
  });
}

/** The index of the slot holding time `ms`, or -1 outside them: a binary search, the slots being in order. */
export function slotIndex(slots: readonly Slot[], ms: number): number {
  let lo = 0;
  let hi = slots.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const slot = slots[mid]!;
    if (ms < slot.start) hi = mid - 1;
    else if (ms >= slot.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Per collector × scope, the slots it was collected in and those whose collection failed. */
type SlotPairs = Map<string, { ok: Set<number>; failed: Set<number> }>;

/** The period's collections sorted into slots: per collector × scope, and per slot the artifacts. */
function collectionsBySlot(input: PeriodStatusInput, collectors: readonly string[], slots: readonly Slot[]) {
  const pairs: SlotPairs = new Map();
  // Made as a slot gets its first artifact: most slots hold no failed collection.
  const okBySlot: (ArtifactRef[] | undefined)[] = new Array(slots.length);
  const errorsBySlot: (ArtifactRef[] | undefined)[] = new Array(slots.length);
  const seen = new Set<string>();
  for (const ref of input.evidence) {
    if (!input.collectors.has(ref.collector)) continue;
    const i = slotIndex(slots, Date.parse(ref.collectedAt));
    if (i < 0) continue;
    seen.add(ref.collector);
    const pairKey = `${ref.collector} ${ref.scopeKey}`;
    const pair = pairs.get(pairKey) ?? { ok: new Set<number>(), failed: new Set<number>() };
    pairs.set(pairKey, pair);
    const ok = ref.status === 'ok';
    (ok ? pair.ok : pair.failed).add(i);
    const bySlot = ok ? okBySlot : errorsBySlot;
    const refs = bySlot[i] ?? [];
    refs.push(ref);
    bySlot[i] = refs;
  }
  for (const collector of collectors)
    if (!seen.has(collector)) pairs.set(collector, { ok: new Set(), failed: new Set() });
  return { pairs, okBySlot, errorsBySlot };
}

/** Each collector × scope with the slots it was not collected in, or whose collection failed. */
function collectionGaps(pairs: SlotPairs, slots: readonly Slot[]): CollectionGap[] {
  const gaps: CollectionGap[] = [];
  for (const [source, pair] of [...pairs].sort(([a], [b]) => a.localeCompare(b))) {
    const notCollected: string[] = [];
    const collectionFailed: string[] = [];
    for (const [i, slot] of slots.entries()) {
      if (pair.ok.has(i)) continue;
      (pair.failed.has(i) ? collectionFailed : notCollected).push(slot.label);
    }
    if (notCollected.length || collectionFailed.length) gaps.push({ source, notCollected, collectionFailed });
  }
  return gaps;
}

/** `lines` (each distinct) as a cell: all of them when few, else their count and the first few. */
function namedText(lines: readonly string[], count: number, what: string, table: string): string {
  if (count <= NAMED) return lines.join('; ');
  return `${count} ${what}, e.g. ${lines.slice(0, NAMED).join('; ')} (${table} names each)`;
}

const failingText = (lines: readonly string[], count: number) =>
  namedText(lines, count, 'failing findings', 'findings.csv');

/** A slot never evaluated yet is judged by the failed findings stored with its artifacts. */
async function failedFindings(
  input: PeriodStatusInput,
  refs: readonly ArtifactRef[],
  checks: ReadonlySet<string>,
): Promise<string> {
  const failed = new Set<string>();
  for (const ref of refs)
    for (const f of (await input.findingsOf(ref.key)) ?? [])
      if (checks.has(f.check) && f.status === 'fail') failed.add(lineOf(f));
  return failingText([...failed].slice(0, NAMED), failed.size);
}

/** A failing finding as a line of text; made once per finding, which a year's transitions hold many times. */
const lines = new WeakMap<Finding, string>();
function lineOf(f: Finding): string {
  let line = lines.get(f);
  if (line === undefined) {
    line = `${f.resource}: ${f.reason}`;
    lines.set(f, line);
  }
  return line;
}

/** What one transition says was failing, as text; made once, as a year's slots mostly hold one transition. */
const failingTexts = new WeakMap<Transition, string>();

/** What the transitions say was failing, each finding once, counted without joining them all. */
function failingOf(held: readonly Transition[]): string {
  const one = held.length === 1 ? held[0]! : undefined;
  const cached = one && failingTexts.get(one);
  if (cached !== undefined) return cached;
  const named: string[] = [];
  const seen = new Set<string>();
  for (const t of held)
    for (const f of t.failing) {
      const line = lineOf(f);
      if (seen.has(line)) continue;
      seen.add(line);
      if (named.length < NAMED) named.push(line);
    }
  const text = failingText(named, seen.size);
  if (one) failingTexts.set(one, text);
  return text;
}

async function collectionFeed(input: PeriodStatusInput) {
  const { control, period, transitions } = input;
  const collectors = [...input.collectors].sort();
  const intervals = collectors.map((c) => rateIntervalMs(input.scheduleOf?.(c) ?? '') ?? DAY_MS);
  const slotDays = Math.max(1, ...collectors.map((c) => slotDaysOf(input.scheduleOf?.(c))));
  const slots = slotsOf(period, slotDays);
  const { pairs, okBySlot, errorsBySlot } = collectionsBySlot(input, collectors, slots);

  const checks = new Set(control.checks);
  const occurrences: Occurrence[] = [];
  let cursor = 0;
  let current: Transition | undefined;
  for (const [i, slot] of slots.entries()) {
    while (cursor < transitions.length && transitions[cursor]!.at < slot.startAt)
      current = transitions[cursor++];
    // The slot is held by the transition in force at its start (`current`) and those made during it.
    const heldFrom = current ? cursor - 1 : cursor;
    while (cursor < transitions.length && transitions[cursor]!.at < slot.endAt)
      current = transitions[cursor++];
    const held = new Set<ControlStatus>();
    for (let t = heldFrom; t < cursor; t++) held.add(transitions[t]!.to);
    const missing: string[] = [];
    for (const [source, p] of pairs)
      if (!p.ok.has(i)) missing.push(`${source}: ${p.failed.has(i) ? 'collection failed' : 'not collected'}`);
    const ok = okBySlot[i] ?? [];
    const errors = errorsBySlot[i];
    const occurrence = (status: OccurrenceStatus, detail = ''): Occurrence => ({
      feed: 'collection',
      label: slot.label,
      at: slot.startAt,
      status,
      detail,
      evidence: (errors ? [...ok, ...errors] : ok).map((r) => r.key),
    });
    const gapText = () =>
      namedText(missing, missing.length, `of ${pairs.size} collections missing`, 'completeness.csv');
    if (ok.length === 0) occurrences.push(occurrence('missed', gapText()));
    else if (held.size === 0) {
      const failed = await failedFindings(input, ok, checks);
      occurrences.push(
        failed
          ? occurrence('failing', failed)
          : missing.length
            ? occurrence('missed', gapText())
            : occurrence('met'),
      );
    } else if (held.has('failing')) {
      const failing = transitions.slice(heldFrom, cursor).filter((t) => t.to === 'failing');
      occurrences.push(occurrence('failing', failingOf(failing) || 'the control was failing'));
    } else if (missing.length) occurrences.push(occurrence('missed', gapText()));
    else if (held.has('excepted')) occurrences.push(occurrence('excepted'));
    // manual_due concerns the manual feed, judged on its own; the collections themselves passed.
    else if (held.has('passing') || held.has('manual_due')) occurrences.push(occurrence('met'));
    else occurrences.push(occurrence('missed', 'the control had no evidence'));
  }
  while (cursor < transitions.length && transitions[cursor]!.at < period.end) current = transitions[cursor++];

  const gaps = collectionGaps(pairs, slots);
  const interval = slotDays * DAY_MS;
  const feed: Feed = {
    kind: 'collection',
    cadence: `${slotDays === 1 ? 'daily' : `every ${slotDays} days`} (${collectors
      .map((c) => `${c} ${input.scheduleOf?.(c) ?? 'rate(1 day)'}`)
      .join(', ')})`,
    frequency: frequencyOf(Math.min(interval, ...intervals)),
    expected: slots.length,
  };
  return { feed, occurrences, gaps, statusAtEnd: current?.to };
}

function manualFeed(input: PeriodStatusInput, everyDays: number) {
  const uploads = input.evidence
    .filter((r) => r.collector === MANUAL_EVIDENCE_COLLECTOR && r.status === 'ok')
    .sort((a, b) => a.collectedAt.localeCompare(b.collectedAt));
  const slots = slotsOf(input.period, everyDays, true);
  const occurrences = slots.map((slot): Occurrence => {
    const from = Math.min(slot.start, slot.end - everyDays * DAY_MS);
    const inForce = uploads.filter((u) => {
      const t = Date.parse(u.collectedAt);
      return t >= from && t < slot.end;
    });
    return {
      feed: 'manual',
      label: slot.label,
      at: slot.startAt,
      status: inForce.length ? 'met' : 'missed',
      detail: inForce.length
        ? ''
        : `no evidence uploaded between ${isoDay(from)} and ${isoDay(slot.end - DAY_MS)}`,
      evidence: inForce.map((u) => u.key),
    };
  });
  const gaps: CollectionGap[] = occurrences.some((o) => o.status === 'missed')
    ? [
        {
          source: `${MANUAL_EVIDENCE_COLLECTOR} ${input.control.id}`,
          notCollected: occurrences.filter((o) => o.status === 'missed').map((o) => o.label),
          collectionFailed: [],
        },
      ]
    : [];
  const feed: Feed = {
    kind: 'manual',
    cadence: `every ${everyDays} days (manual evidence: ${input.control.manualEvidence!.description})`,
    frequency: frequencyOf(everyDays * DAY_MS),
    expected: occurrences.length,
  };
  return { feed, occurrences, gaps };
}

function eventFeed(events: NonNullable<PeriodStatusInput['events']>) {
  const occurrences: Occurrence[] = [
    ...events.items.map(
      (e): Occurrence => ({
        feed: 'event',
        label: e.resource,
        at: e.at,
        status: e.status === 'pass' ? 'met' : e.exception ? 'excepted' : 'failing',
        detail: e.status === 'pass' ? '' : `${e.reason}${e.exception ? ` (exception ${e.exception})` : ''}`,
        evidence: [e.evidence],
        ...(e.attributes ? { attributes: e.attributes } : {}),
      }),
    ),
    ...events.holes.map(
      (h): Occurrence => ({
        feed: 'event',
        label: `${h.source} ${h.from}..${h.to}`,
        at: h.from,
        status: 'missed',
        detail: `no collection read the events between ${h.from} and ${h.to}: the population may be incomplete`,
        evidence: [],
      }),
    ),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.label.localeCompare(b.label));
  const gaps: CollectionGap[] = events.holes.map((h) => ({
    source: h.source,
    notCollected: [`${h.from}..${h.to}`],
    collectionFailed: [],
  }));
  const feed: Feed = {
    kind: 'event',
    cadence: 'each event in the period',
    frequency: 'many_per_day',
    expected: occurrences.length,
  };
  return { feed, occurrences, gaps };
}

/**
 * A control's expected occurrences in the period and the status of each, from what feeds it:
 * - the collections it relies on, one slot per schedule interval (whole UTC days; its slowest collector sets
 *   the slot): missed when some collector × scope has no successful collection in the slot, failing when the
 *   control failed at some moment of it (before its first evaluation: a check failed on the slot's evidence),
 *   excepted when failures were covered by an exception, met otherwise;
 * - its manual evidence, one occurrence per `everyDays` (an annual control in a 12-month period: one), met
 *   when an upload falls in the slot or, for a slot shorter than the cadence, within `everyDays` of its end;
 * - its event population: each event in the period is an occurrence (met when its check passed), and each
 *   stretch of time no collection read is a missed one.
 * Exceptions are records, never expected collections, so they are never gaps.
 */
export async function controlPeriodStatus(input: PeriodStatusInput): Promise<ControlPeriodStatus> {
  const { control } = input;
  const parts: { feed: Feed; occurrences: Occurrence[]; gaps: CollectionGap[] }[] = [];
  let statusAtEnd: ControlStatus | undefined;
  if (input.collectors.size > 0) {
    const collection = await collectionFeed(input);
    statusAtEnd = collection.statusAtEnd;
    parts.push(collection);
  } else statusAtEnd = input.transitions.filter((t) => t.at < input.period.end).at(-1)?.to;
  if (input.events) parts.push(eventFeed(input.events));
  if (control.manualEvidence) parts.push(manualFeed(input, control.manualEvidence.everyDays));

  const occurrences = parts.flatMap((p) => p.occurrences);
  const count = (s: OccurrenceStatus) => occurrences.filter((o) => o.status === s).length;
  const met = count('met');
  const expected = occurrences.length;
  const frequencies = parts.map((p) => p.feed.frequency);
  return {
    control: control.id,
    statusAtEnd: statusAtEnd ?? 'not_evaluated',
    feeds: parts.map((p) => p.feed),
    occurrences,
    expected,
    met,
    failing: count('failing'),
    excepted: count('excepted'),
    missed: count('missed'),
    pctMet: expected === 0 ? 0 : Math.round((met / expected) * 1000) / 10,
    frequency: FREQUENCIES.find((f) => frequencies.includes(f)),
    gaps: parts.flatMap((p) => p.gaps),
  };
}

/**
 * Collectors of records people make (exceptions, uploads, ISMS records, the copies of the governance files),
 * not collections a schedule makes: their times say nothing of when the systems were last read, so they never
 * move the end of the period an archive can judge.
 */
export const RECORD_COLLECTORS: readonly string[] = [
  EXCEPTION_COLLECTOR,
  MANUAL_EVIDENCE_COLLECTOR,
  ISMS_COLLECTOR,
  GOVERNANCE_COLLECTOR,
];

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

/** Slot labels (single days or ranges), with runs of single consecutive days joined. */
function slotRanges(labels: readonly string[]): string {
  return labels.every((l) => !l.includes('..')) ? dayRanges(labels) : labels.join(', ');
}

/** `aws.iam.credential-report 123456789012-global: not collected 2026-01-02; collection failed 2026-01-05..2026-01-06` */
export function formatGaps(gaps: readonly CollectionGap[]): string {
  return gaps
    .map((g) => {
      const parts = [];
      if (g.notCollected.length) parts.push(`not collected ${slotRanges(g.notCollected)}`);
      if (g.collectionFailed.length) parts.push(`collection failed ${slotRanges(g.collectionFailed)}`);
      return `${g.source}: ${parts.join('; ')}`;
    })
    .join(' | ');
}

/** An occurrence's name, unique in its control's population: what a sample's rank is computed from. */
export const occurrenceName = (o: { readonly feed: string; readonly label: string }): string =>
  `${o.feed} ${o.label}`;

/** The failing occurrences' labels, compactly. */
export const failingLabels = (s: ControlPeriodStatus): string =>
  slotRanges(s.occurrences.filter((o) => o.status === 'failing').map((o) => o.label));
