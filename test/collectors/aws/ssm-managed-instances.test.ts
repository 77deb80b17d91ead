import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { ssmManagedInstances as ssmManagedInstancesDefinition } from '../../../collectors/aws/ssm-managed-instances/index.ts';
import type {
  ManagedInstance,
  SsmManagedInstancesSnapshot,
} from '../../../collectors/aws/ssm-managed-instances/snapshot.ts';
import { collectTargets } from '../../../core/pipeline.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { tempStore } from '../../support/identity.ts';
import { runnable } from '../../support/runnable.ts';

const ssmManagedInstances = runnable(ssmManagedInstancesDefinition);

const asOf = new Date('2026-11-27T12:00:00Z');
const daysBefore = (days: number, from = asOf) => new Date(from.getTime() - days * 86_400_000);
const managed = (over: Partial<ManagedInstance>): ManagedInstance => ({
  id: 'i-good',
  managed: true,
  pingStatus: 'Online',
  lastPingAt: daysBefore(0).toISOString(),
  agentVersion: '3.3.1142.0',
  agentIsLatest: true,
  patches: {
    operation: 'Scan',
    operationEndTime: daysBefore(2).toISOString(),
    missing: 0,
    failed: 0,
    criticalNonCompliant: 0,
    securityNonCompliant: 0,
  },
  ...over,
});
const good: SsmManagedInstancesSnapshot = {
  region: 'us-east-1',
  instances: [managed({})],
  complianceSummaries: [{ complianceType: 'Association', compliant: 3, nonCompliant: 0 }],
};
const bad: SsmManagedInstancesSnapshot = {
  region: 'us-east-1',
  instances: [
    managed({
      id: 'i-bad',
      pingStatus: 'ConnectionLost',
      agentIsLatest: false,
      patches: {
        operation: 'Install',
        operationEndTime: daysBefore(20).toISOString(),
        missing: 4,
        failed: 1,
        criticalNonCompliant: 1,
        securityNonCompliant: 2,
      },
    }),
  ],
  complianceSummaries: [{ complianceType: 'Association', compliant: 1, nonCompliant: 2 }],
};

describe('aws.ssm.managed-instances checks', () => {
  // instance-managed judges every running instance, the other checks only the managed ones.
  const unmanaged = { ...good, instances: [managed({ id: 'i-unmanaged', managed: false, patches: null })] };
  everyCheckOnFixtures('aws.ssm.managed-instances', good, bad, awsContext(asOf), {
    'aws.ssm.instance-managed': unmanaged,
  });

  it('an instance that never reported a patch scan fails the patch checks, it does not pass them', () => {
    const never = { ...good, instances: [managed({ patches: null })] };
    for (const id of ['aws.ssm.patch-critical', 'aws.ssm.patch-failures', 'aws.ssm.patch-scan-recent'])
      expect(
        ssmManagedInstances.checks.find((c) => c.id === id)?.evaluate(never, awsContext(asOf)),
      ).toMatchObject([{ status: 'fail', reason: 'i-good has never reported a patch scan' }]);
  });
});

/**
 * A stand-in for the Systems Manager JSON API (X-Amz-Target routing), answering with bodies shaped as the
 * SSM API reference documents them; moto answers these three operations with HTTP 500.
 */
function ssmStandIn(bodies: Record<string, (request: Record<string, unknown>) => unknown>) {
  const requests: { target: string; body: Record<string, unknown> }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace('AmazonSSM.', '');
      const body = JSON.parse(raw || '{}');
      requests.push({ target, body });
      const answer = bodies[target];
      res.writeHead(answer ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer ? answer(body) : { __type: 'UnknownOperationException' }));
    });
  });
  return { server, requests };
}

