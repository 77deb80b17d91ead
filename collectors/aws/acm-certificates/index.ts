import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { AcmCertificatesSnapshot } from './snapshot.ts';

const permissions = ['acm:ListCertificates', 'acm:DescribeCertificate'];

export const acmCertificates: CollectorDefinition<AcmCertificatesSnapshot> = {
  id: 'aws.acm.certificates',
  source: 'aws',
  description: 'ACM certificates: status, key algorithm, expiry and managed renewal',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
