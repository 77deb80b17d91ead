import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.ts';
import { eventBridgeChannel, securityHubChannel, snsChannel } from '../../../core/alerts/channels.ts';
import { deliver, notificationsFor } from '../../../core/alerts/notify.ts';
import type { Control, ControlResult, Finding } from '../../../core/model.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';

const control: Control = {
  id: 'IAM-02',
  title: 'Console users sign in with MFA',
  objective: 'MFA for people',
  owner: 'cloud-security',
  type: 'automated',
  checks: ['aws.iam.console-users-mfa'],
  soc2: ['CC6.1'],
  iso27001: ['A.8.5'],
  links: [],
};
const bob: Finding = {
  check: 'aws.iam.console-users-mfa',
  resource: 'arn:aws:iam::123456789012:user/bob',
  status: 'fail',
  reason: 'no MFA',
};
const key = `evidence/source=aws/collector=aws.iam.credential-report/scope=123456789012-global/dt=2026-11-27/20261127T100000Z-${'b'.repeat(64)}.json`;
const result = (status: ControlResult['status'], failing: Finding[]): ControlResult => ({
  control: 'IAM-02',
  status,
  failing,
  findingCount: 2,
  resourceCount: 2,
  evidence: [key],
  gaps: [],
});

async function drain(sqs: SQSClient, QueueUrl: string) {
  const bodies: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    bodies.push(...Messages.map((m) => m.Body ?? ''));
  }
  return bodies;
}

describeAws('alert channels (moto)', () => {
  let sqs: SQSClient;
  let topicQueue: string;
  let eventQueue: string;
  let topicArn: string;

  beforeAll(async () => {
    sqs = new SQSClient(awsConfig());
    const sns = new SNSClient(awsConfig());
    topicQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'alerts' }))).QueueUrl ?? '';
    eventQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'events' }))).QueueUrl ?? '';
    const arnOf = async (QueueUrl: string) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes
        ?.QueueArn ?? '';
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'proofline-alerts' }))).TopicArn ?? '';
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await arnOf(topicQueue) }),
    );
    const events = new EventBridgeClient(awsConfig());
    await events.send(new CreateEventBusCommand({ Name: 'compliance' }));
    await events.send(
      new PutRuleCommand({
        Name: 'proofline-failing',
        EventBusName: 'compliance',
        EventPattern: JSON.stringify({ source: ['proofline'], 'detail-type': ['Control Failing'] }),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'proofline-failing',
        EventBusName: 'compliance',
        Targets: [{ Id: 'queue', Arn: await arnOf(eventQueue) }],
      }),
    );
  });

  it('sends exactly one SNS message and one event per transition, also when the evaluation runs twice or races', async () => {
    const store = await LocalStore.open(await mkdtemp(join(tmpdir(), 'proofline-alerts-')));
    const channels = [
      snsChannel(new SNSClient(awsConfig()), topicArn),
      eventBridgeChannel(new EventBridgeClient(awsConfig()), 'compliance'),
    ];
    const ctx = { controls: [control], collectors };
    const evaluate = async (status: ControlResult['status'], failing: Finding[], at: string) =>
      deliver(
        notificationsFor(await store.applyControlResults([result(status, failing)], at), ctx),
        channels,
      );

    await evaluate('passing', [], '2026-11-27T09:00:00.000Z'); // first evaluation: nothing to say
    const runs = await Promise.all([
      evaluate('failing', [bob], '2026-11-27T10:00:00.000Z'),
      evaluate('failing', [bob], '2026-11-27T10:00:00.000Z'),
    ]);
    await evaluate('failing', [bob], '2026-11-27T10:00:00.000Z');
    expect(runs.map((r) => r.sent).sort()).toEqual([0, 1]);

    const messages = (await drain(sqs, topicQueue)).map(
      (b) =>
        JSON.parse(b) as {
          Subject: string;
          Message: string;
          MessageAttributes: Record<string, { Value: string }>;
        },
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]?.Subject).toBe(
      '[FAILING] IAM-02 Console users sign in with MFA - 1 resource (123456789012)',
    );
    expect(messages[0]?.MessageAttributes.severity?.Value).toBe('high');
    expect(messages[0]?.MessageAttributes.owner?.Value).toBe('cloud-security');

    const events = (await drain(sqs, eventQueue)).map(
      (b) =>
        JSON.parse(b) as {
          source: string;
          'detail-type': string;
          detail: { control: string; failing: unknown[] };
        },
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'proofline',
      'detail-type': 'Control Failing',
      detail: { control: 'IAM-02', failing: [{ resource: bob.resource }] },
    });
    await store.close();
  });

  it('imports failing findings into Security Hub and resolves them on recovery', async () => {
    const hub = new SecurityHubClient(awsConfig());
    await hub.send(new EnableSecurityHubCommand({})).catch(() => {});
    const channel = securityHubChannel(hub, '123456789012', 'us-east-1');
    const ctx = { controls: [control], collectors };
    const many = Array.from({ length: 150 }, (_, i) => ({
      ...bob,
      resource: `arn:aws:iam::123456789012:user/u${i}`,
    }));
    const failing = notificationsFor(
      [
        {
          control: 'IAM-02',
          from: 'passing',
          to: 'failing',
          at: '2026-11-27T10:00:00.000Z',
          since: '2026-11-27T10:00:00.000Z',
          failing: many,
          newlyFailing: many,
          recovered: [],
          evidence: [key],
        },
      ],
      ctx,
    );
    await channel.send(failing);
    const all = async () => {
      const found = [];
      let NextToken: string | undefined;
      do {
        const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken }));
        found.push(...(page.Findings ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return found;
    };
    const imported = await all();
    expect(imported).toHaveLength(150);
    expect(imported[0]).toMatchObject({
      Compliance: { Status: 'FAILED' },
      Severity: { Label: 'HIGH' },
      GeneratorId: bob.check,
    });

    const recovered = notificationsFor(
      [
        {
          control: 'IAM-02',
          from: 'failing',
          to: 'passing',
          at: '2026-11-28T10:00:00.000Z',
          since: '2026-11-28T10:00:00.000Z',
          failing: [],
          newlyFailing: [],
          recovered: many,
          evidence: [key],
        },
      ],
      ctx,
    );
    await channel.send(recovered);
    const after = await all();
    expect(after).toHaveLength(150);
    expect(new Set(after.map((f) => f.Compliance?.Status))).toEqual(new Set(['PASSED']));
    expect(new Set(after.map((f) => f.Workflow?.Status))).toEqual(new Set(['RESOLVED']));
  });
});
