import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { ApiGatewaySnapshot } from './snapshot.ts';

const permissions = ['apigateway:GET'];

export const apiGatewayRestApis: CollectorDefinition<ApiGatewaySnapshot> = {
  id: 'aws.apigateway.rest-apis',
  source: 'aws',
  description:
    'API Gateway REST API stages (access logs, web ACL, client certificate) and custom domain TLS policies',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
