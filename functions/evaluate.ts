import type { Context } from 'aws-lambda';
import { awsCollectors as collectors } from '../collectors/aws/index.ts';
import { controlsForChecks, DEFAULT_CONTROLS_PATH, loadControls } from '../controls/catalog.ts';
import { TELEMETRY } from '../core/deployed.ts';
import type { Control, ControlStatus } from '../core/model.ts';
import { checkIndex, evaluateStore } from '../core/pipeline.ts';
import { logger, MetricUnit, metrics, withMetrics } from './shared/observability.ts';
import { evidenceStore } from './shared/store.ts';

export interface EvaluateResult {
  readonly evaluatedAt: string;
  readonly controls: number;
  readonly byStatus: Partial<Record<ControlStatus, number>>;
  readonly transitions: readonly { control: string; from: ControlStatus | null; to: ControlStatus }[];
}

let catalog: Promise<Control[]> | undefined;
/**
 * The built-in catalog (bundled next to the handler), loaded once per runtime. The deployed stack collects AWS
 * evidence, so AWS check ids are validated here and other sources' checks (validated by the CLI and the tests
 * on the full registry) are set aside with the controls that only they feed.
 */
const controls = () => {
  const carried = new Set(checkIndex(collectors).keys());
  catalog ??= loadControls(DEFAULT_CONTROLS_PATH, {
    has: (id) => carried.has(id) || !id.startsWith('aws.'),
  }).then((all) => controlsForChecks(all, carried));
  return catalog;
};

/**
 * Evaluates every control on the latest evidence and records the transitions (the store's outbox, which the
 * alerting reads). Runs at the end of every collection run.
 */
export async function handler(_event: unknown, context?: Context): Promise<EvaluateResult> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const evaluatedAt = new Date().toISOString();
    const store = await evidenceStore();
    const { results, transitions } = await evaluateStore(store, await controls(), collectors, evaluatedAt);
    const byStatus: Partial<Record<ControlStatus, number>> = {};
    for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    metrics.addMetric(TELEMETRY.metrics.controlsFailing, MetricUnit.Count, byStatus.failing ?? 0);
    metrics.addMetric(TELEMETRY.metrics.transitions, MetricUnit.Count, transitions.length);
    logger.info('controls evaluated', {
      controls: results.length,
      byStatus,
      transitions: transitions.length,
    });
    return {
      evaluatedAt,
      controls: results.length,
      byStatus,
      transitions: transitions.map(({ control, from, to }) => ({ control, from, to })),
    };
  });
}
