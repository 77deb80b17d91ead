import type { Check } from '../../../core/collector.ts';
import type { Finding } from '../../../core/model.ts';
import { plural } from '../judge.ts';
import type { AuditLogSnapshot, PolicyChangeSnapshot } from './snapshot.ts';

const ID = 'github.audit-log.policy-weakening';

/** Actions that switch a protection off or widen access; each needs a reviewed reason. */
const WEAKENING = new Set([
  'org.disable_two_factor_requirement',
  'business.disable_two_factor_requirement',
  'org.update_default_repository_permission',
  'org.update_member_repository_creation_permission',
  'protected_branch.destroy',
  'protected_branch.policy_override',
  'protected_branch.update_admin_enforced',
  'protected_branch.update_allow_force_pushes_enforcement_level',
  'protected_branch.update_allow_deletions_enforcement_level',
  'repository_ruleset.destroy',
  'org_ruleset.destroy',
  'repository_secret_scanning.disable',
  'repository_secret_scanning_push_protection.disable',
  'repository_vulnerability_alerts.disable',
  'org.advanced_security_disabled_on_all_repos',
  'org.secret_scanning_push_protection_disable',
]);

export function weakens(change: PolicyChangeSnapshot): boolean {
  if (WEAKENING.has(change.action)) return true;
  return change.action === 'repo.access' && change.details.visibility === 'public';
}

/**
 * Fails once per weakening change in the window, so each gets looked at. The API is GitHub Enterprise Cloud
 * only: a 404 (not available on this plan) is not applicable; a 403 (no permission) fails as a gap.
 */
export const policyWeakening: Check<AuditLogSnapshot> = {
  id: ID,
  title: 'No organization security policy was weakened in the look-back window',
  severity: 'medium',
  procedure:
    'Reads the organization audit log for the look-back window (GitHub Enterprise Cloud). Passes when no event switched a protection off or widened access (2FA requirement, base permission, branch protection, rulesets, secret scanning, Dependabot, public visibility); fails once per such event, and when the log cannot be read for lack of permission.',
  remediation:
    'Review each listed change with its actor; revert it, or record the approval (an exception with owner, reason and expiry).',
  evaluate(s) {
    if (!s.available) {
      const reason = `audit log not available (HTTP ${s.status}: ${s.message})`;
      return [
        s.status === 404
          ? {
              check: ID,
              resource: s.org,
              status: 'not_applicable',
              reason: `${reason}; it exists on GitHub Enterprise Cloud only`,
            }
          : { check: ID, resource: s.org, status: 'fail', reason: `${reason}; not judged as passing` },
      ];
    }
    const weakening = s.changes.filter(weakens);
    if (weakening.length === 0)
      return [
        {
          check: ID,
          resource: s.org,
          status: 'pass',
          reason: `${plural(s.changes.length, 'policy change')} since ${s.since}, none weakening`,
        },
      ];
    return weakening.map(
      (c): Finding => ({
        check: ID,
        resource: c.repo ? `${s.org}/${c.repo.replace(/^.*\//, '')}` : s.org,
        status: 'fail',
        reason: `${c.action} by ${c.actor ?? 'unknown'} at ${c.at}${
          Object.keys(c.details).length
            ? ` (${Object.entries(c.details)
                .map(([k, v]) => `${k}=${v}`)
                .join(', ')})`
            : ''
        }`,
      }),
    );
  },
};

export const checks = [policyWeakening];
