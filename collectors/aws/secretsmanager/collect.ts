import { paginateListSecrets, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { SecretsManagerSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<SecretsManagerSnapshot> {
  const client = session.client(SecretsManagerClient, scope.region);
  const list = await all(paginateListSecrets({ client }, {}), (p) => p.SecretList);
  return {
    secrets: list.map((s) => ({
      name: s.Name ?? '',
      arn: s.ARN ?? s.Name ?? '',
      rotationEnabled: s.RotationEnabled ?? false,
      rotationDays: s.RotationRules?.AutomaticallyAfterDays ?? null,
      createdAt: s.CreatedDate?.toISOString() ?? null,
      lastRotatedAt: s.LastRotatedDate?.toISOString() ?? null,
      lastAccessedAt: s.LastAccessedDate?.toISOString() ?? null,
      // ListSecrets omits KmsKeyId for the AWS-managed key aws/secretsmanager.
      keyArn: s.KmsKeyId ?? null,
      keyManager: s.KmsKeyId ? 'CUSTOMER' : null,
    })),
  };
}
