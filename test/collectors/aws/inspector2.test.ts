import { EnableCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { describe, expect, it } from 'vitest';
import {
  criticalFindingsAge,
  ec2Scanning,
  ecrScanning,
  lambdaScanning,
} from '../../../collectors/aws/inspector2/checks.ts';
import { collect } from '../../../collectors/aws/inspector2/collect.ts';
import type { Inspector2Snapshot } from '../../../collectors/aws/inspector2/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { context, daysBefore } from './detection-fixtures.ts';

const good: Inspector2Snapshot = {
  status: 'ENABLED',
  resourceTypes: { ec2: 'ENABLED', ecr: 'ENABLED', lambda: 'ENABLED', lambdaCode: 'DISABLED' },
  criticalFindings: [{ id: 'arn:finding/new', severity: 'CRITICAL', createdAt: daysBefore(5) }],
};
const bad: Inspector2Snapshot = {
  status: 'ENABLED',
  resourceTypes: { ec2: 'DISABLED', ecr: 'SUSPENDED', lambda: 'DISABLED' },
  criticalFindings: [{ id: 'arn:finding/old', severity: 'CRITICAL', createdAt: daysBefore(90) }],
};

describe('aws.inspector2 checks', () => {
  it.each([ec2Scanning, ecrScanning, lambdaScanning, criticalFindingsAge])(
    '$id passes the good account, fails the other',
    (check) => {
      expect(check.evaluate(good, context)[0]?.status).toBe('pass');
      expect(check.evaluate(bad, context)[0]?.status).toBe('fail');
    },
  );

  it('names the resource type state and the old finding', () => {
    expect(ecrScanning.evaluate(bad, context)[0]?.reason).toBe(
      'Inspector ecr scanning is suspended in eu-west-1',
    );
    expect(criticalFindingsAge.evaluate(bad, context)[0]?.reason).toContain('arn:finding/old');
    const off: Inspector2Snapshot = { status: 'DISABLED', resourceTypes: {}, criticalFindings: [] };
    expect(ec2Scanning.evaluate(off, context)[0]?.status).toBe('fail');
    expect(criticalFindingsAge.evaluate(off, context)[0]?.status).toBe('not_applicable');
  });
});

describeAws('aws.inspector2 collect (moto)', () => {
  it('reads the account status per resource type', async () => {
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (s, op) => calls.push(`${s}:${op}`) });
    const account = await session.accountId();
    const scope = { source: 'aws' as const, id: account, region: 'us-east-1' };
    expect(await collect(session, scope)).toEqual({
      status: 'DISABLED',
      resourceTypes: {},
      criticalFindings: [],
    });
    await new Inspector2Client(awsConfig()).send(
      new EnableCommand({ resourceTypes: ['EC2', 'ECR'], accountIds: [account] }),
    );
    const snap = await collect(session, scope);
    expect(snap).toMatchObject({
      status: 'ENABLED',
      resourceTypes: { ec2: 'ENABLED', ecr: 'ENABLED', lambda: 'DISABLED' },
      criticalFindings: [],
    });
    expect(lambdaScanning.evaluate(snap, { ...context, scope })[0]?.status).toBe('fail');
    expect(calls).toEqual([
      'STS:GetCallerIdentity',
      'Inspector2:BatchGetAccountStatus',
      'Inspector2:BatchGetAccountStatus',
      'Inspector2:ListFindings',
    ]);
  });
});
