import {
  ACMClient,
  DescribeCertificateCommand,
  type KeyAlgorithm,
  paginateListCertificates,
} from '@aws-sdk/client-acm';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { AcmCertificatesSnapshot } from './snapshot.ts';

/** ListCertificates lists only RSA_2048 keys unless asked for every key type. */
const EVERY_KEY_TYPE: KeyAlgorithm[] = [
  'RSA_1024',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_prime256v1',
  'EC_secp384r1',
  'EC_secp521r1',
];

/**
 * The certificate summaries carry status, key and expiry; only certificates ACM issued (and so renews) are
 * described one by one, for their renewal status and transparency logging preference.
 */
export async function collect(session: AwsSession, scope: Scope): Promise<AcmCertificatesSnapshot> {
  const acm = session.client(ACMClient, scope.region);
  const list = await all(
    paginateListCertificates({ client: acm }, { Includes: { keyTypes: EVERY_KEY_TYPE } }),
    (p) => p.CertificateSummaryList,
  );
  const limit = pLimit(8);
  const details = await Promise.all(
    list.map((c) =>
      c.Type === 'AMAZON_ISSUED'
        ? limit(
            async () =>
              (await acm.send(new DescribeCertificateCommand({ CertificateArn: c.CertificateArn })))
                .Certificate,
          )
        : undefined,
    ),
  );
  return {
    certificates: list.map((c, i) => ({
      arn: c.CertificateArn ?? '',
      domain: c.DomainName ?? '',
      status: c.Status ?? 'UNKNOWN',
      type: c.Type ?? 'AMAZON_ISSUED',
      keyAlgorithm: c.KeyAlgorithm ?? 'UNKNOWN',
      notAfter: c.NotAfter?.toISOString() ?? null,
      renewalStatus: details[i]?.RenewalSummary?.RenewalStatus ?? null,
      transparencyLogging: details[i]
        ? details[i]?.Options?.CertificateTransparencyLoggingPreference !== 'DISABLED'
        : null,
      inUse: c.InUse ?? false,
    })),
  };
}
