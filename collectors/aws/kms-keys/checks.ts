import { perResource } from '../../../core/collector.ts';
import type { KeySnapshot, KmsKeysSnapshot } from './snapshot.ts';

/** Keys for which automatic rotation can be switched on. */
export const rotatable = (k: Pick<KeySnapshot, 'manager' | 'keySpec' | 'keyState' | 'origin'>) =>
  k.manager === 'CUSTOMER' &&
  k.keySpec === 'SYMMETRIC_DEFAULT' &&
  k.keyState === 'Enabled' &&
  k.origin === 'AWS_KMS';

export const keyRotation = perResource(
  {
    id: 'aws.kms.key-rotation',
    title: 'Customer-managed symmetric KMS keys rotate automatically',
    severity: 'medium',
    procedure:
      'Reads every enabled customer-managed symmetric KMS key created by KMS, and its rotation status (GetKeyRotationStatus). Passes per key when automatic rotation is enabled; fails when it is not.',
    remediation: 'Enable automatic key rotation (aws kms enable-key-rotation --key-id …).',
  },
  (s: KmsKeysSnapshot) => s.keys.filter(rotatable),
  (k) => k.arn,
  (k) => [
    k.rotationEnabled === true,
    k.rotationEnabled ? 'rotation enabled' : `key ${k.keyId} does not rotate`,
  ],
);

export const checks = [keyRotation];
