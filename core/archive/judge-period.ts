import pLimit from 'p-limit';
import type { AnyCollector } from '../collector.ts';
import type { ArtifactRef, Control, Transition } from '../model.ts';
import { staleAfterMs } from '../schedule.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { type ControlPeriodStatus, controlPeriodStatus } from './period-status.ts';
import { eventChecksOf, eventPopulation } from './population.ts';
import { shareEventLoop } from './read-ahead.ts';
import { type EvidenceSelection, QUERIES_IN_FLIGHT } from './select.ts';
import type { ArchiveException, Period } from './types.ts';

export interface JudgePeriodInput {
  readonly store: EvidenceStore;
  readonly controls: readonly Control[];
  readonly period: Period;
  readonly selection: EvidenceSelection;
  /** The store's latest artifact per collector × scope: which sources the deployment collects. */
  readonly latest: readonly ArtifactRef[];
  readonly collectors: readonly AnyCollector[];
  readonly collectorOfCheck: ReadonlyMap<string, string>;
  /** Deployed or configured schedules; absent: each collector's default. */
  readonly schedules?: ReadonlyMap<string, string>;
  readonly exceptions: readonly ArchiveException[];
}

/** A collector's schedule: the deployed or configured one, else its default. */
export const scheduleResolver =
  (collectors: readonly AnyCollector[], schedules?: ReadonlyMap<string, string>) =>
  (collector: string): string | undefined =>
    schedules?.get(collector) ?? collectors.find((c) => c.id === collector)?.defaultSchedule;

/**
 * Each control's status over a period at its own cadence — the one rule the archive and the report share. As
 * evaluate judges, a source the store holds nothing of is outside the deployment: no gap.
 */
export async function judgePeriod(input: JudgePeriodInput): Promise<{
  status: Map<string, ControlPeriodStatus>;
  /** Collectors whose every scheduled collection some control relies on. */
  expectedCollectors: Set<string>;
  /** Each control's transitions up to the end of the period, oldest first. */
  transitions: ReadonlyMap<string, readonly Transition[]>;
}> {
  const { store, period, selection } = input;
  const registry = new Map(input.collectors.map((c) => [c.id, c]));
  const deployedSources = new Set(input.latest.map((r) => r.source));
  const deployed = (collector: string) => {
    const source = registry.get(collector)?.source;
    return source === undefined || deployedSources.has(source);
  };
  const scheduleOf = scheduleResolver(input.collectors, input.schedules);
  const limit = pLimit(QUERIES_IN_FLIGHT);
  const transitionsOf = new Map(
    await Promise.all(
      input.controls.map((c) =>
        limit(async () => [c.id, await store.transitions({ control: c.id, to: period.end })] as const),
      ),
    ),
  );
  const status = new Map<string, ControlPeriodStatus>();
  const expectedCollectors = new Set<string>();
  for (const control of input.controls) {
    await shareEventLoop();
    const needed = [...(selection.collectorsOf.get(control.id) ?? [])];
    const events = eventChecksOf(control, input.collectorOfCheck, registry);
    const inDeployment = needed.filter(deployed);
    // With none of its sources deployed, the control still has no evidence: it expects them all.
    const relied = inDeployment.length > 0 ? inDeployment : needed;
    for (const c of events.keys()) if (!relied.includes(c)) events.delete(c);
    for (const c of relied) expectedCollectors.add(c);
    const evidence = selection.byControl.get(control.id) ?? [];
    status.set(
      control.id,
      await controlPeriodStatus({
        control,
        period,
        evidence,
        collectors: new Set(relied.filter((c) => !events.has(c))),
        scheduleOf,
        ...(events.size
          ? {
              events: await eventPopulation({
                store,
                control,
                period,
                evidence,
                checks: events,
                exceptions: input.exceptions,
                staleAfterMs: (c) => staleAfterMs(scheduleOf(c) ?? 'rate(1 day)'),
              }),
            }
          : {}),
        transitions: transitionsOf.get(control.id) ?? [],
        findingsOf: (key) => store.getFindings(key),
      }),
    );
  }
  return { status, expectedCollectors, transitions: transitionsOf };
}
