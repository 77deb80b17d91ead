import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { AccessAnalyzerSnapshot } from './snapshot.ts';

const permissions = ['access-analyzer:ListAnalyzers', 'access-analyzer:ListFindings'];

export const accessAnalyzer: CollectorDefinition<AccessAnalyzerSnapshot> = {
  id: 'aws.accessanalyzer',
  source: 'aws',
  description:
    'IAM Access Analyzer analyzers and their active external-access findings (resource and type only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
