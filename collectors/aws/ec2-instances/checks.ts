import { type Check, daysBetween, perResource } from '../../../core/collector.ts';
import type { Ec2InstancesSnapshot, Instance } from './snapshot.ts';

/** Instances stopped longer than this are inventory to clean up (they keep volumes, addresses, old images). */
export const STOPPED_DAYS = 30;

const instances = (s: Ec2InstancesSnapshot) => s.instances;
const instanceId = (i: Instance) => i.id;

export const imdsV2 = perResource(
  {
    id: 'aws.ec2.imdsv2-required',
    title: 'Instances require IMDSv2 session tokens',
    severity: 'high',
    remediation:
      'aws ec2 modify-instance-metadata-options --http-tokens required (and set it in launch templates).',
    procedure:
      "Reads every instance's metadata options (DescribeInstances). Passes an instance whose HttpTokens is required, or whose metadata endpoint is disabled.",
  },
  instances,
  instanceId,
  (i) =>
    i.metadataEndpoint === 'disabled'
      ? [true, 'metadata endpoint disabled']
      : [
          i.metadataTokens === 'required',
          i.metadataTokens === 'required'
            ? 'IMDSv2 required'
            : `${i.id} accepts IMDSv1 requests (HttpTokens ${i.metadataTokens})`,
        ],
);

export const publicIp = perResource(
  {
    id: 'aws.ec2.instance-public-ip',
    title: 'Instances have no public IP address',
    severity: 'medium',
    remediation:
      'Place instances in private subnets behind a load balancer or NAT; release public and Elastic IPs not needed.',
    procedure: 'Reads every instance (DescribeInstances). Passes an instance without a public IPv4 address.',
  },
  instances,
  instanceId,
  (i) => [i.publicIp === null, i.publicIp ? `${i.id} has public IP ${i.publicIp}` : 'no public IP'],
);

export const userDataSecrets = perResource(
  {
    id: 'aws.ec2.user-data-secrets',
    title: 'Instance user data holds no secrets',
    severity: 'high',
    remediation:
      'Move the secret to Secrets Manager or SSM Parameter Store, read it at boot with the instance role, and rotate it.',
    procedure:
      "Reads every instance's user data (DescribeInstanceAttribute userData). Passes an instance in which no assignment to a secret-looking name (password, secret, token, api key …), AWS access key id or private key block is found. Only the names are recorded.",
  },
  instances,
  instanceId,
  (i) =>
    i.userDataSecretNames === null
      ? [false, `user data of ${i.id} could not be read: unknown`]
      : [
          i.userDataSecretNames.length === 0,
          i.userDataSecretNames.length === 0
            ? 'no secret-looking names in user data'
            : `user data of ${i.id} sets ${i.userDataSecretNames.join(', ')}`,
        ],
);

export const instanceProfile = perResource(
  {
    id: 'aws.ec2.instance-profile',
    title: 'Instances run with an IAM instance profile',
    severity: 'low',
    remediation:
      'Attach an instance profile with a least-privilege role instead of placing access keys on the host.',
    procedure:
      'Reads every instance (DescribeInstances). Passes an instance with an IAM instance profile attached.',
  },
  instances,
  instanceId,
  (i) => [
    i.instanceProfileArn !== null,
    i.instanceProfileArn ? `profile ${i.instanceProfileArn}` : `${i.id} has no instance profile`,
  ],
);

export const detailedMonitoring = perResource(
  {
    id: 'aws.ec2.detailed-monitoring',
    title: 'Instances have detailed monitoring on',
    severity: 'low',
    remediation: 'aws ec2 monitor-instances --instance-ids … (one-minute CloudWatch metrics).',
    procedure:
      'Reads every instance (DescribeInstances). Passes an instance whose monitoring state is enabled.',
  },
  instances,
  instanceId,
  (i) => [
    i.detailedMonitoring,
    i.detailedMonitoring ? 'detailed monitoring on' : `${i.id} has basic monitoring only`,
  ],
);

export const stoppedLong = perResource(
  {
    id: 'aws.ec2.stopped-instances',
    title: `Instances are not left stopped for more than ${STOPPED_DAYS} days`,
    severity: 'low',
    remediation:
      'Terminate instances no longer needed (snapshot what must be kept), or start and patch them.',
    procedure: `Reads every stopped instance and the time it stopped from its state transition reason (DescribeInstances). Passes an instance stopped for ${STOPPED_DAYS} days or less at the collection time.`,
  },
  (s: Ec2InstancesSnapshot) => s.instances.filter((i) => i.state === 'stopped'),
  instanceId,
  (i, _s, { asOf }) => {
    if (!i.stoppedAt) return [false, `${i.id} is stopped since an unknown time`];
    const days = daysBetween(i.stoppedAt, asOf);
    return [days <= STOPPED_DAYS, `${i.id} stopped ${days} days ago`];
  },
);

