import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { AccessAnalyzerSnapshot } from './snapshot.ts';

export const accessAnalyzer: Collector<AccessAnalyzerSnapshot, AwsSession> = {
  id: 'aws.accessanalyzer',
  source: 'aws',
  description:
    'IAM Access Analyzer analyzers and their active external-access findings (resource and type only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
