import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { runtimeSupported } from '../../../collectors/aws/lambda-functions/checks.ts';
import { lambdaFunctions as lambdaFunctionsDefinition } from '../../../collectors/aws/lambda-functions/index.ts';
import type {
  LambdaFunction,
  LambdaFunctionsSnapshot,
} from '../../../collectors/aws/lambda-functions/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { functionZip } from '../../../demo/seed-aws-network.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { runnable } from '../../support/runnable.ts';

const lambdaFunctions = runnable(lambdaFunctionsDefinition);

const fn = (over: Partial<LambdaFunction>): LambdaFunction => ({
  name: 'good',
  arn: 'arn:aws:lambda:us-east-1:111122223333:function:good',
  runtime: 'nodejs24.x',
  inVpc: true,
  secretEnvironmentNames: [],
  environmentCustomerKey: false,
  url: { authType: 'AWS_IAM', allowOrigins: ['https://app.example.com'] },
  policy: [
    {
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } },
    },
  ],
  ...over,
});
const good: LambdaFunctionsSnapshot = { functions: [fn({})] };
const bad: LambdaFunctionsSnapshot = {
  functions: [
    fn({
      name: 'bad',
      arn: 'arn:aws:lambda:us-east-1:111122223333:function:bad',
      runtime: 'python3.8',
      inVpc: false,
      secretEnvironmentNames: ['STRIPE_API_KEY'],
      url: { authType: 'NONE', allowOrigins: ['*'] },
      policy: [{ Sid: 'open', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunction' }],
    }),
  ],
};

describe('aws.lambda.functions checks', () => {
  everyCheckOnFixtures('aws.lambda.functions', good, bad);

  it('judges a runtime by its deprecation date against the collection time, and an unknown runtime as unknown', () => {
    const on = (runtime: string, asOf: string) =>
      runtimeSupported.evaluate({ functions: [fn({ runtime })] }, awsContext(new Date(asOf)))[0];
    expect(on('nodejs22.x', '2027-04-29T00:00:00Z')?.status).toBe('pass');
    expect(on('nodejs22.x', '2027-04-30T00:00:00Z')?.status).toBe('fail');
    expect(on('cobol1.x', '2026-01-01T00:00:00Z')).toMatchObject({
      status: 'fail',
      reason: expect.stringMatching(/not in the runtime table .*: unknown/),
    });
  });

  it('secret-looking variables encrypted with a customer key pass', () => {
    const [f] =
      lambdaFunctions.checks
        .find((c) => c.id === 'aws.lambda.environment-secrets')
        ?.evaluate(
          { functions: [fn({ secretEnvironmentNames: ['DB_PASSWORD'], environmentCustomerKey: true })] },
          awsContext(),
        ) ?? [];
    expect(f?.status).toBe('pass');
  });
});

describeAws('aws.lambda.functions collect (moto)', () => {
  it('reads runtime, function URL, policy and only the names of secret-looking variables', async () => {
    const iam = new IAMClient(awsConfig());
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: 'fn',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
      }),
    );
    const lambda = new LambdaClient(awsConfig());
    const zip = await functionZip();
    const create = (
      FunctionName: string,
      Runtime: 'nodejs24.x' | 'python3.8',
      Variables: Record<string, string>,
    ) =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName,
          Runtime,
          Role: Role?.Arn,
          Handler: 'index.handler',
          Code: { ZipFile: zip },
          Environment: { Variables },
        }),
      );
    await create('private', 'nodejs24.x', { TABLE: 'orders' });
    await create('exposed', 'python3.8', { DB_PASSWORD: 'hunter2', TABLE: 'orders' });
    await lambda.send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: 'exposed',
        AuthType: 'NONE',
        Cors: { AllowOrigins: ['*'] },
      }),
    );
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'exposed',
        StatementId: 'anyone',
        Action: 'lambda:InvokeFunction',
        Principal: '*',
      }),
    );

    const snap = await lambdaFunctions.collect(new AwsSession(), {
      source: 'aws',
      id: '123456789012',
      region: 'us-east-1',
    });
    expect(JSON.stringify(snap)).not.toContain('hunter2');
    const byName = Object.fromEntries(snap.functions.map((f) => [f.name, f]));
    expect(byName.private).toMatchObject({
      runtime: 'nodejs24.x',
      url: null,
      policy: [],
      secretEnvironmentNames: [],
    });
    expect(byName.exposed).toMatchObject({
      runtime: 'python3.8',
      secretEnvironmentNames: ['DB_PASSWORD'],
      url: { authType: 'NONE', allowOrigins: ['*'] },
      policy: [expect.objectContaining({ Sid: 'anyone', Effect: 'Allow' })],
    });
    const failing = lambdaFunctions.checks.flatMap((c) =>
      c
        .evaluate(snap, awsContext(new Date('2026-12-01T00:00:00Z')))
        .filter((f) => f.status === 'fail')
        .map((f) => `${c.id} ${f.resource.split(':').pop()}`),
    );
    expect(failing.sort()).toEqual(
      [
        'environment-secrets',
        'function-url-auth',
        'function-url-cors',
        'public-policy',
        'runtime-supported',
      ].map((c) => `aws.lambda.${c} exposed`),
    );
  }, 60_000);
});
