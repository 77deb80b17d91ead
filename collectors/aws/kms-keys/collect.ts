import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListKeys,
} from '@aws-sdk/client-kms';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import type { AwsSession } from '../session.ts';
import { rotatable } from './checks.ts';
import type { KeySnapshot, KmsKeysSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<KmsKeysSnapshot> {
  const kms = session.client(KMSClient, scope.region);
  const ids: string[] = [];
  for await (const page of paginateListKeys({ client: kms }, {})) {
    for (const k of page.Keys ?? []) if (k.KeyId) ids.push(k.KeyId);
  }
  const limit = pLimit(8);
  const keys = await Promise.all(
    ids.map((id) =>
      limit(async (): Promise<KeySnapshot> => {
        const { KeyMetadata: m } = await kms.send(new DescribeKeyCommand({ KeyId: id }));
        const key = {
          keyId: id,
          arn: m?.Arn ?? id,
          manager: m?.KeyManager ?? 'CUSTOMER',
          keySpec: m?.KeySpec ?? 'SYMMETRIC_DEFAULT',
          keyState: m?.KeyState ?? 'Unknown',
          origin: m?.Origin ?? 'AWS_KMS',
        };
        const rotationEnabled = rotatable(key)
          ? ((await kms.send(new GetKeyRotationStatusCommand({ KeyId: id }))).KeyRotationEnabled ?? false)
          : null;
        return { ...key, rotationEnabled };
      }),
    ),
  );
  return { keys };
}
