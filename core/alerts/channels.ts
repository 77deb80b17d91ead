// Command classes load on first delivery (dynamic imports below): a function or command that evaluates without
// alerting never loads these SDKs.
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { AwsSecurityFinding, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';
import { ASFF_SCHEMA_VERSION, asffId } from '../findings-export/asff.ts';
import type { Notification } from './notification.ts';
import { type OwnerMessageOptions, ownerMessages } from './owner-message.ts';

/** Somewhere alerts go. Channels receive only new transitions, so each alert is sent once. */
export interface AlertChannel {
  readonly name: string;
  send(notifications: readonly Notification[]): Promise<void>;
}

export const EVENT_SOURCE = 'proofline';

/** The daily summary as one SNS message, marked so subscription filters can tell it from single alerts. */
export async function publishSummary(
  sns: SNSClient,
  topicArn: string,
  summary: { readonly subject: string; readonly body: string; readonly open: number },
): Promise<void> {
  const { PublishCommand } = await import('@aws-sdk/client-sns');
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: summary.subject,
      Message: summary.body,
      MessageAttributes: {
        kind: { DataType: 'String', StringValue: 'summary' },
        open: { DataType: 'Number', StringValue: String(summary.open) },
      },
    }),
  );
}

/**
 * One SNS message per owner and run (see `ownerMessages`), with attributes for subscription filter policies:
 * `owner`, `severity` and `kind` (`alert` for a single alert, which also carries `control` and `status`;
 * `owner-summary` for several).
 */
export function snsChannel(
  sns: SNSClient,
  topicArn: string,
  options: OwnerMessageOptions = {},
): AlertChannel {
  return {
    name: 'sns',
    async send(notifications) {
      const { PublishCommand } = await import('@aws-sdk/client-sns');
      for (const m of ownerMessages(notifications, options)) {
        await sns.send(
          new PublishCommand({
            TopicArn: topicArn,
            Subject: m.subject,
            Message: m.body,
            MessageAttributes: Object.fromEntries(
              Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
            ),
          }),
        );
      }
    },
  };
}

/** EventBridge events: source `proofline`, detail type = the alert kind, detail = AlertDetail. */
export function eventBridgeChannel(events: EventBridgeClient, eventBusName = 'default'): AlertChannel {
  return {
    name: 'eventbridge',
    async send(notifications) {
      const { PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
      for (let i = 0; i < notifications.length; i += 10) {
        const batch = notifications.slice(i, i + 10);
        const result = await events.send(
          new PutEventsCommand({
            Entries: batch.map((n) => ({
              EventBusName: eventBusName,
              Source: EVENT_SOURCE,
              DetailType: n.kind,
              Time: new Date(n.detail.at),
              Detail: JSON.stringify(n.detail),
            })),
          }),
        );
        if (result.FailedEntryCount) {
          const failed = result.Entries?.filter((e) => e.ErrorCode).map(
            (e) => `${e.ErrorCode}: ${e.ErrorMessage}`,
          );
          throw new Error(`EventBridge rejected ${result.FailedEntryCount} events: ${failed?.join('; ')}`);
        }
      }
    },
  };
}

const SEVERITY_LABEL = { low: 'LOW', medium: 'MEDIUM', high: 'HIGH', critical: 'CRITICAL' } as const;
const SECURITY_HUB_BATCH = 100;

/** ASFF findings, one per (control, check, resource): FAILED while failing, PASSED and RESOLVED on recovery. */
export function securityHubFindings(
  n: Notification,
  accountId: string,
  region: string,
): AwsSecurityFinding[] {
  const productArn = `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`;
  const d = n.detail;
  const asff = (
    f: { check: string; resource: string; reason?: string },
    resolved: boolean,
  ): AwsSecurityFinding => ({
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: asffId(d.control, f.check, f.resource),
    ProductArn: productArn,
    GeneratorId: f.check,
    AwsAccountId: accountId,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: d.since,
    UpdatedAt: d.at,
    Severity: { Label: resolved ? 'INFORMATIONAL' : SEVERITY_LABEL[n.severity] },
    Title: `${d.control} ${d.title}`.slice(0, 256),
    Description: (f.reason ?? `${f.resource} passes ${f.check}`).slice(0, 1024),
    Resources: [{ Type: 'Other', Id: f.resource }],
    Compliance: {
      Status: resolved ? 'PASSED' : 'FAILED',
      RelatedRequirements: [
        ...d.soc2.map((id) => `SOC 2 ${id}`),
        ...d.iso27001.map((id) => `ISO 27001:2022 ${id}`),
      ].slice(0, 32),
    },
    Workflow: { Status: resolved ? 'RESOLVED' : 'NEW' },
    RecordState: resolved ? 'ARCHIVED' : 'ACTIVE',
    ProductFields: { 'proofline/control': d.control, 'proofline/owner': d.owner },
  });
  if (n.kind === 'Control Failing') return d.newlyFailing.map((f) => asff(f, false));
  if (n.kind === 'Control Recovered') return d.recovered.map((f) => asff(f, true));
  return [];
}

/** Security Hub: failing findings imported in batches of at most 100, resolved on recovery. */
export function securityHubChannel(hub: SecurityHubClient, accountId: string, region: string): AlertChannel {
  return {
    name: 'securityhub',
    async send(notifications) {
      const { BatchImportFindingsCommand } = await import('@aws-sdk/client-securityhub');
      const findings = notifications.flatMap((n) => securityHubFindings(n, accountId, region));
      for (let i = 0; i < findings.length; i += SECURITY_HUB_BATCH) {
        const result = await hub.send(
          new BatchImportFindingsCommand({ Findings: findings.slice(i, i + SECURITY_HUB_BATCH) }),
        );
        if (result.FailedCount) {
          throw new Error(
            `Security Hub rejected ${result.FailedCount} findings: ${result.FailedFindings?.map((f) => `${f.Id}: ${f.ErrorMessage}`).join('; ')}`,
          );
        }
      }
    },
  };
}
