import { describe, expect, it } from 'vitest';
import { enabled, externalAccess } from '../../../collectors/aws/access-analyzer/checks.ts';
import { collect } from '../../../collectors/aws/access-analyzer/collect.ts';
import type { AccessAnalyzerSnapshot } from '../../../collectors/aws/access-analyzer/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { errorArtifact } from '../../../core/artifact.ts';
import { describeAws } from '../../support/aws.ts';
import { withAwsStandIn } from '../../support/aws-stand-in.ts';
import { context, daysBefore } from './detection-fixtures.ts';

const analyzer = {
  name: 'account',
  arn: 'arn:aws:access-analyzer:eu-west-1:111122223333:analyzer/account',
  type: 'ACCOUNT',
  status: 'ACTIVE',
};
const good: AccessAnalyzerSnapshot = { analyzers: [analyzer], findings: [] };
const bad: AccessAnalyzerSnapshot = {
  analyzers: [{ ...analyzer, status: 'DISABLED' }],
  findings: [],
};
const shared: AccessAnalyzerSnapshot = {
  analyzers: [analyzer],
  findings: [
    {
      id: 'f-1',
      analyzer: 'account',
      resource: 'arn:aws:s3:::exports',
      resourceType: 'AWS::S3::Bucket',
      isPublic: true,
      createdAt: daysBefore(3),
    },
  ],
};

describe('aws.accessanalyzer checks', () => {
  it('enabled passes an active account analyzer and fails a disabled one', () => {
    expect(enabled.evaluate(good, context)[0]?.status).toBe('pass');
    expect(enabled.evaluate(bad, context)[0]).toMatchObject({
      status: 'fail',
      reason: 'no active external-access analyzer in eu-west-1',
    });
  });

  it('external-access passes no findings, fails each shared resource, and is not applicable without an analyzer', () => {
    expect(externalAccess.evaluate(good, context)[0]?.status).toBe('pass');
    expect(externalAccess.evaluate(shared, context)).toMatchObject([
      {
        status: 'fail',
        resource: 'arn:aws:s3:::exports',
        reason: expect.stringContaining('AWS::S3::Bucket is public (finding f-1'),
      },
    ]);
    expect(externalAccess.evaluate(bad, context)[0]?.status).toBe('not_applicable');
  });
});

describeAws('aws.accessanalyzer collect (moto)', () => {
  it('moto answers Access Analyzer with HTTP 500: the collection is an error artifact, not a pass', async () => {
    const session = new AwsSession({
      credentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' }),
    });
    const scope = { source: 'aws' as const, id: '123456789012', region: 'us-east-1' };
    const error = await collect(session, scope).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeDefined();
    expect(errorArtifact('aws.accessanalyzer', scope, new Date().toISOString(), error)).toMatchObject({
      status: 'error',
      error: { httpStatus: 500 },
    });
  });
});

describeAws(
  'aws.accessanalyzer collect (documented response shape; moto does not implement Access Analyzer)',
  () => {
    it('lists analyzers and pages through the active findings of the external-access ones', async () => {
      const routes = {
        'GET /analyzer': () => ({
          analyzers: [
            { ...analyzer, createdAt: daysBefore(100) },
            {
              name: 'unused',
              arn: 'arn:aws:access-analyzer:eu-west-1:111122223333:analyzer/unused',
              type: 'ACCOUNT_UNUSED_ACCESS',
              status: 'ACTIVE',
              createdAt: daysBefore(100),
            },
          ],
        }),
        'POST /finding': (r: { body: Record<string, unknown> }) =>
          r.body.nextToken
            ? {
                findings: [
                  {
                    id: 'f-2',
                    resource: 'arn:aws:iam::111122223333:role/partner',
                    resourceType: 'AWS::IAM::Role',
                    principal: { AWS: '999988887777' },
                    action: ['sts:AssumeRole'],
                    condition: {},
                    isPublic: false,
                    status: 'ACTIVE',
                    createdAt: daysBefore(5),
                    updatedAt: daysBefore(5),
                    analyzedAt: daysBefore(1),
                    resourceOwnerAccount: '111122223333',
                  },
                ],
              }
            : {
                findings: [
                  {
                    id: 'f-1',
                    resource: 'arn:aws:s3:::exports',
                    resourceType: 'AWS::S3::Bucket',
                    principal: { AWS: '*' },
                    action: ['s3:GetObject'],
                    condition: {},
                    isPublic: true,
                    status: 'ACTIVE',
                    createdAt: daysBefore(3),
                    updatedAt: daysBefore(3),
                    analyzedAt: daysBefore(1),
                    resourceOwnerAccount: '111122223333',
                  },
                ],
                nextToken: 'p2',
              },
      };
      const { snap, requests } = await withAwsStandIn('ACCESSANALYZER', routes, async (requests) => ({
        snap: await collect(new AwsSession(), { source: 'aws', id: '111122223333', region: 'eu-west-1' }),
        requests,
      }));
      expect(
        requests.filter((r) => r.path === '/finding').map((r) => [r.body.analyzerArn, r.body.filter]),
      ).toEqual([
        [analyzer.arn, { status: { eq: ['ACTIVE'] } }],
        [analyzer.arn, { status: { eq: ['ACTIVE'] } }],
      ]);
      expect(snap.findings.map((f) => [f.id, f.resourceType, f.isPublic])).toEqual([
        ['f-1', 'AWS::S3::Bucket', true],
        ['f-2', 'AWS::IAM::Role', false],
      ]);
      expect(externalAccess.evaluate(snap, context).map((f) => f.status)).toEqual(['fail', 'fail']);
    });
  },
);
