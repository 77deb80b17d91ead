import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  customerKey,
  rotatedRecently,
  rotationEnabled,
  unused,
} from '../../../collectors/aws/secretsmanager/checks.ts';
import { secretsManager as secretsManagerDefinition } from '../../../collectors/aws/secretsmanager/index.ts';
import type { SecretSnapshot } from '../../../collectors/aws/secretsmanager/snapshot.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, collectCounting, daysBefore, undeclared, verdicts } from '../../support/checks.ts';
import { runnable } from '../../support/runnable.ts';

const secretsManager = runnable(secretsManagerDefinition);

const context = awsContext();
const secret = (name: string, over: Partial<SecretSnapshot> = {}): SecretSnapshot => ({
  name,
  arn: name,
  rotationEnabled: true,
  rotationDays: 30,
  createdAt: daysBefore(context, 400),
  lastRotatedAt: daysBefore(context, 10),
  lastAccessedAt: daysBefore(context, 1),
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/cmk',
  keyManager: 'CUSTOMER',
  ...over,
});

describe('aws.secretsmanager checks', () => {
  it('rotation enabled', () => {
    const secrets = [secret('on'), secret('off', { rotationEnabled: false })];
    expect(verdicts(rotationEnabled, { secrets }, context)).toEqual({ on: 'pass', off: 'fail' });
  });

  it('rotated within the configured days, counting from creation when never rotated', () => {
    const secrets = [
      secret('fresh'),
      secret('stale', { lastRotatedAt: daysBefore(context, 120) }),
      secret('new', { lastRotatedAt: null, createdAt: daysBefore(context, 5) }),
      secret('old', { lastRotatedAt: null }),
    ];
    expect(verdicts(rotatedRecently, { secrets }, context)).toEqual({
      fresh: 'pass',
      stale: 'fail',
      new: 'pass',
      old: 'fail',
    });
    expect(verdicts(rotatedRecently, { secrets }, awsContext({ secretRotationDays: 180 })).stale).toBe(
      'pass',
    );
  });

  it('unused: not read within the configured days', () => {
    const secrets = [
      secret('used'),
      secret('idle', { lastAccessedAt: daysBefore(context, 200) }),
      secret('never', { lastAccessedAt: null }),
      secret('just-created', { lastAccessedAt: null, createdAt: daysBefore(context, 2) }),
    ];
    expect(verdicts(unused, { secrets }, context)).toEqual({
      used: 'pass',
      idle: 'fail',
      never: 'fail',
      'just-created': 'pass',
    });
  });

  it('customer key where required', () => {
    const secrets = [secret('cmk'), secret('default', { keyArn: null, keyManager: null })];
    expect(verdicts(customerKey, { secrets }, awsContext({ customerManagedKeys: true }))).toEqual({
      cmk: 'pass',
      default: 'fail',
    });
    expect(verdicts(customerKey, { secrets }, context)).toEqual({ '111122223333': 'not_applicable' });
  });
});

describeAws('aws.secretsmanager collect (moto)', () => {
  it('lists secret metadata with one paginated call and never reads a value', async () => {
    const client = new SecretsManagerClient(awsConfig());
    await client.send(new CreateSecretCommand({ Name: 'db-password', SecretString: 'hunter2-value' }));
    await client.send(
      new CreateSecretCommand({ Name: 'api-token', SecretString: 'token-value', KmsKeyId: 'alias/app' }),
    );
    const { snapshot: s, calls } = await collectCounting(secretsManager);
    expect(s.secrets.map((x) => x.name).sort()).toEqual(['api-token', 'db-password']);
    expect(s.secrets.find((x) => x.name === 'db-password')).toMatchObject({
      rotationEnabled: false,
      keyArn: null,
    });
    expect(s.secrets.find((x) => x.name === 'api-token')).toMatchObject({
      keyArn: 'alias/app',
      keyManager: 'CUSTOMER',
    });
    expect(JSON.stringify(s)).not.toMatch(/hunter2|token-value/);
    expect(calls.filter((c) => c !== 'GetCallerIdentity')).toEqual(['ListSecrets']);
    expect(undeclared(calls, secretsManager)).toEqual([]);
  });
});
