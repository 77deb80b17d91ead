import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it, vi } from 'vitest';
import type { S3BucketsSnapshot } from '../../collectors/aws/s3-buckets/snapshot.ts';
import { IdentityApiError } from '../../collectors/identity/api-error.ts';
import { handler } from '../../functions/collect.ts';
import { handler as evaluate } from '../../functions/evaluate.ts';
import { isThrottling } from '../../functions/shared/failures.ts';
import { evidenceStore } from '../../functions/shared/store.ts';
import { handler as summary } from '../../functions/summary.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { capturePrinted, emfRecords, lambdaContext, useEmbeddedStore } from './support.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const HOME = '123456789012'; // moto's default account
const printed = capturePrinted();

useEmbeddedStore('proofline-fn-');

describe('collect handler input', () => {
  it('refuses unknown collectors and scopes that do not fit the collector', async () => {
    await expect(handler({ collectorId: 'aws.nope', scope: { source: 'aws', id: HOME } })).rejects.toThrow(
      'unknown collector aws.nope',
    );
    await expect(
      handler({ collectorId: 'aws.kms.keys', scope: { source: 'aws', id: HOME } }),
    ).rejects.toThrow('aws.kms.keys is regional: scope.region is required');
    await expect(
      handler({ collectorId: 'aws.s3.buckets', scope: { source: 'aws', id: HOME, region: 'eu-west-1' } }),
    ).rejects.toThrow('aws.s3.buckets is global: scope.region must be absent');
    await expect(
      handler({ collectorId: 'aws.s3.buckets', scope: { source: 'aws', id: '1' } }),
    ).rejects.toThrow('scope.id: must be a 12-digit account id');
  });

  it('knows throttling when it sees it', () => {
    expect(isThrottling(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }))).toBe(true);
    expect(isThrottling({ name: 'Error', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling(Object.assign(new Error('denied'), { name: 'AccessDenied' }))).toBe(false);
  });

  it('counts GitHub’s rate limits and an IdP’s 429 as throttling, not a plain 403', () => {
    const http = (status: number, message: string, headers: Record<string, string> = {}) =>
      Object.assign(new Error(message), { status, response: { headers } });
    expect(isThrottling(http(403, 'You have exceeded a secondary rate limit.'))).toBe(true);
    expect(isThrottling(http(403, 'API rate limit exceeded for installation ID 1.'))).toBe(true);
    expect(isThrottling(http(403, 'Forbidden', { 'x-ratelimit-remaining': '0' }))).toBe(true);
    expect(isThrottling(http(429, 'Too Many Requests'))).toBe(true);
    expect(isThrottling(new IdentityApiError('google', 'listUsers', 429, 'quota'))).toBe(true);
    expect(isThrottling(http(403, 'Resource not accessible by integration'))).toBe(false);
    expect(isThrottling(new IdentityApiError('okta', 'listUsers', 403, 'denied'))).toBe(false);
  });
});

