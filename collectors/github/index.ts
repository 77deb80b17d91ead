import type { AnyCollector } from '../../core/collector.ts';
import { auditLog } from './audit-log/index.ts';
import { orgMembers } from './org-members/index.ts';
import { orgSettings } from './org-settings/index.ts';
import { pullRequests } from './pull-requests/index.ts';
import { repos } from './repos/index.ts';

/** The GitHub collectors: definitions, one line each (their collect code: collect.ts). */
export const githubCollectors: readonly AnyCollector[] = [
  orgSettings,
  orgMembers,
  repos,
  pullRequests,
  auditLog,
];
