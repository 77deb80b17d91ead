import type { ControlPeriodStatus, OccurrenceStatus } from '../../core/archive/period-status.ts';
import type { Period } from '../../core/archive/types.ts';
import type { ControlStatus } from '../../core/model.ts';

/** A daily-collected control's period status from one verdict per UTC day of the period. */
export function dailyPeriodStatus(
  control: string,
  period: Period,
  days: readonly OccurrenceStatus[],
  statusAtEnd: ControlStatus,
): ControlPeriodStatus {
  const count = (s: OccurrenceStatus) => days.filter((d) => d === s).length;
  return {
    control,
    statusAtEnd,
    feeds: [{ kind: 'collection', cadence: 'daily', frequency: 'daily', expected: days.length }],
    occurrences: days.map((status, i) => ({
      feed: 'collection',
      label: period.days[i]!,
      at: `${period.days[i]}T00:00:00.000Z`,
      status,
      detail: '',
      evidence: [],
    })),
    expected: days.length,
    met: count('met'),
    failing: count('failing'),
    excepted: count('excepted'),
    missed: count('missed'),
    pctMet: days.length ? Math.round((count('met') / days.length) * 1000) / 10 : 0,
    frequency: 'daily',
    gaps: [],
  };
}
