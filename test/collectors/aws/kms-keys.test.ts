import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { keyRotation } from '../../../collectors/aws/kms-keys/checks.ts';
import { kmsKeys as kmsKeysDefinition } from '../../../collectors/aws/kms-keys/index.ts';
import type { KeySnapshot } from '../../../collectors/aws/kms-keys/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import type { CheckContext } from '../../../core/collector.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { runnable } from '../../support/runnable.ts';

const kmsKeys = runnable(kmsKeysDefinition);

const context: CheckContext = {
  asOf: new Date('2026-11-27T00:00:00Z'),
  scope: { source: 'aws', id: '111122223333', region: 'us-east-1' },
};
const key = (over: Partial<KeySnapshot>): KeySnapshot => ({
  keyId: 'k',
  arn: 'arn:aws:kms:us-east-1:111122223333:key/k',
  manager: 'CUSTOMER',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyState: 'Enabled',
  origin: 'AWS_KMS',
  rotationEnabled: true,
  ...over,
});

describe('aws.kms.keys checks', () => {
  it('passes a rotating customer key and fails one that does not rotate', () => {
    const keys = [key({ arn: 'a', rotationEnabled: true }), key({ arn: 'b', rotationEnabled: false })];
    expect(keyRotation.evaluate({ keys }, context).map((f) => [f.resource, f.status])).toEqual([
      ['a', 'pass'],
      ['b', 'fail'],
    ]);
  });

  it('does not judge keys whose rotation cannot be switched on', () => {
    const keys = [
      key({ manager: 'AWS', rotationEnabled: null }),
      key({ keySpec: 'ECC_NIST_P256', rotationEnabled: null }),
      key({ keyState: 'Disabled', rotationEnabled: null }),
      key({ origin: 'EXTERNAL', rotationEnabled: null }),
    ];
    expect(keyRotation.evaluate({ keys }, context)).toMatchObject([{ status: 'not_applicable' }]);
  });
});

describeAws('aws.kms.keys collect (moto)', () => {
  it('lists keys and asks for rotation only where it applies', async () => {
    const kms = new KMSClient(awsConfig());
    const rotating = await kms.send(new CreateKeyCommand({}));
    await kms.send(new EnableKeyRotationCommand({ KeyId: rotating.KeyMetadata?.KeyId }));
    const plain = await kms.send(new CreateKeyCommand({}));
    const signing = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (_, op) => calls.push(op) });
    const snap = await kmsKeys.collect(session, {
      source: 'aws',
      id: await session.accountId(),
      region: 'us-east-1',
    });
    const rotation = Object.fromEntries(snap.keys.map((k) => [k.keyId, k.rotationEnabled]));
    expect(rotation).toEqual({
      [rotating.KeyMetadata?.KeyId ?? '']: true,
      [plain.KeyMetadata?.KeyId ?? '']: false,
      [signing.KeyMetadata?.KeyId ?? '']: null,
    });
    expect(calls.filter((c) => c === 'GetKeyRotationStatus')).toHaveLength(2);
  });
});
