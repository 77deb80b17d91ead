import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  paginateListDistributions,
} from '@aws-sdk/client-cloudfront';
import pLimit from 'p-limit';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { CloudFrontSnapshot } from './snapshot.ts';

/** CloudFront is global: one collection per account, from us-east-1. */
export async function collect(session: AwsSession): Promise<CloudFrontSnapshot> {
  const client = session.client(CloudFrontClient, 'us-east-1');
  const list = await all(paginateListDistributions({ client }, {}), (p) => p.DistributionList?.Items);
  const limit = pLimit(8);
  return {
    distributions: await Promise.all(
      list.map((d) =>
        limit(async () => {
          // The full configuration carries logging (the list's summaries do not) and is the one source read.
          const { DistributionConfig: c } = await client.send(new GetDistributionConfigCommand({ Id: d.Id }));
          const cert = c?.ViewerCertificate;
          return {
            id: d.Id ?? '',
            arn: d.ARN ?? '',
            domain: d.DomainName ?? '',
            viewerProtocolPolicies: Object.fromEntries([
              ['(default)', c?.DefaultCacheBehavior?.ViewerProtocolPolicy ?? 'allow-all'],
              ...(c?.CacheBehaviors?.Items ?? []).map((b) => [
                b.PathPattern ?? '',
                b.ViewerProtocolPolicy ?? 'allow-all',
              ]),
            ]),
            minimumProtocolVersion:
              !cert || cert.CloudFrontDefaultCertificate ? null : (cert.MinimumProtocolVersion ?? 'TLSv1'),
            webAclId: c?.WebACLId || null,
            logging: c?.Logging?.Enabled ?? false,
            customOrigins: Object.fromEntries(
              (c?.Origins?.Items ?? [])
                .filter((o) => o.CustomOriginConfig)
                .map((o) => [o.Id ?? '', o.CustomOriginConfig?.OriginProtocolPolicy ?? 'http-only']),
            ),
          };
        }),
      ),
    ),
  };
}
