import {
  ConfigServiceClient,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  DescribeDeliveryChannelsCommand,
} from '@aws-sdk/client-config-service';
import type { Scope } from '../../../core/model.ts';
import type { AwsSession } from '../session.ts';
import type { ConfigRecorderSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<ConfigRecorderSnapshot> {
  const config = session.client(ConfigServiceClient, scope.region);
  const [recorders, statuses, channels] = await Promise.all([
    config.send(new DescribeConfigurationRecordersCommand({})),
    config.send(new DescribeConfigurationRecorderStatusCommand({})),
    config.send(new DescribeDeliveryChannelsCommand({})),
  ]);
  return {
    recorders: (recorders.ConfigurationRecorders ?? []).map((r) => {
      const status = statuses.ConfigurationRecordersStatus?.find((s) => s.name === r.name);
      const group = r.recordingGroup;
      return {
        name: r.name ?? '',
        recording: status?.recording ?? false,
        lastStatus: status?.lastStatus ?? null,
        allSupported:
          group?.allSupported ?? group?.recordingStrategy?.useOnly === 'ALL_SUPPORTED_RESOURCE_TYPES',
        includeGlobalResourceTypes: group?.includeGlobalResourceTypes ?? false,
      };
    }),
    deliveryChannels: (channels.DeliveryChannels ?? []).map((c) => ({
      name: c.name ?? '',
      s3BucketName: c.s3BucketName ?? null,
    })),
  };
}
