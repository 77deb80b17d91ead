import { DAY_MS } from '../collector.ts';
import type { ArtifactRef, Control, Finding, Severity } from '../model.ts';
import { exceptionInForce } from './population.ts';
import { shareEventLoop } from './read-ahead.ts';
import type { SelectedArtifact } from './select.ts';
import type { ArchiveException } from './types.ts';

/** One resource that failed a check of a control at some time in the period. */
export interface FailedFinding {
  readonly control: string;
  readonly check: string;
  readonly severity: Severity | '';
  readonly resource: string;
  readonly firstFailing: string;
  readonly lastFailing: string;
  /** Distinct UTC days with a failing finding. */
  readonly daysFailing: number;
  readonly firstReason: string;
  readonly latestReason: string;
  /** The exceptions that covered it when it failed. */
  readonly exceptions: readonly string[];
  /** Its finding in the last collection that judged it: `fail`, `pass` (it recovered) or `not_applicable`. */
  readonly lastSeen: Finding['status'];
  readonly lastSeenAt: string;
  readonly firstEvidence: string;
  readonly latestEvidence: string;
}

/** One resource a check of a control judged in the period: how often each verdict, first and last. */
export interface JudgedResource {
  readonly control: string;
  readonly check: string;
  readonly resource: string;
  readonly pass: number;
  readonly fail: number;
  readonly notApplicable: number;
  readonly firstJudged: string;
  readonly lastJudged: string;
  readonly lastStatus: Finding['status'];
  readonly lastReason: string;
  readonly firstEvidence: string;
  readonly latestEvidence: string;
}

/** A collection in the period, numbered oldest first: the order its findings are tallied in. */
interface Collection {
  readonly ref: ArtifactRef;
  readonly order: number;
  /** Its UTC day, counted from the period's first. */
  readonly day: number;
}

interface Track {
  readonly control: string;
  readonly check: string;
  readonly resource: string;
  readonly counts: Record<Finding['status'], number>;
  /** Per UTC day of the period (created at the first failure): whether a failing finding was seen. */
  failingDays: Uint8Array | undefined;
  daysFailing: number;
  firstJudged: Collection | undefined;
  latestJudged: Collection | undefined;
  latestReason: string;
  lastSeen: Finding['status'];
  // Collections and reasons side by side, not as an object per failing finding: a year tallies millions.
  firstFail: Collection | undefined;
  firstFailReason: string;
  latestFail: Collection | undefined;
  latestFailReason: string;
  readonly exceptions: Set<string>;
}

