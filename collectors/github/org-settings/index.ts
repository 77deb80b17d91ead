import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { OrgSettingsSnapshot } from './snapshot.ts';

/** GitHub App permissions, named as in an App manifest (docs/sources/github.md maps classic token scopes). */
const permissions = ['organization_administration:read', 'organization_hooks:read'];

export const orgSettings: CollectorDefinition<OrgSettingsSnapshot> = {
  id: 'github.org.settings',
  source: 'github',
  description:
    'Organization settings: 2FA requirement, base permission, member privileges, security defaults for new repositories, Actions policy, webhooks',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
