import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { AcmCertificatesSnapshot } from './snapshot.ts';

export const acmCertificates: Collector<AcmCertificatesSnapshot, AwsSession> = {
  id: 'aws.acm.certificates',
  source: 'aws',
  description: 'ACM certificates: status, key algorithm, expiry and managed renewal',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
