import { type Check, finding } from '../../../core/collector.ts';
import { adminsWithoutMfa, orphanedAccounts } from './review.ts';
import type { AccessReviewSnapshot } from './snapshot.ts';

export const orphanedAccess: Check<AccessReviewSnapshot> = {
  id: 'access-review.orphaned-access',
  title: 'No account stays active downstream after its person leaves the identity provider',
  severity: 'critical',
  procedure:
    'Reads the access review: every active downstream account (IAM users, Identity Center, GitHub …) matched to people in the identity provider. Passes per account whose person is active there or that is a mapped service account; fails for each orphaned account, and fails when no identity-provider evidence exists to judge against.',
  remediation:
    'Remove the account (or its credentials, membership or assignments) in the downstream system, or map it in governance/identity-map.yaml (to its person, or as a service account with an owner).',
  evaluate(s, { scope }) {
    if (!s.idpEvidence)
      return [
        finding(this.id, scope.id, false, 'no identity-provider evidence: orphaned access cannot be judged'),
      ];
    const orphaned = orphanedAccounts(s);
    const flagged = new Set(orphaned.map((o) => `${o.system}:${o.scope}:${o.account}`));
    const downstream = s.accounts.filter((a) => !['okta', 'entra', 'google'].includes(a.system) && a.active);
    if (downstream.length === 0)
      return [
        {
          check: this.id,
          resource: scope.id,
          status: 'not_applicable',
          reason: 'no active downstream account',
        },
      ];
    return downstream.map((a) => {
      const id = `${a.system}:${a.scope}:${a.account}`;
      const orphan = orphaned.find((o) => `${o.system}:${o.scope}:${o.account}` === id);
      return finding(
        this.id,
        id,
        !flagged.has(id),
        orphan?.reason ??
          (a.matchedBy === 'service-account'
            ? `service account owned by ${a.serviceAccount?.owner}`
            : `${a.person} is active in the identity provider`),
      );
    });
  },
};

export const adminsMfa: Check<AccessReviewSnapshot> = {
  id: 'access-review.admins-mfa',
  title: 'People with admin rights in any system have MFA on every account they sign in with',
  severity: 'critical',
  procedure:
    'Reads the access review: every person with admin rights in any reviewed system, and the MFA state of each of their accounts. Passes per person with MFA wherever it is known; fails naming each account without it.',
  remediation: 'Enroll the administrator in MFA in each system listed, or remove their admin rights.',
  evaluate(s, { scope }) {
    const admins = adminsWithoutMfa(s);
    if (admins.length === 0)
      return [
        {
          check: this.id,
          resource: scope.id,
          status: 'not_applicable',
          reason: 'no active administrator found',
        },
      ];
    return admins.map((a) =>
      finding(
        this.id,
        a.who,
        a.withoutMfa.length === 0,
        a.withoutMfa.length === 0
          ? `admin in ${a.adminIn.join('; ')}; MFA everywhere it is known`
          : `admin in ${a.adminIn.join('; ')}; no MFA on ${a.withoutMfa.join(', ')}`,
      ),
    );
  },
};

export const checks = [orphanedAccess, adminsMfa];
