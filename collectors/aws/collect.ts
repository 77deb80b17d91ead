import { type AnyRunnableCollector, withLazyCollect } from '../../core/collector.ts';
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
 * The AWS collectors with their collect code, in the order of awsCollectors: one line each. Each collect module
 * is imported when its collector first runs: every one reads a different SDK client, and the collect function
 * runs one collector per invocation, so it loads one client rather than all of them at start.
 */
export const awsRunnableCollectors: readonly AnyRunnableCollector[] = [
  withLazyCollect(credentialReport, () => import('./iam-credential-report/collect.ts')),
  withLazyCollect(s3Buckets, () => import('./s3-buckets/collect.ts')),
  withLazyCollect(cloudTrailTrails, () => import('./cloudtrail-trails/collect.ts')),
  withLazyCollect(configRecorder, () => import('./config-recorder/collect.ts')),
  withLazyCollect(kmsKeys, () => import('./kms-keys/collect.ts')),
  withLazyCollect(ec2Network, () => import('./ec2-network/collect.ts')),
  withLazyCollect(ec2Instances, () => import('./ec2-instances/collect.ts')),
  withLazyCollect(ssmManagedInstances, () => import('./ssm-managed-instances/collect.ts')),
  withLazyCollect(elbLoadBalancers, () => import('./elb-load-balancers/collect.ts')),
  withLazyCollect(wafv2WebAcls, () => import('./wafv2-web-acls/collect.ts')),
  withLazyCollect(lambdaFunctions, () => import('./lambda-functions/collect.ts')),
  withLazyCollect(acmCertificates, () => import('./acm-certificates/collect.ts')),
  withLazyCollect(apiGatewayRestApis, () => import('./apigateway-rest-apis/collect.ts')),
  withLazyCollect(cloudFrontDistributions, () => import('./cloudfront-distributions/collect.ts')),
  withLazyCollect(rds, () => import('./rds/collect.ts')),
  withLazyCollect(dynamodb, () => import('./dynamodb/collect.ts')),
  withLazyCollect(backup, () => import('./backup/collect.ts')),
  withLazyCollect(efs, () => import('./efs/collect.ts')),
  withLazyCollect(ecr, () => import('./ecr/collect.ts')),
  withLazyCollect(secretsManager, () => import('./secretsmanager/collect.ts')),
  withLazyCollect(guardDuty, () => import('./guardduty/collect.ts')),
  withLazyCollect(securityHub, () => import('./securityhub/collect.ts')),
  withLazyCollect(inspector2, () => import('./inspector2/collect.ts')),
  withLazyCollect(macie, () => import('./macie/collect.ts')),
  withLazyCollect(cloudWatchAlarms, () => import('./cloudwatch-alarms/collect.ts')),
  withLazyCollect(iamPolicies, () => import('./iam-policies/collect.ts')),
  withLazyCollect(accessAnalyzer, () => import('./access-analyzer/collect.ts')),
  withLazyCollect(organizationPolicies, () => import('./organizations/collect.ts')),
  withLazyCollect(accountContacts, () => import('./account-contacts/collect.ts')),
];
