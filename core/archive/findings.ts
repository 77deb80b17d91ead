import type { ArtifactRef, Control, Finding, Severity } from '../model.ts';
import { exceptionInForce } from './population.ts';
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

interface Track {
  readonly control: string;
  readonly check: string;
  readonly resource: string;
  readonly counts: Record<Finding['status'], number>;
  readonly days: Set<string>;
  firstJudged: ArtifactRef | undefined;
  latestJudged: ArtifactRef | undefined;
  latestReason: string;
  lastSeen: Finding['status'];
  // Refs and reasons side by side, not as an object per failing finding: a year tallies millions of them.
  firstFail: ArtifactRef | undefined;
  firstFailReason: string;
  latestFail: ArtifactRef | undefined;
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
 * that hands out one object per distinct finding (the embedded store) has each matched once however many
 * artifacts hold it, so each finding of each artifact costs only its tally.
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
        days: new Set(),
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

/** Tallies each finding of a control's checks, artifact by artifact: one track per control × check × resource. */
async function trackFindings(options: FindingsOptions): Promise<Iterable<Track>> {
  const matcher = trackMatcher(options);
  for (const { ref, controls } of options.artifacts) {
    if (ref.status !== 'ok' || controls.length === 0) continue;
    const list = await options.findingsOf(ref.key);
    if (!list?.length) continue;
    const tracksOf = matcher.forArtifact(controls);
    const day = ref.collectedAt.slice(0, 10);
    for (const f of list) for (const track of tracksOf(f)) record(track, f, ref, day, options.exceptions);
  }
  return matcher.tracks();
}

/** One finding into its track: its verdict, and when it fails, the failing days and any exception in force. */
function record(
  track: Track,
  f: Finding,
  ref: ArtifactRef,
  day: string,
  exceptions: readonly ArchiveException[],
): void {
  track.counts[f.status]++;
  track.firstJudged ??= ref;
  track.latestJudged = ref;
  track.latestReason = f.reason;
  track.lastSeen = f.status;
  if (f.status !== 'fail') return;
  track.latestFail = ref;
  track.latestFailReason = f.reason;
  if (!track.firstFail) {
    track.firstFail = ref;
    track.firstFailReason = f.reason;
  }
  track.days.add(day);
  const exception =
    f.exception ??
    exceptions.find((e) => exceptionInForce(e, track.control, f.resource, ref.collectedAt))?.id;
  if (exception) track.exceptions.add(exception);
}

function judgedRow(t: Track): JudgedResource {
  return {
    control: t.control,
    check: t.check,
    resource: t.resource,
    pass: t.counts.pass,
    fail: t.counts.fail,
    notApplicable: t.counts.not_applicable,
    firstJudged: t.firstJudged!.collectedAt,
    lastJudged: t.latestJudged!.collectedAt,
    lastStatus: t.lastSeen,
    lastReason: t.latestReason,
    firstEvidence: t.firstJudged!.key,
    latestEvidence: t.latestJudged!.key,
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
    firstFailing: t.firstFail.collectedAt,
    lastFailing: t.latestFail.collectedAt,
    daysFailing: t.days.size,
    firstReason: t.firstFailReason,
    latestReason: t.latestFailReason,
    exceptions: [...t.exceptions].sort(),
    lastSeen: t.lastSeen,
    lastSeenAt: t.latestJudged!.collectedAt,
    firstEvidence: t.firstFail.key,
    latestEvidence: t.latestFail.key,
  };
}
