import type { AnyCollector, Check } from '../collector.ts';
import { resourceMatches } from '../exceptions.ts';
import type { ArtifactRef, Control } from '../model.ts';
import type { EvidenceStore } from '../stores/store.ts';
import type { PopulationEvent, PopulationHole } from './period-status.ts';
import type { ArchiveException, Period } from './types.ts';

const DAY_MS = 86_400_000;

/** The checks of a control that judge events, by collector. */
export function eventChecksOf(
  control: Control,
  collectorOfCheck: ReadonlyMap<string, string>,
  collectors: ReadonlyMap<string, AnyCollector>,
): Map<string, Check<unknown>[]> {
  const out = new Map<string, Check<unknown>[]>();
  for (const id of control.checks) {
    const collectorId = collectorOfCheck.get(id);
    const check = collectors.get(collectorId ?? '')?.checks.find((c) => c.id === id);
    if (!collectorId || !check?.population) continue;
    out.set(collectorId, [...(out.get(collectorId) ?? []), check]);
  }
  return out;
}

/** Whether an exception covered a control's resource at a time. */
export const exceptionInForce = (e: ArchiveException, control: string, resource: string, at: string) =>
  e.control === control &&
  e.createdAt <= at &&
  at < e.expiresAt &&
  (!e.revokedAt || at < e.revokedAt) &&
  resourceMatches(e.resource, resource);

/**
 * A control's event population in the period: every event (merged pull request …) the collections read whose
 * time falls in the period, judged by the latest collection that read it, and the stretches of time no
 * collection read. Consecutive collections of one scope must have overlapping windows; the population is
 * complete only when the windows cover the whole period (the time after the last collection is a hole once a
 * scheduled collection is overdue: `staleAfterMs`).
 */
export async function eventPopulation(options: {
  readonly store: EvidenceStore;
  readonly control: Control;
  readonly period: Period;
  /** The control's evidence in the period. */
  readonly evidence: readonly ArtifactRef[];
  /** Event checks by collector (eventChecksOf), only for collectors of sources in the deployment. */
  readonly checks: ReadonlyMap<string, readonly Check<unknown>[]>;
  readonly exceptions: readonly ArchiveException[];
  readonly staleAfterMs: (collector: string) => number | undefined;
}): Promise<{ items: PopulationEvent[]; holes: PopulationHole[] }> {
  const { control, period } = options;
  const events = new Map<string, PopulationEvent>();
  const holes: PopulationHole[] = [];
  for (const [collector, checks] of options.checks) {
    const windows = new Map<string, { since: string; until: string }[]>();
    for (const ref of options.evidence) {
      if (ref.collector !== collector || ref.status !== 'ok') continue;
      const { artifact } = await options.store.getArtifact(ref.key);
      if (artifact.status !== 'ok') continue;
      const context = { asOf: new Date(artifact.collectedAt), scope: artifact.scope };
      for (const check of checks) {
        const population = check.population!;
        const list = windows.get(ref.scopeKey) ?? [];
        list.push(population.window(artifact.snapshot));
        windows.set(ref.scopeKey, list);
        const findings = new Map(check.evaluate(artifact.snapshot, context).map((f) => [f.resource, f]));
        for (const item of population.items(artifact.snapshot)) {
          if (item.at < period.start || item.at >= period.end) continue;
          const finding = findings.get(item.resource);
          const status = finding?.status === 'pass' ? 'pass' : 'fail';
          const exception =
            status === 'fail'
              ? options.exceptions.find((e) => exceptionInForce(e, control.id, item.resource, item.at))?.id
              : undefined;
          events.set(`${check.id} ${item.resource}`, {
            check: check.id,
            resource: item.resource,
            at: item.at,
            status,
            reason: finding?.reason ?? 'not judged by its check',
            ...(exception ? { exception } : {}),
            evidence: ref.key,
            attributes: item.attributes,
          });
        }
      }
    }
    const tail = options.staleAfterMs(collector) ?? 1.5 * DAY_MS;
    if (windows.size === 0) holes.push({ source: collector, from: period.start, to: period.end });
    for (const [scope, list] of [...windows].sort(([a], [b]) => a.localeCompare(b))) {
      let covered = period.start;
      for (const w of list.sort((a, b) => a.since.localeCompare(b.since))) {
        if (w.since > covered) holes.push({ source: `${collector} ${scope}`, from: covered, to: w.since });
        if (w.until > covered) covered = w.until;
      }
      if (covered < period.end && Date.parse(period.end) - Date.parse(covered) > tail)
        holes.push({ source: `${collector} ${scope}`, from: covered, to: period.end });
    }
  }
  const items = [...events.values()].sort(
    (a, b) => a.at.localeCompare(b.at) || a.resource.localeCompare(b.resource),
  );
  return { items, holes };
}
