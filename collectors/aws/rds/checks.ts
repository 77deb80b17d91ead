import { perResource } from '../../../core/collector.ts';
import { dataSettings } from '../data-settings.ts';
import { isUnknown } from '../unknown.ts';
import type { DatabaseSnapshot, DbSnapshotSnapshot, RdsSnapshot } from './snapshot.ts';

/** Standalone instances and clusters: what storage, backups and deletion protection are set on. */
const databases = (s: RdsSnapshot) => s.databases.filter((d) => d.clusterId === null);
/** Every DB instance, cluster members included: each has its own endpoint and maintenance settings. */
const instances = (s: RdsSnapshot) => s.databases.filter((d) => d.kind === 'instance');
const arn = (r: DatabaseSnapshot | DbSnapshotSnapshot) => r.arn;
const name = (d: DatabaseSnapshot | DbSnapshotSnapshot) =>
  `${d.kind === 'cluster' ? 'cluster' : 'instance'} ${d.id}`;

export const storageEncrypted = perResource(
  {
    id: 'aws.rds.storage-encrypted',
    title: 'RDS instances and Aurora clusters encrypt their storage',
    severity: 'high',
    remediation:
      'Restore from an encrypted snapshot copy (storage encryption cannot be switched on in place).',
    procedure:
      'Reads every DB instance and DB cluster (DescribeDBInstances, DescribeDBClusters). Passes each standalone instance and cluster whose StorageEncrypted is true; cluster members are judged through their cluster.',
  },
  databases,
  arn,
  (d) => [
    d.storageEncrypted,
    d.storageEncrypted ? 'storage encrypted' : `${name(d)} stores data unencrypted`,
  ],
);

export const notPublic = perResource(
  {
    id: 'aws.rds.public-access',
    title: 'RDS instances are not publicly accessible',
    severity: 'critical',
    remediation: 'Modify the instance with --no-publicly-accessible and keep it in private subnets.',
    procedure:
      'Reads every DB instance, cluster members included (DescribeDBInstances). Passes an instance whose PubliclyAccessible is false.',
  },
  instances,
  arn,
  (d) => [
    d.publiclyAccessible === false,
    d.publiclyAccessible === false ? 'not publicly accessible' : `${name(d)} is publicly accessible`,
  ],
);

export const backupRetention = perResource(
  {
    id: 'aws.rds.backup-retention',
    title: 'RDS automated backups are kept for at least the configured minimum',
    severity: 'high',
    remediation:
      'Set the backup retention period to at least the minimum (modify-db-instance --backup-retention-period).',
    procedure:
      'Reads the automated backup retention of every standalone DB instance and DB cluster (BackupRetentionPeriod). Passes it when it is at least checks.aws.data.backupRetentionDays (default 7); 0 means automated backups are off.',
  },
  databases,
  arn,
  (d, _, context) => {
    const minimum = dataSettings(context).backupRetentionDays;
    if (d.backupRetentionDays === 0) return [false, `${name(d)} has automated backups turned off`];
    return [
      d.backupRetentionDays >= minimum,
      `${name(d)} keeps automated backups ${d.backupRetentionDays} days (minimum ${minimum})`,
    ];
  },
);

export const multiAzProduction = perResource(
  {
    id: 'aws.rds.multi-az-production',
    title: 'Production databases run Multi-AZ',
    severity: 'medium',
    remediation:
      'Convert the database to Multi-AZ (modify-db-instance --multi-az) or add a reader in another AZ.',
    procedure:
      'Reads the tags and the MultiAZ flag of every standalone DB instance and DB cluster. Passes each one carrying the production tag (checks.aws.data.production, default environment=production) that is Multi-AZ; databases without that tag are not judged.',
  },
  (s: RdsSnapshot, context) => {
    const { key, value } = dataSettings(context).production;
    return databases(s).filter((d) => d.tags[key] === value);
  },
  arn,
  (d) => [d.multiAz, d.multiAz ? 'Multi-AZ' : `production ${name(d)} runs in a single Availability Zone`],
);

export const deletionProtection = perResource(
  {
    id: 'aws.rds.deletion-protection',
    title: 'RDS instances and Aurora clusters have deletion protection',
    severity: 'medium',
    remediation:
      'Turn on deletion protection (modify-db-instance / modify-db-cluster --deletion-protection).',
    procedure:
      'Reads DeletionProtection of every standalone DB instance and DB cluster. Passes it when true.',
  },
  databases,
  arn,
  (d) => [
    d.deletionProtection,
    d.deletionProtection
      ? 'deletion protection on'
      : `${name(d)} can be deleted without first lifting a protection`,
  ],
);

export const minorVersionUpgrade = perResource(
  {
    id: 'aws.rds.minor-version-upgrade',
    title: 'RDS instances apply minor engine versions automatically',
    severity: 'low',
    remediation: 'Turn on auto minor version upgrade (modify-db-instance --auto-minor-version-upgrade).',
    procedure:
      'Reads AutoMinorVersionUpgrade of every DB instance, cluster members included,. Passes it when true.',
  },
  instances,
  arn,
  (d) => [
    d.autoMinorVersionUpgrade === true,
    d.autoMinorVersionUpgrade
      ? 'auto minor version upgrade on'
      : `${name(d)} does not take minor engine upgrades`,
  ],
);

/** The parameter that enforces TLS for an engine, and the values that mean "on". */
function tlsParameter(engine: string): { name: string; on: string[] } | undefined {
  if (/^(postgres|aurora-postgresql|sqlserver)/.test(engine)) return { name: 'rds.force_ssl', on: ['1'] };
  if (/^(mysql|mariadb|aurora-mysql|aurora$)/.test(engine))
    return { name: 'require_secure_transport', on: ['1', 'ON', 'on'] };
  return undefined;
}

