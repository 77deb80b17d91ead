import { type ControlPeriodStatus, controlPeriodStatus } from '../../archive/period-status.ts';
import { selectEvidence } from '../../archive/select.ts';
import type { Framework, Period } from '../../archive/types.ts';
import type { Control } from '../../model.ts';
import type { EvidenceStore } from '../../stores/store.ts';

/** What a control's period strip shows: one verdict per cell, oldest first. */
export type StripCell = ControlPeriodStatus['days'][number];

/** A run of equal cells: the strip is drawn as runs, so a year of one status is one shape. */
export interface StripRun {
  readonly status: StripCell;
  readonly start: number;
  readonly length: number;
}

export interface ControlStrip {
  /** Cells in the period (today one per UTC day). */
  readonly cells: number;
  readonly runs: readonly StripRun[];
  readonly passing: number;
  readonly failing: number;
  readonly excepted: number;
  readonly withoutEvidence: number;
  readonly pctPassing: number;
}

/**
 * The strip of a control over a period, from its period status. The one place that decides what a cell is:
 * today a UTC day (core/archive/period-status.ts); it will follow the control's cadence when that exists.
 */
export function controlStrip(status: ControlPeriodStatus): ControlStrip {
  const runs: StripRun[] = [];
  status.days.forEach((day, i) => {
    const last = runs.at(-1);
    if (last && last.status === day) runs[runs.length - 1] = { ...last, length: last.length + 1 };
    else runs.push({ status: day, start: i, length: 1 });
  });
  return {
    cells: status.days.length,
    runs,
    passing: status.passing,
    failing: status.failing,
    excepted: status.excepted,
    withoutEvidence: status.withoutEvidence,
    pctPassing: status.pctPassing,
  };
}

/**
 * Each automated control's status over the period, read from the store as the archive reads it (the same
 * evidence selection and day rule). Controls without checks have no strip: their manual evidence has its
 * own cadence and is shown by its due date instead.
 */
export async function periodStatuses(
  store: EvidenceStore,
  controls: readonly Control[],
  collectorOfCheck: ReadonlyMap<string, string>,
  period: Period,
  framework: Framework = 'soc2',
): Promise<Map<string, ControlPeriodStatus>> {
  const automated = controls.filter((c) => c.checks.length > 0);
  const selection = await selectEvidence(store, {
    controls: automated,
    framework,
    collectorOfCheck,
    period,
    scopes: [],
  });
  const out = new Map<string, ControlPeriodStatus>();
  for (const control of automated)
    out.set(
      control.id,
      await controlPeriodStatus({
        control,
        period,
        evidence: selection.byControl.get(control.id) ?? [],
        collectors: selection.collectorsOf.get(control.id) ?? new Set(),
        transitions: await store.transitions({ control: control.id, to: period.end }),
        findingsOf: (key) => store.getFindings(key),
      }),
    );
  return out;
}
