import pLimit from 'p-limit';
import { MANUAL_EVIDENCE_COLLECTOR } from '../manual-evidence.ts';
import type { ArtifactRef, Control } from '../model.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { compareIds, mappedRequirements } from './period.ts';
import type { Framework, Period } from './types.ts';

const DAY_MS = 86_400_000;
/** `localeCompare`, its collator made once. */
const byText = new Intl.Collator().compare;
/** Index queries an export keeps in flight at once. */
export const QUERIES_IN_FLIGHT = 8;

/** An artifact chosen for the archive, with the controls (and their requirements) it is evidence for. */
export interface SelectedArtifact {
  readonly ref: ArtifactRef;
  readonly controls: readonly string[];
  readonly requirements: readonly string[];
}

export interface EvidenceSelection {
  /** Oldest first. */
  readonly artifacts: readonly SelectedArtifact[];
  /** Each control's evidence, oldest first (every control selected has an entry, possibly empty). */
  readonly byControl: ReadonlyMap<string, readonly ArtifactRef[]>;
  /** The collectors each control draws evidence from, through its checks. */
  readonly collectorsOf: ReadonlyMap<string, ReadonlySet<string>>;
}

/** `123456789012` matches every region of that account; `123456789012-us-east-1` only that one. */
export function scopeMatcher(scopes: readonly string[]): (scopeKey: string) => boolean {
  if (scopes.length === 0) return () => true;
  return (key) => scopes.some((s) => key === s || key.startsWith(`${s}-`));
}

/**
 * The period's evidence behind the given controls: every artifact (error artifacts too: a failed collection
 * is evidence of a gap) of a collector whose checks a control uses, plus the artifacts the store recorded as
 * standing behind the control's results, plus the manual evidence in force during the period (an upload up
 * to `everyDays` before it). Limited to the scopes given, if any; records people make (uploads, exceptions)
 * belong to no account and are kept whatever the scope.
 */
export async function selectEvidence(
  store: EvidenceStore,
  options: {
    readonly controls: readonly Control[];
    readonly framework: Framework;
    /** check id → collector id (the collector registry's index). */
    readonly collectorOfCheck: ReadonlyMap<string, string>;
    readonly period: Period;
    readonly scopes: readonly string[];
  },
): Promise<EvidenceSelection> {
  const { controls, period } = options;
  const accountScope = scopeMatcher(options.scopes);
  const inScope = (ref: ArtifactRef) => ref.source === 'manual' || accountScope(ref.scopeKey);
  const collectorsOf = new Map<string, ReadonlySet<string>>();
  for (const control of controls) {
    const collectors = control.checks
      .map((check) => options.collectorOfCheck.get(check))
      .filter((c): c is string => c !== undefined);
    collectorsOf.set(control.id, new Set(collectors));
  }

  const chosen = new Map<string, { ref: ArtifactRef; controls: Set<string> }>();
  const choose = (ref: ArtifactRef, control: string) => {
    const entry = chosen.get(ref.key) ?? { ref, controls: new Set<string>() };
    entry.controls.add(control);
    chosen.set(ref.key, entry);
  };
  for (const ref of await store.listArtifacts({ from: period.start, to: period.end })) {
    if (!inScope(ref)) continue;
    for (const control of controls)
      if (collectorsOf.get(control.id)?.has(ref.collector)) choose(ref, control.id);
  }
  // One query per control, a few at a time: a remote index answers each in a round trip.
  const limit = pLimit(QUERIES_IN_FLIGHT);
  const uploaded = new Set((await store.latestArtifacts(MANUAL_EVIDENCE_COLLECTOR)).map((r) => r.scopeKey));
  const found = await Promise.all(
    controls.map((control) =>
      limit(async () => {
        const refs: ArtifactRef[] = [];
        for (const key of await store.controlEvidence(control.id, period.start, period.end)) {
          const ref = chosen.get(key)?.ref ?? (await store.getArtifactRef(key));
          if (ref && inScope(ref)) refs.push(ref);
        }
        const scopeKey = `${control.id}-global`;
        if (control.manualEvidence && uploaded.has(scopeKey)) {
          const since = Date.parse(period.start) - control.manualEvidence.everyDays * DAY_MS;
          const from = new Date(since).toISOString();
          const collector = MANUAL_EVIDENCE_COLLECTOR;
          refs.push(...(await store.listArtifacts({ collector, scopeKey, from, to: period.end })));
        }
        return { control: control.id, refs };
      }),
    ),
  );
  for (const { control, refs } of found) for (const ref of refs) choose(ref, control);

  const requirementsOf = new Map(controls.map((c) => [c.id, mappedRequirements(c, options.framework)]));
  const artifacts = [...chosen.values()]
    .sort((a, b) => byText(a.ref.collectedAt, b.ref.collectedAt) || byText(a.ref.key, b.ref.key))
    .map(({ ref, controls: ids }) => {
      const sortedControls = [...ids].sort(compareIds);
      const requirements = new Set(sortedControls.flatMap((id) => requirementsOf.get(id) ?? []));
      return { ref, controls: sortedControls, requirements: [...requirements].sort(compareIds) };
    });
  const byControl = new Map<string, ArtifactRef[]>(controls.map((c) => [c.id, []]));
  for (const a of artifacts) for (const id of a.controls) byControl.get(id)?.push(a.ref);
  return { artifacts, byControl, collectorsOf };
}