describeAws('aws.ssm.managed-instances collect', () => {
  const ec2 = () => new EC2Client(awsConfig());
  const scope = { source: 'aws' as const, id: '123456789012', region: 'us-east-1' };
  let ids: string[] = [];
  beforeAll(async () => {
    const out = await ec2().send(
      new RunInstancesCommand({
        ImageId: 'ami-12c6146b',
        MinCount: 3,
        MaxCount: 3,
        InstanceType: 't3.micro',
      }),
    );
    ids = (out.Instances ?? []).map((i) => i.InstanceId ?? '');
  });

  it('records the refused read as an error artifact (moto answers DescribeInstanceInformation with HTTP 500)', async () => {
    const { store, dispose } = await tempStore();
    try {
      const session = new AwsSession();
      const [outcome] = await collectTargets(store, [{ collector: ssmManagedInstances, scope, session }]);
      expect(outcome?.ref.status).toBe('error');
      expect(outcome?.findings).toEqual([]);
      const { artifact } = await store.getArtifact(outcome?.ref.key ?? '');
      expect(artifact).toMatchObject({ status: 'error', error: { httpStatus: 500 } });
    } finally {
      await dispose();
    }
  }, 60_000);

  describe('parsing responses shaped as the SSM API reference documents (moto does not implement them)', () => {
    const now = new Date();
    const epoch = (d: Date) => d.getTime() / 1000;
    const { server, requests } = ssmStandIn({
      // Two pages, to prove the paginator is followed.
      DescribeInstanceInformation: (req) =>
        req.NextToken
          ? {
              InstanceInformationList: [
                {
                  InstanceId: ids[1],
                  PingStatus: 'ConnectionLost',
                  LastPingDateTime: epoch(daysBefore(9, now)),
                  AgentVersion: '3.2.582.0',
                  IsLatestVersion: false,
                  PlatformType: 'Linux',
                  ResourceType: 'EC2Instance',
                },
              ],
            }
          : {
              InstanceInformationList: [
                {
                  InstanceId: ids[0],
                  PingStatus: 'Online',
                  LastPingDateTime: epoch(now),
                  AgentVersion: '3.3.1142.0',
                  IsLatestVersion: true,
                  PlatformType: 'Linux',
                  PlatformName: 'Amazon Linux',
                  PlatformVersion: '2023',
                  ResourceType: 'EC2Instance',
                  IPAddress: '10.0.1.12',
                  ComputerName: 'ip-10-0-1-12.ec2.internal',
                },
              ],
              NextToken: 'page-2',
            },
      DescribeInstancePatchStates: (req) => ({
        InstancePatchStates: (req.InstanceIds as string[])
          .filter((id) => id === ids[0])
          .map((InstanceId) => ({
            InstanceId,
            PatchGroup: 'web',
            BaselineId: 'pb-0c10e65780EXAMPLE',
            SnapshotId: 'b9e1c1f6-6bbd-4fbb-9d2c-EXAMPLE',
            OwnerInformation: '',
            InstalledCount: 54,
            InstalledOtherCount: 0,
            InstalledPendingRebootCount: 0,
            InstalledRejectedCount: 0,
            MissingCount: 3,
            FailedCount: 0,
            UnreportedNotApplicableCount: 0,
            NotApplicableCount: 380,
            OperationStartTime: epoch(daysBefore(1, now)) - 60,
            OperationEndTime: epoch(daysBefore(1, now)),
            Operation: 'Scan',
            RebootOption: 'NoReboot',
            CriticalNonCompliantCount: 1,
            SecurityNonCompliantCount: 2,
            OtherNonCompliantCount: 0,
          })),
      }),
      ListComplianceSummaries: () => ({
        ComplianceSummaryItems: [
          {
            ComplianceType: 'Association',
            CompliantSummary: { CompliantCount: 2, SeveritySummary: { CriticalCount: 0, HighCount: 2 } },
            NonCompliantSummary: { NonCompliantCount: 1, SeveritySummary: { CriticalCount: 1 } },
          },
          {
            ComplianceType: 'Patch',
            CompliantSummary: { CompliantCount: 0 },
            NonCompliantSummary: { NonCompliantCount: 1 },
          },
        ],
      }),
    });
    beforeAll(async () => {
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      process.env.AWS_ENDPOINT_URL_SSM = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(() => {
      delete process.env.AWS_ENDPOINT_URL_SSM;
      server.close();
    });

    it('joins the running instances (EC2 on moto) with agent, patch state and compliance summaries', async () => {
      const calls: string[] = [];
      const session = new AwsSession({ onCall: (service, op) => calls.push(`${service}.${op}`) });
      const snap = await ssmManagedInstances.collect(session, scope);
      expect(calls.filter((c) => c === 'SSM.DescribeInstanceInformation')).toHaveLength(2);
      expect(requests.find((r) => r.target === 'DescribeInstancePatchStates')?.body.InstanceIds).toEqual(
        ids.slice(0, 2),
      );
      const byId = Object.fromEntries(snap.instances.map((i) => [i.id, i]));
      expect(byId[ids[0] ?? '']).toMatchObject({
        managed: true,
        pingStatus: 'Online',
        agentIsLatest: true,
        patches: {
          operation: 'Scan',
          missing: 3,
          failed: 0,
          criticalNonCompliant: 1,
          securityNonCompliant: 2,
        },
      });
      expect(byId[ids[1] ?? '']).toMatchObject({
        managed: true,
        pingStatus: 'ConnectionLost',
        patches: null,
      });
      expect(byId[ids[2] ?? '']).toMatchObject({ managed: false, pingStatus: null, patches: null });
      expect(snap.complianceSummaries).toEqual([
        { complianceType: 'Association', compliant: 2, nonCompliant: 1 },
        { complianceType: 'Patch', compliant: 0, nonCompliant: 1 },
      ]);

      const statuses = (id: string) =>
        ssmManagedInstances.checks
          .find((c) => c.id === id)
          ?.evaluate(snap, awsContext(now))
          .map(
            (f) =>
              `${f.resource === ids[0] ? 'first' : f.resource === ids[1] ? 'second' : f.resource === ids[2] ? 'third' : f.resource}:${f.status}`,
          );
      expect(statuses('aws.ssm.instance-managed')).toEqual(['first:pass', 'second:pass', 'third:fail']);
      expect(statuses('aws.ssm.patch-critical')).toEqual(['first:fail', 'second:fail']);
      expect(statuses('aws.ssm.patch-scan-recent')).toEqual(['first:pass', 'second:fail']);
      expect(statuses('aws.ssm.agent-online')).toEqual(['first:pass', 'second:fail']);
      expect(statuses('aws.ssm.association-compliance')).toEqual(['Association:fail']);
    });
  });
});
