import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import { cloudFrontDistributions as cloudFrontDistributionsDefinition } from '../../../collectors/aws/cloudfront-distributions/index.ts';
import type {
  CloudFrontSnapshot,
  Distribution,
} from '../../../collectors/aws/cloudfront-distributions/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { runnable } from '../../support/runnable.ts';

const cloudFrontDistributions = runnable(cloudFrontDistributionsDefinition);

const dist = (over: Partial<Distribution>): Distribution => ({
  id: 'EGOOD',
  arn: 'arn:aws:cloudfront::111122223333:distribution/EGOOD',
  domain: 'd111.cloudfront.net',
  viewerProtocolPolicies: { '(default)': 'redirect-to-https', '/api/*': 'https-only' },
  minimumProtocolVersion: 'TLSv1.2_2021',
  webAclId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/1',
  logging: true,
  customOrigins: { api: 'https-only' },
  ...over,
});
const good: CloudFrontSnapshot = { distributions: [dist({})] };
const bad: CloudFrontSnapshot = {
  distributions: [
    dist({
      id: 'EBAD',
      arn: 'arn:aws:cloudfront::111122223333:distribution/EBAD',
      viewerProtocolPolicies: { '(default)': 'allow-all' },
      minimumProtocolVersion: 'TLSv1',
      webAclId: null,
      logging: false,
      customOrigins: { legacy: 'http-only' },
    }),
  ],
};

describe('aws.cloudfront.distributions checks', () => {
  everyCheckOnFixtures('aws.cloudfront.distributions', good, bad);
});

describeAws('aws.cloudfront.distributions collect (moto)', () => {
  it('reads each distribution from the list, and its logging from its configuration', async () => {
    const cloudfront = new CloudFrontClient(awsConfig());
    const { Distribution: created } = await cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: 'shop',
          Comment: 'shop',
          Enabled: true,
          Origins: {
            Quantity: 1,
            Items: [
              {
                Id: 'app',
                DomainName: 'app.example.com',
                CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'http-only' },
              },
            ],
          },
          DefaultCacheBehavior: {
            TargetOriginId: 'app',
            ViewerProtocolPolicy: 'allow-all',
            CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
          },
        },
      }),
    );
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (_s, op) => calls.push(op) });
    const snap = await cloudFrontDistributions.collect(session, { source: 'aws', id: '123456789012' });
    expect(snap.distributions).toEqual([
      expect.objectContaining({
        id: created?.Id,
        viewerProtocolPolicies: { '(default)': 'allow-all' },
        customOrigins: { app: 'http-only' },
        logging: false,
        webAclId: null,
      }),
    ]);
    expect(calls.sort()).toEqual(['GetDistributionConfig', 'ListDistributions']);
  });
});
