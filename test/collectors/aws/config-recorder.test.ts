import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  allResourceTypes,
  deliveryChannel,
  recorderOn,
} from '../../../collectors/aws/config-recorder/checks.ts';
import { configRecorder as configRecorderDefinition } from '../../../collectors/aws/config-recorder/index.ts';
import type { ConfigRecorderSnapshot } from '../../../collectors/aws/config-recorder/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import type { CheckContext } from '../../../core/collector.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { runnable } from '../../support/runnable.ts';

const configRecorder = runnable(configRecorderDefinition);

const context: CheckContext = {
  asOf: new Date('2026-11-27T00:00:00Z'),
  scope: { source: 'aws', id: '111122223333', region: 'eu-west-1' },
};
const good: ConfigRecorderSnapshot = {
  recorders: [
    {
      name: 'default',
      recording: true,
      lastStatus: 'SUCCESS',
      allSupported: true,
      includeGlobalResourceTypes: true,
    },
  ],
  deliveryChannels: [{ name: 'default', s3BucketName: 'config' }],
};
const none: ConfigRecorderSnapshot = { recorders: [], deliveryChannels: [] };
const stoppedPartial: ConfigRecorderSnapshot = {
  recorders: [
    {
      name: 'default',
      recording: false,
      lastStatus: null,
      allSupported: false,
      includeGlobalResourceTypes: false,
    },
  ],
  deliveryChannels: [],
};

describe('aws.config.recorder checks', () => {
  it.each([{ check: recorderOn }, { check: allResourceTypes }, { check: deliveryChannel }])(
    '$check.id passes a complete setup and fails a missing one',
    ({ check }) => {
      expect(check.evaluate(good, context).map((f) => f.status)).toEqual(['pass']);
      expect(check.evaluate(none, context).map((f) => f.status)).toEqual(['fail']);
      expect(check.evaluate(stoppedPartial, context).map((f) => f.status)).toEqual(['fail']);
    },
  );

  it('names the region in its findings', () => {
    expect(recorderOn.evaluate(stoppedPartial, context)[0]).toMatchObject({
      resource: 'arn:aws:config:eu-west-1:111122223333:configuration-recorder',
      reason: 'the recorder is stopped in eu-west-1',
    });
  });
});

describeAws('aws.config.recorder collect (moto)', () => {
  it('reads the recorder, its status and the delivery channel of the scope region', async () => {
    const config = new ConfigServiceClient(awsConfig());
    const session = new AwsSession();
    const scope = { source: 'aws' as const, id: await session.accountId(), region: 'us-east-1' };
    expect(await configRecorder.collect(session, scope)).toEqual(none);

    await new S3Client(awsConfig()).send(new CreateBucketCommand({ Bucket: 'config-history' }));
    await config.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: {
          name: 'default',
          roleARN: 'arn:aws:iam::123456789012:role/config',
          recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
        },
      }),
    );
    await config.send(
      new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-history' } }),
    );
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
    const snap = await configRecorder.collect(session, scope);
    expect(snap.recorders).toMatchObject([{ name: 'default', recording: true, allSupported: true }]);
    expect(snap.deliveryChannels).toEqual([{ name: 'default', s3BucketName: 'config-history' }]);
  });
});
