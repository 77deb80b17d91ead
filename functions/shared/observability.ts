import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { TELEMETRY } from '../../core/deployed.ts';

/** Built once per runtime and shared by every handler, so each log line and metric carries the same service. */
export const logger = new Logger({ serviceName: TELEMETRY.service });
export const metrics = new Metrics({ namespace: TELEMETRY.namespace, serviceName: TELEMETRY.service });
export { MetricUnit };

/** Runs a handler body and always flushes the metrics it recorded (as one EMF log line), if any. */
export async function withMetrics<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  }
}
