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

interface Track {
  days: Set<string>;
  first?: { at: string; reason: string; key: string };
  latest?: { at: string; reason: string; key: string };
  exceptions: Set<string>;
  lastSeen: Finding['status'];
  lastSeenAt: string;
}

/**
 * What failed in the period, per control, check and resource: read from the findings stored with each
 * artifact (oldest first), each artifact's findings read once for every control it is evidence for.
 */
export async function failedFindings(options: {
  readonly controls: readonly Control[];
  /** The period's artifacts, oldest first (selectEvidence). */
  readonly artifacts: readonly SelectedArtifact[];
  readonly findingsOf: (key: string) => Promise<readonly Finding[] | undefined>;
  readonly severityOf: (check: string) => Severity | undefined;
  readonly exceptions: readonly ArchiveException[];
}): Promise<FailedFinding[]> {
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
        let track = tracks.get(id);
        if (!track && f.status !== 'fail') continue;
        track ??= { days: new Set(), exceptions: new Set(), lastSeen: f.status, lastSeenAt: ref.collectedAt };
        tracks.set(id, track);
        track.lastSeen = f.status;
        track.lastSeenAt = ref.collectedAt;
        if (f.status !== 'fail') continue;
        const seen = { at: ref.collectedAt, reason: f.reason, key: ref.key };
        track.first ??= seen;
        track.latest = seen;
        track.days.add(ref.collectedAt.slice(0, 10));
        const exception =
          f.exception ??
          options.exceptions.find((e) => exceptionInForce(e, control, f.resource, ref.collectedAt))?.id;
        if (exception) track.exceptions.add(exception);
      }
    }
  }
  return [...tracks]
    .map(([id, t]): FailedFinding => {
      const [control, check, resource] = id.split('\n') as [string, string, string];
      return {
        control,
        check,
        severity: options.severityOf(check) ?? '',
        resource,
        firstFailing: t.first!.at,
        lastFailing: t.latest!.at,
        daysFailing: t.days.size,
        firstReason: t.first!.reason,
        latestReason: t.latest!.reason,
        exceptions: [...t.exceptions].sort(),
        lastSeen: t.lastSeen,
        lastSeenAt: t.lastSeenAt,
        firstEvidence: t.first!.key,
        latestEvidence: t.latest!.key,
      };
    })
    .sort(
      (a, b) =>
        a.control.localeCompare(b.control, 'en', { numeric: true }) ||
        a.check.localeCompare(b.check) ||
        a.resource.localeCompare(b.resource),
    );
}
