import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { AnyConnector } from '../collectors/sources.ts';
import { errorArtifact } from '../core/artifact.ts';
import type { AnyRunnableCollector } from '../core/collector.ts';
import { ENV, TELEMETRY } from '../core/deployed.ts';
import { type ArtifactRef, type Scope, scopeKey } from '../core/model.ts';
import { collectTargets } from '../core/pipeline.ts';
import { parseWith, requiredEnv } from '../core/validate.ts';
import { CollectorThrottled, failureError, isThrottling } from './shared/failures.ts';
import { logger, MetricUnit, metrics, withMetrics } from './shared/observability.ts';
import { checkSettings } from './shared/settings.ts';
import { evidenceStore } from './shared/store.ts';

/** What the state machine sends a source function: one collector of its source, or why it failed. */
const eventSchema = z.strictObject({
  source: z.string().min(1).optional(),
  collectorId: z.string().min(1),
  /** One of the scopes the config names (the plan lists them); absent: every one. */
  scope: z
    .strictObject({ source: z.string().min(1), id: z.string().min(1), region: z.string().min(1).optional() })
    .optional(),
  /** Set by the state machine's catcher: the collection failed outside the collector; record it. */
  failure: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export interface SourceCollectResult {
  readonly collector: string;
  /** `error` when any scope's collection failed (each failure is an error artifact). */
  readonly status: 'ok' | 'error';
  readonly keys: readonly string[];
  readonly errors: number;
  readonly findings: number;
  readonly failing: number;
}

export type SourceHandler = (event: unknown, context?: Context) => Promise<SourceCollectResult>;

/** The source's `scope.<source>` section the stack passed at synth (JSON, secret ARNs only), validated. */
function sourceConfig(connector: AnyConnector, env: NodeJS.ProcessEnv): unknown {
  const where = `${ENV.sourceConfig} (scope.${connector.source})`;
  const text = requiredEnv(ENV.sourceConfig, env);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${where}: not JSON`);
  }
  return parseWith(connector.schema, data, where, ['scope', connector.source]);
}

/**
 * The collect function of one source other than AWS: one collector over one scope the source's config names
 * (a GitHub organization, an IdP tenant; without `scope` in the event, every one), credentials from Secrets
 * Manager. A collection that cannot start (an unreadable secret, a refused credential) is recorded as an error
 * artifact for each scope asked for, like a failed collector; a throttled one is recorded, then thrown as
 * CollectorThrottled so the state machine retries later.
 * `collectors` is the source's own list (not the registry, which would bring every source's code along).
 */
export function sourceHandler(
  connector: AnyConnector,
  collectors: readonly AnyRunnableCollector[],
): SourceHandler {
  const source = connector.source;
  const mine = collectors.filter((c) => c.source === source);

  function parseEvent(event: unknown): {
    collector: AnyRunnableCollector;
    scope?: Scope;
    failure?: { Error?: string; Cause?: string };
  } {
    const request = parseWith(eventSchema, event, `bad ${source} collect request`, [], {
      root: '(event)',
      error: Error,
    });
    const { collectorId, failure, scope } = request;
    if (request.source !== undefined && request.source !== source)
      throw new Error(`bad ${source} collect request: source ${request.source} is not ${source}`);
    const collector = mine.find((c) => c.id === collectorId);
    if (!collector)
      throw new Error(
        `bad ${source} collect request: unknown ${source} collector ${collectorId} (known: ${mine.map((c) => c.id).join(', ')})`,
      );
    if (scope && scope.source !== source)
      throw new Error(`bad ${source} collect request: scope.source ${scope.source} is not ${source}`);
    return { collector, ...(scope ? { scope: scope as Scope } : {}), ...(failure ? { failure } : {}) };
  }

  return async (event, context) => {
    if (context) logger.addContext(context);
    return withMetrics(async () => {
      const { collector, scope: only, failure } = parseEvent(event);
      const env = process.env;
      const config = sourceConfig(connector, env);
      if (!connector.scopes) throw new Error(`${source} names no scopes to record a failure against`);
      const configured = connector.scopes(config, { env });
      if (only && !configured.some((s) => scopeKey(s) === scopeKey(only)))
        throw new Error(
          `bad ${source} collect request: scope ${scopeKey(only)} is not in the config (${configured.map(scopeKey).join(', ')})`,
        );
      const scopes = only ? [only] : configured;
      const store = await evidenceStore();
      metrics.addMetric(TELEMETRY.metrics.collections, MetricUnit.Count, 1);

      /** Records `error` for every scope asked for: the gap is evidence too. */
      const recordFailure = async (error: unknown): Promise<SourceCollectResult> => {
        const collectedAt = new Date().toISOString();
        const refs: ArtifactRef[] = [];
        for (const scope of scopes) {
          const { ref } = await store.putArtifact(errorArtifact(collector.id, scope, collectedAt, error));
          refs.push(ref);
          logger.warn('collection failed; recorded as an error artifact', {
            collector: collector.id,
            scope: scopeKey(scope),
            key: ref.key,
            error: (error as Error).name,
          });
        }
        metrics.addMetric(TELEMETRY.metrics.collectionErrors, MetricUnit.Count, refs.length);
        return {
          collector: collector.id,
          status: 'error',
          keys: refs.map((r) => r.key),
          errors: refs.length,
          findings: 0,
          failing: 0,
        };
      };

      if (failure) return recordFailure(failureError(failure));

      let targets: Awaited<ReturnType<AnyConnector['targets']>>;
      try {
        const keys = new Set(scopes.map(scopeKey));
        targets = (await connector.targets([collector], config, { env })).filter((t) =>
          keys.has(scopeKey(t.scope)),
        );
      } catch (error) {
        return recordFailure(error);
      }
      const outcomes = await collectTargets(store, targets, { concurrency: 4, settings: checkSettings() });
      const thrown = outcomes.map((o) => o.error);
      const errors = outcomes.filter((o) => o.ref.status === 'error');
      const findings = outcomes.flatMap((o) => o.findings);
      const failing = findings.filter((f) => f.status === 'fail').length;
      for (const { ref, findings: found } of outcomes) {
        const where = { collector: collector.id, scope: ref.scopeKey, key: ref.key };
        if (ref.status === 'error') logger.warn('collection failed; recorded as an error artifact', where);
        else logger.info('collected', { ...where, findings: found.length });
      }
      if (errors.length)
        metrics.addMetric(TELEMETRY.metrics.collectionErrors, MetricUnit.Count, errors.length);
      const throttled = thrown.find(isThrottling);
      if (throttled) {
        metrics.addMetric(TELEMETRY.metrics.collectionThrottled, MetricUnit.Count, 1);
        throw new CollectorThrottled(`${collector.id}: ${(throttled as Error).message}`);
      }
      return {
        collector: collector.id,
        status: errors.length ? 'error' : 'ok',
        keys: outcomes.map((o) => o.ref.key),
        errors: errors.length,
        findings: findings.length,
        failing,
      };
    });
  };
}
