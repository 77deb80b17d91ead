import pLimit from 'p-limit';
import { errorArtifact } from './artifact.ts';
import type { AnyCollector } from './collector.ts';
import type { CheckSettings } from './config.ts';
import { type EvaluatedArtifact, evaluateArtifact, evaluateControls } from './evaluate.ts';
import type { Artifact, ArtifactRef, Control, ControlResult, Finding, Scope, Transition } from './model.ts';
import { applyManualRecords, loadManualRecords } from './records.ts';
import { staleAfterMs } from './schedule.ts';
import type { EvidenceStore } from './stores/store.ts';

/** One unit of collection: a collector, the scope it reads, and the session (client) to read it with. */
export interface CollectionTarget {
  readonly collector: AnyCollector;
  readonly scope: Scope;
  readonly session: unknown;
}

export interface CollectionOutcome {
  readonly target: CollectionTarget;
  readonly ref: ArtifactRef;
  readonly created: boolean;
  readonly findings: readonly Finding[];
}

export interface CollectOptions {
  readonly now?: () => Date;
  readonly concurrency?: number;
  readonly onStart?: (target: CollectionTarget) => void;
  readonly onDone?: (outcome: CollectionOutcome) => void;
  /** The config's `checks` section: thresholds the checks judge against. */
  readonly settings?: CheckSettings;
}

/**
 * Collects every target, stores each snapshot (or the error that prevented it) as an artifact and evaluates
 * its checks. One failing target never stops the others.
 */
export async function collectTargets(
  store: EvidenceStore,
  targets: readonly CollectionTarget[],
  options: CollectOptions = {},
): Promise<CollectionOutcome[]> {
  const now = options.now ?? (() => new Date());
  const limit = pLimit(options.concurrency ?? 4);
  return Promise.all(
    targets.map((target) =>
      limit(async () => {
        options.onStart?.(target);
        const { collector, scope } = target;
        const collectedAt = now().toISOString();
        let artifact: Artifact;
        try {
          const snapshot = await collector.collect(target.session, scope);
          artifact = {
            collector: collector.id,
            scope,
            collectedAt,
            schemaVersion: collector.schemaVersion,
            status: 'ok',
            snapshot,
          };
        } catch (error) {
          artifact = errorArtifact(collector.id, scope, collectedAt, error);
        }
        const { ref, created } = await store.putArtifact(artifact);
        const findings = evaluateArtifact(collector, artifact, options.settings);
        await store.putFindings(ref.key, findings);
        const outcome = { target, ref, created, findings };
        options.onDone?.(outcome);
        return outcome;
      }),
    ),
  );
}

export function checkIndex(collectors: readonly AnyCollector[]): Map<string, string> {
  return new Map(collectors.flatMap((c) => c.checks.map((check) => [check.id, c.id] as const)));
}

/**
 * Evaluates every control on the latest evidence in the store and records the resulting state. Findings are
 * re-derived from the artifact when the store has none (e.g. a check was added after collection). Exceptions
 * and manual evidence recorded in the store apply as of `evaluatedAt`. With `record: false` the results are
 * only computed (for reports and archives): nothing is written, not even the re-derived findings.
 */
export async function evaluateStore(
  store: EvidenceStore,
  controls: readonly Control[],
  collectors: readonly AnyCollector[],
  evaluatedAt: string,
  options: {
    /** False for reports that must not change the stored state. Default true. */
    readonly record?: boolean;
    /** Collector id → schedule expression, where the deployment overrides the collector's default. */
    readonly schedules?: ReadonlyMap<string, string>;
    /** The config's `checks` section: thresholds the checks judge against. */
    readonly settings?: CheckSettings;
  } = {},
): Promise<{ results: ControlResult[]; transitions: Transition[] }> {
  const byId = new Map(collectors.map((c) => [c.id, c]));
  const latest: EvaluatedArtifact[] = [];
  for (const ref of await store.latestArtifacts()) {
    const collector = byId.get(ref.collector);
    if (!collector) continue;
    let findings = await store.getFindings(ref.key);
    if (!findings) {
      findings = evaluateArtifact(collector, (await store.getArtifact(ref.key)).artifact, options.settings);
      if (options.record !== false) await store.putFindings(ref.key, findings);
    }
    latest.push({ ref, findings });
  }
  // A source is in scope when the store holds any artifact of it (a failed collection included).
  const sources = new Set(latest.map((e) => e.ref.source));
  const automated = evaluateControls(controls, checkIndex(collectors), latest, {
    now: evaluatedAt,
    inScope: (id) => {
      const source = byId.get(id)?.source;
      return source === undefined || sources.has(source);
    },
    staleAfterMs: (id) => {
      const schedule = options.schedules?.get(id) ?? byId.get(id)?.defaultSchedule;
      return schedule ? staleAfterMs(schedule) : undefined;
    },
  });
  const records = await loadManualRecords(store);
  const results = applyManualRecords(automated, controls, records, new Date(evaluatedAt));
  if (options.record === false) return { results, transitions: [] };
  const transitions = await store.applyControlResults(results, evaluatedAt);
  return { results, transitions };
}
