import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { collectors } from '../collectors/index.ts';
import { digestGovernanceGaps } from '../controls/archive-sources.ts';
import { loadFrameworks } from '../controls/frameworks.ts';
import { DEFAULT_GOVERNANCE_DIR, loadGovernance } from '../controls/governance.ts';
import { publishSummary } from '../core/alerts/channels.ts';
import { failingDigest } from '../core/alerts/notify.ts';
import { parsePeriod } from '../core/archive/period.ts';
import { GENERATOR } from '../core/archive/types.ts';
import { checkCatalog, DAY_MS } from '../core/collector.ts';
import { ENV, REPORT_KEYS } from '../core/deployed.ts';
import type { Governance } from '../core/governance.ts';
import { gapsSection } from '../core/isms/gaps.ts';
import type { Control } from '../core/model.ts';
import { storeReportHtml } from '../core/report/html/index.ts';
import type { EvidenceStore } from '../core/stores/store.ts';
import { requiredEnv } from '../core/validate.ts';
import { catalogControls } from './shared/catalog.ts';
import { logger, withMetrics } from './shared/observability.ts';
import { alertSettings, ismsSettings } from './shared/settings.ts';
import { evidenceStore } from './shared/store.ts';

/** Days the daily report covers: the last 30, today included (as `proofline report` by default). */
export const REPORT_DAYS = 30;

let sns: SNSClient | undefined;
let s3: S3Client | undefined;

/**
 * The HTML report of the last REPORT_DAYS days (the renderer of `proofline report`) into the exports bucket,
 * as `reports/<day>.html` and `reports/latest.html`; where it is, as an `s3://` URI.
 */
export async function writeReport(
  store: EvidenceStore,
  controls: readonly Control[],
  governance: Governance,
  bucket: string,
  now: Date,
): Promise<string> {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const period = parsePeriod(day(now.getTime() - (REPORT_DAYS - 1) * DAY_MS), day(now.getTime()));
  const frameworks = await loadFrameworks();
  const page = await storeReportHtml({
    store,
    controls,
    collectors,
    frameworks,
    owners: governance.owners,
    period,
    now,
    generator: GENERATOR,
  });
  s3 ??= new S3Client({});
  for (const key of [REPORT_KEYS.daily(period.to), REPORT_KEYS.latest])
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: page,
        ContentType: 'text/html; charset=utf-8',
      }),
    );
  logger.info('report written', {
    bucket,
    key: REPORT_KEYS.daily(period.to),
    bytes: Buffer.byteLength(page),
  });
  return `s3://${bucket}/${REPORT_KEYS.daily(period.to)}`;
}

/**
 * The daily summary: one message to the alert topic listing every control still failing, without evidence or
 * due for manual evidence, overdue first, then by severity and age — single alerts go out once, on the
 * transition; this repeats what is still open — and last the ISMS governance gaps the records in the store
 * show, as `proofline alerts --digest` does. First it writes the report of the last 30 days to the exports
 * bucket, and the message says where.
 */
export async function handler(
  _event: unknown,
  context?: Context,
): Promise<{ subject: string; open: number; governanceGaps: string[]; report?: string }> {
  if (context) logger.addContext(context);
  return withMetrics(async () => {
    const topic = requiredEnv(ENV.alertTopic);
    const store = await evidenceStore();
    const controls = await catalogControls();
    const now = new Date();
    const bucket = process.env[ENV.exportsBucket];
    // Read once, for the report's owners and the governance gaps.
    const governance = await loadGovernance(DEFAULT_GOVERNANCE_DIR, {
      controls,
      frameworks: await loadFrameworks(),
    });
    const report = bucket ? await writeReport(store, controls, governance, bucket, now) : undefined;
    const summary = failingDigest(await store.controlStates(), controls, now.toISOString(), {
      checks: checkCatalog(collectors),
      ...alertSettings(),
    });
    const governanceGaps = await digestGovernanceGaps(store, controls, now, {
      ...ismsSettings(),
      governance,
    });
    const reportLine = report ? `\n\nReport of the last ${REPORT_DAYS} days: ${report}` : '';
    // Loaded here, once: the cold start does not pay for the SNS client.
    sns ??= new (await import('@aws-sdk/client-sns')).SNSClient({});
    await publishSummary(sns, topic, {
      ...summary,
      body: `${summary.body}${gapsSection(governanceGaps)}${reportLine}`,
    });
    logger.info('summary sent', { open: summary.open, governanceGaps: governanceGaps.length });
    return { subject: summary.subject, open: summary.open, governanceGaps, ...(report ? { report } : {}) };
  });
}
