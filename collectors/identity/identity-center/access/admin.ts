import type { IdentityCenterPermissionSet, IdentityCenterSnapshot } from './snapshot.ts';

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: string | string[];
}

const list = (v: string | string[] | undefined) => ([] as string[]).concat(v ?? []);

/** An inline statement allowing every action on every resource. */
export function allowsEverything(statement: Statement): boolean {
  return (
    statement.Effect === 'Allow' &&
    list(statement.Action).some((a) => a === '*' || a === '*:*') &&
    list(statement.Resource).includes('*')
  );
}

export function inlineStatements(policy: unknown): Statement[] {
  const statements = (policy as { Statement?: Statement | Statement[] } | null)?.Statement;
  return ([] as Statement[]).concat(statements ?? []);
}

/** Why a permission set grants administrator access, or undefined when it does not. */
export function adminLikeReason(ps: IdentityCenterPermissionSet): string | undefined {
  if (ps.managedPolicies.includes(ADMINISTRATOR_ACCESS)) return 'AdministratorAccess managed policy';
  if (inlineStatements(ps.inlinePolicy).some(allowsEverything)) return 'inline policy allows "*" on "*"';
  return undefined;
}

export interface AdminGrant {
  readonly accountId: string;
  readonly permissionSet: string;
  /** `direct`, or the group the assignment reaches the user through. */
  readonly via: string;
}

/** Every user's administrator grants, direct or through a group. */
export function adminGrantsByUser(s: IdentityCenterSnapshot): Map<string, AdminGrant[]> {
  const adminSets = new Map(
    s.permissionSets.filter((ps) => adminLikeReason(ps)).map((ps) => [ps.arn, ps.name] as const),
  );
  const groups = new Map(s.groups.map((g) => [g.groupId, g]));
  const grants = new Map<string, AdminGrant[]>();
  const add = (userId: string, grant: AdminGrant) =>
    grants.set(userId, [...(grants.get(userId) ?? []), grant]);
  for (const a of s.assignments) {
    const permissionSet = adminSets.get(a.permissionSetArn);
    if (!permissionSet) continue;
    if (a.principalType === 'USER')
      add(a.principalId, { accountId: a.accountId, permissionSet, via: 'direct' });
    else {
      const group = groups.get(a.principalId);
      for (const userId of group?.memberUserIds ?? [])
        add(userId, { accountId: a.accountId, permissionSet, via: `group ${group?.displayName}` });
    }
  }
  return grants;
}

/** Every user's assignments (admin or not), as "account: permission set (via)" strings. */
export function accessByUser(s: IdentityCenterSnapshot): Map<string, string[]> {
  const names = new Map(s.permissionSets.map((ps) => [ps.arn, ps.name] as const));
  const groups = new Map(s.groups.map((g) => [g.groupId, g]));
  const access = new Map<string, string[]>();
  const add = (userId: string, what: string) => access.set(userId, [...(access.get(userId) ?? []), what]);
  for (const a of s.assignments) {
    const name = names.get(a.permissionSetArn) ?? a.permissionSetArn;
    if (a.principalType === 'USER') add(a.principalId, `${a.accountId}:${name}`);
    else {
      const group = groups.get(a.principalId);
      for (const userId of group?.memberUserIds ?? [])
        add(userId, `${a.accountId}:${name} (group ${group?.displayName})`);
    }
  }
  return access;
}

export type { IdentityCenterPermissionSet };
