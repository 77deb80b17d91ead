import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { OrgMembersSnapshot } from './snapshot.ts';

/** GitHub App permissions, named as in an App manifest (docs/sources/github.md maps classic token scopes). */
const permissions = ['members:read', 'metadata:read'];

export const orgMembers: CollectorDefinition<OrgMembersSnapshot> = {
  id: 'github.org.members',
  source: 'github',
  description:
    'Organization members and owners, members without 2FA, outside collaborators per repository, pending invitations',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
