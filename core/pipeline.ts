import pLimit from 'p-limit';
import { errorArtifact } from './artifact.ts';
import type { CheckSettings } from './check-settings.ts';
import type { AnyCollector, AnyRunnableCollector } from './collector.ts';
import { type EvaluatedArtifact, evaluateArtifact, evaluateControls } from './evaluate.ts';
import type { Artifact, ArtifactRef, Control, ControlResult, Finding, Scope, Transition } from './model.ts';
import { applyManualRecords, loadManualRecords } from './records.ts';
import { staleAfterMs } from './schedule.ts';
import type { EvidenceStore } from './stores/store.ts';

/** One unit of collection: a collector, the scope it reads, and the session (client) to read it with. */
export interface CollectionTarget {
  readonly collector: AnyRunnableCollector;
  readonly scope: Scope;
  readonly session: unknown;
}

export interface CollectionOutcome {
  readonly target: CollectionTarget;
  readonly ref: ArtifactRef;
  readonly created: boolean;
  readonly findings: readonly Finding[];
  /** What collect() threw when the collection failed (its recorded form is the error artifact). */
  readonly error?: unknown;
}

export interface CollectOptions {
  readonly now?: () => Date;
  readonly concurrency?: number;
  /** The configuration's `checks` thresholds; default: every default. */
  readonly settings?: CheckSettings;
  readonly onStart?: (target: CollectionTarget) => void;
  readonly onDone?: (outcome: CollectionOutcome) => void;
}

/** Runs one collection: its snapshot, or the error that prevented it, as an artifact (not stored). */
export async function collectArtifact(target: CollectionTarget, collectedAt: Date): Promise<Artifact> {
  return (await attempt(target, collectedAt)).artifact;
}

/** One collection's artifact, and what collect() threw when it failed. */
async function attempt(
  target: CollectionTarget,
  collectedAt: Date,
): Promise<{ artifact: Artifact; error?: unknown }> {
  const { collector, scope } = target;
  try {
    const snapshot = await collector.collect(target.session, scope);
    return {
      artifact: {
        collector: collector.id,
        scope,
        collectedAt: collectedAt.toISOString(),
        schemaVersion: collector.schemaVersion,
        status: 'ok',
        snapshot,
      },
    };
  } catch (error) {
    return { artifact: errorArtifact(collector.id, scope, collectedAt.toISOString(), error), error };
  }
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
        const { artifact, error } = await attempt(target, now());
        const { ref, created } = await store.putArtifact(artifact);
        const findings = evaluateArtifact(target.collector, artifact, options.settings);
        await store.putFindings(ref.key, findings);
        const outcome: CollectionOutcome = {
          target,
          ref,
          created,
          findings,
          ...(error === undefined ? {} : { error }),
        };
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
    /** The configuration's `checks` thresholds, for findings re-derived here; default: every default. */
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
