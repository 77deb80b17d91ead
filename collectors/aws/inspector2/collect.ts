import {
  BatchGetAccountStatusCommand,
  Inspector2Client,
  paginateListFindings,
} from '@aws-sdk/client-inspector2';
import type { Scope } from '../../../core/model.ts';
import type { AwsSession } from '../session.ts';
import type { OpenFinding } from '../shared/open-findings.ts';
import { orUnknown } from '../unknown.ts';
import type { Inspector2Snapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<Inspector2Snapshot> {
  const inspector = session.client(Inspector2Client, scope.region);
  const { accounts = [], failedAccounts = [] } = await inspector.send(
    new BatchGetAccountStatusCommand({ accountIds: [scope.id] }),
  );
  const failed = failedAccounts[0];
  if (failed)
    throw Object.assign(new Error(failed.errorMessage ?? 'account status unavailable'), {
      name: failed.errorCode ?? 'InspectorError',
    });
  const account = accounts[0];
  const resourceTypes: Record<string, string> = {};
  for (const [type, state] of Object.entries(account?.resourceState ?? {})) {
    if (state && typeof state === 'object' && 'status' in state) resourceTypes[type] = String(state.status);
  }
  const status = account?.state?.status ?? 'DISABLED';
  const criticalFindings =
    status === 'DISABLED'
      ? []
      : await orUnknown(async () => {
          const list: OpenFinding[] = [];
          const filterCriteria = {
            severity: [{ comparison: 'EQUALS' as const, value: 'CRITICAL' }],
            findingStatus: [{ comparison: 'EQUALS' as const, value: 'ACTIVE' }],
          };
          for await (const page of paginateListFindings({ client: inspector }, { filterCriteria })) {
            for (const f of page.findings ?? []) {
              list.push({
                id: f.findingArn ?? '',
                severity: f.severity ?? '',
                createdAt: f.firstObservedAt?.toISOString() ?? '',
              });
            }
          }
          return list;
        });
  return { status, resourceTypes, criticalFindings };
}
