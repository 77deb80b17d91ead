import {
  CreateRepositoryCommand,
  ECRClient,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import {
  customerKey,
  lifecyclePolicy,
  publicPolicy,
  scanOnPush,
  tagImmutability,
} from '../../../collectors/aws/ecr/checks.ts';
import { ecr as ecrDefinition } from '../../../collectors/aws/ecr/index.ts';
import type { EcrSnapshot, RepositorySnapshot } from '../../../collectors/aws/ecr/snapshot.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, collectCounting, undeclared, verdicts } from '../../support/checks.ts';
import { runnable } from '../../support/runnable.ts';

const ecr = runnable(ecrDefinition);

const context = awsContext();
const repo = (name: string, over: Partial<RepositorySnapshot> = {}): RepositorySnapshot => ({
  name,
  arn: name,
  scanOnPush: true,
  tagMutability: 'IMMUTABLE',
  policy: null,
  lifecyclePolicy: true,
  keyArn: null,
  keyManager: null,
  ...over,
});
const basic = (repositories: RepositorySnapshot[]): EcrSnapshot => ({
  repositories,
  registryScanning: { scanType: 'BASIC', rules: [] },
});
const publicRepoPolicy = {
  Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }],
};

describe('aws.ecr checks', () => {
  it('scan on push: basic per repository, or an enhanced rule whose wildcard filter matches', () => {
    const repos = [repo('api'), repo('web', { scanOnPush: false })];
    expect(verdicts(scanOnPush, basic(repos), context)).toEqual({ api: 'pass', web: 'fail' });
    const enhanced: EcrSnapshot = {
      repositories: [repo('prod-api', { scanOnPush: false }), repo('sandbox', { scanOnPush: true })],
      registryScanning: {
        scanType: 'ENHANCED',
        rules: [{ frequency: 'CONTINUOUS_SCAN', filters: ['prod-*'] }],
      },
    };
    expect(verdicts(scanOnPush, enhanced, context)).toEqual({ 'prod-api': 'pass', sandbox: 'fail' });
  });

  it('tag immutability, public policy, lifecycle policy', () => {
    const repos = [
      repo('good'),
      repo('bad', { tagMutability: 'MUTABLE', policy: publicRepoPolicy, lifecyclePolicy: false }),
    ];
    expect(verdicts(tagImmutability, basic(repos), context)).toEqual({ good: 'pass', bad: 'fail' });
    expect(verdicts(publicPolicy, basic(repos), context)).toEqual({ good: 'pass', bad: 'fail' });
    expect(verdicts(lifecyclePolicy, basic(repos), context)).toEqual({ good: 'pass', bad: 'fail' });
  });

  it('customer key where required', () => {
    const repos = [
      repo('cmk', { keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1', keyManager: 'CUSTOMER' }),
      repo('aes'),
    ];
    expect(verdicts(customerKey, basic(repos), awsContext({ customerManagedKeys: true }))).toEqual({
      cmk: 'pass',
      aes: 'fail',
    });
  });
});

describeAws('aws.ecr collect (moto)', () => {
  it('reads repositories, their policies and the registry scanning configuration', async () => {
    const client = new ECRClient(awsConfig());
    await client.send(
      new CreateRepositoryCommand({
        repositoryName: 'api',
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    await client.send(
      new PutLifecyclePolicyCommand({
        repositoryName: 'api',
        lifecyclePolicyText: JSON.stringify({
          rules: [
            {
              rulePriority: 1,
              selection: {
                tagStatus: 'untagged',
                countType: 'sinceImagePushed',
                countUnit: 'days',
                countNumber: 14,
              },
              action: { type: 'expire' },
            },
          ],
        }),
      }),
    );
    await client.send(new CreateRepositoryCommand({ repositoryName: 'legacy' }));
    await client.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'legacy',
        policyText: JSON.stringify(publicRepoPolicy),
      }),
    );
    const { snapshot: s, calls } = await collectCounting(ecr);
    const byName = Object.fromEntries(s.repositories.map((r) => [r.name, r]));
    expect(byName.api).toMatchObject({
      scanOnPush: true,
      tagMutability: 'IMMUTABLE',
      policy: null,
      lifecyclePolicy: true,
    });
    expect(byName.legacy).toMatchObject({
      scanOnPush: false,
      tagMutability: 'MUTABLE',
      policy: publicRepoPolicy,
      lifecyclePolicy: false,
    });
    expect(verdicts(publicPolicy, s, context)).toEqual({
      [byName.api?.arn ?? '']: 'pass',
      [byName.legacy?.arn ?? '']: 'fail',
    });
    expect(undeclared(calls, ecr)).toEqual([]);
  });
});
