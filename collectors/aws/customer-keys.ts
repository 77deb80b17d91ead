import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import pLimit from 'p-limit';
import { type Check, type CheckMeta, perResource } from '../../core/collector.ts';
import { onlyWhen } from './data-settings.ts';
import type { AwsSession } from './session.ts';
import { isUnknown, orUnknown, type Unknown } from './unknown.ts';

export const keyManagerPermissions = ['kms:DescribeKey'];

/** Who manages a KMS key: the customer, AWS, or unknown when DescribeKey was refused. */
export type KeyManager = 'CUSTOMER' | 'AWS' | Unknown;

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

/** How a resource is encrypted, as its collector records it. */
export interface Encryption {
  /** The KMS key ARN, or null for an AWS-owned / AWS-managed default key. */
  readonly keyArn: string | null;
  /** Who manages `keyArn` (null with no key ARN). */
  readonly keyManager: KeyManager | null;
}

/**
 * A check that each resource is encrypted with a customer-managed KMS key, applied only when the configuration
 * asks for it (`checks.aws.data.customerManagedKeys`); otherwise one not_applicable finding says so.
 */
export function customerKeyCheck<S, R>(
  meta: CheckMeta,
  resources: (snapshot: S) => readonly R[],
  resourceId: (resource: R) => string,
  encryption: (resource: R) => Encryption,
): Check<S> {
  return onlyWhen(
    'customerManagedKeys',
    perResource(meta, resources, resourceId, (r) => {
      const { keyArn, keyManager } = encryption(r);
      const name = resourceId(r);
      if (!keyArn || keyManager === null) return [false, `${name} uses an AWS-owned or AWS-managed key`];
      if (isUnknown(keyManager))
        return [false, `${name}: manager of key ${keyArn} unknown (${keyManager.unknown})`];
      return keyManager === 'CUSTOMER'
        ? [true, `customer-managed key ${keyArn}`]
        : [false, `${name} uses the AWS-managed key ${keyArn}`];
    }),
  );
}
