import {
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { type AwsSession, unlessMissing } from './session.ts';

/** What listing the organization's accounts needs (management or delegated administrator account). */
export const organizationPermissions = ['organizations:ListAccounts'];

/** Ids of every ACTIVE account of the organization, sorted. Suspended and closing accounts are left out. */
export async function activeOrganizationAccounts(session: AwsSession): Promise<string[]> {
  const client = session.client(OrganizationsClient);
  const ids: string[] = [];
  for await (const page of paginateListAccounts({ client }, {})) {
    for (const account of page.Accounts ?? []) {
      const state = account.State ?? account.Status;
      if (account.Id && state === 'ACTIVE') ids.push(account.Id);
    }
  }
  return ids.sort();
}

/** The organization the account belongs to (organizations:DescribeOrganization), as far as an account sees it. */
export interface OrganizationInfo {
  readonly id: string;
  readonly managementAccountId: string;
  readonly featureSet: string;
}

/** The account's organization, or null when the account is in none; any other error is thrown. */
export async function describeOrganization(session: AwsSession): Promise<OrganizationInfo | null> {
  const described = await unlessMissing(
    session.client(OrganizationsClient).send(new DescribeOrganizationCommand({})),
    'AWSOrganizationsNotInUseException',
  );
  const org = described?.Organization;
  return org
    ? { id: org.Id ?? '', managementAccountId: org.MasterAccountId ?? '', featureSet: org.FeatureSet ?? '' }
    : null;
}
