import { CreateFileSystemCommand, EFSClient, PutFileSystemPolicyCommand } from '@aws-sdk/client-efs';
import { describe, expect, it } from 'vitest';
import { backupPolicy, encrypted, publicPolicy } from '../../../collectors/aws/efs/checks.ts';
import { efs as efsDefinition } from '../../../collectors/aws/efs/index.ts';
import type { FileSystemSnapshot } from '../../../collectors/aws/efs/snapshot.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, collectCounting, undeclared, verdicts } from '../../support/checks.ts';
import { runnable } from '../../support/runnable.ts';

const efs = runnable(efsDefinition);

const context = awsContext();
const openPolicy = {
  Statement: [
    { Sid: 'Everyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'elasticfilesystem:ClientMount' },
  ],
};
const orgPolicy = {
  Statement: [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: '*',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
    },
  ],
};
const fs = (id: string, over: Partial<FileSystemSnapshot> = {}): FileSystemSnapshot => ({
  id,
  arn: id,
  name: id,
  encrypted: true,
  backupPolicy: 'ENABLED',
  policy: null,
  ...over,
});

describe('aws.efs checks', () => {
  it('encryption and automatic backups', () => {
    const fileSystems = [fs('good'), fs('bad', { encrypted: false, backupPolicy: 'DISABLED' })];
    expect(verdicts(encrypted, { fileSystems }, context)).toEqual({ good: 'pass', bad: 'fail' });
    expect(verdicts(backupPolicy, { fileSystems }, context)).toEqual({ good: 'pass', bad: 'fail' });
  });

  it('public policy: an unconditional Allow to * fails; a conditioned one or none passes', () => {
    const fileSystems = [fs('none'), fs('org', { policy: orgPolicy }), fs('open', { policy: openPolicy })];
    expect(verdicts(publicPolicy, { fileSystems }, context)).toEqual({
      none: 'pass',
      org: 'pass',
      open: 'fail',
    });
    expect(publicPolicy.evaluate({ fileSystems }, context)[2]?.reason).toMatch(
      /Everyone allow any principal/,
    );
  });
});

describeAws('aws.efs collect (moto)', () => {
  it('reads file systems with their backup and file system policies (backup status set at creation: moto does not implement PutBackupPolicy)', async () => {
    const client = new EFSClient(awsConfig());
    const good = await client.send(
      new CreateFileSystemCommand({ CreationToken: 'good', Encrypted: true, Backup: true }),
    );
    const bad = await client.send(new CreateFileSystemCommand({ CreationToken: 'bad' }));
    await client.send(
      new PutFileSystemPolicyCommand({ FileSystemId: bad.FileSystemId, Policy: JSON.stringify(openPolicy) }),
    );
    const { snapshot: s, calls } = await collectCounting(efs);
    const byId = Object.fromEntries(s.fileSystems.map((f) => [f.id, f]));
    expect(byId[good.FileSystemId ?? '']).toMatchObject({
      encrypted: true,
      backupPolicy: 'ENABLED',
      policy: null,
    });
    expect(byId[bad.FileSystemId ?? '']).toMatchObject({
      encrypted: false,
      backupPolicy: 'DISABLED',
      policy: openPolicy,
    });
    expect(undeclared(calls, efs)).toEqual([]);
  });
});
