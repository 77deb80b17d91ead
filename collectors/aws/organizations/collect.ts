import {
  DescribePolicyCommand,
  OrganizationsClient,
  paginateListPolicies,
  paginateListTargetsForPolicy,
} from '@aws-sdk/client-organizations';
import { describeOrganization } from '../organization.ts';
import type { AwsSession } from '../session.ts';
import { parseDocument } from '../shared/policy-document.ts';
import { orUnknown } from '../unknown.ts';
import type { OrganizationsSnapshot, ScpSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession): Promise<OrganizationsSnapshot> {
  const client = session.client(OrganizationsClient);
  const organization = await describeOrganization(session);
  if (!organization) return { organization: null, scps: [] };
  const scps = await orUnknown(async () => {
    const list: ScpSnapshot[] = [];
    for await (const page of paginateListPolicies({ client }, { Filter: 'SERVICE_CONTROL_POLICY' })) {
      for (const p of page.Policies ?? []) {
        const id = p.Id ?? '';
        const { Policy } = await client.send(new DescribePolicyCommand({ PolicyId: id }));
        const targets: string[] = [];
        for await (const t of paginateListTargetsForPolicy({ client }, { PolicyId: id })) {
          for (const target of t.Targets ?? []) targets.push(target.TargetId ?? '');
        }
        list.push({
          id,
          name: p.Name ?? '',
          awsManaged: p.AwsManaged ?? false,
          targets,
          statements: parseDocument(Policy?.Content),
        });
      }
    }
    return list;
  });
  return { organization, scps };
}
