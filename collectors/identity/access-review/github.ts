import * as z from 'zod';
import type { AccountDraft } from './snapshot.ts';

/** The collector id of the GitHub organization members snapshot the review reads. */
export const GITHUB_MEMBERS_COLLECTOR = 'github.org.members';

/**
 * The part of a `github.org.members` snapshot the access review needs: each member's login, where known the
 * e-mail and org role (admin | member), and the members GitHub lists without two-factor authentication — a
 * readable list, or a gap when the token could not see it (then every member's 2FA is unknown). Extra fields pass.
 */
export const githubMembersSchema = z.looseObject({
  members: z.array(
    z.looseObject({
      login: z.string().min(1),
      email: z.string().nullish(),
      role: z.string().nullish(),
    }),
  ),
  withoutTwoFactor: z
    .union([
      z.looseObject({ ok: z.literal(true), value: z.array(z.string()) }),
      z.looseObject({ ok: z.literal(false) }),
    ])
    .optional(),
});
export type GithubOrgMembersSnapshot = z.infer<typeof githubMembersSchema>;

/** GitHub organization members as the access review sees them: every member is active, owners are admins. */
export const reviewAccounts = (snapshot: GithubOrgMembersSnapshot): AccountDraft[] => {
  const listed = snapshot.withoutTwoFactor;
  const withoutTwoFactor = listed?.ok ? new Set(listed.value.map((login) => login.toLowerCase())) : undefined;
  return snapshot.members.map((m) => ({
    account: m.login,
    email: m.email ?? null,
    status: m.role ?? 'member',
    active: true,
    admin: m.role === 'admin',
    access: [m.role ?? 'member'],
    mfa: withoutTwoFactor ? !withoutTwoFactor.has(m.login.toLowerCase()) : null,
    lastActivity: null,
  }));
};
