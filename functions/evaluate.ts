import type { Context } from 'aws-lambda';
import {
  type AlertChannel,
  eventBridgeChannel,
  securityHubChannel,
  snsChannel,
} from '../core/alerts/channels.ts';
import { deliver, notificationsFor } from '../core/alerts/notify.ts';
import { ENV, REPORT_KEYS, TELEMETRY } from '../core/deployed.ts';
import type { ControlStatus } from '../core/model.ts';
import { evaluateStore } from '../core/pipeline.ts';
import { catalogControls, deployedCollectors as collectors } from './shared/catalog.ts';
import { logger, MetricUnit, metrics, withMetrics } from './shared/observability.ts';
import { checkSettings, deployedSchedules } from './shared/settings.ts';
import { evidenceStore } from './shared/store.ts';

export interface EvaluateResult {
  readonly evaluatedAt: string;
  readonly controls: number;
  readonly byStatus: Partial<Record<ControlStatus, number>>;
  readonly transitions: readonly { control: string; from: ControlStatus | null; to: ControlStatus }[];
}

/** Owner messages name the latest report the summary function wrote, when the stack has an exports bucket. */
const reportLink = (env: NodeJS.ProcessEnv) =>
  env[ENV.exportsBucket] ? { reportUrl: `s3://${env[ENV.exportsBucket]}/${REPORT_KEYS.latest}` } : {};

let channels: Promise<AlertChannel[]> | undefined;
/**
 * SNS (the stack's alert topic), EventBridge (the default bus) and, when enabled, Security Hub: built once, on
 * the first run with something to deliver, so their SDK clients are not part of the function's cold start.
 */
function alertChannels(env: NodeJS.ProcessEnv = process.env): Promise<AlertChannel[]> {
  const hubAccount = env[ENV.securityHubAccount];
  const topic = env[ENV.alertTopic];
  channels ??= (async () => [
    ...(topic
      ? [snsChannel(new (await import('@aws-sdk/client-sns')).SNSClient({}), topic, reportLink(env))]
      : []),
    eventBridgeChannel(new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({})),
    ...(hubAccount
      ? [
          securityHubChannel(
            new (await import('@aws-sdk/client-securityhub')).SecurityHubClient({}),
            hubAccount,
            env.AWS_REGION ?? 'us-east-1',
          ),
        ]
      : []),
  ])();
  return channels;
}

/**
 * Evaluates every control on the latest evidence and records the transitions (the store's outbox, which the
 * alerting reads). Runs at the end of every collection run.
 */
export async function handler(_event: unknown, context?: Context): Promise<EvaluateResult> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const evaluatedAt = new Date().toISOString();
    const store = await evidenceStore();
    const catalog = await catalogControls();
    const { results, transitions } = await evaluateStore(store, catalog, collectors, evaluatedAt, {
      settings: checkSettings(),
      schedules: deployedSchedules(),
    });
    // Transitions are recorded atomically before this point, so each alert goes out once.
    const notifications = notificationsFor(transitions, { controls: catalog, collectors });
    const { failures } = await deliver(notifications, notifications.length ? await alertChannels() : []);
    for (const f of failures)
      logger.error('alert channel failed', { channel: f.channel, error: f.error.message });
    const byStatus: Partial<Record<ControlStatus, number>> = {};
    for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    metrics.addMetric(TELEMETRY.metrics.controlsFailing, MetricUnit.Count, byStatus.failing ?? 0);
    metrics.addMetric(TELEMETRY.metrics.transitions, MetricUnit.Count, transitions.length);
    logger.info('controls evaluated', {
      controls: results.length,
      byStatus,
      transitions: transitions.length,
      alerts: notifications.length,
    });
    return {
      evaluatedAt,
      controls: results.length,
      byStatus,
      transitions: transitions.map(({ control, from, to }) => ({ control, from, to })),
    };
  });
}
