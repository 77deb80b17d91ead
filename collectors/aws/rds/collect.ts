import {
  type DBInstance,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  type Parameter,
  paginateDescribeDBClusterParameters,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBClusters,
  paginateDescribeDBInstances,
  paginateDescribeDBParameters,
  paginateDescribeDBSnapshots,
  RDSClient,
  type Tag,
} from '@aws-sdk/client-rds';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import { orUnknown } from '../unknown.ts';
import type { DatabaseSnapshot, DbSnapshotSnapshot, RdsSnapshot } from './snapshot.ts';

/** The parameters that make an engine refuse connections without TLS. */
export const TLS_PARAMETERS = ['rds.force_ssl', 'require_secure_transport'];

const tags = (list: Tag[] | undefined) =>
  Object.fromEntries((list ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));

function instance(i: DBInstance): DatabaseSnapshot {
  const group = i.DBParameterGroups?.[0]?.DBParameterGroupName;
  return {
    kind: 'instance',
    id: i.DBInstanceIdentifier ?? '',
    arn: i.DBInstanceArn ?? i.DBInstanceIdentifier ?? '',
    engine: i.Engine ?? '',
    engineVersion: i.EngineVersion ?? '',
    clusterId: i.DBClusterIdentifier ?? null,
    storageEncrypted: i.StorageEncrypted ?? false,
    publiclyAccessible: i.PubliclyAccessible ?? false,
    backupRetentionDays: i.BackupRetentionPeriod ?? 0,
    multiAz: i.MultiAZ ?? false,
    storage: { allocatedGiB: i.AllocatedStorage ?? 0, maxGiB: i.MaxAllocatedStorage ?? null },
    deletionProtection: i.DeletionProtection ?? false,
    autoMinorVersionUpgrade: i.AutoMinorVersionUpgrade ?? false,
    iamAuthentication: i.IAMDatabaseAuthenticationEnabled ?? false,
    logExports: i.EnabledCloudwatchLogsExports ?? [],
    // A cluster member's TLS setting lives in the cluster parameter group.
    parameterGroup: !i.DBClusterIdentifier && group ? `instance:${group}` : null,
    tags: tags(i.TagList),
  };
}

const tlsOnly = (parameters: Parameter[]) =>
  Object.fromEntries(
    parameters
      .filter((p) => TLS_PARAMETERS.includes(p.ParameterName ?? ''))
      .map((p) => [p.ParameterName ?? '', p.ParameterValue ?? '']),
  );

export async function collect(session: AwsSession, scope: Scope): Promise<RdsSnapshot> {
  const rds = session.client(RDSClient, scope.region);
  const client = { client: rds };
  const [instances, clusters, dbSnapshots, clusterSnapshots] = await Promise.all([
    all(paginateDescribeDBInstances(client, {}), (p) => p.DBInstances),
    all(paginateDescribeDBClusters(client, {}), (p) => p.DBClusters),
    all(paginateDescribeDBSnapshots(client, { SnapshotType: 'manual' }), (p) => p.DBSnapshots),
    all(paginateDescribeDBClusterSnapshots(client, { SnapshotType: 'manual' }), (p) => p.DBClusterSnapshots),
  ]);
  const databases: DatabaseSnapshot[] = [
    ...clusters.map(
      (c): DatabaseSnapshot => ({
        kind: 'cluster',
        id: c.DBClusterIdentifier ?? '',
        arn: c.DBClusterArn ?? c.DBClusterIdentifier ?? '',
        engine: c.Engine ?? '',
        engineVersion: c.EngineVersion ?? '',
        clusterId: null,
        storageEncrypted: c.StorageEncrypted ?? false,
        publiclyAccessible: null,
        backupRetentionDays: c.BackupRetentionPeriod ?? 0,
        multiAz: c.MultiAZ ?? false,
        storage: null,
        deletionProtection: c.DeletionProtection ?? false,
        autoMinorVersionUpgrade: null,
        iamAuthentication: c.IAMDatabaseAuthenticationEnabled ?? false,
        logExports: c.EnabledCloudwatchLogsExports ?? [],
        parameterGroup: c.DBClusterParameterGroup ? `cluster:${c.DBClusterParameterGroup}` : null,
        tags: tags(c.TagList),
      }),
    ),
    ...instances.map(instance),
  ];

  const limit = pLimit(4);
  const groups = [...new Set(databases.flatMap((d) => (d.parameterGroup ? [d.parameterGroup] : [])))];
  const parameterGroups = Object.fromEntries(
    await Promise.all(
      groups.map((key) =>
        limit(async () => {
          const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
          const read =
            kind === 'cluster'
              ? all(
                  paginateDescribeDBClusterParameters(client, { DBClusterParameterGroupName: name }),
                  (p) => p.Parameters,
                )
              : all(
                  paginateDescribeDBParameters(client, { DBParameterGroupName: name }),
                  (p) => p.Parameters,
                );
          return [key, await orUnknown(read, tlsOnly)] as const;
        }),
      ),
    ),
  );

  const snapshots = await Promise.all([
    ...dbSnapshots.map((s) =>
      limit(async (): Promise<DbSnapshotSnapshot> => {
        const id = s.DBSnapshotIdentifier ?? '';
        const command = new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id });
        const sharedWith = await orUnknown(rds.send(command), (a) =>
          restoreAccounts(a.DBSnapshotAttributesResult?.DBSnapshotAttributes),
        );
        return {
          kind: 'instance',
          id,
          arn: s.DBSnapshotArn ?? id,
          encrypted: s.Encrypted ?? false,
          sharedWith,
        };
      }),
    ),
    ...clusterSnapshots.map((s) =>
      limit(async (): Promise<DbSnapshotSnapshot> => {
        const id = s.DBClusterSnapshotIdentifier ?? '';
        const command = new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id });
        const sharedWith = await orUnknown(rds.send(command), (a) =>
          restoreAccounts(a.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes),
        );
        return {
          kind: 'cluster',
          id,
          arn: s.DBClusterSnapshotArn ?? id,
          encrypted: s.StorageEncrypted ?? false,
          sharedWith,
        };
      }),
    ),
  ]);
  return { databases, snapshots, parameterGroups };
}

/** The accounts the `restore` attribute names (`all` = public). */
const restoreAccounts = (
  attributes: { AttributeName?: string; AttributeValues?: string[] }[] | undefined,
): string[] => (attributes ?? []).find((a) => a.AttributeName === 'restore')?.AttributeValues ?? [];
