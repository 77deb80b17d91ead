import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { readable } from '../readable.ts';
import type { GitHubSession } from '../session.ts';
import type { CollaboratorSnapshot, OrgMembersSnapshot, RepoPermission } from './snapshot.ts';

const RANK: readonly RepoPermission[] = ['admin', 'maintain', 'write', 'triage', 'read'];

/** The highest permission a collaborator holds, from `permissions` flags or `role_name`. */
function permissionOf(c: {
  permissions?: Partial<Record<RepoPermission | 'push' | 'pull', boolean>>;
  role_name: string;
}): RepoPermission {
  const p = c.permissions ?? {};
  const flags: Record<RepoPermission, boolean | undefined> = {
    admin: p.admin,
    maintain: p.maintain,
    write: p.push,
    triage: p.triage,
    read: p.pull,
  };
  return (
    RANK.find((r) => flags[r]) ??
    (RANK.includes(c.role_name as RepoPermission) ? (c.role_name as RepoPermission) : 'read')
  );
}

export async function collect(session: GitHubSession, scope: Scope): Promise<OrgMembersSnapshot> {
  const github = await session.client();
  const org = scope.id;
  const [everyone, owners, repos] = await Promise.all([
    github.paginate(github.rest.orgs.listMembers, { org, role: 'all', per_page: 100 }),
    github.paginate(github.rest.orgs.listMembers, { org, role: 'admin', per_page: 100 }),
    github.paginate(github.rest.repos.listForOrg, { org, type: 'all', per_page: 100 }),
  ]);
  const ownerIds = new Set(owners.map((o) => o.id));
  const [withoutTwoFactor, outsideCollaborators, pendingInvitations] = await Promise.all([
    readable(`GET /orgs/${org}/members?filter=2fa_disabled`, async () =>
      (
        await github.paginate(github.rest.orgs.listMembers, { org, filter: '2fa_disabled', per_page: 100 })
      ).map((m) => m.login),
    ),
    readable(`GET /orgs/${org}/outside_collaborators`, async () =>
      (await github.paginate(github.rest.orgs.listOutsideCollaborators, { org, per_page: 100 })).map(
        (m) => m.login,
      ),
    ),
    readable(`GET /orgs/${org}/invitations`, async () =>
      (await github.paginate(github.rest.orgs.listPendingInvitations, { org, per_page: 100 })).map((i) => ({
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
          async () =>
            (
              await github.paginate(github.rest.repos.listCollaborators, {
                owner: org,
                repo: repo.name,
                affiliation: 'outside',
                per_page: 100,
              })
            ).map((c): CollaboratorSnapshot => ({ login: c.login, permission: permissionOf(c) })),
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
