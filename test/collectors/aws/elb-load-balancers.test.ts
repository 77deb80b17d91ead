import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateLoadBalancerCommand as CreateClassicCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssociateWebACLCommand, CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { describe, expect, it } from 'vitest';
import { httpsOnly, waf } from '../../../collectors/aws/elb-load-balancers/checks.ts';
import { minTlsOfPolicy } from '../../../collectors/aws/elb-load-balancers/collect.ts';
import { elbLoadBalancers as elbLoadBalancersDefinition } from '../../../collectors/aws/elb-load-balancers/index.ts';
import type {
  ElbLoadBalancersSnapshot,
  LoadBalancer,
} from '../../../collectors/aws/elb-load-balancers/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { runnable } from '../../support/runnable.ts';

const elbLoadBalancers = runnable(elbLoadBalancersDefinition);

const alb = (over: Partial<LoadBalancer>): LoadBalancer => ({
  id: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/good/1',
  name: 'good',
  type: 'application',
  scheme: 'internet-facing',
  listeners: [
    { port: 80, protocol: 'HTTP', minTls: null, sslPolicy: null, redirectsToHttps: true },
    {
      port: 443,
      protocol: 'HTTPS',
      minTls: '1.2',
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      redirectsToHttps: false,
    },
  ],
  accessLogs: true,
  deletionProtection: true,
  dropInvalidHeaders: true,
  desyncMitigation: 'defensive',
  webAcl: 'arn:aws:wafv2:us-east-1:111122223333:regional/webacl/edge/1',
  ...over,
});
const good: ElbLoadBalancersSnapshot = { loadBalancers: [alb({})], gaps: {} };
const bad: ElbLoadBalancersSnapshot = {
  loadBalancers: [
    alb({
      id: 'bad',
      name: 'bad',
      listeners: [
        { port: 80, protocol: 'HTTP', minTls: null, sslPolicy: null, redirectsToHttps: false },
        {
          port: 443,
          protocol: 'HTTPS',
          minTls: '1.0',
          sslPolicy: 'ELBSecurityPolicy-2016-08',
          redirectsToHttps: false,
        },
      ],
      accessLogs: false,
      deletionProtection: false,
      dropInvalidHeaders: false,
      desyncMitigation: 'monitor',
      webAcl: null,
    }),
  ],
  gaps: {},
};

describe('aws.elb.load-balancers checks', () => {
  everyCheckOnFixtures('aws.elb.load-balancers', good, bad);

  it('reads the minimum TLS version from the predefined policy names', () => {
    expect(
      [
        'ELBSecurityPolicy-2016-08',
        'ELBSecurityPolicy-TLS-1-1-2017-01',
        'ELBSecurityPolicy-FS-1-2-Res-2020-10',
        'ELBSecurityPolicy-TLS13-1-3-2021-06',
        'ELBSecurityPolicy-FS-2018-06',
      ].map(minTlsOfPolicy),
    ).toEqual(['1.0', '1.1', '1.2', '1.3', '1.0']);
  });

  it('classic load balancers that could not be read are a failing gap, not silence', () => {
    const findings = httpsOnly.evaluate(
      { loadBalancers: [], gaps: { classic: 'UnknownOperation' } },
      awsContext(),
    );
    expect(findings).toEqual([
      {
        check: 'aws.elb.https-only',
        resource: '111122223333/us-east-1/classic',
        status: 'fail',
        reason: 'classic load balancers could not be read (UnknownOperation): unknown',
      },
    ]);
  });

  it('web ACL associations that could not be read leave the WAF check failing with "unknown"', () => {
    const { webAcl: _, ...unknown } = alb({});
    expect(
      waf.evaluate({ loadBalancers: [unknown], gaps: { webAcls: 'AccessDenied' } }, awsContext())[0],
    ).toMatchObject({
      status: 'fail',
      reason: 'web ACL associations could not be read: unknown whether good is protected',
    });
  });
});

