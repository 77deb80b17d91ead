import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { CredentialReportSnapshot } from './snapshot.ts';

export const credentialReport: Collector<CredentialReportSnapshot, AwsSession> = {
  id: 'aws.iam.credential-report',
  source: 'aws',
  description: 'IAM credential report, account password policy and account summary',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
