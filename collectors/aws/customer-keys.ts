import { type Check, type CheckMeta, perResource } from '../../core/collector.ts';
import { onlyWhen } from './data-settings.ts';
import { isUnknown, type Unknown } from './unknown.ts';

/** What keyManagers() (key-managers.ts) calls: collectors that record key managers list it. */
export const keyManagerPermissions = ['kms:DescribeKey'];

/** Who manages a KMS key: the customer, AWS, or unknown when DescribeKey was refused. */
export type KeyManager = 'CUSTOMER' | 'AWS' | Unknown;

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
