import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import pLimit from 'p-limit';
import type { KeyManager } from './customer-keys.ts';
import type { AwsSession } from './session.ts';
import { orUnknown } from './unknown.ts';

/** DescribeKey once per distinct key ARN: who manages each key. */
export async function keyManagers(
  session: AwsSession,
  region: string | undefined,
  arns: readonly (string | null | undefined)[],
): Promise<Map<string, KeyManager>> {
  const kms = session.client(KMSClient, region);
  const distinct = [...new Set(arns.filter((a): a is string => !!a))];
  const limit = pLimit(8);
  const entries = await Promise.all(
    distinct.map((arn) =>
      limit(async () => {
        const manager = await orUnknown(
          kms.send(new DescribeKeyCommand({ KeyId: arn })),
          (answer): KeyManager => {
            const m = answer.KeyMetadata?.KeyManager;
            return m === 'AWS' || m === 'CUSTOMER' ? m : { unknown: 'DescribeKey named no KeyManager' };
          },
        );
        return [arn, manager] as const;
      }),
    ),
  );
  return new Map(entries);
}
