import { type Check, daysBetween, perResource } from '../../../core/collector.ts';
import type { AcmCertificatesSnapshot, Certificate } from './snapshot.ts';

export const EXPIRY_DAYS = 30;
const arn = (c: Certificate) => c.arn;

export const expiry = perResource(
  {
    id: 'aws.acm.certificate-expiry',
    title: `Certificates do not expire within ${EXPIRY_DAYS} days`,
    severity: 'high',
    remediation:
      'Renew or re-import the certificate (fix DNS validation so ACM can renew it), or delete it if unused.',
    procedure: `Reads every issued or expired certificate (ListCertificates, all key types). Passes a certificate whose NotAfter is more than ${EXPIRY_DAYS} days after the collection time.`,
  },
  (s: AcmCertificatesSnapshot) =>
    s.certificates.filter((c) => c.status === 'ISSUED' || c.status === 'EXPIRED'),
  arn,
  (c, _s, { asOf }) => {
    if (!c.notAfter) return [false, `${c.domain}: expiry unknown`];
    const days = -daysBetween(c.notAfter, asOf);
    return [
      days > EXPIRY_DAYS,
      days < 0 ? `${c.domain} expired ${-days} day(s) ago` : `${c.domain} expires in ${days} day(s)`,
    ];
  },
);

export const renewal = perResource(
  {
    id: 'aws.acm.certificate-renewal',
    title: 'Managed certificate renewals do not fail',
    severity: 'high',
    remediation:
      'Restore the DNS (or email) validation records so ACM can renew, then check the renewal summary.',
    procedure:
      "Reads every certificate's managed renewal status (ListCertificates). Passes a certificate whose renewal status is not FAILED.",
  },
  (s: AcmCertificatesSnapshot) => s.certificates,
  arn,
  (c) => [
    c.renewalStatus !== 'FAILED',
    c.renewalStatus === 'FAILED'
      ? `renewal of ${c.domain} failed`
      : `renewal ${c.renewalStatus ?? 'not due'}`,
  ],
);

export const keyStrength = perResource(
  {
    id: 'aws.acm.certificate-key-strength',
    title: 'Certificates use RSA keys of 2048 bits or more, or elliptic-curve keys',
    severity: 'medium',
    remediation: 'Request or import a replacement certificate with an RSA 2048+ or ECDSA P-256+ key.',
    procedure:
      "Reads every certificate's key algorithm (ListCertificates, all key types). Passes RSA_2048 or longer and EC keys.",
  },
  (s: AcmCertificatesSnapshot) => s.certificates,
  arn,
  (c) => {
    const ok =
      c.keyAlgorithm.startsWith('EC_') ||
      (c.keyAlgorithm.startsWith('RSA_') && Number(c.keyAlgorithm.slice(4)) >= 2048);
    return [ok, ok ? c.keyAlgorithm : `${c.domain} uses a weak key (${c.keyAlgorithm})`];
  },
);

export const transparencyLogging = perResource(
  {
    id: 'aws.acm.transparency-logging',
    title: 'Public certificates are logged to certificate transparency logs',
    severity: 'low',
    remediation:
      'aws acm update-certificate-options --options CertificateTransparencyLoggingPreference=ENABLED',
    procedure:
      'Reads every certificate ACM issued (ListCertificates, DescribeCertificate). Passes one whose transparency logging preference is not DISABLED.',
  },
  (s: AcmCertificatesSnapshot) => s.certificates.filter((c) => c.transparencyLogging !== null),
  arn,
  (c) => [
    c.transparencyLogging === true,
    c.transparencyLogging
      ? 'logged'
      : `${c.domain} opted out of transparency logging, so mis-issuance cannot be detected`,
  ],
);

export const checks: Check<AcmCertificatesSnapshot>[] = [expiry, renewal, keyStrength, transparencyLogging];
