import {
  GetDetectorCommand,
  GetFindingsCommand,
  GuardDutyClient,
  paginateListDetectors,
  paginateListFindings,
  paginateListOrganizationAdminAccounts,
} from '@aws-sdk/client-guardduty';
import type { Scope } from '../../../core/model.ts';
import { describeOrganization } from '../organization.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { OpenFinding } from '../shared/open-findings.ts';
import { isUnknown, type Known, orUnknown } from '../unknown.ts';
import type { DetectorSnapshot, GuardDutySnapshot } from './snapshot.ts';

/** GuardDuty's high band starts at 7.0 (7.0–8.9 high, 9.0–10 critical). */
const HIGH = 7;

export async function collect(session: AwsSession, scope: Scope): Promise<GuardDutySnapshot> {
  const guardduty = session.client(GuardDutyClient, scope.region);
  const ids: string[] = [];
  for await (const page of paginateListDetectors({ client: guardduty }, {}))
    ids.push(...(page.DetectorIds ?? []));
  const detectors = await Promise.all(
    ids.map(async (id): Promise<DetectorSnapshot> => {
      const d = await guardduty.send(new GetDetectorCommand({ DetectorId: id }));
      const features: Record<string, string> = {};
      // The DataSources block predates Features; both are read, Features wins.
      if (d.DataSources?.S3Logs?.Status) features.S3_DATA_EVENTS = d.DataSources.S3Logs.Status;
      const ebs = d.DataSources?.MalwareProtection?.ScanEc2InstanceWithFindings?.EbsVolumes?.Status;
      if (ebs) features.EBS_MALWARE_PROTECTION = ebs;
      for (const f of d.Features ?? []) if (f.Name && f.Status) features[f.Name] = f.Status;
      return {
        id,
        status: d.Status ?? 'DISABLED',
        findingPublishingFrequency: d.FindingPublishingFrequency ?? null,
        features,
      };
    }),
  );
  const enabled = detectors.find((d) => d.status === 'ENABLED');
  const highFindings = enabled ? await orUnknown(() => openHighFindings(guardduty, enabled.id)) : [];
  return { detectors, highFindings, delegatedAdmins: await delegatedAdmins(session, guardduty, scope) };
}

/** Delegated administrators, asked only of the organization's management account (the only one that may list them). */
async function delegatedAdmins(
  session: AwsSession,
  guardduty: GuardDutyClient,
  scope: Scope,
): Promise<Known<string[]> | null> {
  const organization = await orUnknown(describeOrganization(session));
  if (isUnknown(organization)) return organization;
  if (organization?.managementAccountId !== scope.id) return null;
  return orUnknown(
    all(paginateListOrganizationAdminAccounts({ client: guardduty }, {}), (p) => p.AdminAccounts),
    (admins) => admins.filter((a) => a.AdminStatus === 'ENABLED').map((a) => a.AdminAccountId ?? ''),
  );
}

async function openHighFindings(guardduty: GuardDutyClient, detectorId: string): Promise<OpenFinding[]> {
  const FindingCriteria = {
    Criterion: { severity: { GreaterThanOrEqual: HIGH }, 'service.archived': { Equals: ['false'] } },
  };
  const ids: string[] = [];
  for await (const page of paginateListFindings(
    { client: guardduty },
    { DetectorId: detectorId, FindingCriteria },
  )) {
    ids.push(...(page.FindingIds ?? []));
  }
  const found: OpenFinding[] = [];
  for (let i = 0; i < ids.length; i += 50) {
    const { Findings = [] } = await guardduty.send(
      new GetFindingsCommand({ DetectorId: detectorId, FindingIds: ids.slice(i, i + 50) }),
    );
    for (const f of Findings) {
      found.push({ id: f.Id ?? '', severity: String(f.Severity ?? ''), createdAt: f.CreatedAt ?? '' });
    }
  }
  return found;
}
