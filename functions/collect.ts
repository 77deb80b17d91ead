import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { awsRunnableCollectors } from '../collectors/aws/collect.ts';
import { AwsSession } from '../collectors/aws/session.ts';
import { errorArtifact } from '../core/artifact.ts';
import { ENV, TELEMETRY } from '../core/deployed.ts';
import type { CollectRequest } from '../core/fanout.ts';
import { scopeKey } from '../core/model.ts';
import { collectTargets } from '../core/pipeline.ts';
import { parseWith } from '../core/validate.ts';
import { CollectorThrottled, failureError, isThrottling } from './shared/failures.ts';
import { logger, MetricUnit, metrics, withMetrics } from './shared/observability.ts';
import { checkSettings } from './shared/settings.ts';
import { evidenceStore } from './shared/store.ts';

const requestSchema = z.strictObject({
  collectorId: z.string().min(1),
  scope: z.strictObject({
    source: z.literal('aws'),
    id: z.string().regex(/^\d{12}$/, 'must be a 12-digit account id'),
    region: z.string().min(1).optional(),
  }),
  roleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'must be an IAM role ARN')
    .optional(),
  /** Set by the state machine's catcher: the collection failed outside the collector; record it. */
  failure: z.looseObject({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});
export type CollectEvent = CollectRequest & { readonly failure?: { Error?: string; Cause?: string } };

export interface CollectResult {
  readonly key: string;
  readonly status: 'ok' | 'error';
  readonly findings: number;
  readonly failing: number;
}

function parseRequest(event: unknown) {
  const request = parseWith(requestSchema, event, 'bad collect request', [], {
    root: '(event)',
    error: Error,
  });
  const collector = awsRunnableCollectors.find((c) => c.id === request.collectorId);
  if (!collector) throw new Error(`bad collect request: unknown collector ${request.collectorId}`);
  if (collector.regional !== Boolean(request.scope.region)) {
    throw new Error(
      `bad collect request: ${collector.id} is ${collector.regional ? 'regional: scope.region is required' : 'global: scope.region must be absent'}`,
    );
  }
  return { request, collector };
}

/** Reads the target account with its own credentials, or through the member role (with the external id). */
function sessionFor(request: z.infer<typeof requestSchema>): AwsSession {
  const homeRegion = request.scope.region ?? process.env.AWS_REGION ?? 'us-east-1';
  if (!request.roleArn) return new AwsSession({ homeRegion });
  const externalId = process.env[ENV.externalId];
  return new AwsSession({
    homeRegion,
    credentials: fromTemporaryCredentials({
      params: {
        RoleArn: request.roleArn,
        RoleSessionName: `proofline-${request.collectorId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64),
        DurationSeconds: 900,
        ...(externalId ? { ExternalId: externalId } : {}),
      },
      clientConfig: { region: homeRegion },
    }),
  });
}

/**
 * One collector over one scope → an artifact (or an error artifact) in the store, with its findings. A
 * `failure` in the event records why the collection could not run at all (timeout, crash, throttling that
 * outlasted every retry), so the gap is evidence too.
 */
export async function handler(event: unknown, context?: Context): Promise<CollectResult> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const { request, collector } = parseRequest(event);
    const store = await evidenceStore();
    const where = { collector: collector.id, scope: scopeKey(request.scope) };
    metrics.addMetric(TELEMETRY.metrics.collections, MetricUnit.Count, 1);

    if (request.failure) {
      const error = failureError(request.failure);
      const { ref } = await store.putArtifact(
        errorArtifact(collector.id, request.scope, new Date().toISOString(), error),
      );
      metrics.addMetric(TELEMETRY.metrics.collectionErrors, MetricUnit.Count, 1);
      logger.warn('collection failed; recorded as an error artifact', {
        ...where,
        key: ref.key,
        error: error.name,
      });
      return { key: ref.key, status: 'error', findings: 0, failing: 0 };
    }

    const [outcome] = await collectTargets(
      store,
      [{ collector, scope: request.scope, session: sessionFor(request) }],
      { concurrency: 1, settings: checkSettings() },
    );
    const { ref, findings, error: thrown } = outcome!;
    const failing = findings.filter((f) => f.status === 'fail').length;
    if (ref.status === 'error') {
      metrics.addMetric(TELEMETRY.metrics.collectionErrors, MetricUnit.Count, 1);
      logger.warn('collection failed; recorded as an error artifact', {
        ...where,
        key: ref.key,
        error: (thrown as Error | undefined)?.name,
      });
      if (isThrottling(thrown)) {
        metrics.addMetric(TELEMETRY.metrics.collectionThrottled, MetricUnit.Count, 1);
        throw new CollectorThrottled(`${collector.id} ${ref.scopeKey}: ${(thrown as Error).message}`);
      }
    } else {
      logger.info('collected', { ...where, key: ref.key, findings: findings.length, failing });
    }
    return { key: ref.key, status: ref.status, findings: findings.length, failing };
  });
}
