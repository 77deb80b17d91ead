import type { AnyCollector } from '../core/collector.ts';
import { awsCollectors } from './aws/index.ts';
import { auditLog } from './github/audit-log/index.ts';
import { orgMembers } from './github/org-members/index.ts';
import { orgSettings } from './github/org-settings/index.ts';
import { pullRequests } from './github/pull-requests/index.ts';
import { repos } from './github/repos/index.ts';
import { accessReview } from './identity/access-review/index.ts';
import { entraConditionalAccess } from './identity/entra/conditional-access/index.ts';
import { entraUsers } from './identity/entra/users/index.ts';
import { googleUsers } from './identity/google/users/index.ts';
import { identityCenterAccess } from './identity/identity-center/access/index.ts';
import { oktaPolicies } from './identity/okta/policies/index.ts';
import { oktaUsers } from './identity/okta/users/index.ts';

/** Every collector Proofline knows: one line each. */
export const collectors: readonly AnyCollector[] = [
  ...awsCollectors,
  orgSettings,
  orgMembers,
  repos,
  pullRequests,
  auditLog,
  oktaUsers,
  oktaPolicies,
  entraUsers,
  entraConditionalAccess,
  googleUsers,
  identityCenterAccess,
  accessReview,
];

export function collectorById(id: string): AnyCollector | undefined {
  return collectors.find((c) => c.id === id);
}