export const transportEncryption = perResource(
  {
    id: 'aws.rds.transport-encryption',
    title: 'RDS connections require TLS or IAM authentication',
    severity: 'high',
    remediation:
      'Set rds.force_ssl=1 (PostgreSQL, SQL Server) or require_secure_transport=ON (MySQL, MariaDB) in a custom parameter group, or enable IAM database authentication.',
    procedure:
      'Reads every standalone DB instance and DB cluster, the parameters of its (cluster) parameter group (DescribeDBParameters, DescribeDBClusterParameters). Passes it when IAM database authentication is on or the engine’s TLS parameter (rds.force_ssl or require_secure_transport) is on; an unreadable group fails.',
  },
  databases,
  arn,
  (d, s) => {
    if (d.iamAuthentication) return [true, 'IAM database authentication enabled (tokens require TLS)'];
    const parameter = tlsParameter(d.engine);
    if (!parameter)
      return [false, `${name(d)}: engine ${d.engine} has no TLS parameter and IAM authentication is off`];
    const group = d.parameterGroup ? s.parameterGroups[d.parameterGroup] : undefined;
    if (!group) return [false, `${name(d)}: no parameter group recorded`];
    if (isUnknown(group))
      return [false, `${name(d)}: parameter group ${d.parameterGroup} unreadable (${group.unknown})`];
    const value = group[parameter.name];
    return parameter.on.includes(value ?? '')
      ? [true, `${parameter.name}=${value} in ${d.parameterGroup}`]
      : [
          false,
          `${name(d)} accepts unencrypted connections (${parameter.name}=${value ?? 'unset'} in ${d.parameterGroup})`,
        ];
  },
);

export const logExports = perResource(
  {
    id: 'aws.rds.log-exports',
    title: 'RDS databases export their logs to CloudWatch Logs',
    severity: 'low',
    remediation: 'Enable log exports (modify-db-instance --cloudwatch-logs-export-configuration).',
    procedure:
      'Reads EnabledCloudwatchLogsExports of every standalone DB instance and DB cluster. Passes it when at least one log type is exported.',
  },
  databases,
  arn,
  (d) =>
    d.logExports.length > 0
      ? [true, `exports ${d.logExports.join(', ')}`]
      : [false, `${name(d)} exports no logs to CloudWatch Logs`],
);

export const storageAutoscaling = perResource(
  {
    id: 'aws.rds.storage-autoscaling',
    title: 'RDS instances grow their storage automatically',
    severity: 'low',
    remediation:
      'Set a maximum storage threshold above the allocated storage (modify-db-instance --max-allocated-storage).',
    procedure:
      'Reads AllocatedStorage and MaxAllocatedStorage of every standalone DB instance (DescribeDBInstances). Passes an instance whose storage autoscaling ceiling is above its allocated storage; fails one without autoscaling. Aurora clusters grow their storage by themselves and are not judged.',
  },
  // Evidence collected before the storage was recorded holds no `storage`: not judged rather than guessed.
  (s: RdsSnapshot) => databases(s).filter((d) => d.storage != null),
  arn,
  (d) => {
    const { allocatedGiB, maxGiB } = d.storage ?? { allocatedGiB: 0, maxGiB: null };
    return maxGiB !== null && maxGiB > allocatedGiB
      ? [true, `storage grows from ${allocatedGiB} GiB up to ${maxGiB} GiB`]
      : [false, `${name(d)} has ${allocatedGiB} GiB of storage and no storage autoscaling`];
  },
);

const snapshots = (s: RdsSnapshot) => s.snapshots;

export const snapshotNotPublic = perResource(
  {
    id: 'aws.rds.snapshot-public',
    title: 'Manual RDS snapshots are not public',
    severity: 'critical',
    remediation:
      'Remove "all" from the snapshot’s restore attribute (modify-db-snapshot-attribute --values-to-remove all).',
    procedure:
      'Reads every manual DB snapshot and DB cluster snapshot and its restore attribute (DescribeDBSnapshotAttributes, DescribeDBClusterSnapshotAttributes). Passes it unless the attribute holds "all"; unreadable attributes fail.',
  },
  snapshots,
  arn,
  (s) => {
    if (isUnknown(s.sharedWith))
      return [false, `snapshot ${s.id}: sharing unknown (${s.sharedWith.unknown})`];
    if (s.sharedWith.includes('all')) return [false, `snapshot ${s.id} can be restored by any AWS account`];
    return [true, s.sharedWith.length ? `shared with ${s.sharedWith.join(', ')}` : 'not shared'];
  },
);

export const snapshotEncrypted = perResource(
  {
    id: 'aws.rds.snapshot-encrypted',
    title: 'Manual RDS snapshots are encrypted',
    severity: 'high',
    remediation:
      'Copy the snapshot with a KMS key (copy-db-snapshot --kms-key-id) and delete the unencrypted one.',
    procedure:
      'Reads every manual DB snapshot and DB cluster snapshot (DescribeDBSnapshots, DescribeDBClusterSnapshots). Passes it when Encrypted / StorageEncrypted is true.',
  },
  snapshots,
  arn,
  (s) => [s.encrypted, s.encrypted ? 'encrypted' : `snapshot ${s.id} is not encrypted`],
);

export const checks = [
  storageEncrypted,
  notPublic,
  backupRetention,
  multiAzProduction,
  storageAutoscaling,
  deletionProtection,
  minorVersionUpgrade,
  transportEncryption,
  logExports,
  snapshotNotPublic,
  snapshotEncrypted,
];
