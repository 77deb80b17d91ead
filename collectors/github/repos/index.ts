import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { ReposSnapshot } from './snapshot.ts';

/** GitHub App permissions, named as in an App manifest (docs/sources/github.md maps classic token scopes). */
const permissions = [
  'metadata:read',
  'administration:read',
  'contents:read',
  'repository_hooks:read',
  'vulnerability_alerts:read',
  'security_events:read',
];

export const repos: CollectorDefinition<ReposSnapshot> = {
  id: 'github.repos',
  source: 'github',
  description:
    'Repositories: default-branch protection and rulesets, CODEOWNERS, secret scanning, Dependabot, code scanning, visibility, activity, deploy keys, webhooks, Actions permissions',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
