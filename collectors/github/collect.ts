import { type AnyRunnableCollector, withCollect } from '../../core/collector.ts';
import { collect as auditLogCollect } from './audit-log/collect.ts';
import { auditLog } from './audit-log/index.ts';
import { collect as orgMembersCollect } from './org-members/collect.ts';
import { orgMembers } from './org-members/index.ts';
import { collect as orgSettingsCollect } from './org-settings/collect.ts';
import { orgSettings } from './org-settings/index.ts';
import { collect as pullRequestsCollect } from './pull-requests/collect.ts';
import { pullRequests } from './pull-requests/index.ts';
import { collect as reposCollect } from './repos/collect.ts';
import { repos } from './repos/index.ts';

/** The GitHub collectors with their collect code, in the order of githubCollectors: one line each. */
export const githubRunnableCollectors: readonly AnyRunnableCollector[] = [
  withCollect(orgSettings, orgSettingsCollect),
  withCollect(orgMembers, orgMembersCollect),
  withCollect(repos, reposCollect),
  withCollect(pullRequests, pullRequestsCollect),
  withCollect(auditLog, auditLogCollect),
];
