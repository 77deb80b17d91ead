import * as z from 'zod';
import type { AccountDraft } from './snapshot.ts';

/** The collector id of the GitHub organization members snapshot the review reads. */
export const GITHUB_MEMBERS_COLLECTOR = 'github.org.members';

/**
 * The part of a `github.org.members` snapshot the access review needs: each member's login, and where known
 * the e-mail, the org role (admin | member) and whether two-factor authentication is on. Extra fields pass.
 */
export const githubMembersSchema = z.looseObject({
  members: z.array(
    z.looseObject({
      login: z.string().min(1),
      email: z.string().nullish(),
      role: z.string().nullish(),
      twoFactorEnabled: z.boolean().nullish(),
    }),
  ),
});
export type GithubOrgMembersSnapshot = z.infer<typeof githubMembersSchema>;

/** GitHub organization members as the access review sees them: every member is active, owners are admins. */
export const reviewAccounts = (snapshot: GithubOrgMembersSnapshot): AccountDraft[] =>
  snapshot.members.map((m) => ({
    account: m.login,
    email: m.email ?? null,
    status: m.role ?? 'member',
    active: true,
    admin: m.role === 'admin',
    access: [m.role ?? 'member'],
    mfa: m.twoFactorEnabled ?? null,
    lastActivity: null,
  }));
