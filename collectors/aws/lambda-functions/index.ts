import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { LambdaFunctionsSnapshot } from './snapshot.ts';

const permissions = ['lambda:ListFunctions', 'lambda:GetFunctionUrlConfig', 'lambda:GetPolicy'];

export const lambdaFunctions: CollectorDefinition<LambdaFunctionsSnapshot> = {
  id: 'aws.lambda.functions',
  source: 'aws',
  description:
    'Lambda functions: runtime, function URL auth and CORS, resource policy, VPC placement, and the names (never values) of secret-looking environment variables',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
