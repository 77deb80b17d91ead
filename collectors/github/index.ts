import type { AnyCollector } from '../../core/collector.ts';
import { auditLog } from './audit-log/index.ts';
import { orgMembers } from './org-members/index.ts';
import { orgSettings } from './org-settings/index.ts';
import { pullRequests } from './pull-requests/index.ts';
import { repos } from './repos/index.ts';

/** The GitHub collectors: one line each. The source's function imports this list alone. */
export const githubCollectors: readonly AnyCollector[] = [
  orgSettings,
  orgMembers,
  repos,
  pullRequests,
  auditLog,
];
