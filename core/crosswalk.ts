import type { Control } from './model.ts';
import { isAutomatedLink } from './requirements.ts';

/** A SOC 2 criterion and an ISO 27001 requirement evidenced by the same evidence of the same controls. */
export interface CrosswalkPair {
  readonly soc2: string;
  readonly iso27001: string;
  /** The internal controls whose links to both name common evidence: evidence for one serves the other. */
  readonly controls: readonly string[];
  /** Per shared control, the checks (or `manual`) named by both of its links. */
  readonly evidence: readonly { readonly control: string; readonly by: readonly string[] }[];
  /** True when some shared evidence is a check. */
  readonly automated: boolean;
}

const compareIds = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/**
 * Derives the crosswalk from the catalog links: every (SOC 2 criterion, ISO requirement) pair for which one
 * internal control names the same evidence (a check, or its manual evidence) in its link to each. A control
 * mapped to both through different evidence does not pair them. Nothing is maintained by hand, so it cannot
 * drift.
 */
export function crosswalk(controls: readonly Control[]): CrosswalkPair[] {
  const pairs = new Map<
    string,
    { soc2: string; iso27001: string; evidence: { control: string; by: string[] }[] }
  >();
  for (const control of controls) {
    const soc2Links = control.links.filter((l) => l.framework === 'soc2');
    const isoLinks = control.links.filter((l) => l.framework === 'iso27001');
    for (const soc2 of soc2Links)
      for (const iso of isoLinks) {
        const by = soc2.by.filter((b) => iso.by.includes(b));
        if (by.length === 0) continue;
        const key = `${soc2.requirement}\u0000${iso.requirement}`;
        const pair = pairs.get(key) ?? { soc2: soc2.requirement, iso27001: iso.requirement, evidence: [] };
        pair.evidence.push({ control: control.id, by });
        pairs.set(key, pair);
      }
  }
  return [...pairs.values()]
    .map((p) => {
      const evidence = p.evidence.sort((a, b) => compareIds(a.control, b.control));
      return {
        soc2: p.soc2,
        iso27001: p.iso27001,
        controls: evidence.map((e) => e.control),
        evidence,
        automated: evidence.some(isAutomatedLink),
      };
    })
    .sort((a, b) => compareIds(a.soc2, b.soc2) || compareIds(a.iso27001, b.iso27001));
}
