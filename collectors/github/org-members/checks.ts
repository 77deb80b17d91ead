import { type Check, perResource } from '../../../core/collector.ts';
import type { Finding } from '../../../core/model.ts';
import { plural, whenReadable } from '../judge.ts';
import { describeGap } from '../readable.ts';
import type { OrgMembersSnapshot } from './snapshot.ts';

const TWO_FACTOR = 'github.org.members-2fa';

/** One finding per member: those GitHub lists under `filter=2fa_disabled` fail. */
export const membersTwoFactor: Check<OrgMembersSnapshot> = {
  id: TWO_FACTOR,
  title: 'Every organization member has two-factor authentication enabled',
  severity: 'critical',
  procedure:
    'Reads the organization members and the members GitHub lists as having two-factor authentication disabled. Passes per member with 2FA; fails for each member without it, and fails for the organization when that list cannot be read.',
  remediation:
    'Require 2FA for the organization (members without it are removed), or ask each listed member to enable it.',
  evaluate(s, context) {
    const check = TWO_FACTOR;
    if (!s.withoutTwoFactor.ok)
      return [
        {
          check,
          resource: s.org,
          status: 'fail',
          reason: describeGap('members without 2FA', s.withoutTwoFactor.gap),
        },
      ];
    if (s.members.length === 0)
      return [{ check, resource: context.scope.id, status: 'not_applicable', reason: 'no members' }];
    const without = new Set(s.withoutTwoFactor.value);
    return s.members.map(
      (m): Finding => ({
        check,
        resource: `${s.org}/members/${m.login}`,
        status: without.has(m.login) ? 'fail' : 'pass',
        reason: without.has(m.login)
          ? `${m.login} (${m.role === 'admin' ? 'owner' : 'member'}) has no second factor`
          : `${m.login} has 2FA enabled`,
      }),
    );
  },
};

export const outsideCollaboratorsNotAdmin = perResource(
  {
    id: 'github.org.outside-collaborator-admin',
    title: 'Outside collaborators do not hold admin or maintain permission',
    severity: 'high',
    procedure:
      'Reads the outside collaborators of every repository with their permission. Passes per repository when none holds admin or maintain; fails naming each who does, or when the list cannot be read.',
    remediation:
      'Lower the outside collaborator to write or read, or make the person an organization member subject to its policies.',
  },
  (s: OrgMembersSnapshot) => s.repositories,
  (r, s) => `${s.org}/${r.name}`,
  (r) =>
    whenReadable('outside collaborators', r.outsideCollaborators, (list) => {
      const elevated = list.filter((c) => c.permission === 'admin' || c.permission === 'maintain');
      return elevated.length
        ? [
            false,
            `outside collaborators with elevated access: ${elevated.map((c) => `${c.login} (${c.permission})`).join(', ')}`,
          ]
        : [true, `${plural(list.length, 'outside collaborator')}, none with admin or maintain`];
    }),
);

export const checks = [membersTwoFactor, outsideCollaboratorsNotAdmin];
