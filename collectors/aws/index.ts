import type { AnyCollector } from '../../core/collector.ts';
import { accessAnalyzer } from './access-analyzer/index.ts';
import { cloudTrailTrails } from './cloudtrail-trails/index.ts';
import { cloudWatchAlarms } from './cloudwatch-alarms/index.ts';
import { configRecorder } from './config-recorder/index.ts';
import { guardDuty } from './guardduty/index.ts';
import { credentialReport } from './iam-credential-report/index.ts';
import { iamPolicies } from './iam-policies/index.ts';
import { inspector2 } from './inspector2/index.ts';
import { kmsKeys } from './kms-keys/index.ts';
import { macie } from './macie/index.ts';
import { organizationPolicies } from './organizations/index.ts';
import { s3Buckets } from './s3-buckets/index.ts';
import { securityHub } from './securityhub/index.ts';

/**
 * The AWS collectors: one line each. The deployed functions import this list alone, so their bundles carry
 * no other source's SDK.
 */
export const awsCollectors: readonly AnyCollector[] = [
  credentialReport,
  s3Buckets,
  cloudTrailTrails,
  configRecorder,
  kmsKeys,
  guardDuty,
  securityHub,
  inspector2,
  macie,
  cloudWatchAlarms,
  iamPolicies,
  accessAnalyzer,
  organizationPolicies,
];
