import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { AccountContactsSnapshot } from './snapshot.ts';

const permissions = ['account:GetAlternateContact'];

export const accountContacts: CollectorDefinition<AccountContactsSnapshot> = {
  id: 'aws.account.contacts',
  source: 'aws',
  description: 'The account’s alternate SECURITY contact (Account Management API)',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
