import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { PullRequestsSnapshot } from './snapshot.ts';

/** GitHub App permissions, named as in an App manifest (docs/sources/github.md maps classic token scopes). */
const permissions = ['metadata:read', 'pull_requests:read'];

export const pullRequests: CollectorDefinition<PullRequestsSnapshot> = {
  id: 'github.pull-requests',
  source: 'github',
  description:
    'Change-management evidence: pull requests merged into default branches in the look-back window, with their approvers',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
