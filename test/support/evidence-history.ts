import type { Collector } from '../../core/collector.ts';
import { perResource } from '../../core/collector.ts';
import type { Control, Scope } from '../../core/model.ts';
import { collectTargets, evaluateStore } from '../../core/pipeline.ts';
import type { EvidenceStore } from '../../core/stores/store.ts';

/**
 * A small in-repo collector (no external system behind it) used to write realistic evidence histories:
 * each collection returns the widgets planned for that day, and its check fails unlocked widgets.
 */
export interface WidgetsSnapshot {
  readonly widgets: readonly { readonly id: string; readonly locked: boolean }[];
}

export type DayPlan = 'pass' | 'fail' | 'error' | 'skip';

export function widgetsCollector(plan: (scope: Scope) => DayPlan): Collector<WidgetsSnapshot, null> {
  return {
    id: 'test.widgets',
    source: 'aws',
    description: 'test widgets',
    regional: false,
    defaultSchedule: 'rate(1 day)',
    permissions: [],
    schemaVersion: 1,
    async collect(_session, scope) {
      const day = plan(scope);
      if (day === 'error') throw Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' });
      return {
        widgets: [
          { id: `${scope.id}/w1`, locked: true },
          { id: `${scope.id}/w2`, locked: day !== 'fail' },
        ],
      };
    },
    checks: [
      perResource(
        {
          id: 'test.widgets.locked',
          title: 'Widgets are locked',
          severity: 'high',
          remediation: 'Lock the widget.',
          procedure: 'Reads every widget. Passes per widget that is locked; fails for each unlocked one.',
        },
        (s: WidgetsSnapshot) => s.widgets,
        (w) => w.id,
        (w) => [w.locked, w.locked ? 'locked' : 'unlocked'],
      ),
    ],
  };
}

export const historyControls: Control[] = [
  {
    id: 'WID-01',
    title: 'Widgets are locked',
    objective: 'No widget is left unlocked.',
    owner: 'platform',
    type: 'automated',
    checks: ['test.widgets.locked'],
    soc2: ['CC6.1', 'CC6.6'],
    iso27001: ['A.8.5'],
    links: [],
  },
  {
    id: 'WID-02',
    title: 'Widgets are reviewed',
    objective: 'Someone looks at the widgets.',
    owner: 'security',
    type: 'automated',
    checks: ['test.widgets.locked'],
    soc2: ['CC7.2'],
    iso27001: ['9.2'],
    links: [],
  },
];

export const collectorOfCheck = new Map([['test.widgets.locked', 'test.widgets']]);

/**
 * Collects and evaluates once a day at 10:00 UTC for every day given, as the scheduled pipeline would:
 * `plan(day, scope)` says whether that collection passes, finds a failure, fails to collect, or does not run.
 */
export async function writeHistory(
  store: EvidenceStore,
  days: readonly string[],
  plan: (day: string, scope: Scope) => DayPlan,
  scopes: readonly Scope[] = [{ source: 'aws', id: '111122223333' }],
  controls: readonly Control[] = historyControls,
): Promise<void> {
  for (const day of days) {
    const collector = widgetsCollector((scope) => plan(day, scope));
    const targets = scopes
      .filter((scope) => plan(day, scope) !== 'skip')
      .map((scope) => ({ collector, scope, session: null }));
    if (targets.length === 0) continue;
    await collectTargets(store, targets, { now: () => new Date(`${day}T10:00:00.000Z`) });
    await evaluateStore(store, controls, [collector], `${day}T10:05:00.000Z`);
  }
}

export function daysFrom(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00.000Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}
