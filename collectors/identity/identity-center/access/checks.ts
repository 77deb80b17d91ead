import { perResource } from '../../../../core/collector.ts';
import { adminLikeReason, allowsEverything, inlineStatements } from './admin.ts';
import type {
  IdentityCenterAssignment,
  IdentityCenterPermissionSet,
  IdentityCenterSnapshot,
} from './snapshot.ts';

export const noInlineWildcard = perResource<IdentityCenterSnapshot, IdentityCenterPermissionSet>(
  {
    id: 'identity-center.permission-sets.no-inline-wildcard',
    title: 'Permission sets do not grant "*" on "*" through an inline policy',
    severity: 'high',
    procedure:
      'Reads the inline policy of every IAM Identity Center permission set. Passes per permission set with no statement allowing every action on every resource; fails for each that has one.',
    remediation:
      'Replace the inline "*:*" statement with the AdministratorAccess managed policy (visible to reviewers) or a scoped policy.',
  },
  (s) => s.permissionSets,
  (ps) => ps.arn,
  (ps) =>
    inlineStatements(ps.inlinePolicy).some(allowsEverything)
      ? [false, `permission set ${ps.name} allows every action on every resource in its inline policy`]
      : [true, `permission set ${ps.name} has no inline "*" on "*"`],
);

export const adminViaGroups = perResource<IdentityCenterSnapshot, IdentityCenterAssignment>(
  {
    id: 'identity-center.admin-assignments.via-groups',
    title: 'Administrator permission sets are assigned to groups, not to individual users',
    severity: 'medium',
    procedure:
      'Reads the account assignments of every administrator-like permission set. Passes per assignment made to a group; fails for each made directly to a user.',
    remediation:
      'Assign administrator permission sets to a group managed in the identity provider and remove direct user assignments.',
  },
  (s) => {
    const admin = new Set(s.permissionSets.filter((ps) => adminLikeReason(ps)).map((ps) => ps.arn));
    return s.assignments.filter((a) => admin.has(a.permissionSetArn));
  },
  (a) => `${a.accountId}/${a.permissionSetArn}/${a.principalType.toLowerCase()}/${a.principalId}`,
  (a, s) => {
    const ps = s.permissionSets.find((p) => p.arn === a.permissionSetArn);
    const reason = ps ? adminLikeReason(ps) : undefined;
    if (a.principalType === 'GROUP') {
      const group = s.groups.find((g) => g.groupId === a.principalId);
      return [
        true,
        `${ps?.name} (${reason}) on ${a.accountId} is assigned to group ${group?.displayName ?? a.principalId}`,
      ];
    }
    const user = s.users.find((u) => u.userId === a.principalId);
    return [
      false,
      `${ps?.name} (${reason}) on ${a.accountId} is assigned directly to user ${user?.userName ?? a.principalId}`,
    ];
  },
);

export const checks = [noInlineWildcard, adminViaGroups];
