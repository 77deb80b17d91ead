import {
  GetAutomatedDiscoveryConfigurationCommand,
  GetFindingsCommand,
  GetMacieSessionCommand,
  Macie2Client,
  paginateListClassificationJobs,
  paginateListFindings,
} from '@aws-sdk/client-macie2';
import type { Scope } from '../../../core/model.ts';
import type { AwsSession } from '../session.ts';
import type { OpenFinding } from '../shared/open-findings.ts';
import { orUnknown } from '../unknown.ts';
import type { MacieSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<MacieSnapshot> {
  const macie = session.client(Macie2Client, scope.region);
  let status: string | null;
  try {
    status = (await macie.send(new GetMacieSessionCommand({}))).status ?? null;
  } catch (error) {
    // Macie answers AccessDeniedException "Macie is not enabled" for an account that has not enabled it.
    const e = error as Error;
    if (e.name === 'AccessDeniedException' && /not enabled/i.test(e.message)) status = null;
    else throw error;
  }
  if (status === null) return { status, automatedDiscovery: 'DISABLED', activeJobs: [], highFindings: [] };
  const automatedDiscovery = await orUnknown(
    async () => (await macie.send(new GetAutomatedDiscoveryConfigurationCommand({}))).status ?? 'DISABLED',
  );
  const activeJobs = await orUnknown(async () => {
    const jobs: string[] = [];
    const filterCriteria = {
      includes: [{ comparator: 'EQ' as const, key: 'jobStatus' as const, values: ['RUNNING', 'IDLE'] }],
    };
    for await (const page of paginateListClassificationJobs({ client: macie }, { filterCriteria })) {
      for (const j of page.items ?? []) jobs.push(j.jobId ?? '');
    }
    return jobs;
  });
  const highFindings = await orUnknown(async () => {
    const ids: string[] = [];
    const findingCriteria = {
      criterion: { 'severity.description': { eq: ['High'] }, archived: { eq: ['false'] } },
    };
    for await (const page of paginateListFindings({ client: macie }, { findingCriteria }))
      ids.push(...(page.findingIds ?? []));
    const list: OpenFinding[] = [];
    for (let i = 0; i < ids.length; i += 50) {
      const { findings = [] } = await macie.send(
        new GetFindingsCommand({ findingIds: ids.slice(i, i + 50) }),
      );
      for (const f of findings) {
        list.push({
          id: f.id ?? '',
          severity: f.severity?.description ?? '',
          createdAt: f.createdAt?.toISOString() ?? '',
        });
      }
    }
    return list;
  });
  return { status, automatedDiscovery, activeJobs, highFindings };
}
