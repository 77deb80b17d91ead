import type { Control } from './model.ts';

/** A SOC 2 criterion and an ISO 27001 requirement met by the same internal controls. */
export interface CrosswalkPair {
  readonly soc2: string;
  readonly iso27001: string;
  /** The internal controls mapped to both: evidence for one serves the other. */
  readonly controls: readonly string[];
}

const compareIds = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/**
 * Derives the crosswalk from the catalog: every (SOC 2 criterion, ISO requirement) pair that shares at least
 * one internal control, with those controls. Nothing is maintained by hand, so it cannot drift.
 */
export function crosswalk(controls: readonly Control[]): CrosswalkPair[] {
  const pairs = new Map<string, { soc2: string; iso27001: string; controls: string[] }>();
  for (const control of controls)
    for (const soc2 of new Set(control.soc2))
      for (const iso27001 of new Set(control.iso27001)) {
        const key = `${soc2}\u0000${iso27001}`;
        const pair = pairs.get(key) ?? { soc2, iso27001, controls: [] };
        pair.controls.push(control.id);
        pairs.set(key, pair);
      }
  return [...pairs.values()]
    .map((p) => ({ ...p, controls: p.controls.sort(compareIds) }))
    .sort((a, b) => compareIds(a.soc2, b.soc2) || compareIds(a.iso27001, b.iso27001));
}
