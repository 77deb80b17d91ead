import {
  CreateDetectorCommand,
  EnableOrganizationAdminAccountCommand,
  GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import {
  delegatedAdmin,
  enabled,
  findingPublishing,
  highFindingsAge,
  malwareProtection,
  s3Protection,
} from '../../../collectors/aws/guardduty/checks.ts';
import { collect } from '../../../collectors/aws/guardduty/collect.ts';
import type { GuardDutySnapshot } from '../../../collectors/aws/guardduty/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { withAwsStandIn } from '../../support/aws-stand-in.ts';
import { at, context, daysBefore } from './detection-fixtures.ts';

const on: GuardDutySnapshot = {
  detectors: [
    {
      id: 'd1',
      status: 'ENABLED',
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      features: { S3_DATA_EVENTS: 'ENABLED', EBS_MALWARE_PROTECTION: 'ENABLED' },
    },
  ],
  highFindings: [{ id: 'f-new', severity: '8', createdAt: daysBefore(2) }],
};
const off: GuardDutySnapshot = {
  detectors: [
    {
      id: 'd1',
      status: 'ENABLED',
      findingPublishingFrequency: 'SIX_HOURS',
      features: { S3_DATA_EVENTS: 'DISABLED' },
    },
  ],
  highFindings: [
    { id: 'f-old', severity: '8.5', createdAt: daysBefore(45) },
    { id: 'f-new', severity: '7', createdAt: daysBefore(1) },
  ],
};

describe('aws.guardduty checks', () => {
  it.each([findingPublishing, malwareProtection, s3Protection, highFindingsAge, enabled])(
    '$id passes the compliant detector and fails the other',
    (check) => {
      expect(check.evaluate(on, context)[0]?.status).toBe('pass');
      const disabled = { detectors: [{ ...on.detectors[0]!, status: 'DISABLED' }], highFindings: [] };
      expect(
        (check === enabled ? check.evaluate(disabled, context) : check.evaluate(off, context))[0]?.status,
      ).toBe('fail');
    },
  );

  it('enabled fails a region without a detector, naming the region', () => {
    expect(enabled.evaluate({ detectors: [], highFindings: [] }, context)).toMatchObject([
      { status: 'fail', reason: 'no GuardDuty detector in eu-west-1' },
    ]);
  });

  it('settings of a region without GuardDuty are not applicable (enabled judges that)', () => {
    for (const check of [findingPublishing, malwareProtection, highFindingsAge]) {
      expect(check.evaluate({ detectors: [], highFindings: [] }, context)[0]?.status).toBe('not_applicable');
    }
  });

  it('delegated-admin passes a region with an enabled administrator and fails one without, in the management account only', () => {
    const judge = (delegatedAdmins: GuardDutySnapshot['delegatedAdmins']) =>
      delegatedAdmin.evaluate({ ...on, delegatedAdmins }, context)[0];
    expect(judge(['444455556666'])).toMatchObject({
      status: 'pass',
      reason: 'GuardDuty delegated administrator in eu-west-1: 444455556666',
    });
    expect(judge([])).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/^no GuardDuty delegated/),
    });
    expect(judge({ unknown: 'AccessDeniedException (HTTP 403)' })).toMatchObject({
      status: 'fail',
      reason: 'delegated administrators could not be read: AccessDeniedException (HTTP 403)',
    });
    // a member account, or evidence collected before administrators were recorded: not judged, never passed
    expect(judge(null)?.status).toBe('not_applicable');
    expect(delegatedAdmin.evaluate(on, context)[0]?.status).toBe('not_applicable');
  });

  it('high-findings-age names the old finding, follows the configured age, and fails when findings are unreadable', () => {
    expect(highFindingsAge.evaluate(off, context)[0]?.reason).toBe(
      '1 GuardDuty finding(s) open longer than 30 days: f-old',
    );
    const lenient = { ...context, settings: at({ findingMaxAgeDays: 60 }) };
    expect(highFindingsAge.evaluate(off, lenient)[0]?.status).toBe('pass');
    expect(
      highFindingsAge.evaluate(
        { ...on, highFindings: { unknown: 'BadRequestException (HTTP 404)' } },
        context,
      ),
    ).toMatchObject([
      { status: 'fail', reason: 'GuardDuty findings could not be read: BadRequestException (HTTP 404)' },
    ]);
  });
});

