import type { AnyCollector } from '../../core/collector.ts';
import { accessAnalyzer } from './access-analyzer/index.ts';
import { accountContacts } from './account-contacts/index.ts';
import { acmCertificates } from './acm-certificates/index.ts';
import { apiGatewayRestApis } from './apigateway-rest-apis/index.ts';
import { backup } from './backup/index.ts';
import { cloudFrontDistributions } from './cloudfront-distributions/index.ts';
import { cloudTrailTrails } from './cloudtrail-trails/index.ts';
import { cloudWatchAlarms } from './cloudwatch-alarms/index.ts';
import { configRecorder } from './config-recorder/index.ts';
import { dynamodb } from './dynamodb/index.ts';
import { ec2Instances } from './ec2-instances/index.ts';
import { ec2Network } from './ec2-network/index.ts';
import { ecr } from './ecr/index.ts';
import { efs } from './efs/index.ts';
import { elbLoadBalancers } from './elb-load-balancers/index.ts';
import { guardDuty } from './guardduty/index.ts';
import { credentialReport } from './iam-credential-report/index.ts';
import { iamPolicies } from './iam-policies/index.ts';
import { inspector2 } from './inspector2/index.ts';
import { kmsKeys } from './kms-keys/index.ts';
import { lambdaFunctions } from './lambda-functions/index.ts';
import { macie } from './macie/index.ts';
import { organizationPolicies } from './organizations/index.ts';
import { rds } from './rds/index.ts';
import { s3Buckets } from './s3-buckets/index.ts';
import { secretsManager } from './secretsmanager/index.ts';
import { securityHub } from './securityhub/index.ts';
import { ssmManagedInstances } from './ssm-managed-instances/index.ts';
import { wafv2WebAcls } from './wafv2-web-acls/index.ts';

/**
 * The AWS collectors' definitions: one line each (their collect code: collect.ts, which the collect function
 * imports alone, so its bundle carries no other source's SDK).
 */
export const awsCollectors: readonly AnyCollector[] = [
  credentialReport,
  s3Buckets,
  cloudTrailTrails,
  configRecorder,
  kmsKeys,
  ec2Network,
  ec2Instances,
  ssmManagedInstances,
  elbLoadBalancers,
  wafv2WebAcls,
  lambdaFunctions,
  acmCertificates,
  apiGatewayRestApis,
  cloudFrontDistributions,
  rds,
  dynamodb,
  backup,
  efs,
  ecr,
  secretsManager,
  guardDuty,
  securityHub,
  inspector2,
  macie,
  cloudWatchAlarms,
  iamPolicies,
  accessAnalyzer,
  organizationPolicies,
  accountContacts,
];
