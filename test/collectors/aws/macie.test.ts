import { EnableMacieCommand, Macie2Client } from '@aws-sdk/client-macie2';
import { describe, expect, it } from 'vitest';
import { enabled, highFindingsAge, sensitiveDataDiscovery } from '../../../collectors/aws/macie/checks.ts';
import { collect } from '../../../collectors/aws/macie/collect.ts';
import type { MacieSnapshot } from '../../../collectors/aws/macie/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { errorArtifact } from '../../../core/artifact.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { withAwsStandIn } from '../../support/aws-stand-in.ts';
import { context, daysBefore } from './detection-fixtures.ts';

const good: MacieSnapshot = {
  status: 'ENABLED',
  automatedDiscovery: 'ENABLED',
  activeJobs: [],
  highFindings: [],
};
const bad: MacieSnapshot = {
  status: 'PAUSED',
  automatedDiscovery: 'DISABLED',
  activeJobs: [],
  highFindings: [{ id: 'm-old', severity: 'High', createdAt: daysBefore(60) }],
};

describe('aws.macie checks', () => {
  it.each([enabled, sensitiveDataDiscovery, highFindingsAge])(
    '$id passes the good account, fails the other',
    (check) => {
      expect(check.evaluate(good, context)[0]?.status).toBe('pass');
      expect(
        check.evaluate({ ...bad, status: check === enabled ? 'PAUSED' : 'ENABLED' }, context)[0]?.status,
      ).toBe('fail');
    },
  );

  it('a scheduled classification job counts as discovery; an unreadable answer is a failing gap', () => {
    expect(
      sensitiveDataDiscovery.evaluate(
        { ...good, automatedDiscovery: 'DISABLED', activeJobs: ['job-1'] },
        context,
      )[0]?.status,
    ).toBe('pass');
    expect(
      sensitiveDataDiscovery.evaluate(
        { ...good, automatedDiscovery: { unknown: 'ValidationException (HTTP 400)' }, activeJobs: [] },
        context,
      )[0],
    ).toMatchObject({
      status: 'fail',
      reason: 'sensitive data discovery could not be established: ValidationException (HTTP 400)',
    });
  });

  it('Macie off: enabled fails, the rest is not applicable', () => {
    const off: MacieSnapshot = {
      status: null,
      automatedDiscovery: 'DISABLED',
      activeJobs: [],
      highFindings: [],
    };
    expect(enabled.evaluate(off, context)[0]?.reason).toBe('Macie is not enabled in eu-west-1');
    expect(sensitiveDataDiscovery.evaluate(off, context)[0]?.status).toBe('not_applicable');
    expect(highFindingsAge.evaluate(off, context)[0]?.status).toBe('not_applicable');
  });
});

describeAws('aws.macie collect (moto)', () => {
  it('moto answers GetMacieSession with timestamps the SDK rejects: the collection is an error artifact, not a pass', async () => {
    await new Macie2Client(awsConfig()).send(new EnableMacieCommand({}));
    const session = new AwsSession();
    const scope = { source: 'aws' as const, id: await session.accountId(), region: 'us-east-1' };
    const error = await collect(session, scope).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(errorArtifact('aws.macie', scope, new Date().toISOString(), error)).toMatchObject({
      status: 'error',
      error: { code: 'TypeError', message: expect.stringContaining('RFC-3339') },
    });
  });
});

describeAws(
  'aws.macie collect (documented response shape; moto does not implement discovery, jobs or findings)',
  () => {
    const scope = { source: 'aws' as const, id: '111122223333', region: 'eu-west-1' };

    it('reads the session, discovery, active jobs and pages of high findings (ids, severity, creation time only)', async () => {
      const routes = {
        'GET /macie': () => ({
          status: 'ENABLED',
          createdAt: daysBefore(100),
          findingPublishingFrequency: 'FIFTEEN_MINUTES',
        }),
        'GET /automated-discovery/configuration': () => ({ status: 'DISABLED' }),
        'POST /jobs/list': () => ({
          items: [{ jobId: 'job-1', jobStatus: 'IDLE', jobType: 'SCHEDULED', name: 'weekly' }],
        }),
        'POST /findings': (r: { body: Record<string, unknown> }) =>
          r.body.nextToken ? { findingIds: ['m2'] } : { findingIds: ['m1'], nextToken: 'p2' },
        'POST /findings/describe': (r: { body: Record<string, unknown> }) => ({
          findings: (r.body.findingIds as string[]).map((id) => ({
            id,
            createdAt: daysBefore(id === 'm1' ? 50 : 2),
            severity: { description: 'High', score: 3 },
            type: 'SensitiveData:S3Object/Personal',
            resourcesAffected: { s3Bucket: { name: 'customer-data' } },
          })),
        }),
      };
      const { snap, requests } = await withAwsStandIn('MACIE2', routes, async (requests) => ({
        snap: await collect(new AwsSession(), scope),
        requests,
      }));
      expect(snap).toEqual({
        status: 'ENABLED',
        automatedDiscovery: 'DISABLED',
        activeJobs: ['job-1'],
        highFindings: [
          { id: 'm1', severity: 'High', createdAt: daysBefore(50) },
          { id: 'm2', severity: 'High', createdAt: daysBefore(2) },
        ],
      });
      expect(requests.find((r) => r.path === '/findings')?.body.findingCriteria).toEqual({
        criterion: { 'severity.description': { eq: ['High'] }, archived: { eq: ['false'] } },
      });
      expect(highFindingsAge.evaluate(snap, context)[0]?.reason).toBe(
        '1 Macie finding(s) open longer than 30 days: m1',
      );
    });

    it('an account that has not enabled Macie is recorded as off (AccessDeniedException "Macie is not enabled")', async () => {
      const routes = {
        'GET /macie': () => [403, { message: 'Macie is not enabled.' }, 'AccessDeniedException'],
      };
      const snap = await withAwsStandIn('MACIE2', routes, () => collect(new AwsSession(), scope));
      expect(snap.status).toBeNull();
    });
  },
);
