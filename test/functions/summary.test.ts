import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { DAY_MS } from '../../core/collector.ts';
import { ncOpen } from '../../core/isms/nc.ts';
import { appendIsmsRecord } from '../../core/isms/records.ts';
import { catalogControls } from '../../functions/shared/catalog.ts';
import { closeEvidenceStore, evidenceStore } from '../../functions/shared/store.ts';
import { handler as summary } from '../../functions/summary.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { createAwsStoreResources } from '../support/stores.ts';
import { lambdaContext } from './support.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

describeAws(
  'the deployed daily summary ends with the ISMS governance gaps (moto: S3 and DynamoDB store)',
  () => {
    let queueUrl: string;
    let topicArn: string;
    beforeAll(async () => {
      const { bucket, table } = await createAwsStoreResources('summary-isms');
      vi.stubEnv('PROOFLINE_STORE', `s3://${bucket}?table=${table}`);
      const sqs = new SQSClient(awsConfig());
      queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'summary-isms' }))).QueueUrl!;
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
      );
      const sns = new SNSClient(awsConfig());
      topicArn = (await sns.send(new CreateTopicCommand({ Name: 'summary-isms' }))).TopicArn!;
      await sns.send(
        new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: Attributes!.QueueArn! }),
      );
    });
    afterAll(async () => {
      await closeEvidenceStore();
      vi.unstubAllEnvs();
    });

    const message = async () => {
      const { Messages = [] } = await new SQSClient(awsConfig()).send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
      );
      expect(Messages).toHaveLength(1);
      return (JSON.parse(Messages[0]!.Body!) as { Message: string }).Message;
    };

    it('reads the records from the evidence store: an overdue corrective action, a stale SoA by ISMS_SETTINGS', async () => {
      const store = await evidenceStore();
      const now = new Date();
      const day = (offset: number) => new Date(now.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
      const nc = ncOpen(
        { source: 'incident', description: 'phishing click', owner: 'it-identity', due: day(-3) },
        await catalogControls(),
        'Dana Reyes',
        new Date(now.getTime() - 20 * DAY_MS).toISOString(),
      );
      await appendIsmsRecord(store, 'nc', (recordedAt) => ({ ...nc, recordedAt }), now);
      await appendIsmsRecord(
        store,
        'soa-approval',
        () => ({
          kind: 'soa-approval',
          version: '3.1',
          approver: 'Alex Morgan',
          sha256: 'b'.repeat(64),
          approvedAt: new Date(now.getTime() - 10 * DAY_MS).toISOString(),
          recordedBy: 'Dana Reyes',
        }),
        now,
      );
      vi.stubEnv('ALERT_TOPIC_ARN', topicArn);
      vi.stubEnv('ISMS_SETTINGS', JSON.stringify({ soaMaxAgeDays: 5 }));

      const sent = await summary({}, lambdaContext());
      const overdue = `nonconformity ${nc.id}: corrective action due ${day(-3)} is overdue (owner it-identity)`;
      const stale = `SoA: the SoA approval (version 3.1, ${day(-10)}) is 10 days old, more than the 5 allowed`;
      expect(sent.governanceGaps).toEqual(expect.arrayContaining([overdue, stale]));
      const body = await message();
      const section = body.slice(body.indexOf('\n\nISMS governance gaps'));
      expect(section).toMatch(
        new RegExp(`^\\n\\nISMS governance gaps \\(${sent.governanceGaps.length}\\):\\n`),
      );
      for (const gap of sent.governanceGaps) expect(section).toContain(`\n- ${gap}`);

      // Within the default age (365 days) the same approval is no gap; the corrective action still is.
      vi.stubEnv('ISMS_SETTINGS', '');
      const byDefault = await summary({}, lambdaContext());
      expect(byDefault.governanceGaps).toContain(overdue);
      expect(byDefault.governanceGaps.some((g) => g.startsWith('SoA: the SoA approval'))).toBe(false);
      expect(await message()).toContain(`\n- ${overdue}`);
    });
  },
);
