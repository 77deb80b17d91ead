import { type Check, perResource } from '../../../core/collector.ts';
import type { ApiGatewaySnapshot, Stage } from './snapshot.ts';

const stages = (s: ApiGatewaySnapshot) => s.stages;
const stageId = (s: Stage) => s.id;
const label = (s: Stage) => `stage ${s.name} of ${s.api}`;

export const stageAccessLogs = perResource(
  {
    id: 'aws.apigateway.stage-access-logs',
    title: 'API Gateway stages write access logs',
    severity: 'medium',
    remediation:
      "Set the stage's access log destination (a CloudWatch Logs group or Firehose stream) and format.",
    procedure:
      'Reads every REST API stage (GetRestApis, GetStages). Passes a stage with an access log destination.',
  },
  stages,
  stageId,
  (s) => [
    s.accessLogDestination !== null,
    s.accessLogDestination ? `logs to ${s.accessLogDestination}` : `${label(s)} writes no access log`,
  ],
);

export const stageWaf = perResource(
  {
    id: 'aws.apigateway.stage-waf',
    title: 'API Gateway stages are protected by a web ACL',
    severity: 'medium',
    remediation: 'Associate a regional WAFv2 web ACL with the stage.',
    procedure: 'Reads every REST API stage (GetStages). Passes a stage with a web ACL associated.',
  },
  stages,
  stageId,
  (s) => [s.webAclArn !== null, s.webAclArn ? `protected by ${s.webAclArn}` : `${label(s)} has no web ACL`],
);

export const stageClientCertificate = perResource(
  {
    id: 'aws.apigateway.stage-client-certificate',
    title: 'API Gateway stages authenticate to their backend with a client certificate',
    severity: 'low',
    remediation: 'Generate a client certificate and set it on the stage; have the backend verify it.',
    procedure: 'Reads every REST API stage (GetStages). Passes a stage with a client certificate configured.',
  },
  stages,
  stageId,
  (s) => [
    s.clientCertificateId !== null,
    s.clientCertificateId
      ? `client certificate ${s.clientCertificateId}`
      : `${label(s)} has no client certificate`,
  ],
);

export const domainTls = perResource(
  {
    id: 'aws.apigateway.domain-tls',
    title: 'API Gateway custom domains require TLS 1.2 or later',
    severity: 'high',
    remediation: "Set the custom domain's security policy to TLS_1_2.",
    procedure:
      'Reads every custom domain name (GetDomainNames). Passes a domain whose security policy is not TLS_1_0.',
  },
  (s: ApiGatewaySnapshot) => s.domainNames,
  (d) => d.name,
  (d) => [
    d.securityPolicy !== 'TLS_1_0',
    d.securityPolicy === 'TLS_1_0' ? `${d.name} accepts TLS 1.0` : `security policy ${d.securityPolicy}`,
  ],
);

export const checks: Check<ApiGatewaySnapshot>[] = [
  stageAccessLogs,
  stageWaf,
  stageClientCertificate,
  domainTls,
];
