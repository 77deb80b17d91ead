import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import type { AwsSession } from '../session.ts';
import type { CloudTrailSnapshot } from './snapshot.ts';

export const permissions = ['cloudtrail:DescribeTrails', 'cloudtrail:GetTrailStatus'];

/** Every trail visible from the home region, including multi-region and organization trails created elsewhere. */
export async function collect(session: AwsSession): Promise<CloudTrailSnapshot> {
  const { trailList = [] } = await session
    .client(CloudTrailClient)
    .send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const trails = await Promise.all(
    trailList.map(async (t) => {
      const region = t.HomeRegion ?? session.homeRegion;
      const status = await session
        .client(CloudTrailClient, region)
        .send(new GetTrailStatusCommand({ Name: t.TrailARN ?? t.Name }));
      return {
        name: t.Name ?? '',
        arn: t.TrailARN ?? '',
        homeRegion: region,
        isMultiRegion: t.IsMultiRegionTrail ?? false,
        isOrganizationTrail: t.IsOrganizationTrail ?? false,
        isLogging: status.IsLogging ?? false,
        logFileValidation: t.LogFileValidationEnabled ?? false,
        kmsKeyId: t.KmsKeyId ?? null,
        cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn ?? null,
        s3BucketName: t.S3BucketName ?? null,
      };
    }),
  );
  return { trails };
}
