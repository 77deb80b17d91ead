import {
  CreateImageCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { stoppedLong, userDataSecrets } from '../../../collectors/aws/ec2-instances/checks.ts';
import { stoppedAt } from '../../../collectors/aws/ec2-instances/collect.ts';
import { ec2Instances as ec2InstancesDefinition } from '../../../collectors/aws/ec2-instances/index.ts';
import type { Ec2InstancesSnapshot, Instance } from '../../../collectors/aws/ec2-instances/snapshot.ts';
import { secretNamesIn } from '../../../collectors/aws/secret-names.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { runnable } from '../../support/runnable.ts';

const ec2Instances = runnable(ec2InstancesDefinition);

const asOf = new Date('2026-11-27T12:00:00Z');
const daysBefore = (days: number) => new Date(asOf.getTime() - days * 86_400_000).toISOString();
const instance = (over: Partial<Instance>): Instance => ({
  id: 'i-good',
  state: 'stopped',
  launchTime: daysBefore(100),
  stoppedAt: daysBefore(3),
  metadataTokens: 'required',
  metadataEndpoint: 'enabled',
  publicIp: null,
  instanceProfileArn: 'arn:aws:iam::111122223333:instance-profile/app',
  detailedMonitoring: true,
  userDataSecretNames: [],
  ...over,
});

const good: Ec2InstancesSnapshot = {
  region: 'us-east-1',
  ebsEncryptionByDefault: true,
  instances: [instance({})],
  volumes: [{ id: 'vol-good', encrypted: true, state: 'in-use', attachedTo: ['i-good'] }],
  snapshots: [{ id: 'snap-good', volumeId: 'vol-good', encrypted: true, public: false }],
  images: [{ id: 'ami-good', name: 'app', public: false }],
};
const bad: Ec2InstancesSnapshot = {
  region: 'us-east-1',
  ebsEncryptionByDefault: false,
  instances: [
    instance({
      id: 'i-bad',
      stoppedAt: daysBefore(45),
      metadataTokens: 'optional',
      publicIp: '203.0.113.7',
      instanceProfileArn: null,
      detailedMonitoring: false,
      userDataSecretNames: ['DB_PASSWORD'],
    }),
  ],
  volumes: [{ id: 'vol-bad', encrypted: false, state: 'available', attachedTo: [] }],
  snapshots: [{ id: 'snap-bad', volumeId: 'vol-bad', encrypted: false, public: true }],
  images: [{ id: 'ami-bad', name: 'golden', public: true }],
};

describe('aws.ec2.instances checks', () => {
  everyCheckOnFixtures('aws.ec2.instances', good, bad, awsContext(asOf));

  it('stopped instances are judged against the collection time, on any day', () => {
    const later = new Date(asOf.getTime() + 400 * 86_400_000);
    expect(stoppedLong.evaluate(good, awsContext(later))[0]).toMatchObject({
      status: 'fail',
      reason: 'i-good stopped 403 days ago',
    });
    expect(
      stoppedLong.evaluate({ ...good, instances: [instance({ stoppedAt: null })] }, awsContext(asOf))[0]
        ?.status,
    ).toBe('fail');
  });

  it('user data that could not be read is an unknown, reported as a failure', () => {
    const [f] = userDataSecrets.evaluate(
      { ...good, instances: [instance({ userDataSecretNames: null })] },
      awsContext(asOf),
    );
    expect(f).toMatchObject({ status: 'fail', reason: 'user data of i-good could not be read: unknown' });
  });

  it('finds secret names in scripts and config, never returning a value', () => {
    const script = [
      '#!/bin/bash',
      'export DB_PASSWORD="hunter2-very-secret"',
      'API_KEY=abc123',
      'stripe_secret: sk_live_123',
      'PASSWORD_FILE=',
      'HOSTNAME=web-1',
      'aws configure set aws_access_key_id AKIAABCDEFGHIJKLMNOP',
      '-----BEGIN RSA PRIVATE KEY-----',
    ].join('\n');
    const names = secretNamesIn(script);
    expect(names).toEqual([
      '(AWS access key id)',
      '(PEM private key)',
      'API_KEY',
      'DB_PASSWORD',
      'stripe_secret',
    ]);
    expect(JSON.stringify(names)).not.toMatch(/hunter2|abc123|sk_live|AKIAABCDEFGHIJKLMNOP/);
  });

  it('reads the stop time from the state transition reason', () => {
    expect(stoppedAt('User initiated (2026-11-01 10:00:00 GMT)')).toBe('2026-11-01T10:00:00Z');
    expect(stoppedAt('')).toBeNull();
  });
});

describeAws('aws.ec2.instances collect (moto)', () => {
  it('reads instances, volumes, snapshots and their public permission, images and the default encryption', async () => {
    const ec2 = new EC2Client(awsConfig());
    const ImageId = 'ami-12c6146b'; // moto does not validate image ids
    const run = (over: Record<string, unknown>) =>
      ec2.send(
        new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', ...over }),
      );
    const hardened =
      (await run({ MetadataOptions: { HttpTokens: 'required' } })).Instances?.[0]?.InstanceId ?? '';
    const leaky =
      (
        await run({
          UserData: Buffer.from('#!/bin/sh\nexport DB_PASSWORD=hunter2\nAPP=web\n').toString('base64'),
        })
      ).Instances?.[0]?.InstanceId ?? '';
    await ec2.send(new StopInstancesCommand({ InstanceIds: [leaky] }));
    const plain = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    const sealed = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, Encrypted: true }),
    );
    const open = await ec2.send(new CreateSnapshotCommand({ VolumeId: plain.VolumeId }));
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: open.SnapshotId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        GroupNames: ['all'],
      }),
    );
    const closed = await ec2.send(new CreateSnapshotCommand({ VolumeId: sealed.VolumeId }));
    const image = await ec2.send(new CreateImageCommand({ InstanceId: hardened, Name: 'golden' }));
    await ec2.send(
      new ModifyImageAttributeCommand({
        ImageId: image.ImageId,
        LaunchPermission: { Add: [{ Group: 'all' }] },
      }),
    );
    await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));

    const calls: string[] = [];
    const session = new AwsSession({ onCall: (_service, op) => calls.push(op) });
    const snap = await ec2Instances.collect(session, {
      source: 'aws',
      id: '123456789012',
      region: 'us-east-1',
    });
    expect(calls.filter((c) => c === 'DescribeInstanceAttribute')).toHaveLength(2);
    expect(calls.filter((c) => c === 'DescribeSnapshots')).toHaveLength(1);
    // Two snapshots made here and the one CreateImage took of the root volume.
    expect(calls.filter((c) => c === 'DescribeSnapshotAttribute')).toHaveLength(3);

    const byId = Object.fromEntries(snap.instances.map((i) => [i.id, i]));
    expect(byId[hardened]).toMatchObject({ metadataTokens: 'required', userDataSecretNames: [] });
    expect(byId[leaky]).toMatchObject({
      state: 'stopped',
      metadataTokens: 'optional',
      userDataSecretNames: ['DB_PASSWORD'],
    });
    expect(JSON.stringify(snap)).not.toContain('hunter2');
    expect(snap.snapshots.find((s) => s.id === open.SnapshotId)).toMatchObject({
      public: true,
      encrypted: false,
    });
    expect(snap.snapshots.find((s) => s.id === closed.SnapshotId)).toMatchObject({
      public: false,
      encrypted: true,
    });
    expect(snap.images).toEqual([{ id: image.ImageId, name: 'golden', public: true }]);
    expect(snap.volumes.find((v) => v.id === plain.VolumeId)).toMatchObject({
      encrypted: false,
      attachedTo: [],
    });
    expect(snap.ebsEncryptionByDefault).toBe(true);
  }, 60_000);
});
