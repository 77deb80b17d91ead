import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  CreateSubnetCommand,
  CreateVolumeCommand,
  CreateVpcCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  ModifySnapshotAttributeCommand,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient } from '@aws-sdk/client-lambda';
import yazl from 'yazl';

const region = 'us-east-1';

/** A zip holding one file: a deployable Lambda package (moto stores it; nothing runs it). */
export async function functionZip(
  source = 'exports.handler = async () => ({ statusCode: 200 });',
): Promise<Uint8Array> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(source), 'index.js');
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface NetworkSeedOptions {
  /** Copies of every resource (the API-call benchmark's synthetic account uses 10). */
  readonly copies?: number;
}

/**
 * Seeds networks, compute and exposure next to compliant twins: a world-open SSH security group beside one
 * open to the VPC only, an instance without IMDSv2 beside a hardened one, an unencrypted volume and a public
 * snapshot beside encrypted private ones, an HTTP-only load balancer beside one that redirects to HTTPS, and a
 * public function URL beside an IAM-authenticated one. Clients take the endpoint from AWS_ENDPOINT_URL.
 */
export async function seedAwsNetwork(options: NetworkSeedOptions = {}): Promise<void> {
  const config = { region };
  const ec2 = new EC2Client(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const lambda = new LambdaClient(config);
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }));
  const VpcId = Vpc?.VpcId ?? '';
  const subnets = await Promise.all(
    ['a', 'b'].map(
      async (az, i) =>
        (
          await ec2.send(
            new CreateSubnetCommand({
              VpcId,
              CidrBlock: `10.20.${i}.0/24`,
              AvailabilityZone: `${region}${az}`,
            }),
          )
        ).Subnet?.SubnetId ?? '',
    ),
  );
  const { CertificateArn } = await new ACMClient(config).send(
    new RequestCertificateCommand({ DomainName: 'shop.acme.example' }),
  );
  const { Role } = await new IAMClient(config).send(
    new CreateRoleCommand({
      RoleName: 'acme-functions',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    }),
  );
  await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
  const zip = await functionZip();

  for (let copy = 0; copy < (options.copies ?? 1); copy++) {
    const suffix = copy === 0 ? '' : `-${copy}`;
    // Security groups: SSH from anywhere (failing) next to SSH from the VPC only (compliant).
    for (const [name, cidr] of [
      [`acme-ssh-open${suffix}`, '0.0.0.0/0'],
      [`acme-ssh-internal${suffix}`, '10.20.0.0/16'],
    ] as const) {
      const { GroupId } = await ec2.send(
        new CreateSecurityGroupCommand({ GroupName: name, Description: 'SSH to the app hosts', VpcId }),
      );
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId,
          IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: cidr }] }],
        }),
      );
    }

    // Instances: one accepts IMDSv1 and sets a password in its user data; its twin requires IMDSv2.
    const run = (over: Record<string, unknown>) =>
      ec2.send(
        new RunInstancesCommand({
          ImageId: 'ami-12c6146b',
          InstanceType: 't3.micro',
          MinCount: 1,
          MaxCount: 1,
          SubnetId: subnets[0],
          ...over,
        }),
      );
    await run({
      MetadataOptions: { HttpTokens: 'optional' },
      UserData: Buffer.from('#!/bin/sh\nexport DB_PASSWORD=change-me\n/opt/app/start\n').toString('base64'),
    });
    await run({ MetadataOptions: { HttpTokens: 'required' } });

    // Volumes and snapshots: unencrypted with a public snapshot, next to encrypted and private.
    const plain = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 8, Encrypted: false }),
    );
    const sealed = await ec2.send(
      new CreateVolumeCommand({ AvailabilityZone: `${region}a`, Size: 8, Encrypted: true }),
    );
    const shared = await ec2.send(new CreateSnapshotCommand({ VolumeId: plain.VolumeId }));
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: shared.SnapshotId,
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        GroupNames: ['all'],
      }),
    );
    await ec2.send(new CreateSnapshotCommand({ VolumeId: sealed.VolumeId }));

    // Load balancers: HTTP only (failing) next to HTTP redirecting to HTTPS with a TLS 1.2+ policy.
    const { TargetGroups } = await elb.send(
      new CreateTargetGroupCommand({ Name: `acme-web${suffix}`, Protocol: 'HTTP', Port: 80, VpcId }),
    );
    const forward = [{ Type: 'forward' as const, TargetGroupArn: TargetGroups?.[0]?.TargetGroupArn }];
    for (const [name, secure] of [
      [`acme-legacy${suffix}`, false],
      [`acme-shop${suffix}`, true],
    ] as const) {
      const { LoadBalancers } = await elb.send(
        new CreateLoadBalancerCommand({ Name: name, Subnets: subnets, Type: 'application' }),
      );
      const LoadBalancerArn = LoadBalancers?.[0]?.LoadBalancerArn;
      await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn,
          Protocol: 'HTTP',
          Port: 80,
          DefaultActions: secure
            ? [
                {
                  Type: 'redirect',
                  RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
                },
              ]
            : forward,
        }),
      );
      if (secure)
        await elb.send(
          new CreateListenerCommand({
            LoadBalancerArn,
            Protocol: 'HTTPS',
            Port: 443,
            SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
            Certificates: [{ CertificateArn }],
            DefaultActions: forward,
          }),
        );
    }

    // Functions: a public function URL (failing) next to one that requires IAM auth.
    for (const [name, auth] of [
      [`acme-webhook${suffix}`, 'NONE'],
      [`acme-reports${suffix}`, 'AWS_IAM'],
    ] as const) {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs24.x',
          Role: Role?.Arn,
          Handler: 'index.handler',
          Code: { ZipFile: zip },
        }),
      );
      await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: auth }));
    }
  }
}
