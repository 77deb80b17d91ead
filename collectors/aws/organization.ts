import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import type { AwsSession } from './session.ts';

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
