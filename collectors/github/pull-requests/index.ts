import type { Collector } from '../../../core/collector.ts';
import type { GitHubSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { PullRequestsSnapshot } from './snapshot.ts';

export const pullRequests: Collector<PullRequestsSnapshot, GitHubSession> = {
  id: 'github.pull-requests',
  source: 'github',
  description:
    'Change-management evidence: pull requests merged into default branches in the look-back window, with their approvers',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
