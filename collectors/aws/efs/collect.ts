import {
  DescribeBackupPolicyCommand,
  DescribeFileSystemPolicyCommand,
  EFSClient,
  paginateDescribeFileSystems,
} from '@aws-sdk/client-efs';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import { type AwsSession, unlessMissing } from '../session.ts';
import { parsePolicy } from '../shared/policy-document.ts';
import type { EfsSnapshot, FileSystemSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<EfsSnapshot> {
  const efs = session.client(EFSClient, scope.region);
  const list = await all(paginateDescribeFileSystems({ client: efs }, {}), (p) => p.FileSystems);
  const limit = pLimit(8);
  const fileSystems = await Promise.all(
    list.map((f) =>
      limit(async (): Promise<FileSystemSnapshot> => {
        const id = f.FileSystemId ?? '';
        const [backup, policy] = await Promise.all([
          unlessMissing(efs.send(new DescribeBackupPolicyCommand({ FileSystemId: id })), 'PolicyNotFound'),
          unlessMissing(
            efs.send(new DescribeFileSystemPolicyCommand({ FileSystemId: id })),
            'PolicyNotFound',
          ),
        ]);
        return {
          id,
          arn: f.FileSystemArn ?? id,
          name: f.Name ?? null,
          encrypted: f.Encrypted ?? false,
          backupPolicy: backup?.BackupPolicy?.Status ?? 'DISABLED',
          policy: parsePolicy(policy?.Policy),
        };
      }),
    ),
  );
  return { fileSystems };
}