describeAws('aws.elb.load-balancers collect (moto)', () => {
  it('reads ELBv2 listeners and attributes, classic load balancers and web ACL associations', async () => {
    const ec2 = new EC2Client(awsConfig());
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
    const subnets = await Promise.all(
      ['a', 'b'].map(
        async (az, i) =>
          (
            await ec2.send(
              new CreateSubnetCommand({
                VpcId: Vpc?.VpcId,
                CidrBlock: `10.9.${i}.0/24`,
                AvailabilityZone: `us-east-1${az}`,
              }),
            )
          ).Subnet?.SubnetId ?? '',
      ),
    );
    const elb = new ElasticLoadBalancingV2Client(awsConfig());
    const { LoadBalancers } = await elb.send(
      new CreateLoadBalancerCommand({ Name: 'web', Subnets: subnets, Type: 'application' }),
    );
    const arn = LoadBalancers?.[0]?.LoadBalancerArn ?? '';
    const { TargetGroups } = await elb.send(
      new CreateTargetGroupCommand({ Name: 'web', Protocol: 'HTTP', Port: 80, VpcId: Vpc?.VpcId }),
    );
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: arn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{ Type: 'forward', TargetGroupArn: TargetGroups?.[0]?.TargetGroupArn }],
      }),
    );
    const { CertificateArn } = await new ACMClient(awsConfig()).send(
      new RequestCertificateCommand({ DomainName: 'web.example.com' }),
    );
    await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: arn,
        Protocol: 'HTTPS',
        Port: 443,
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn }],
        DefaultActions: [{ Type: 'forward', TargetGroupArn: TargetGroups?.[0]?.TargetGroupArn }],
      }),
    );
    await elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }],
      }),
    );
    const wafv2 = new WAFV2Client(awsConfig());
    const { Summary } = await wafv2.send(
      new CreateWebACLCommand({
        Name: 'edge',
        Scope: 'REGIONAL',
        DefaultAction: { Allow: {} },
        VisibilityConfig: {
          SampledRequestsEnabled: true,
          CloudWatchMetricsEnabled: true,
          MetricName: 'edge',
        },
      }),
    );
    await wafv2.send(new AssociateWebACLCommand({ WebACLArn: Summary?.ARN, ResourceArn: arn }));
    await new ElasticLoadBalancingClient(awsConfig()).send(
      new CreateClassicCommand({
        LoadBalancerName: 'legacy',
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 8080 }],
        AvailabilityZones: ['us-east-1a'],
      }),
    );

    const calls: string[] = [];
    const session = new AwsSession({ onCall: (service, op) => calls.push(`${service}.${op}`) });
    const snap = await elbLoadBalancers.collect(session, {
      source: 'aws',
      id: '123456789012',
      region: 'us-east-1',
    });
    expect(snap.gaps).toEqual({});
    const byName = Object.fromEntries(snap.loadBalancers.map((lb) => [lb.name, lb]));
    expect(byName.web).toMatchObject({
      type: 'application',
      dropInvalidHeaders: true,
      webAcl: Summary?.ARN,
      listeners: expect.arrayContaining([
        expect.objectContaining({
          port: 80,
          protocol: 'HTTP',
          redirectsToHttps: false,
          sslPolicy: null,
          minTls: null,
        }),
        expect.objectContaining({ port: 443, protocol: 'HTTPS', minTls: '1.2' }),
      ]),
    });
    expect(byName.legacy).toMatchObject({
      type: 'classic',
      deletionProtection: null,
      listeners: [{ protocol: 'HTTP', port: 80 }],
    });
    expect(httpsOnly.evaluate(snap, awsContext()).map((f) => f.status)).toEqual(['fail', 'fail']);
    expect(calls.filter((c) => c === 'WAFV2.GetWebACLForResource')).toHaveLength(1);
  }, 60_000);
});
