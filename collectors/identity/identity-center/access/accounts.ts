import type { AccountDraft } from '../../access-review/snapshot.ts';
import { accessByUser, adminGrantsByUser } from './admin.ts';
import type { IdentityCenterSnapshot } from './snapshot.ts';

/** IAM Identity Center users as the access review sees them: active while they hold an assignment. */
export function reviewAccounts(snapshot: IdentityCenterSnapshot): AccountDraft[] {
  const access = accessByUser(snapshot);
  const admins = adminGrantsByUser(snapshot);
  return snapshot.users.map((u) => {
    const granted = access.get(u.userId) ?? [];
    return {
      account: u.userName,
      email: u.emails[0] ?? null,
      status: granted.length ? 'assigned' : 'no assignments',
      active: granted.length > 0,
      admin: (admins.get(u.userId) ?? []).length > 0,
      access: granted,
      // Users sign in through the identity source: MFA is judged on their IdP account.
      mfa: null,
      lastActivity: null,
    };
  });
}
