import { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { collectors } from '../collectors/index.ts';
import { publishSummary } from '../core/alerts/channels.ts';
import { failingDigest } from '../core/alerts/notify.ts';
import { checkCatalog } from '../core/collector.ts';
import { ENV } from '../core/deployed.ts';
import { requiredEnv } from '../core/validate.ts';
import { catalogControls } from './shared/catalog.ts';
import { logger, withMetrics } from './shared/observability.ts';
import { evidenceStore } from './shared/store.ts';

let sns: SNSClient | undefined;

/**
 * The daily summary: one message to the alert topic listing every control still failing, without evidence or
 * due for manual evidence, overdue first, then by severity and age — single alerts go out once, on the transition; this repeats what is
 * still open.
 */
export async function handler(
  _event: unknown,
  context?: Context,
): Promise<{ subject: string; open: number }> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const topic = requiredEnv(ENV.alertTopic);
    const store = await evidenceStore();
    const summary = failingDigest(
      await store.controlStates(),
      await catalogControls(),
      new Date().toISOString(),
      { checks: checkCatalog(collectors) },
    );
    sns ??= new SNSClient({});
    await publishSummary(sns, topic, summary);
    logger.info('summary sent', { open: summary.open });
    return { subject: summary.subject, open: summary.open };
  });
}