/** The tracks of one control × check, by resource. */
interface CheckTracks {
  readonly control: string;
  readonly byResource: Map<string, Track>;
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;
const textOrder = new Intl.Collator().compare;
const byControlCheckResource = <T extends { control: string; check: string; resource: string }>(a: T, b: T) =>
  naturalOrder(a.control, b.control) || textOrder(a.check, b.check) || textOrder(a.resource, b.resource);

type FindingsOptions = Parameters<typeof judgedFindings>[0];

/**
 * Every resource a check of a control judged in the period, and what failed, per control, check and resource:
 * read from the findings stored with each artifact (oldest first), each artifact's findings read once for
 * every control it is evidence for.
 */
export async function judgedFindings(options: {
  readonly controls: readonly Control[];
  /** The period's artifacts, oldest first (selectEvidence). */
  readonly artifacts: readonly SelectedArtifact[];
  /**
   * An artifact's findings. A store that hands out one object per distinct finding (the embedded store keeps
   * each distinct finding once) lets each be matched to its tracks once.
   */
  readonly findingsOf: (key: string) => Promise<readonly Finding[] | undefined>;
  readonly severityOf: (check: string) => Severity | undefined;
  readonly exceptions: readonly ArchiveException[];
}): Promise<{ failed: FailedFinding[]; judged: JudgedResource[] }> {
  const tracks = await trackFindings(options);
  const failed: FailedFinding[] = [];
  const judged: JudgedResource[] = [];
  for (const track of tracks) {
    judged.push(judgedRow(track));
    const row = failedRow(track, options.severityOf(track.check) ?? '');
    if (row) failed.push(row);
  }
  return { failed: failed.sort(byControlCheckResource), judged: judged.sort(byControlCheckResource) };
}

/**
 * The tracks a finding feeds, for an artifact evidencing `controls`: one per control listing its check. A store
 * that hands out one object per distinct finding (the embedded store) has each matched once however many runs
 * of collections hold it.
 */
function trackMatcher(options: FindingsOptions) {
  const checksOf = new Map(options.controls.map((c) => [c.id, new Set(c.checks)]));
  // Tracks in the order they were first seen; looked up by control × check, then by resource (no key built
  // per finding).
  const tracks: Track[] = [];
  const pairs = new Map<string, CheckTracks>();
  const matched = new Map<
    string,
    { byCheck: Map<string, CheckTracks[]>; byFinding: WeakMap<Finding, Track[]> }
  >();
  const pairOf = (control: string, check: string): CheckTracks => {
    const id = `${control}\n${check}`;
    let pair = pairs.get(id);
    if (!pair) {
      pair = { control, byResource: new Map() };
      pairs.set(id, pair);
    }
    return pair;
  };
  const trackOf = ({ control, byResource }: CheckTracks, f: Finding): Track => {
    let track = byResource.get(f.resource);
    if (!track) {
      track = {
        control,
        check: f.check,
        resource: f.resource,
        counts: { pass: 0, fail: 0, not_applicable: 0 },
        failingDays: undefined,
        daysFailing: 0,
        firstJudged: undefined,
        latestJudged: undefined,
        latestReason: f.reason,
        lastSeen: f.status,
        firstFail: undefined,
        firstFailReason: '',
        latestFail: undefined,
        latestFailReason: '',
        exceptions: new Set(),
      };
      byResource.set(f.resource, track);
      tracks.push(track);
    }
    return track;
  };
  const forControls = (controls: readonly string[]) => {
    const signature = controls.join('\n');
    let entry = matched.get(signature);
    if (!entry) {
      const byCheck = new Map<string, CheckTracks[]>();
      for (const control of controls)
        for (const check of checksOf.get(control) ?? [])
          byCheck.set(check, [...(byCheck.get(check) ?? []), pairOf(control, check)]);
      entry = { byCheck, byFinding: new WeakMap() };
      matched.set(signature, entry);
    }
    return entry;
  };
  return {
    tracks: () => tracks,
    /** Matches findings of an artifact evidencing `controls`: the tracks of one finding at a time. */
    forArtifact(controls: readonly string[]) {
      const { byCheck, byFinding } = forControls(controls);
      return (f: Finding): readonly Track[] => {
        let found = byFinding.get(f);
        if (!found) {
          found = (byCheck.get(f.check) ?? []).map((pair) => trackOf(pair, f));
          byFinding.set(f, found);
        }
        return found;
      };
    },
  };
}

/**
 * The collections of one collector × scope (for one set of controls), oldest first. A day's findings are mostly
 * the day before's, in the same order: a finding at the same position as in the collection before (the same
 * object — the embedded store hands out one per distinct finding) continues its run, and a run is tallied once,
 * when it ends, instead of once per collection.
 */
interface Sequence {
  readonly tracksOf: (f: Finding) => readonly Track[];
  readonly collections: Collection[];
  previous: readonly Finding[];
  /** Per position of `previous`: the index in `collections` where its finding's run began. */
  readonly runStart: number[];
}

/** Tallies each finding of a control's checks, run by run: one track per control × check × resource. */
async function trackFindings(options: FindingsOptions): Promise<Iterable<Track>> {
  const matcher = trackMatcher(options);
  const sequences = new Map<string, Sequence>();
  const dayOf = (at: string) => Math.floor(Date.parse(at) / DAY_MS);
  let firstDay = Number.POSITIVE_INFINITY;
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const { ref } of options.artifacts) {
    firstDay = Math.min(firstDay, dayOf(ref.collectedAt));
    lastDay = Math.max(lastDay, dayOf(ref.collectedAt));
  }
  const days = lastDay - firstDay + 1;
  const exceptionsOf = new Map<string, ArchiveException[]>();
  for (const e of options.exceptions) {
    const ofControl = exceptionsOf.get(e.control) ?? [];
    ofControl.push(e);
    exceptionsOf.set(e.control, ofControl);
  }
  const tally = (sequence: Sequence, f: Finding, start: number, end: number) => {
    for (const track of sequence.tracksOf(f))
      record(track, f, sequence.collections, start, end, days, exceptionsOf.get(track.control) ?? []);
  };
  let order = 0;
  for (const { ref, controls } of options.artifacts) {
    if (ref.status !== 'ok' || controls.length === 0) continue;
    await shareEventLoop();
    const list = await options.findingsOf(ref.key);
    if (!list?.length) continue;
    const id = `${ref.collector}\n${ref.scopeKey}\n${controls.join('\n')}`;
    let sequence = sequences.get(id);
    if (!sequence) {
      sequence = { tracksOf: matcher.forArtifact(controls), collections: [], previous: [], runStart: [] };
      sequences.set(id, sequence);
    }
    const { collections, previous, runStart } = sequence;
    const at = collections.length;
    collections.push({ ref, order: order++, day: dayOf(ref.collectedAt) - firstDay });
    if (list === previous) continue;
    for (let p = 0; p < Math.max(previous.length, list.length); p++) {
      if (previous[p] === list[p]) continue;
      if (p < previous.length) tally(sequence, previous[p]!, runStart[p]!, at);
      runStart[p] = at;
    }
    runStart.length = list.length;
    sequence.previous = list;
  }
  for (const sequence of sequences.values()) {
    const end = sequence.collections.length;
    for (const [p, f] of sequence.previous.entries()) tally(sequence, f, sequence.runStart[p]!, end);
  }
  return matcher.tracks();
}

