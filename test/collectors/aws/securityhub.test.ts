import {
  BatchImportFindingsCommand,
  EnableSecurityHubCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import {
  autoEnableControls,
  enabled,
  failedFindingsAge,
  standardsEnabled,
} from '../../../collectors/aws/securityhub/checks.ts';
import { collect } from '../../../collectors/aws/securityhub/collect.ts';
import type { SecurityHubSnapshot } from '../../../collectors/aws/securityhub/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { withAwsStandIn } from '../../support/aws-stand-in.ts';
import { context, daysBefore } from './detection-fixtures.ts';

const hub = { arn: 'arn:aws:securityhub:eu-west-1:111122223333:hub/default', subscribedAt: daysBefore(400) };
const good: SecurityHubSnapshot = {
  hub: { ...hub, autoEnableControls: true },
  standards: [
    {
      arn: 'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
      status: 'READY',
    },
  ],
  failedFindings: [{ id: 'f-new', severity: 'HIGH', createdAt: daysBefore(3) }],
};
const bad: SecurityHubSnapshot = {
  hub: { ...hub, autoEnableControls: false },
  standards: [],
  failedFindings: [{ id: 'f-old', severity: 'CRITICAL', createdAt: daysBefore(31) }],
};

describe('aws.securityhub checks', () => {
  it.each([standardsEnabled, autoEnableControls, failedFindingsAge])(
    '$id passes the good hub, fails the other',
    (check) => {
      expect(check.evaluate(good, context)[0]?.status).toBe('pass');
      expect(check.evaluate(bad, context)[0]?.status).toBe('fail');
    },
  );

  it('enabled fails a region without a hub; the hub checks are then not applicable', () => {
    const none: SecurityHubSnapshot = { hub: null, standards: [], failedFindings: [] };
    expect(enabled.evaluate(good, context)[0]?.status).toBe('pass');
    expect(enabled.evaluate(none, context)).toMatchObject([
      { status: 'fail', reason: 'Security Hub is not enabled in eu-west-1' },
    ]);
    for (const check of [standardsEnabled, autoEnableControls, failedFindingsAge]) {
      expect(check.evaluate(none, context)[0]?.status).toBe('not_applicable');
    }
  });

  it('unreadable standards or findings are failing gaps, and a standard still being set up does not count', () => {
    const unknown = { unknown: 'InvalidAccessException (HTTP 404)' };
    expect(standardsEnabled.evaluate({ ...good, standards: unknown }, context)[0]).toMatchObject({
      status: 'fail',
      reason: 'enabled standards could not be read: InvalidAccessException (HTTP 404)',
    });
    expect(failedFindingsAge.evaluate({ ...good, failedFindings: unknown }, context)[0]?.status).toBe('fail');
    const pending = { ...good, standards: [{ arn: 'x', status: 'PENDING' }] };
    expect(standardsEnabled.evaluate(pending, context)[0]?.reason).toBe('no standard is READY (PENDING)');
  });
});

describeAws('aws.securityhub collect (moto)', () => {
  it('records no hub where Security Hub is off, and the hub with its failed findings where it is on', async () => {
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (s, op) => calls.push(`${s}:${op}`) });
    const account = await session.accountId();
    const scope = { source: 'aws' as const, id: account, region: 'us-east-1' };
    expect(await collect(session, scope)).toEqual({ hub: null, standards: [], failedFindings: [] });
    const sh = new SecurityHubClient(awsConfig());
    await sh.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    const now = new Date().toISOString();
    await sh.send(
      new BatchImportFindingsCommand({
        Findings: [
          {
            SchemaVersion: '2018-10-08',
            Id: 'finding-1',
            ProductArn: `arn:aws:securityhub:us-east-1:${account}:product/${account}/default`,
            GeneratorId: 'test',
            AwsAccountId: account,
            Types: ['Software and Configuration Checks'],
            CreatedAt: now,
            UpdatedAt: now,
            FirstObservedAt: now,
            Severity: { Label: 'CRITICAL' },
            Title: 'S3 bucket is public',
            Description: 'test',
            Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::public' }],
            Compliance: { Status: 'FAILED' },
            RecordState: 'ACTIVE',
            Workflow: { Status: 'NEW' },
          },
        ],
      }),
    );
    const snap = await collect(session, scope);
    expect(snap.hub).toMatchObject({
      arn: expect.stringContaining(':hub/default'),
      autoEnableControls: true,
    });
    // moto does not implement GetEnabledStandards (404): recorded as unknown, so standards-enabled fails.
    expect(snap.standards).toEqual({ unknown: expect.stringContaining('HTTP 404') });
    expect(snap.failedFindings).toEqual([
      { id: 'finding-1', severity: 'CRITICAL', createdAt: expect.any(String) },
    ]);
    expect(calls.slice(-4)).toEqual([
      'SecurityHub:DescribeHub',
      'SecurityHub:DescribeHub',
      'SecurityHub:GetEnabledStandards',
      'SecurityHub:GetFindings',
    ]);
  });
});

describeAws(
  'aws.securityhub collect (documented response shape; moto does not implement GetEnabledStandards)',
  () => {
    it('pages through the enabled standards', async () => {
      const routes = {
        'GET /accounts': () => ({
          HubArn: 'arn:aws:securityhub:eu-west-1:111122223333:hub/default',
          SubscribedAt: daysBefore(10),
          AutoEnableControls: false,
        }),
        'POST /standards/get': (r: { body: Record<string, unknown> }) =>
          r.body.NextToken
            ? {
                StandardsSubscriptions: [
                  {
                    StandardsArn:
                      'arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0',
                    StandardsSubscriptionArn: 'arn:s2',
                    StandardsInput: {},
                    StandardsStatus: 'INCOMPLETE',
                  },
                ],
              }
            : {
                StandardsSubscriptions: [
                  {
                    StandardsArn:
                      'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
                    StandardsSubscriptionArn: 'arn:s1',
                    StandardsInput: {},
                    StandardsStatus: 'READY',
                  },
                ],
                NextToken: 'p2',
              },
        'POST /findings': () => ({ Findings: [] }),
      };
      const snap = await withAwsStandIn('SECURITYHUB', routes, () =>
        collect(new AwsSession(), { source: 'aws', id: '111122223333', region: 'eu-west-1' }),
      );
      expect(snap.standards).toEqual([
        {
          arn: 'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
          status: 'READY',
        },
        {
          arn: 'arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0',
          status: 'INCOMPLETE',
        },
      ]);
      expect(standardsEnabled.evaluate(snap, context)[0]).toMatchObject({
        status: 'pass',
        reason: expect.stringContaining('1 standard(s) ready'),
      });
    });
  },
);
