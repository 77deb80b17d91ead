import type { Control, Finding, Severity } from '../model.ts';
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
  counts: Record<Finding['status'], number>;
  days: Set<string>;
  judged: { first: { at: string; key: string }; latest: { at: string; key: string; reason: string } };
  first?: { at: string; reason: string; key: string };
  latest?: { at: string; reason: string; key: string };
  exceptions: Set<string>;
  lastSeen: Finding['status'];
}

const byControlCheckResource = <T extends { control: string; check: string; resource: string }>(a: T, b: T) =>
  a.control.localeCompare(b.control, 'en', { numeric: true }) ||
  a.check.localeCompare(b.check) ||
  a.resource.localeCompare(b.resource);

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
  readonly findingsOf: (key: string) => Promise<readonly Finding[] | undefined>;
  readonly severityOf: (check: string) => Severity | undefined;
  readonly exceptions: readonly ArchiveException[];
}): Promise<{ failed: FailedFinding[]; judged: JudgedResource[] }> {
  const tracks = await trackFindings(options);
  const failed: FailedFinding[] = [];
  const judged: JudgedResource[] = [];
  for (const [id, track] of tracks) {
    const [control, check, resource] = id.split('\n') as [string, string, string];
    judged.push(judgedRow({ control, check, resource }, track));
    const row = failedRow({ control, check, resource }, track, options.severityOf(check) ?? '');
    if (row) failed.push(row);
  }
  return { failed: failed.sort(byControlCheckResource), judged: judged.sort(byControlCheckResource) };
}

/** Tallies each finding of a control's checks, artifact by artifact: one track per control × check × resource. */
async function trackFindings(options: FindingsOptions): Promise<Map<string, Track>> {
  const checksOf = new Map(options.controls.map((c) => [c.id, new Set(c.checks)]));
  const tracks = new Map<string, Track>();
  for (const { ref, controls } of options.artifacts) {
    if (ref.status !== 'ok') continue;
    const relevant = controls.filter((id) => checksOf.get(id)?.size);
    if (relevant.length === 0) continue;
    for (const f of (await options.findingsOf(ref.key)) ?? []) {
      for (const control of relevant) {
        if (!checksOf.get(control)!.has(f.check)) continue;
        const id = `${control}\n${f.check}\n${f.resource}`;
        const judged = { at: ref.collectedAt, key: ref.key };
        let track = tracks.get(id);
        track ??= {
          counts: { pass: 0, fail: 0, not_applicable: 0 },
          days: new Set(),
          judged: { first: judged, latest: { ...judged, reason: f.reason } },
          exceptions: new Set(),
          lastSeen: f.status,
        };
        tracks.set(id, track);
        record(track, f, ref, options.exceptions, control);
      }
    }
  }
  return tracks;
}

/** One finding into its track: its verdict, and when it fails, the failing days and any exception in force. */
function record(
  track: Track,
  f: Finding,
  ref: SelectedArtifact['ref'],
  exceptions: readonly ArchiveException[],
  control: string,
): void {
  track.counts[f.status]++;
  track.judged.latest = { at: ref.collectedAt, key: ref.key, reason: f.reason };
  track.lastSeen = f.status;
  if (f.status !== 'fail') return;
  const seen = { at: ref.collectedAt, reason: f.reason, key: ref.key };
  track.first ??= seen;
  track.latest = seen;
  track.days.add(ref.collectedAt.slice(0, 10));
  const exception =
    f.exception ?? exceptions.find((e) => exceptionInForce(e, control, f.resource, ref.collectedAt))?.id;
  if (exception) track.exceptions.add(exception);
}

type Judged = { control: string; check: string; resource: string };

function judgedRow(id: Judged, t: Track): JudgedResource {
  const { first, latest } = t.judged;
  return {
    ...id,
    pass: t.counts.pass,
    fail: t.counts.fail,
    notApplicable: t.counts.not_applicable,
    firstJudged: first.at,
    lastJudged: latest.at,
    lastStatus: t.lastSeen,
    lastReason: latest.reason,
    firstEvidence: first.key,
    latestEvidence: latest.key,
  };
}

/** The resource's failing row, or undefined when it never failed in the period. */
function failedRow(id: Judged, t: Track, severity: FailedFinding['severity']): FailedFinding | undefined {
  if (!t.first || !t.latest) return undefined;
  return {
    control: id.control,
    check: id.check,
    severity,
    resource: id.resource,
    firstFailing: t.first.at,
    lastFailing: t.latest.at,
    daysFailing: t.days.size,
    firstReason: t.first.reason,
    latestReason: t.latest.reason,
    exceptions: [...t.exceptions].sort(),
    lastSeen: t.lastSeen,
    lastSeenAt: t.judged.latest.at,
    firstEvidence: t.first.key,
    latestEvidence: t.latest.key,
  };
}
