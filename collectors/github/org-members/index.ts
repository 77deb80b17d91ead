import type { Collector } from '../../../core/collector.ts';
import type { GitHubSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { OrgMembersSnapshot } from './snapshot.ts';

export const orgMembers: Collector<OrgMembersSnapshot, GitHubSession> = {
  id: 'github.org.members',
  source: 'github',
  description:
    'Organization members and owners, members without 2FA, outside collaborators per repository, pending invitations',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
