import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { CredentialReportSnapshot } from './snapshot.ts';

const permissions = [
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'iam:GetAccountPasswordPolicy',
  'iam:GetAccountSummary',
];

export const credentialReport: CollectorDefinition<CredentialReportSnapshot> = {
  id: 'aws.iam.credential-report',
  source: 'aws',
  description: 'IAM credential report, account password policy and account summary',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
