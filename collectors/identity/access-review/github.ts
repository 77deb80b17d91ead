import * as z from 'zod';

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
