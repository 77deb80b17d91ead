import type { AnyCollector } from '../core/collector.ts';
import { cloudTrailTrails } from './aws/cloudtrail-trails/index.ts';
import { configRecorder } from './aws/config-recorder/index.ts';
import { awsConnector } from './aws/connector.ts';
import { credentialReport } from './aws/iam-credential-report/index.ts';
import { kmsKeys } from './aws/kms-keys/index.ts';
import { s3Buckets } from './aws/s3-buckets/index.ts';
import { auditLog } from './github/audit-log/index.ts';
import { githubConnector } from './github/connector.ts';
import { orgMembers } from './github/org-members/index.ts';
import { orgSettings } from './github/org-settings/index.ts';
import { pullRequests } from './github/pull-requests/index.ts';
import { repos } from './github/repos/index.ts';
import type { AnyConnector } from './sources.ts';

/** Every collector Proofline knows: one line each. */
export const collectors: readonly AnyCollector[] = [
  credentialReport,
  s3Buckets,
  cloudTrailTrails,
  configRecorder,
  kmsKeys,
  orgSettings,
  orgMembers,
  repos,
  pullRequests,
  auditLog,
];

export function collectorById(id: string): AnyCollector | undefined {
  return collectors.find((c) => c.id === id);
}

/** How each source turns its scope-statement section into targets: one line per source. */
export const connectors: readonly AnyConnector[] = [awsConnector, githubConnector];
