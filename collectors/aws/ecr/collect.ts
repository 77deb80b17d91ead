import {
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { keyManagers } from '../key-managers.ts';
import { all } from '../pages.ts';
import { type AwsSession, unlessMissing } from '../session.ts';
import { parsePolicy } from '../shared/policy-document.ts';
import { orUnknown } from '../unknown.ts';
import type { EcrSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<EcrSnapshot> {
  const ecr = session.client(ECRClient, scope.region);
  const [list, scanning] = await Promise.all([
    all(paginateDescribeRepositories({ client: ecr }, {}), (p) => p.repositories),
    orUnknown(ecr.send(new GetRegistryScanningConfigurationCommand({})), (answer) => ({
      scanType: answer.scanningConfiguration?.scanType ?? 'BASIC',
      rules: (answer.scanningConfiguration?.rules ?? []).map((rule) => ({
        frequency: rule.scanFrequency ?? '',
        filters: (rule.repositoryFilters ?? []).map((f) => f.filter ?? ''),
      })),
    })),
  ]);
  const limit = pLimit(8);
  const read = await Promise.all(
    list.map((r) =>
      limit(async () => {
        const name = r.repositoryName ?? '';
        const [policy, lifecycle] = await Promise.all([
          unlessMissing(
            ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name })),
            'RepositoryPolicyNotFoundException',
          ),
          unlessMissing(
            ecr.send(new GetLifecyclePolicyCommand({ repositoryName: name })),
            'LifecyclePolicyNotFoundException',
          ),
        ]);
        const kms = r.encryptionConfiguration?.encryptionType?.startsWith('KMS');
        return {
          name,
          arn: r.repositoryArn ?? name,
          scanOnPush: r.imageScanningConfiguration?.scanOnPush ?? false,
          tagMutability: r.imageTagMutability ?? 'MUTABLE',
          policy: parsePolicy(policy?.policyText),
          lifecyclePolicy: Boolean(lifecycle?.lifecyclePolicyText),
          // AES256, or KMS without a key named: an AWS-managed key.
          keyArn: (kms && r.encryptionConfiguration?.kmsKey) || null,
        };
      }),
    ),
  );
  const managers = await keyManagers(
    session,
    scope.region,
    read.map((r) => r.keyArn),
  );
  return {
    repositories: read.map((r) => ({ ...r, keyManager: r.keyArn ? (managers.get(r.keyArn) ?? null) : null })),
    registryScanning: scanning,
  };
}
