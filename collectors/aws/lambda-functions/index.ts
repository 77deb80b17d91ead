import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { LambdaFunctionsSnapshot } from './snapshot.ts';

export const lambdaFunctions: Collector<LambdaFunctionsSnapshot, AwsSession> = {
  id: 'aws.lambda.functions',
  source: 'aws',
  description:
    'Lambda functions: runtime, function URL auth and CORS, resource policy, VPC placement, and the names (never values) of secret-looking environment variables',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
