import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  type GetEventSelectorsCommandOutput,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { GetBucketTaggingCommand, paginateListBuckets, S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { type AwsSession, unlessMissing } from '../session.ts';
import type { BucketTags, CloudTrailSnapshot, TrailEventSelection } from './snapshot.ts';

/** Every trail visible from the home region, including multi-region and organization trails created elsewhere. */
export async function collect(session: AwsSession): Promise<CloudTrailSnapshot> {
  const { trailList = [] } = await session
    .client(CloudTrailClient)
    .send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const trails = await Promise.all(
    trailList.map(async (t) => {
      const region = t.HomeRegion ?? session.homeRegion;
      const client = session.client(CloudTrailClient, region);
      const [status, selectors] = await Promise.all([
        client.send(new GetTrailStatusCommand({ Name: t.TrailARN ?? t.Name })),
        client.send(new GetEventSelectorsCommand({ TrailName: t.TrailARN ?? t.Name })),
      ]);
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
        ...eventSelection(selectors),
      };
    }),
  );
  return { trails, buckets: await bucketTags(session) };
}

/** What a trail records, from its basic or advanced event selectors. */
function eventSelection(out: GetEventSelectorsCommandOutput): TrailEventSelection {
  let read = false;
  let write = false;
  const s3DataEvents: string[] = [];
  for (const e of out.EventSelectors ?? []) {
    if (e.IncludeManagementEvents !== false) {
      read ||= e.ReadWriteType !== 'WriteOnly';
      write ||= e.ReadWriteType !== 'ReadOnly';
    }
    for (const d of e.DataResources ?? [])
      if (d.Type === 'AWS::S3::Object') s3DataEvents.push(...(d.Values ?? []));
  }
  for (const a of out.AdvancedEventSelectors ?? []) {
    const field = (name: string) => a.FieldSelectors?.find((f) => f.Field === name);
    const readOnly = field('readOnly')?.Equals?.[0];
    const category = field('eventCategory')?.Equals ?? [];
    if (category.includes('Management')) {
      read ||= readOnly !== 'false';
      write ||= readOnly !== 'true';
    }
    if (category.includes('Data') && field('resources.type')?.Equals?.includes('AWS::S3::Object')) {
      const arns = field('resources.ARN');
      s3DataEvents.push(...(arns?.StartsWith ?? arns?.Equals ?? ['arn:aws:s3']));
    }
  }
  const managementEvents = read && write ? 'All' : read ? 'ReadOnly' : write ? 'WriteOnly' : 'None';
  return { managementEvents, s3DataEvents };
}

/** Every bucket's tags, for telling which buckets hold customer data (GetBucketTagging per bucket). */
async function bucketTags(session: AwsSession): Promise<BucketTags[]> {
  const listed: { name: string; region: string }[] = [];
  for await (const page of paginateListBuckets({ client: session.client(S3Client) }, {})) {
    for (const b of page.Buckets ?? []) {
      if (b.Name) listed.push({ name: b.Name, region: b.BucketRegion ?? session.homeRegion });
    }
  }
  const limit = pLimit(8);
  return Promise.all(
    listed.map(({ name, region }) =>
      limit(async () => {
        const out = await unlessMissing(
          session.client(S3Client, region).send(new GetBucketTaggingCommand({ Bucket: name })),
          'NoSuchTagSet',
        );
        return {
          name,
          tags: Object.fromEntries((out?.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
        };
      }),
    ),
  );
}