/**
 * One run of a finding into its track: the collections from `start` to before `end` held it. Runs end out of
 * time order, so first and latest are decided by each collection's order.
 */
function record(
  track: Track,
  f: Finding,
  collections: readonly Collection[],
  start: number,
  end: number,
  periodDays: number,
  /** The exceptions recorded for the track's control. */
  exceptions: readonly ArchiveException[],
): void {
  const first = collections[start]!;
  const last = collections[end - 1]!;
  track.counts[f.status] += end - start;
  if (!track.firstJudged || first.order < track.firstJudged.order) track.firstJudged = first;
  if (!track.latestJudged || last.order > track.latestJudged.order) {
    track.latestJudged = last;
    track.latestReason = f.reason;
    track.lastSeen = f.status;
  }
  if (f.status !== 'fail') return;
  if (!track.firstFail || first.order < track.firstFail.order) {
    track.firstFail = first;
    track.firstFailReason = f.reason;
  }
  if (!track.latestFail || last.order > track.latestFail.order) {
    track.latestFail = last;
    track.latestFailReason = f.reason;
  }
  track.failingDays ??= new Uint8Array(periodDays);
  if (f.exception) track.exceptions.add(f.exception);
  for (let i = start; i < end; i++) {
    const { ref, day } = collections[i]!;
    if (!track.failingDays[day]) {
      track.failingDays[day] = 1;
      track.daysFailing++;
    }
    if (f.exception) continue;
    for (const e of exceptions)
      if (exceptionInForce(e, track.control, f.resource, ref.collectedAt)) {
        track.exceptions.add(e.id);
        break;
      }
  }
}

function judgedRow(t: Track): JudgedResource {
  return {
    control: t.control,
    check: t.check,
    resource: t.resource,
    pass: t.counts.pass,
    fail: t.counts.fail,
    notApplicable: t.counts.not_applicable,
    firstJudged: t.firstJudged!.ref.collectedAt,
    lastJudged: t.latestJudged!.ref.collectedAt,
    lastStatus: t.lastSeen,
    lastReason: t.latestReason,
    firstEvidence: t.firstJudged!.ref.key,
    latestEvidence: t.latestJudged!.ref.key,
  };
}

/** The resource's failing row, or undefined when it never failed in the period. */
function failedRow(t: Track, severity: FailedFinding['severity']): FailedFinding | undefined {
  if (!t.firstFail || !t.latestFail) return undefined;
  return {
    control: t.control,
    check: t.check,
    severity,
    resource: t.resource,
    firstFailing: t.firstFail.ref.collectedAt,
    lastFailing: t.latestFail.ref.collectedAt,
    daysFailing: t.daysFailing,
    firstReason: t.firstFailReason,
    latestReason: t.latestFailReason,
    exceptions: [...t.exceptions].sort(),
    lastSeen: t.lastSeen,
    lastSeenAt: t.latestJudged!.ref.collectedAt,
    firstEvidence: t.firstFail.ref.key,
    latestEvidence: t.latestFail.ref.key,
  };
}
