import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { AccountContactsSnapshot } from './snapshot.ts';

export const accountContacts: Collector<AccountContactsSnapshot, AwsSession> = {
  id: 'aws.account.contacts',
  source: 'aws',
  description: 'The account’s alternate SECURITY contact (Account Management API)',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
