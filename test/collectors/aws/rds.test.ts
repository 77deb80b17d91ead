import {
  CreateDBClusterCommand,
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  CreateDBSnapshotCommand,
  ModifyDBParameterGroupCommand,
  ModifyDBSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import {
  backupRetention,
  deletionProtection,
  logExports,
  minorVersionUpgrade,
  multiAzProduction,
  notPublic,
  snapshotEncrypted,
  snapshotNotPublic,
  storageAutoscaling,
  storageEncrypted,
  transportEncryption,
} from '../../../collectors/aws/rds/checks.ts';
import { rds as rdsDefinition } from '../../../collectors/aws/rds/index.ts';
import type {
  DatabaseSnapshot,
  DbSnapshotSnapshot,
  RdsSnapshot,
} from '../../../collectors/aws/rds/snapshot.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, collectCounting, undeclared, verdicts } from '../../support/checks.ts';
import { runnable } from '../../support/runnable.ts';

const rds = runnable(rdsDefinition);

const context = awsContext();
const db = (id: string, over: Partial<DatabaseSnapshot> = {}): DatabaseSnapshot => ({
  kind: 'instance',
  id,
  arn: id,
  engine: 'postgres',
  engineVersion: '16.3',
  clusterId: null,
  storageEncrypted: true,
  publiclyAccessible: false,
  backupRetentionDays: 7,
  multiAz: true,
  storage: { allocatedGiB: 20, maxGiB: 100 },
  deletionProtection: true,
  autoMinorVersionUpgrade: true,
  iamAuthentication: false,
  logExports: ['postgresql'],
  parameterGroup: 'instance:secure',
  tags: {},
  ...over,
});
const snap = (id: string, over: Partial<DbSnapshotSnapshot> = {}): DbSnapshotSnapshot => ({
  kind: 'instance',
  id,
  arn: id,
  encrypted: true,
  sharedWith: [],
  ...over,
});
const snapshot = (databases: DatabaseSnapshot[], snapshots: DbSnapshotSnapshot[] = []): RdsSnapshot => ({
  databases,
  snapshots,
  parameterGroups: {
    'instance:secure': { 'rds.force_ssl': '1' },
    'instance:open': { 'rds.force_ssl': '0' },
    'cluster:mysql': { require_secure_transport: 'ON' },
    'instance:refused': { unknown: 'AccessDenied (HTTP 403): not authorized' },
  },
});

describe('aws.rds checks', () => {
  it('storage encryption: judges standalone instances and clusters, not cluster members', () => {
    const s = snapshot([
      db('good'),
      db('bad', { storageEncrypted: false }),
      db('member', { clusterId: 'c', storageEncrypted: false }),
    ]);
    expect(verdicts(storageEncrypted, s, context)).toEqual({ good: 'pass', bad: 'fail' });
  });

  it('public access: fails a publicly accessible instance, cluster members included', () => {
    const s = snapshot([
      db('private'),
      db('public', { publiclyAccessible: true }),
      db('member', { clusterId: 'c', publiclyAccessible: true }),
    ]);
    expect(verdicts(notPublic, s, context)).toEqual({ private: 'pass', public: 'fail', member: 'fail' });
  });

  it('backup retention: applies the configured minimum and fails disabled backups', () => {
    const s = snapshot([
      db('week'),
      db('off', { backupRetentionDays: 0 }),
      db('three', { backupRetentionDays: 3 }),
    ]);
    expect(verdicts(backupRetention, s, context)).toEqual({ week: 'pass', off: 'fail', three: 'fail' });
    expect(verdicts(backupRetention, s, awsContext({ backupRetentionDays: 14 })).week).toBe('fail');
    expect(backupRetention.evaluate(s, context).find((f) => f.resource === 'off')?.reason).toMatch(
      /turned off/,
    );
  });

  it('multi-AZ: judges only databases carrying the configured production tag', () => {
    const s = snapshot([
      db('prod-ha', { tags: { environment: 'production' } }),
      db('prod-single', { multiAz: false, tags: { environment: 'production' } }),
      db('dev-single', { multiAz: false, tags: { environment: 'dev' } }),
    ]);
    expect(verdicts(multiAzProduction, s, context)).toEqual({ 'prod-ha': 'pass', 'prod-single': 'fail' });
    const custom = awsContext({ production: { key: 'tier', value: 'prod' } });
    expect(verdicts(multiAzProduction, s, custom)).toEqual({ '111122223333': 'not_applicable' });
  });

  it('storage autoscaling: instances need a ceiling above their allocated storage; clusters and older evidence are not judged', () => {
    // Evidence collected before the storage field existed.
    const older = Object.fromEntries(Object.entries(db('older')).filter(([key]) => key !== 'storage'));
    const s = snapshot([
      db('grows'),
      db('fixed', { storage: { allocatedGiB: 20, maxGiB: null } }),
      db('capped', { storage: { allocatedGiB: 100, maxGiB: 100 } }),
      db('aurora', { kind: 'cluster', storage: null }),
      older as unknown as DatabaseSnapshot,
    ]);
    expect(verdicts(storageAutoscaling, s, context)).toEqual({
      grows: 'pass',
      fixed: 'fail',
      capped: 'fail',
    });
  });

  it('deletion protection and minor version upgrades', () => {
    const s = snapshot([db('on'), db('off', { deletionProtection: false, autoMinorVersionUpgrade: false })]);
    expect(verdicts(deletionProtection, s, context)).toEqual({ on: 'pass', off: 'fail' });
    expect(verdicts(minorVersionUpgrade, s, context)).toEqual({ on: 'pass', off: 'fail' });
  });

  it('transport encryption: TLS parameter per engine, or IAM authentication; an unreadable group fails', () => {
    const s = snapshot([
      db('pg-tls'),
      db('pg-plain', { parameterGroup: 'instance:open' }),
      db('pg-iam', { parameterGroup: 'instance:open', iamAuthentication: true }),
      db('aurora', { kind: 'cluster', engine: 'aurora-mysql', parameterGroup: 'cluster:mysql' }),
      db('oracle', { engine: 'oracle-ee', parameterGroup: null }),
      db('refused', { parameterGroup: 'instance:refused' }),
    ]);
    expect(verdicts(transportEncryption, s, context)).toEqual({
      'pg-tls': 'pass',
      'pg-plain': 'fail',
      'pg-iam': 'pass',
      aurora: 'pass',
      oracle: 'fail',
      refused: 'fail',
    });
    expect(transportEncryption.evaluate(s, context).find((f) => f.resource === 'refused')?.reason).toMatch(
      /unreadable \(AccessDenied/,
    );
  });

  it('log exports', () => {
    const s = snapshot([db('logs'), db('silent', { logExports: [] })]);
    expect(verdicts(logExports, s, context)).toEqual({ logs: 'pass', silent: 'fail' });
  });

  it('snapshots: public or unreadable sharing fails; unencrypted fails', () => {
    const s = snapshot(
      [],
      [
        snap('private', { sharedWith: ['444455556666'] }),
        snap('public', { sharedWith: ['all'], encrypted: false }),
        snap('unknown', { sharedWith: { unknown: 'InternalFailure (HTTP 500)' } }),
      ],
    );
    expect(verdicts(snapshotNotPublic, s, context)).toEqual({
      private: 'pass',
      public: 'fail',
      unknown: 'fail',
    });
    expect(verdicts(snapshotEncrypted, s, context)).toEqual({
      private: 'pass',
      public: 'fail',
      unknown: 'pass',
    });
  });
});

describeAws('aws.rds collect (moto)', () => {
  it('reads instances, clusters, their TLS parameters and manual snapshot sharing', async () => {
    const client = new RDSClient(awsConfig());
    await client.send(
      new CreateDBParameterGroupCommand({
        DBParameterGroupName: 'tls',
        DBParameterGroupFamily: 'postgres16',
        Description: 'tls',
      }),
    );
    await client.send(
      new ModifyDBParameterGroupCommand({
        DBParameterGroupName: 'tls',
        Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1', ApplyMethod: 'immediate' }],
      }),
    );
    const base = {
      DBInstanceClass: 'db.t3.micro',
      Engine: 'postgres',
      MasterUsername: 'admin1',
      MasterUserPassword: 'password123',
      AllocatedStorage: 20,
    };
    await client.send(
      new CreateDBInstanceCommand({
        ...base,
        DBInstanceIdentifier: 'orders',
        StorageEncrypted: true,
        MaxAllocatedStorage: 100,
        BackupRetentionPeriod: 7,
        DBParameterGroupName: 'tls',
        Tags: [{ Key: 'environment', Value: 'production' }],
      }),
    );
    await client.send(
      new CreateDBInstanceCommand({
        ...base,
        DBInstanceIdentifier: 'legacy',
        PubliclyAccessible: true,
        BackupRetentionPeriod: 0,
      }),
    );
    await client.send(
      new CreateDBClusterCommand({
        DBClusterIdentifier: 'analytics',
        Engine: 'aurora-postgresql',
        MasterUsername: 'admin1',
        MasterUserPassword: 'password123',
        StorageEncrypted: true,
      }),
    );
    await client.send(
      new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'legacy', DBSnapshotIdentifier: 'legacy-copy' }),
    );
    await client.send(
      new ModifyDBSnapshotAttributeCommand({
        DBSnapshotIdentifier: 'legacy-copy',
        AttributeName: 'restore',
        ValuesToAdd: ['all'],
      }),
    );

    const { snapshot: s, calls } = await collectCounting(rds);

    const byId = Object.fromEntries(s.databases.map((d) => [d.id, d]));
    expect(byId.orders).toMatchObject({
      kind: 'instance',
      storageEncrypted: true,
      publiclyAccessible: false,
      parameterGroup: 'instance:tls',
      tags: { environment: 'production' },
      storage: { allocatedGiB: 20, maxGiB: 100 },
    });
    expect(byId.legacy).toMatchObject({
      publiclyAccessible: true,
      backupRetentionDays: 0,
      storageEncrypted: false,
      storage: { allocatedGiB: 20, maxGiB: null },
    });
    expect(byId.analytics).toMatchObject({
      kind: 'cluster',
      engine: 'aurora-postgresql',
      storageEncrypted: true,
      storage: null,
    });
    expect(s.parameterGroups['instance:tls']).toEqual({ 'rds.force_ssl': '1' });
    expect(s.snapshots).toMatchObject([{ id: 'legacy-copy', sharedWith: ['all'] }]);
    expect(verdicts(notPublic, s, context)).toMatchObject({
      [byId.legacy?.arn ?? '']: 'fail',
      [byId.orders?.arn ?? '']: 'pass',
    });
    expect(verdicts(snapshotNotPublic, s, context)).toEqual({ [s.snapshots[0]?.arn ?? '']: 'fail' });
    // Bulk reads, one attribute read per manual snapshot, parameters once per group in use.
    expect(calls.filter((c) => c === 'DescribeDBInstances')).toHaveLength(1);
    expect(calls.filter((c) => c === 'DescribeDBSnapshotAttributes')).toHaveLength(1);
    expect(undeclared(calls, rds)).toEqual([]);
  });
});