export const volumeEncrypted = perResource(
  {
    id: 'aws.ec2.ebs-volume-encrypted',
    title: 'EBS volumes are encrypted',
    severity: 'high',
    remediation: 'Snapshot the volume, copy the snapshot with encryption, and replace the volume from it.',
    procedure: 'Reads every EBS volume (DescribeVolumes). Passes a volume whose Encrypted flag is true.',
  },
  (s: Ec2InstancesSnapshot) => s.volumes,
  (v) => v.id,
  (v) => [v.encrypted, v.encrypted ? 'encrypted' : `volume ${v.id} is not encrypted`],
);

export const volumeAttached = perResource(
  {
    id: 'aws.ec2.ebs-volume-attached',
    title: 'EBS volumes are attached to an instance',
    severity: 'low',
    remediation: 'Snapshot and delete volumes that no instance uses.',
    procedure: 'Reads every EBS volume (DescribeVolumes). Passes a volume attached to at least one instance.',
  },
  (s: Ec2InstancesSnapshot) => s.volumes,
  (v) => v.id,
  (v) => [
    v.attachedTo.length > 0,
    v.attachedTo.length > 0
      ? `attached to ${v.attachedTo.join(', ')}`
      : `volume ${v.id} is attached to no instance`,
  ],
);

export const ebsDefaultEncryption: Check<Ec2InstancesSnapshot> = {
  id: 'aws.ec2.ebs-default-encryption',
  title: 'EBS encryption by default is on in every region',
  severity: 'medium',
  remediation: 'aws ec2 enable-ebs-encryption-by-default in each region in scope.',
  procedure:
    "Reads the region's EBS encryption-by-default setting (GetEbsEncryptionByDefault). Passes when it is on.",
  evaluate: (s, { scope }) => [
    {
      check: 'aws.ec2.ebs-default-encryption',
      resource: `${scope.id}/${s.region}`,
      status: s.ebsEncryptionByDefault ? 'pass' : 'fail',
      reason: s.ebsEncryptionByDefault ? 'on' : `EBS encryption by default is off in ${s.region}`,
    },
  ],
};

export const snapshotPublic = perResource(
  {
    id: 'aws.ec2.ebs-snapshot-public',
    title: 'EBS snapshots are not public',
    severity: 'critical',
    remediation:
      'aws ec2 modify-snapshot-attribute --attribute createVolumePermission --operation-type remove --group-names all; turn on the block public access for snapshots setting.',
    procedure:
      "Reads the snapshots the account owns (DescribeSnapshots OwnerIds=self) and each one's createVolumePermission attribute (DescribeSnapshotAttribute). Passes a snapshot whose permissions do not include the group all.",
  },
  (s: Ec2InstancesSnapshot) => s.snapshots,
  (s) => s.id,
  (s) => [!s.public, s.public ? `snapshot ${s.id} can be restored by any AWS account` : 'private'],
);

export const snapshotEncrypted = perResource(
  {
    id: 'aws.ec2.ebs-snapshot-encrypted',
    title: 'EBS snapshots are encrypted',
    severity: 'medium',
    remediation: 'Copy the snapshot with --encrypted and delete the unencrypted one.',
    procedure:
      'Reads the snapshots the account owns (DescribeSnapshots OwnerIds=self). Passes a snapshot whose Encrypted flag is true.',
  },
  (s: Ec2InstancesSnapshot) => s.snapshots,
  (s) => s.id,
  (s) => [s.encrypted, s.encrypted ? 'encrypted' : `snapshot ${s.id} is not encrypted`],
);

export const imagePublic = perResource(
  {
    id: 'aws.ec2.ami-public',
    title: 'Machine images (AMIs) are not public',
    severity: 'high',
    remediation:
      'aws ec2 modify-image-attribute --launch-permission "Remove=[{Group=all}]"; turn on block public access for AMIs.',
    procedure:
      'Reads the images the account owns (DescribeImages Owners=self). Passes an image whose Public flag is false.',
  },
  (s: Ec2InstancesSnapshot) => s.images,
  (i) => i.id,
  (i) => [!i.public, i.public ? `image ${i.id} (${i.name}) is public` : 'private'],
);

export const checks: Check<Ec2InstancesSnapshot>[] = [
  imdsV2,
  publicIp,
  userDataSecrets,
  instanceProfile,
  detailedMonitoring,
  stoppedLong,
  volumeEncrypted,
  volumeAttached,
  ebsDefaultEncryption,
  snapshotPublic,
  snapshotEncrypted,
  imagePublic,
];
