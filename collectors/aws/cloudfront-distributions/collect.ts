import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  paginateListDistributions,
} from '@aws-sdk/client-cloudfront';
import pLimit from 'p-limit';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { CloudFrontSnapshot } from './snapshot.ts';

export const permissions = ['cloudfront:ListDistributions', 'cloudfront:GetDistributionConfig'];

/** CloudFront is global: one collection per account, from us-east-1. */
export async function collect(session: AwsSession): Promise<CloudFrontSnapshot> {
  const client = session.client(CloudFrontClient, 'us-east-1');
  const list = await all(paginateListDistributions({ client }, {}), (p) => p.DistributionList?.Items);
  const limit = pLimit(8);
  return {
    distributions: await Promise.all(
      list.map((d) =>
        limit(async () => {
          // Logging is only in the full configuration, not in the list's summaries.
          const { DistributionConfig: config } = await client.send(
            new GetDistributionConfigCommand({ Id: d.Id }),
          );
          const cert = d.ViewerCertificate;
          return {
            id: d.Id ?? '',
            arn: d.ARN ?? '',
            domain: d.DomainName ?? '',
            viewerProtocolPolicies: Object.fromEntries([
              ['(default)', d.DefaultCacheBehavior?.ViewerProtocolPolicy ?? 'allow-all'],
              ...(d.CacheBehaviors?.Items ?? []).map((b) => [
                b.PathPattern ?? '',
                b.ViewerProtocolPolicy ?? 'allow-all',
              ]),
            ]),
            minimumProtocolVersion: cert?.CloudFrontDefaultCertificate
              ? null
              : (cert?.MinimumProtocolVersion ?? 'TLSv1'),
            webAclId: d.WebACLId || null,
            logging: config?.Logging?.Enabled ?? false,
            customOrigins: Object.fromEntries(
              (d.Origins?.Items ?? [])
                .filter((o) => o.CustomOriginConfig)
                .map((o) => [o.Id ?? '', o.CustomOriginConfig?.OriginProtocolPolicy ?? 'http-only']),
            ),
          };
        }),
      ),
    ),
  };
}
