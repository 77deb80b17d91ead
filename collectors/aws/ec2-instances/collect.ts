import {
  DescribeInstanceAttributeCommand,
  DescribeSnapshotAttributeCommand,
  EC2Client,
  type Instance as Ec2Instance,
  GetEbsEncryptionByDefaultCommand,
  paginateDescribeImages,
  paginateDescribeInstances,
  paginateDescribeSnapshots,
  paginateDescribeVolumes,
} from '@aws-sdk/client-ec2';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import { secretNamesIn } from '../secret-names.ts';
import type { AwsSession } from '../session.ts';
import type { Ec2InstancesSnapshot, Instance } from './snapshot.ts';

/** Every instance of the region that is not terminated (DescribeInstances, paginated). */
export async function listInstances(client: EC2Client): Promise<Ec2Instance[]> {
  const reservations = await all(paginateDescribeInstances({ client }, {}), (p) => p.Reservations);
  return reservations
    .flatMap((r) => r.Instances ?? [])
    .filter((i) => !['terminated', 'shutting-down'].includes(i.State?.Name ?? ''));
}

/** "User initiated (2026-11-01 10:00:00 GMT)" → ISO time; null when the reason carries no time. */
export function stoppedAt(reason: string | undefined): string | null {
  const m = /\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) GMT\)/.exec(reason ?? '');
  return m?.[1] ? `${m[1].replace(' ', 'T')}Z` : null;
}

/** User data is read for the secret names it holds; the decoded text never leaves this function. */
async function userDataSecretNames(client: EC2Client, id: string): Promise<string[] | null> {
  try {
    const out = await client.send(
      new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }),
    );
    const encoded = out.UserData?.Value;
    return encoded ? secretNamesIn(Buffer.from(encoded, 'base64').toString('utf8')) : [];
  } catch {
    return null;
  }
}

export async function collect(session: AwsSession, scope: Scope): Promise<Ec2InstancesSnapshot> {
  const region = scope.region ?? session.homeRegion;
  const client = session.client(EC2Client, region);
  const [instances, volumes, snapshots, images, byDefault] = await Promise.all([
    listInstances(client),
    all(paginateDescribeVolumes({ client }, {}), (p) => p.Volumes),
    all(paginateDescribeSnapshots({ client }, { OwnerIds: ['self'] }), (p) => p.Snapshots),
    all(paginateDescribeImages({ client }, { Owners: ['self'] }), (p) => p.Images),
    client.send(new GetEbsEncryptionByDefaultCommand({})),
  ]);
  const limit = pLimit(8);
  // Whether a snapshot is public is only in its createVolumePermission attribute: one call per snapshot.
  const isPublic = await Promise.all(
    snapshots.map((s) =>
      limit(async () => {
        const out = await client.send(
          new DescribeSnapshotAttributeCommand({
            SnapshotId: s.SnapshotId,
            Attribute: 'createVolumePermission',
          }),
        );
        return (out.CreateVolumePermissions ?? []).some((p) => p.Group === 'all');
      }),
    ),
  );
  return {
    region,
    ebsEncryptionByDefault: byDefault.EbsEncryptionByDefault ?? false,
    instances: await Promise.all(
      instances.map((i) =>
        limit(
          async (): Promise<Instance> => ({
            id: i.InstanceId ?? '',
            state: i.State?.Name ?? 'unknown',
            launchTime: i.LaunchTime?.toISOString() ?? null,
            stoppedAt: i.State?.Name === 'stopped' ? stoppedAt(i.StateTransitionReason) : null,
            metadataTokens: i.MetadataOptions?.HttpTokens ?? 'optional',
            metadataEndpoint: i.MetadataOptions?.HttpEndpoint ?? 'enabled',
            publicIp: i.PublicIpAddress ?? null,
            instanceProfileArn: i.IamInstanceProfile?.Arn ?? null,
            detailedMonitoring: i.Monitoring?.State === 'enabled',
            userDataSecretNames: await userDataSecretNames(client, i.InstanceId ?? ''),
          }),
        ),
      ),
    ),
    volumes: volumes.map((v) => ({
      id: v.VolumeId ?? '',
      encrypted: v.Encrypted ?? false,
      state: v.State ?? 'unknown',
      attachedTo: (v.Attachments ?? []).map((a) => a.InstanceId ?? '').filter(Boolean),
    })),
    snapshots: snapshots.map((s, i) => ({
      id: s.SnapshotId ?? '',
      volumeId: s.VolumeId ?? null,
      encrypted: s.Encrypted ?? false,
      public: isPublic[i] ?? false,
    })),
    images: images.map((i) => ({ id: i.ImageId ?? '', name: i.Name ?? '', public: i.Public ?? false })),
  };
}
