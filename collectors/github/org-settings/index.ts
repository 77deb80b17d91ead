import type { Collector } from '../../../core/collector.ts';
import type { GitHubSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { OrgSettingsSnapshot } from './snapshot.ts';

export const orgSettings: Collector<OrgSettingsSnapshot, GitHubSession> = {
  id: 'github.org.settings',
  source: 'github',
  description:
    'Organization settings: 2FA requirement, base permission, member privileges, security defaults for new repositories, Actions policy, webhooks',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
