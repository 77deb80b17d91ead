import type { AnyCollector } from '../../core/collector.ts';
import { backup } from './backup/index.ts';
import { cloudTrailTrails } from './cloudtrail-trails/index.ts';
import { configRecorder } from './config-recorder/index.ts';
import { dynamodb } from './dynamodb/index.ts';
import { ecr } from './ecr/index.ts';
import { efs } from './efs/index.ts';
import { credentialReport } from './iam-credential-report/index.ts';
import { kmsKeys } from './kms-keys/index.ts';
import { rds } from './rds/index.ts';
import { s3Buckets } from './s3-buckets/index.ts';
import { secretsManager } from './secretsmanager/index.ts';

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
  rds,
  dynamodb,
  backup,
  efs,
  ecr,
  secretsManager,
];
