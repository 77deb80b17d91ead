import type { CredentialReportSnapshot } from '../../aws/iam-credential-report/snapshot.ts';
import type { AccountDraft } from './snapshot.ts';

/**
 * IAM users of the credential report as the access review sees them: active while a password or access key
 * is. (Kept with the review rather than in collectors/aws/, whose collectors know nothing of the review.)
 */
export const reviewAccounts = (snapshot: CredentialReportSnapshot): AccountDraft[] =>
  snapshot.users.flatMap((u) => {
    if (u.user === '<root_account>') return [];
    const keys = u.accessKeys.filter((k) => k.active).map((k) => `access key ${k.slot}`);
    const credentials = [...(u.passwordEnabled ? ['console password'] : []), ...keys];
    return [
      {
        account: u.user,
        email: u.user.includes('@') ? u.user : null,
        status: credentials.length ? 'credentials active' : 'no active credentials',
        active: credentials.length > 0,
        // The credential report does not say what a user may do; IAM policies are another collector's.
        admin: false,
        access: credentials,
        mfa: u.passwordEnabled ? u.mfaActive : null,
        lastActivity:
          [u.passwordLastUsed, ...u.accessKeys.map((k) => k.lastUsed)]
            .filter((d): d is string => !!d)
            .sort()
            .at(-1) ?? null,
      },
    ];
  });
