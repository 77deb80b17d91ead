import {
  DescribeHubCommand,
  paginateGetEnabledStandards,
  paginateGetFindings,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { Scope } from '../../../core/model.ts';
import { type AwsSession, unlessMissing } from '../session.ts';
import type { OpenFinding } from '../shared/open-findings.ts';
import { orUnknown } from '../unknown.ts';
import type { SecurityHubSnapshot, StandardSnapshot } from './snapshot.ts';

const filters = {
  SeverityLabel: [
    { Value: 'CRITICAL', Comparison: 'EQUALS' as const },
    { Value: 'HIGH', Comparison: 'EQUALS' as const },
  ],
  ComplianceStatus: [{ Value: 'FAILED', Comparison: 'EQUALS' as const }],
  RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' as const }],
  WorkflowStatus: [
    { Value: 'NEW', Comparison: 'EQUALS' as const },
    { Value: 'NOTIFIED', Comparison: 'EQUALS' as const },
  ],
};

export async function collect(session: AwsSession, scope: Scope): Promise<SecurityHubSnapshot> {
  const hubClient = session.client(SecurityHubClient, scope.region);
  // Security Hub answers InvalidAccessException when the account is not subscribed in the region.
  const hub = await unlessMissing(
    hubClient.send(new DescribeHubCommand({})),
    'InvalidAccessException',
    'ResourceNotFoundException',
  );
  if (!hub) return { hub: null, standards: [], failedFindings: [] };
  const standards = await orUnknown(async () => {
    const list: StandardSnapshot[] = [];
    for await (const page of paginateGetEnabledStandards({ client: hubClient }, {})) {
      for (const s of page.StandardsSubscriptions ?? []) {
        list.push({ arn: s.StandardsArn ?? '', status: s.StandardsStatus ?? 'UNKNOWN' });
      }
    }
    return list;
  });
  const failedFindings = await orUnknown(async () => {
    const list: OpenFinding[] = [];
    for await (const page of paginateGetFindings(
      { client: hubClient },
      { Filters: filters, MaxResults: 100 },
    )) {
      for (const f of page.Findings ?? []) {
        list.push({
          id: f.Id ?? '',
          severity: f.Severity?.Label ?? '',
          createdAt: f.FirstObservedAt ?? f.CreatedAt ?? '',
        });
      }
    }
    return list;
  });
  return {
    hub: {
      arn: hub.HubArn ?? '',
      subscribedAt: hub.SubscribedAt ?? null,
      autoEnableControls: hub.AutoEnableControls ?? false,
    },
    standards,
    failedFindings,
  };
}
