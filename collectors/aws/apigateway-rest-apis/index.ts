import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { ApiGatewaySnapshot } from './snapshot.ts';

export const apiGatewayRestApis: Collector<ApiGatewaySnapshot, AwsSession> = {
  id: 'aws.apigateway.rest-apis',
  source: 'aws',
  description:
    'API Gateway REST API stages (access logs, web ACL, client certificate) and custom domain TLS policies',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
