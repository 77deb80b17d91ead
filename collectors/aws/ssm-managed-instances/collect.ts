import { EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeInstancePatchStatesCommand,
  type InstanceInformation,
  type InstancePatchState,
  paginateDescribeInstanceInformation,
  paginateListComplianceSummaries,
  SSMClient,
} from '@aws-sdk/client-ssm';
import type { Scope } from '../../../core/model.ts';
import { listInstances } from '../ec2-instances/collect.ts';
import { all, chunks } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { SsmManagedInstancesSnapshot } from './snapshot.ts';

/** DescribeInstancePatchStates takes at most 50 instance ids a call. */
const PATCH_STATE_BATCH = 50;

export async function collect(session: AwsSession, scope: Scope): Promise<SsmManagedInstancesSnapshot> {
  const region = scope.region ?? session.homeRegion;
  const ssm = session.client(SSMClient, region);
  const [running, infos, summaries] = await Promise.all([
    listInstances(session.client(EC2Client, region)).then((list) =>
      list.filter((i) => i.State?.Name === 'running'),
    ),
    all(paginateDescribeInstanceInformation({ client: ssm }, {}), (p) => p.InstanceInformationList),
    all(paginateListComplianceSummaries({ client: ssm }, {}), (p) => p.ComplianceSummaryItems),
  ]);
  const info = new Map<string, InstanceInformation>(infos.map((i) => [i.InstanceId ?? '', i]));
  const states = new Map<string, InstancePatchState>();
  const managedIds = running.map((i) => i.InstanceId ?? '').filter((id) => info.has(id));
  for (const batch of chunks(managedIds, PATCH_STATE_BATCH)) {
    let NextToken: string | undefined;
    do {
      const page = await ssm.send(new DescribeInstancePatchStatesCommand({ InstanceIds: batch, NextToken }));
      for (const s of page.InstancePatchStates ?? []) states.set(s.InstanceId ?? '', s);
      NextToken = page.NextToken;
    } while (NextToken);
  }
  return {
    region,
    instances: running.map((i) => {
      const id = i.InstanceId ?? '';
      const m = info.get(id);
      const p = states.get(id);
      return {
        id,
        managed: m !== undefined,
        pingStatus: m?.PingStatus ?? null,
        lastPingAt: m?.LastPingDateTime?.toISOString() ?? null,
        agentVersion: m?.AgentVersion ?? null,
        agentIsLatest: m?.IsLatestVersion ?? null,
        patches: p
          ? {
              operation: p.Operation ?? 'Scan',
              operationEndTime: p.OperationEndTime?.toISOString() ?? null,
              missing: p.MissingCount ?? 0,
              failed: p.FailedCount ?? 0,
              criticalNonCompliant: p.CriticalNonCompliantCount ?? 0,
              securityNonCompliant: p.SecurityNonCompliantCount ?? 0,
            }
          : null,
      };
    }),
    complianceSummaries: summaries.map((s) => ({
      complianceType: s.ComplianceType ?? '',
      compliant: s.CompliantSummary?.CompliantCount ?? 0,
      nonCompliant: s.NonCompliantSummary?.NonCompliantCount ?? 0,
    })),
  };
}
