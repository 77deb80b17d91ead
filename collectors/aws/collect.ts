import { type AnyRunnableCollector, withCollect } from '../../core/collector.ts';
import { collect as accessAnalyzerCollect } from './access-analyzer/collect.ts';
import { accessAnalyzer } from './access-analyzer/index.ts';
import { collect as accountContactsCollect } from './account-contacts/collect.ts';
import { accountContacts } from './account-contacts/index.ts';
import { collect as acmCertificatesCollect } from './acm-certificates/collect.ts';
import { acmCertificates } from './acm-certificates/index.ts';
import { collect as apiGatewayRestApisCollect } from './apigateway-rest-apis/collect.ts';
import { apiGatewayRestApis } from './apigateway-rest-apis/index.ts';
import { collect as backupCollect } from './backup/collect.ts';
import { backup } from './backup/index.ts';
import { collect as cloudFrontDistributionsCollect } from './cloudfront-distributions/collect.ts';
import { cloudFrontDistributions } from './cloudfront-distributions/index.ts';
import { collect as cloudTrailTrailsCollect } from './cloudtrail-trails/collect.ts';
import { cloudTrailTrails } from './cloudtrail-trails/index.ts';
import { collect as cloudWatchAlarmsCollect } from './cloudwatch-alarms/collect.ts';
import { cloudWatchAlarms } from './cloudwatch-alarms/index.ts';
import { collect as configRecorderCollect } from './config-recorder/collect.ts';
import { configRecorder } from './config-recorder/index.ts';
import { collect as dynamodbCollect } from './dynamodb/collect.ts';
import { dynamodb } from './dynamodb/index.ts';
import { collect as ec2InstancesCollect } from './ec2-instances/collect.ts';
import { ec2Instances } from './ec2-instances/index.ts';
import { collect as ec2NetworkCollect } from './ec2-network/collect.ts';
import { ec2Network } from './ec2-network/index.ts';
import { collect as ecrCollect } from './ecr/collect.ts';
import { ecr } from './ecr/index.ts';
import { collect as efsCollect } from './efs/collect.ts';
import { efs } from './efs/index.ts';
import { collect as elbLoadBalancersCollect } from './elb-load-balancers/collect.ts';
import { elbLoadBalancers } from './elb-load-balancers/index.ts';
import { collect as guardDutyCollect } from './guardduty/collect.ts';
import { guardDuty } from './guardduty/index.ts';
import { collect as credentialReportCollect } from './iam-credential-report/collect.ts';
import { credentialReport } from './iam-credential-report/index.ts';
import { collect as iamPoliciesCollect } from './iam-policies/collect.ts';
import { iamPolicies } from './iam-policies/index.ts';
import { collect as inspector2Collect } from './inspector2/collect.ts';
import { inspector2 } from './inspector2/index.ts';
import { collect as kmsKeysCollect } from './kms-keys/collect.ts';
import { kmsKeys } from './kms-keys/index.ts';
import { collect as lambdaFunctionsCollect } from './lambda-functions/collect.ts';
import { lambdaFunctions } from './lambda-functions/index.ts';
import { collect as macieCollect } from './macie/collect.ts';
import { macie } from './macie/index.ts';
import { collect as organizationPoliciesCollect } from './organizations/collect.ts';
import { organizationPolicies } from './organizations/index.ts';
import { collect as rdsCollect } from './rds/collect.ts';
import { rds } from './rds/index.ts';
import { collect as s3BucketsCollect } from './s3-buckets/collect.ts';
import { s3Buckets } from './s3-buckets/index.ts';
import { collect as secretsManagerCollect } from './secretsmanager/collect.ts';
import { secretsManager } from './secretsmanager/index.ts';
import { collect as securityHubCollect } from './securityhub/collect.ts';
import { securityHub } from './securityhub/index.ts';
import { collect as ssmManagedInstancesCollect } from './ssm-managed-instances/collect.ts';
import { ssmManagedInstances } from './ssm-managed-instances/index.ts';
import { collect as wafv2WebAclsCollect } from './wafv2-web-acls/collect.ts';
import { wafv2WebAcls } from './wafv2-web-acls/index.ts';

/** The AWS collectors with their collect code, in the order of awsCollectors: one line each. */
export const awsRunnableCollectors: readonly AnyRunnableCollector[] = [
  withCollect(credentialReport, credentialReportCollect),
  withCollect(s3Buckets, s3BucketsCollect),
  withCollect(cloudTrailTrails, cloudTrailTrailsCollect),
  withCollect(configRecorder, configRecorderCollect),
  withCollect(kmsKeys, kmsKeysCollect),
  withCollect(ec2Network, ec2NetworkCollect),
  withCollect(ec2Instances, ec2InstancesCollect),
  withCollect(ssmManagedInstances, ssmManagedInstancesCollect),
  withCollect(elbLoadBalancers, elbLoadBalancersCollect),
  withCollect(wafv2WebAcls, wafv2WebAclsCollect),
  withCollect(lambdaFunctions, lambdaFunctionsCollect),
  withCollect(acmCertificates, acmCertificatesCollect),
  withCollect(apiGatewayRestApis, apiGatewayRestApisCollect),
  withCollect(cloudFrontDistributions, cloudFrontDistributionsCollect),
  withCollect(rds, rdsCollect),
  withCollect(dynamodb, dynamodbCollect),
  withCollect(backup, backupCollect),
  withCollect(efs, efsCollect),
  withCollect(ecr, ecrCollect),
  withCollect(secretsManager, secretsManagerCollect),
  withCollect(guardDuty, guardDutyCollect),
  withCollect(securityHub, securityHubCollect),
  withCollect(inspector2, inspector2Collect),
  withCollect(macie, macieCollect),
  withCollect(cloudWatchAlarms, cloudWatchAlarmsCollect),
  withCollect(iamPolicies, iamPoliciesCollect),
  withCollect(accessAnalyzer, accessAnalyzerCollect),
  withCollect(organizationPolicies, organizationPoliciesCollect),
  withCollect(accountContacts, accountContactsCollect),
];
