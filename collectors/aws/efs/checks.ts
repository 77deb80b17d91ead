import { perResource } from '../../../core/collector.ts';
import { publicStatements } from '../shared/policy-document.ts';
import type { EfsSnapshot, FileSystemSnapshot } from './snapshot.ts';

const fileSystems = (s: EfsSnapshot) => s.fileSystems;
const arn = (f: FileSystemSnapshot) => f.arn;

export const encrypted = perResource(
  {
    id: 'aws.efs.encrypted',
    title: 'EFS file systems are encrypted at rest',
    severity: 'high',
    remediation:
      'Create an encrypted file system and copy the data (encryption cannot be switched on in place).',
    procedure: 'Reads every file system (DescribeFileSystems). Passes it when Encrypted is true.',
  },
  fileSystems,
  arn,
  (f) => [f.encrypted, f.encrypted ? 'encrypted at rest' : `file system ${f.id} is not encrypted at rest`],
);

export const backupPolicy = perResource(
  {
    id: 'aws.efs.backup-policy',
    title: 'EFS file systems are backed up automatically',
    severity: 'medium',
    remediation: 'Turn on automatic backups (put-backup-policy --backup-policy Status=ENABLED).',
    procedure:
      'Reads every file system’s backup policy (DescribeBackupPolicy). Passes it when its status is ENABLED; no policy counts as DISABLED.',
  },
  fileSystems,
  arn,
  (f) => [
    f.backupPolicy === 'ENABLED',
    f.backupPolicy === 'ENABLED'
      ? 'automatic backups enabled'
      : `file system ${f.id}: automatic backups ${f.backupPolicy}`,
  ],
);

export const publicPolicy = perResource(
  {
    id: 'aws.efs.public-policy',
    title: 'EFS file system policies do not grant access to everyone',
    severity: 'high',
    remediation: 'Restrict the file system policy’s principals or add a condition (e.g. aws:PrincipalOrgID).',
    procedure:
      'Reads every file system policy (DescribeFileSystemPolicy). Passes a file system unless an Allow statement names the principal "*" without a condition; no policy passes (access then rests on IAM and the network).',
  },
  fileSystems,
  arn,
  (f) => {
    const open = publicStatements(f.policy);
    return open.length === 0
      ? [true, f.policy ? 'policy grants no anonymous access' : 'no file system policy']
      : [false, `file system ${f.id}: ${open.join(', ')} allow any principal without a condition`];
  },
);

export const checks = [encrypted, backupPolicy, publicPolicy];
