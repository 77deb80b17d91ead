import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { ConfigRecorderSnapshot } from './snapshot.ts';

const permissions = [
  'config:DescribeConfigurationRecorders',
  'config:DescribeConfigurationRecorderStatus',
  'config:DescribeDeliveryChannels',
];

export const configRecorder: CollectorDefinition<ConfigRecorderSnapshot> = {
  id: 'aws.config.recorder',
  source: 'aws',
  description: 'AWS Config recorder, its status and delivery channels',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
