import pLimit from 'p-limit';
import * as z from 'zod';
import type { Scope } from '../../../core/model.ts';
import { MalformedResponseError } from '../../identity/api-error.ts';
import { githubAnswer, listedRepoAnswer } from '../answers.ts';
import { readable } from '../readable.ts';
import type { GitHubSession } from '../session.ts';
import type { CollaboratorSnapshot, OrgMembersSnapshot, RepoPermission } from './snapshot.ts';

const RANK: readonly RepoPermission[] = ['admin', 'maintain', 'write', 'triage', 'read'];

// The fields each answer must hold: a value of another type is a malformed answer (an error naming the
// request), never stored as if GitHub had said it.
const memberAnswer = z.looseObject({ login: z.string(), id: z.number() });
const loginAnswer = z.looseObject({ login: z.string() });
const invitationAnswer = z.looseObject({
  id: z.number(),
  login: z.string().nullish(),
  role: z.string(),
  created_at: z.string(),
  inviter: z.looseObject({ login: z.string() }).nullish(),
});
const collaboratorAnswer = z.looseObject({
  login: z.string(),
  permissions: z
    .partialRecord(z.enum(['admin', 'maintain', 'push', 'triage', 'pull']), z.boolean())
    .optional(),
  role_name: z.string(),
});
type CollaboratorAnswer = z.infer<typeof collaboratorAnswer>;

/**
 * The highest permission a collaborator holds, from `permissions` flags or `role_name`; neither naming one
 * (a custom role without flags) is a malformed answer, never a guessed `read`.
 */
function permissionOf(c: CollaboratorAnswer, request: string): RepoPermission {
  const p = c.permissions ?? {};
  const flags: Record<RepoPermission, boolean | undefined> = {
    admin: p.admin,
    maintain: p.maintain,
    write: p.push,
    triage: p.triage,
    read: p.pull,
  };
  const permission =
    RANK.find((r) => flags[r]) ??
    (RANK.includes(c.role_name as RepoPermission) ? (c.role_name as RepoPermission) : undefined);
  if (!permission)
    throw new MalformedResponseError(
      'github',
      request,
      `${c.login}: no permission flag and role "${c.role_name}"`,
    );
  return permission;
}

export async function collect(session: GitHubSession, scope: Scope): Promise<OrgMembersSnapshot> {
  const github = await session.client();
  const org = scope.id;
  const [everyone, owners, repos] = await Promise.all([
    github
      .paginate(github.rest.orgs.listMembers, { org, role: 'all', per_page: 100 })
      .then((a) => githubAnswer(z.array(memberAnswer), a, `GET /orgs/${org}/members?role=all`)),
    github
      .paginate(github.rest.orgs.listMembers, { org, role: 'admin', per_page: 100 })
      .then((a) => githubAnswer(z.array(memberAnswer), a, `GET /orgs/${org}/members?role=admin`)),
    github
      .paginate(github.rest.repos.listForOrg, { org, type: 'all', per_page: 100 })
      .then((a) => githubAnswer(z.array(listedRepoAnswer), a, `GET /orgs/${org}/repos`)),
  ]);
  const logins = (request: string, answer: unknown) =>
    githubAnswer(z.array(loginAnswer), answer, request).map((m) => m.login);
  const ownerIds = new Set(owners.map((o) => o.id));
  const [withoutTwoFactor, outsideCollaborators, pendingInvitations] = await Promise.all([
    readable(`GET /orgs/${org}/members?filter=2fa_disabled`, async () =>
      logins(
        `GET /orgs/${org}/members?filter=2fa_disabled`,
        await github.paginate(github.rest.orgs.listMembers, { org, filter: '2fa_disabled', per_page: 100 }),
      ),
    ),
    readable(`GET /orgs/${org}/outside_collaborators`, async () =>
      logins(
        `GET /orgs/${org}/outside_collaborators`,
        await github.paginate(github.rest.orgs.listOutsideCollaborators, { org, per_page: 100 }),
      ),
    ),
    readable(`GET /orgs/${org}/invitations`, async () =>
      githubAnswer(
        z.array(invitationAnswer),
        await github.paginate(github.rest.orgs.listPendingInvitations, { org, per_page: 100 }),
        `GET /orgs/${org}/invitations`,
      ).map((i) => ({
        id: i.id,
        login: i.login ?? null,
        role: i.role,
        createdAt: i.created_at,
        inviter: i.inviter?.login ?? null,
      })),
    ),
  ]);
  const limit = pLimit(4);
  const repositories = await Promise.all(
    repos.map((repo) =>
      limit(async () => ({
        name: repo.name,
        archived: repo.archived ?? false,
        outsideCollaborators: await readable(
          `GET /repos/${org}/${repo.name}/collaborators?affiliation=outside`,
          async () => {
            const request = `GET /repos/${org}/${repo.name}/collaborators?affiliation=outside`;
            const answer = await github.paginate(github.rest.repos.listCollaborators, {
              owner: org,
              repo: repo.name,
              affiliation: 'outside',
              per_page: 100,
            });
            return githubAnswer(z.array(collaboratorAnswer), answer, request).map(
              (c): CollaboratorSnapshot => ({ login: c.login, permission: permissionOf(c, request) }),
            );
          },
        ),
      })),
    ),
  );
  return {
    org,
    members: everyone.map((m) => ({
      login: m.login,
      id: m.id,
      role: ownerIds.has(m.id) ? 'admin' : 'member',
    })),
    withoutTwoFactor,
    outsideCollaborators,
    pendingInvitations,
    repositories: repositories.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