describeAws('collect and evaluate handlers (moto, embedded store)', () => {
  it('collects one collector over the home account and region, with its findings, and counts it', async () => {
    await new KMSClient(awsConfig()).send(new CreateKeyCommand({ Description: 'customer key' }));
    const result = await handler(
      { collectorId: 'aws.kms.keys', scope: { source: 'aws', id: HOME, region: 'us-east-1' } },
      lambdaContext(),
    );
    expect(result.status).toBe('ok');
    expect(result.key).toMatch(
      /^evidence\/source=aws\/collector=aws\.kms\.keys\/scope=123456789012-us-east-1\//,
    );
    expect(result.findings).toBeGreaterThan(0);
    const { artifact } = await (await evidenceStore()).getArtifact(result.key);
    expect(artifact).toMatchObject({ status: 'ok', scope: { id: HOME, region: 'us-east-1' } });
    const [record] = emfRecords(printed());
    expect(record).toMatchObject({ service: 'proofline', Collections: 1 });
  });

  it('applies the checks settings the stack passes (CHECK_SETTINGS), as the CLI applies the config’s', async () => {
    await new DynamoDBClient(awsConfig()).send(
      new CreateTableCommand({
        TableName: 'orders',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const scope = { source: 'aws', id: HOME, region: 'us-east-1' };
    const defaults = await handler({ collectorId: 'aws.dynamodb', scope });
    vi.stubEnv('CHECK_SETTINGS', JSON.stringify({ aws: { data: { customerManagedKeys: true } } }));
    const required = await handler({ collectorId: 'aws.dynamodb', scope });
    vi.unstubAllEnvs();
    const customerKey = async (key: string) =>
      (await (await evidenceStore()).getFindings(key))?.find((f) => f.check === 'aws.dynamodb.customer-key')
        ?.status;
    // Not required by default; required by the settings, and the table uses the AWS-owned key.
    expect(await customerKey(defaults.key)).toBe('not_applicable');
    expect(await customerKey(required.key)).toBe('fail');
    expect(required.failing).toBe(defaults.failing + 1);
  });

  it('reads another account through its member role, and only that account', async () => {
    await new S3Client(awsConfig()).send(new CreateBucketCommand({ Bucket: 'home-account-bucket' }));
    const buckets = async (key: string) => {
      const { artifact } = await (await evidenceStore()).getArtifact(key);
      return (artifact as { snapshot: S3BucketsSnapshot }).snapshot.buckets.map((b) => b.name);
    };
    const home = await handler({ collectorId: 'aws.s3.buckets', scope: { source: 'aws', id: HOME } });
    expect(await buckets(home.key)).toContain('home-account-bucket');

    const member = await handler({
      collectorId: 'aws.s3.buckets',
      scope: { source: 'aws', id: '111111111111' },
      roleArn: 'arn:aws:iam::111111111111:role/ProoflineMember',
    });
    expect(member.status).toBe('ok');
    expect(member.key).toContain('scope=111111111111-global');
    expect(await buckets(member.key)).not.toContain('home-account-bucket');
  });

  it('records a failure the state machine caught as an error artifact', async () => {
    const result = await handler({
      collectorId: 'aws.s3.buckets',
      scope: { source: 'aws', id: '222222222222' },
      failure: {
        Error: 'Sandbox.Timedout',
        Cause: JSON.stringify({
          errorType: 'Sandbox.Timedout',
          errorMessage: 'Task timed out after 300.00 seconds',
        }),
      },
    });
    expect(result.status).toBe('error');
    const { artifact } = await (await evidenceStore()).getArtifact(result.key);
    expect(artifact).toMatchObject({
      status: 'error',
      collector: 'aws.s3.buckets',
      error: { code: 'Sandbox.Timedout', message: 'Task timed out after 300.00 seconds' },
    });
    expect(emfRecords(printed())[0]).toMatchObject({ Collections: 1, CollectionErrors: 1 });
  });

  it('evaluates every control on the latest evidence, reports the transitions and imports failures into Security Hub', async () => {
    const hub = new SecurityHubClient(awsConfig());
    await hub.send(new EnableSecurityHubCommand({})).catch(() => {});
    vi.stubEnv('SECURITY_HUB_ACCOUNT', HOME);
    const first = await evaluate({}, lambdaContext());
    expect(first.controls).toBeGreaterThan(0);
    expect(first.transitions.length).toBe(first.controls);
    expect(Object.values(first.byStatus).reduce((a, b) => a + b, 0)).toBe(first.controls);
    expect(first.byStatus.failing).toBeGreaterThan(0);
    const { Findings = [] } = await hub.send(new GetFindingsCommand({ MaxResults: 100 }));
    const failingControls = new Set(
      first.transitions.filter((t) => t.to === 'failing').map((t) => t.control),
    );
    const imported = new Set(Findings.map((f) => f.ProductFields?.['proofline/control']));
    expect(imported).toEqual(failingControls);
    const again = await evaluate({});
    expect(again.transitions).toEqual([]);
    expect((await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings).toHaveLength(
      Findings.length,
    );
    vi.unstubAllEnvs();
  });

  it('sends the daily summary of what is still open to the alert topic, as one message', async () => {
    const sqs = new SQSClient(awsConfig());
    const sns = new SNSClient(awsConfig());
    const QueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'summary' }))).QueueUrl!;
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const TopicArn = (await sns.send(new CreateTopicCommand({ Name: 'proofline-alerts' }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn! }));
    vi.stubEnv('ALERT_TOPIC_ARN', TopicArn);
    const sent = await summary({}, lambdaContext());
    vi.unstubAllEnvs();
    expect(sent.open).toBeGreaterThan(0);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
    );
    expect(Messages).toHaveLength(1);
    const message = JSON.parse(Messages[0]!.Body!) as {
      Subject: string;
      Message: string;
      MessageAttributes: Record<string, { Value: string }>;
    };
    expect(message.Subject).toBe(sent.subject);
    expect(message.Subject).toMatch(new RegExp(`^\\[DIGEST\\] ${sent.open} controls need attention`));
    // every open control named once: one line each, manual evidence due grouped per owner
    const ids = message.Message.match(/\b[A-Z]+-\d\d\b/g) ?? [];
    expect(new Set(ids).size).toBe(sent.open);
    expect(ids).toHaveLength(sent.open);
    expect(message.MessageAttributes.kind?.Value).toBe('summary');
  });

  it('writes the report of the last 30 days to the exports bucket before the summary, which names where it is', async () => {
    const s3 = new S3Client(awsConfig());
    const Bucket = 'proofline-summary-exports';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const TopicArn = (
      await new SNSClient(awsConfig()).send(new CreateTopicCommand({ Name: 'summary-report' }))
    ).TopicArn!;
    vi.stubEnv('ALERT_TOPIC_ARN', TopicArn);
    vi.stubEnv('EXPORTS_BUCKET', Bucket);
    const sent = await summary({}, lambdaContext());
    vi.unstubAllEnvs();
    const today = new Date().toISOString().slice(0, 10);
    expect(sent.report).toBe(`s3://${Bucket}/reports/${today}.html`);
    const page = async (Key: string) =>
      (await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString()) ?? '';
    const daily = await page(`reports/${today}.html`);
    expect(daily).toMatch(/^<!doctype html>/i);
    // Every control of the catalog is in it, and the latest copy is the same page.
    expect(daily).toContain('DATA-01');
    expect(await page('reports/latest.html')).toBe(daily);
  });
});
