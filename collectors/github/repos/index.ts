import type { Collector } from '../../../core/collector.ts';
import type { GitHubSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { ReposSnapshot } from './snapshot.ts';

export const repos: Collector<ReposSnapshot, GitHubSession> = {
  id: 'github.repos',
  source: 'github',
  description:
    'Repositories: default-branch protection and rulesets, CODEOWNERS, secret scanning, Dependabot, code scanning, visibility, activity, deploy keys, webhooks, Actions permissions',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
