import { judgePeriod } from '../../archive/judge-period.ts';
import type { ControlPeriodStatus, OccurrenceStatus } from '../../archive/period-status.ts';
import { selectEvidence } from '../../archive/select.ts';
import type { Framework, Period } from '../../archive/types.ts';
import type { AnyCollector } from '../../collector.ts';
import type { Control } from '../../model.ts';
import { checkIndex } from '../../pipeline.ts';
import type { EvidenceStore } from '../../stores/store.ts';

/** What a strip cell shows: the worst verdict of the occurrences expected that UTC day. */
export type StripCell = 'passing' | 'failing' | 'excepted' | 'no_evidence';

/** A run of equal cells: the strip is drawn as runs, so a year of one status is one shape. */
export interface StripRun {
  readonly status: StripCell;
  readonly start: number;
  readonly length: number;
}

export interface ControlStrip {
  /** Days in the period: the strip's width. */
  readonly cells: number;
  readonly runs: readonly StripRun[];
  /** Expected occurrences at the control's cadence, and how each went. */
  readonly expected: number;
  readonly passing: number;
  readonly failing: number;
  readonly excepted: number;
  readonly withoutEvidence: number;
  readonly pctPassing: number;
  /** The cadences judged against, in words. */
  readonly cadence: string;
}

const CELL: Record<OccurrenceStatus, StripCell> = {
  met: 'passing',
  failing: 'failing',
  excepted: 'excepted',
  missed: 'no_evidence',
};
const WORST: readonly StripCell[] = ['failing', 'no_evidence', 'excepted', 'passing'];

/**
 * The strip of a control over a period, from its status at its own cadence (core/archive/period-status.ts):
 * each occurrence colours the days from its start to the next occurrence's; several on one day (events) show
 * the worst. An annual control is one run across the period, not 364 empty days.
 */
export function controlStrip(status: ControlPeriodStatus, period: Period): ControlStrip {
  const dayIndex = new Map(period.days.map((d, i) => [d, i]));
  const cells: (StripCell | undefined)[] = new Array(period.days.length).fill(undefined);
  const starts = status.occurrences
    .map((o) => ({
      i: dayIndex.get(o.at.slice(0, 10)) ?? (o.at < period.start ? 0 : -1),
      cell: CELL[o.status],
    }))
    .filter((o) => o.i >= 0)
    .sort((a, b) => a.i - b.i);
  let following = 0;
  starts.forEach((o, k) => {
    // Sorted by day: the next later start is found by moving one cursor forward, never by rescanning.
    if (following <= k) following = k + 1;
    while (following < starts.length && starts[following]!.i <= o.i) following++;
    const next = starts[following]?.i ?? period.days.length;
    for (let d = o.i; d < next; d++) {
      const current = cells[d];
      if (!current || (d === o.i && WORST.indexOf(o.cell) < WORST.indexOf(current))) cells[d] = o.cell;
    }
  });
  const runs: StripRun[] = [];
  cells.forEach((c, i) => {
    const cell = c ?? 'no_evidence';
    const last = runs.at(-1);
    if (last && last.status === cell) runs[runs.length - 1] = { ...last, length: last.length + 1 };
    else runs.push({ status: cell, start: i, length: 1 });
  });
  return {
    cells: period.days.length,
    runs,
    expected: status.expected,
    passing: status.met,
    failing: status.failing,
    excepted: status.excepted,
    withoutEvidence: status.missed,
    pctPassing: status.pctMet,
    cadence: status.feeds.map((f) => f.cadence).join('; '),
  };
}

/**
 * Each automated control's status over the period, judged as the archive judges it (the same evidence
 * selection and cadence). Controls without checks have no strip: their manual evidence is shown by its due date.
 */
export async function periodStatuses(
  store: EvidenceStore,
  controls: readonly Control[],
  collectors: readonly AnyCollector[],
  period: Period,
  framework: Framework = 'soc2',
): Promise<Map<string, ControlPeriodStatus>> {
  const automated = controls.filter((c) => c.checks.length > 0);
  const collectorOfCheck = checkIndex(collectors);
  const selection = await selectEvidence(store, {
    controls: automated,
    framework,
    collectorOfCheck,
    period,
    scopes: [],
  });
  const { status } = await judgePeriod({
    store,
    controls: automated,
    period,
    selection,
    latest: await store.latestArtifacts(),
    collectors,
    collectorOfCheck,
    exceptions: [],
  });
  return status;
}
