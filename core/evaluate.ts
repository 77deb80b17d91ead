import type { CheckSettings } from './check-settings.ts';
import type { AnyCollector, CheckContext } from './collector.ts';
import type { Artifact, ArtifactRef, Control, ControlResult, Finding } from './model.ts';

/** Runs a collector's checks on one artifact. An error artifact yields no findings: it is a gap, not a pass. */
export function evaluateArtifact(
  collector: AnyCollector,
  artifact: Artifact,
  settings?: CheckSettings,
): Finding[] {
  if (artifact.status === 'error') return [];
  const context: CheckContext = {
    asOf: new Date(artifact.collectedAt),
    scope: artifact.scope,
    ...(settings ? { settings } : {}),
  };
  // One array pushed to: flatMap copies every check's findings once more, which large snapshots feel.
  const findings: Finding[] = [];
  for (const check of collector.checks) {
    let found: readonly Finding[];
    try {
      found = check.evaluate(artifact.snapshot, context);
    } catch (error) {
      // A snapshot the check cannot read is reported, never skipped.
      const reason = `check could not read the snapshot: ${(error as Error).message}`;
      found = [{ check: check.id, resource: artifact.scope.id, status: 'fail', reason }];
    }
    for (let i = 0; i < found.length; i++) findings.push(found[i]!);
  }
  return findings;
}

export interface EvaluatedArtifact {
  readonly ref: ArtifactRef;
  readonly findings: readonly Finding[];
}

/** When to call evidence stale: a scheduled slot passed without a new artifact. */
export interface Freshness {
  /** The evaluation time (ISO 8601); without it, age is not judged. */
  readonly now?: string;
  /** How old a collector's latest artifact may be; undefined = no limit (e.g. a cron schedule). */
  readonly staleAfterMs?: (collector: string) => number | undefined;
  /**
   * Whether a collector's source is collected here at all. A collector of a source outside the deployment
   * (e.g. Entra ID where the identity provider is Okta) is no gap for a control that other sources feed.
   * Default: every source.
   */
  readonly inScope?: (collector: string) => boolean;
}

/**
 * Derives each control's status from the latest artifact of every collector × scope.
 * failing: any finding of its checks fails. no_evidence: a collector it needs has no artifact, its latest
 * collection failed, or a scheduled collection was missed (gaps count against a control). passing: evidence present and nothing fails.
 */
export function evaluateControls(
  controls: readonly Control[],
  collectorOfCheck: ReadonlyMap<string, string>,
  latest: readonly EvaluatedArtifact[],
  freshness: Freshness = {},
): ControlResult[] {
  const now = freshness.now ? Date.parse(freshness.now) : undefined;
  const byCollector = new Map<string, EvaluatedArtifact[]>();
  for (const entry of latest) {
    const list = byCollector.get(entry.ref.collector) ?? [];
    list.push(entry);
    byCollector.set(entry.ref.collector, list);
  }
  return controls.map((control) => {
    const checks = new Set(control.checks);
    const needed = [...new Set(control.checks.map((c) => collectorOfCheck.get(c)))].filter(
      (c): c is string => c !== undefined,
    );
    const inScope = needed.filter((c) => byCollector.has(c) || (freshness.inScope?.(c) ?? true));
    // With none of its sources in scope, the control still has no evidence: say which sources it needs.
    const collectors = inScope.length > 0 ? inScope : needed;
    const gaps: string[] = [];
    const evidence: string[] = [];
    const findings: Finding[] = [];
    let lastEvidenceAt: string | undefined;
    for (const collector of collectors) {
      const entries = byCollector.get(collector) ?? [];
      if (entries.length === 0) gaps.push(`${collector}: never collected`);
      for (const { ref, findings: artifactFindings } of entries) {
        evidence.push(ref.key);
        if (ref.status === 'error') {
          gaps.push(`${collector} ${ref.scopeKey}: collection failed at ${ref.collectedAt}`);
          continue;
        }
        const staleAfter = freshness.staleAfterMs?.(collector);
        if (now !== undefined && staleAfter !== undefined && now - Date.parse(ref.collectedAt) > staleAfter) {
          gaps.push(
            `${collector} ${ref.scopeKey}: scheduled collection missed, latest is from ${ref.collectedAt}`,
          );
        }
        if (!lastEvidenceAt || ref.collectedAt > lastEvidenceAt) lastEvidenceAt = ref.collectedAt;
        for (const f of artifactFindings) if (checks.has(f.check)) findings.push(f);
      }
    }
    const failing = findings.filter((f) => f.status === 'fail');
    const status =
      failing.length > 0 ? 'failing' : gaps.length > 0 || collectors.length === 0 ? 'no_evidence' : 'passing';
    return {
      control: control.id,
      status,
      failing,
      findingCount: findings.length,
      resourceCount: new Set(findings.filter((f) => f.status !== 'not_applicable').map((f) => f.resource))
        .size,
      evidence,
      gaps,
      ...(lastEvidenceAt ? { lastEvidenceAt } : {}),
    };
  });
}
