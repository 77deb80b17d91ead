import * as z from 'zod';
import type { Scope } from '../../../core/model.ts';
import { githubAnswer, webhookAnswer } from '../answers.ts';
import { readable } from '../readable.ts';
import type { GitHubSession } from '../session.ts';
import { toWebhook } from '../webhook.ts';
import type { OrgSettingsSnapshot } from './snapshot.ts';

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

// What each answer must hold for its fields to be evidence: a value of another type is a malformed answer
// (an error naming the request), never stored as if GitHub had said it. Absent fields stay null: GitHub
// shows them to owners only.
const flag = z.boolean().nullish();
const text = z.string().nullish();
const organizationAnswer = z.looseObject({
  login: z.string(),
  id: z.number(),
  plan: z.looseObject({ name: text }).nullish(),
  is_verified: flag,
  two_factor_requirement_enabled: flag,
  default_repository_permission: text,
  members_can_create_repositories: flag,
  members_can_create_public_repositories: flag,
  members_can_delete_repositories: flag,
  members_can_change_repo_visibility: flag,
  members_can_fork_private_repositories: flag,
  members_can_invite_outside_collaborators: flag,
  web_commit_signoff_required: flag,
  dependabot_alerts_enabled_for_new_repositories: flag,
  dependabot_security_updates_enabled_for_new_repositories: flag,
  dependency_graph_enabled_for_new_repositories: flag,
  secret_scanning_enabled_for_new_repositories: flag,
  secret_scanning_push_protection_enabled_for_new_repositories: flag,
});
const actionsAnswer = z.looseObject({
  enabled_repositories: z.string(),
  allowed_actions: text,
  sha_pinning_required: flag,
});
const workflowAnswer = z.looseObject({
  default_workflow_permissions: z.string(),
  can_approve_pull_request_reviews: z.boolean(),
});

export async function collect(session: GitHubSession, scope: Scope): Promise<OrgSettingsSnapshot> {
  const github = await session.client();
  const org = scope.id;
  const data = githubAnswer(
    organizationAnswer,
    (await github.rest.orgs.get({ org })).data,
    `GET /orgs/${org}`,
  );
  const [actions, workflowPermissions, webhooks] = await Promise.all([
    readable(`GET /orgs/${org}/actions/permissions`, async () => {
      const a = githubAnswer(
        actionsAnswer,
        (await github.rest.actions.getGithubActionsPermissionsOrganization({ org })).data,
        `GET /orgs/${org}/actions/permissions`,
      );
      return {
        enabledRepositories: a.enabled_repositories,
        allowedActions: orNull(a.allowed_actions),
        shaPinningRequired: orNull(a.sha_pinning_required),
      };
    }),
    readable(`GET /orgs/${org}/actions/permissions/workflow`, async () => {
      const w = githubAnswer(
        workflowAnswer,
        (await github.rest.actions.getGithubActionsDefaultWorkflowPermissionsOrganization({ org })).data,
        `GET /orgs/${org}/actions/permissions/workflow`,
      );
      return {
        defaultWorkflowPermissions: w.default_workflow_permissions,
        canApprovePullRequestReviews: w.can_approve_pull_request_reviews,
      };
    }),
    readable(`GET /orgs/${org}/hooks`, async () =>
      githubAnswer(
        z.array(webhookAnswer),
        await github.paginate(github.rest.orgs.listWebhooks, { org, per_page: 100 }),
        `GET /orgs/${org}/hooks`,
      ).map(toWebhook),
    ),
  ]);
  return {
    org: data.login,
    id: data.id,
    plan: orNull(data.plan?.name),
    verified: orNull(data.is_verified),
    twoFactorRequired: orNull(data.two_factor_requirement_enabled),
    defaultRepositoryPermission: orNull(data.default_repository_permission),
    membersCanCreateRepositories: orNull(data.members_can_create_repositories),
    membersCanCreatePublicRepositories: orNull(data.members_can_create_public_repositories),
    membersCanDeleteRepositories: orNull(data.members_can_delete_repositories),
    membersCanChangeRepoVisibility: orNull(data.members_can_change_repo_visibility),
    membersCanForkPrivateRepositories: orNull(data.members_can_fork_private_repositories),
    membersCanInviteOutsideCollaborators: orNull(data.members_can_invite_outside_collaborators),
    webCommitSignoffRequired: orNull(data.web_commit_signoff_required),
    newRepositoryDefaults: {
      dependabotAlerts: orNull(data.dependabot_alerts_enabled_for_new_repositories),
      dependabotSecurityUpdates: orNull(data.dependabot_security_updates_enabled_for_new_repositories),
      dependencyGraph: orNull(data.dependency_graph_enabled_for_new_repositories),
      secretScanning: orNull(data.secret_scanning_enabled_for_new_repositories),
      secretScanningPushProtection: orNull(data.secret_scanning_push_protection_enabled_for_new_repositories),
    },
    actions,
    workflowPermissions,
    webhooks,
  };
}
