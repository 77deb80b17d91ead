import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { ConfigRecorderSnapshot } from './snapshot.ts';

export const configRecorder: Collector<ConfigRecorderSnapshot, AwsSession> = {
  id: 'aws.config.recorder',
  source: 'aws',
  description: 'AWS Config recorder, its status and delivery channels',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
