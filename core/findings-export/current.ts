import type { CheckSettings } from '../check-settings.ts';
import type { AnyCollector } from '../collector.ts';
import { checkCatalog } from '../collector.ts';
import { evaluateArtifact } from '../evaluate.ts';
import type { ArtifactRef, Control, ControlState } from '../model.ts';
import type { FrameworkId } from '../requirements.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { type FindingRow, requirementsOf } from './rows.ts';

/** Every current finding, and the collections that have none to give. */
export interface CurrentFindings {
  readonly rows: FindingRow[];
  /** Collector × scope whose latest collection failed: no current finding of theirs is known (a gap). */
  readonly gaps: readonly ArtifactRef[];
}

/**
 * The findings of the latest collection of every collector × scope, one row per control that uses the check
 * (only controls mapped to `framework` when given), with the exception that covers a failing one. Read only:
 * findings the store does not hold yet are derived from the artifact, never written.
 */
export async function currentFindings(input: {
  readonly store: Pick<EvidenceStore, 'latestArtifacts' | 'getFindings' | 'getArtifact'>;
  readonly controls: readonly Control[];
  readonly collectors: readonly AnyCollector[];
  readonly states: readonly ControlState[];
  readonly framework?: FrameworkId;
  readonly settings?: CheckSettings;
}): Promise<CurrentFindings> {
  const checks = checkCatalog(input.collectors);
  const collectors = new Map(input.collectors.map((c) => [c.id, c]));
  const controls = input.framework
    ? input.controls.filter((c) => c[input.framework!].length > 0)
    : input.controls;
  const usedBy = new Map<string, Control[]>();
  for (const control of controls)
    for (const check of control.checks) usedBy.set(check, [...(usedBy.get(check) ?? []), control]);
  const excepted = new Map<string, string>();
  for (const s of input.states)
    for (const f of s.excepted ?? [])
      if (f.exception) excepted.set(`${s.control}\n${f.check}\n${f.resource}`, f.exception);

  const rows: FindingRow[] = [];
  const gaps: ArtifactRef[] = [];
  for (const ref of await input.store.latestArtifacts()) {
    const collector = collectors.get(ref.collector);
    if (!collector) continue;
    if (ref.status === 'error') {
      gaps.push(ref);
      continue;
    }
    const findings =
      (await input.store.getFindings(ref.key)) ??
      evaluateArtifact(collector, (await input.store.getArtifact(ref.key)).artifact, input.settings);
    for (const f of findings)
      for (const control of usedBy.get(f.check) ?? []) {
        const exception = excepted.get(`${control.id}\n${f.check}\n${f.resource}`);
        rows.push({
          control: control.id,
          check: f.check,
          severity: checks.get(f.check)?.severity ?? '',
          resource: f.resource,
          lastSeen: f.status,
          lastSeenAt: ref.collectedAt,
          latestReason: f.reason,
          latestEvidence: ref.key,
          remediation: checks.get(f.check)?.remediation ?? '',
          requirements: requirementsOf(control, f.check, input.framework),
          exceptions: exception && f.status === 'fail' ? [exception] : [],
        });
      }
  }
  rows.sort(
    (a, b) =>
      a.control.localeCompare(b.control, 'en', { numeric: true }) ||
      a.check.localeCompare(b.check) ||
      a.resource.localeCompare(b.resource),
  );
  return { rows, gaps };
}