describeAws('aws.guardduty collect (moto)', () => {
  it('reads the detector and its features; a region without one has none', async () => {
    const gd = new GuardDutyClient(awsConfig());
    await gd.send(
      new CreateDetectorCommand({
        Enable: true,
        FindingPublishingFrequency: 'ONE_HOUR',
        DataSources: { S3Logs: { Enable: true } },
      }),
    );
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (s, op) => calls.push(`${s}:${op}`) });
    const account = await session.accountId();
    const snap = await collect(session, { source: 'aws', id: account, region: 'us-east-1' });
    expect(snap.detectors).toMatchObject([
      { status: 'ENABLED', findingPublishingFrequency: 'ONE_HOUR', features: { S3_DATA_EVENTS: 'ENABLED' } },
    ]);
    // moto does not implement ListFindings (404): the findings are recorded as unknown, never as none.
    expect(snap.highFindings).toEqual({ unknown: expect.stringContaining('HTTP 404') });
    expect(calls).toEqual([
      'STS:GetCallerIdentity',
      'GuardDuty:ListDetectors',
      'GuardDuty:GetDetector',
      'GuardDuty:ListFindings',
      'Organizations:DescribeOrganization',
    ]);
    // outside an organization there is no delegated administrator to ask about: not judged
    expect(snap.delegatedAdmins).toBeNull();
    const other = await collect(session, { source: 'aws', id: account, region: 'eu-west-1' });
    expect(other).toEqual({ detectors: [], highFindings: [], delegatedAdmins: null });
  });

  it('in the management account, lists the delegated administrators of the region', async () => {
    await new OrganizationsClient(awsConfig()).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const session = new AwsSession();
    const account = await session.accountId();
    const scope = { source: 'aws' as const, id: account, region: 'us-east-1' };
    const ctx = { ...context, scope };
    const before = await collect(session, scope);
    expect(before.delegatedAdmins).toEqual([]);
    expect(delegatedAdmin.evaluate(before, ctx)[0]?.status).toBe('fail');
    await new GuardDutyClient(awsConfig()).send(
      new EnableOrganizationAdminAccountCommand({ AdminAccountId: '444455556666' }),
    );
    const after = await collect(session, scope);
    expect(after.delegatedAdmins).toEqual(['444455556666']);
    expect(delegatedAdmin.evaluate(after, ctx)[0]?.status).toBe('pass');
    // a member account is judged through the management account
    const member = await collect(session, { ...scope, id: '999988887777' });
    expect(member.delegatedAdmins).toBeNull();
  });
});

describeAws('aws.guardduty collect (documented response shape; moto does not implement ListFindings)', () => {
  it('pages through high-severity finding ids and keeps only id, severity and creation time', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `f${i}`);
    const routes = {
      'GET /detector': () => ({ detectorIds: ['d1'] }),
      'GET /detector/d1': () => ({
        status: 'ENABLED',
        findingPublishingFrequency: 'SIX_HOURS',
        features: [{ name: 'EBS_MALWARE_PROTECTION', status: 'DISABLED' }],
      }),
      'POST /detector/d1/findings': (r: { body: Record<string, unknown> }) =>
        r.body.nextToken
          ? { findingIds: ids.slice(40) }
          : { findingIds: ids.slice(0, 40), nextToken: 'page-2' },
      'POST /detector/d1/findings/get': (r: { body: Record<string, unknown> }) => ({
        findings: (r.body.findingIds as string[]).map((id) => ({
          id,
          severity: 8,
          createdAt: daysBefore(id === 'f0' ? 40 : 1),
          type: 'UnauthorizedAccess:EC2/SSHBruteForce',
          resource: { instanceDetails: { instanceId: 'i-0123' } },
        })),
      }),
    };
    const { snap, requests } = await withAwsStandIn('GUARDDUTY', routes, async (requests) => ({
      snap: await collect(new AwsSession(), { source: 'aws', id: '111122223333', region: 'eu-west-1' }),
      requests,
    }));
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /detector',
      'GET /detector/d1',
      'POST /detector/d1/findings',
      'POST /detector/d1/findings',
      'POST /detector/d1/findings/get',
      'POST /detector/d1/findings/get',
    ]);
    expect(requests[2]?.body.findingCriteria).toEqual({
      criterion: { severity: { greaterThanOrEqual: 7 }, 'service.archived': { equals: ['false'] } },
    });
    expect(snap.detectors[0]?.features).toEqual({ EBS_MALWARE_PROTECTION: 'DISABLED' });
    expect(snap.highFindings).toHaveLength(60);
    expect(Object.keys((snap.highFindings as object[])[0] ?? {}).sort()).toEqual([
      'createdAt',
      'id',
      'severity',
    ]);
    expect(highFindingsAge.evaluate(snap, context)[0]?.reason).toBe(
      '1 GuardDuty finding(s) open longer than 30 days: f0',
    );
  });
});
