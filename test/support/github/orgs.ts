/**
 * Two organizations for the check tests: "good" passes every GitHub check, "bad" fails every one of them.
 * Both are served by the stand-in and collected with the real Octokit.
 */
import {
  analysis,
  auditEvent,
  collaborator,
  contentFile,
  dependabotAlert,
  deployKey,
  organization,
  orgHook,
  protection,
  pull,
  repoHook,
  repository,
  review,
  ruleset,
  strictRules,
  user,
} from '../../../demo/github-fixtures.ts';
import type { StandInOrg } from '../../../demo/github-stand-in.ts';
import { ago } from './index.ts';

export const GOOD = 'good';
export const BAD = 'bad';
/** The policy both are judged with. */
export const POLICY = { requiredApprovals: 2, approvedPublicRepos: ['site'] };

export function goodOrg(): StandInOrg {
  const org = GOOD;
  const full = (name: string) => `${org}/${name}`;
  return {
    org: organization(org, {
      is_verified: true,
      two_factor_requirement_enabled: true,
      default_repository_permission: 'read',
      members_can_create_repositories: true,
      members_can_create_public_repositories: false,
      members_can_delete_repositories: false,
      members_can_change_repo_visibility: false,
      members_can_fork_private_repositories: false,
      web_commit_signoff_required: true,
      dependabot_alerts_enabled_for_new_repositories: true,
      secret_scanning_enabled_for_new_repositories: true,
      secret_scanning_push_protection_enabled_for_new_repositories: true,
    }),
    actions: { enabled_repositories: 'all', allowed_actions: 'selected' },
    workflow: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false },
    hooks: [orgHook(org, { url: 'https://siem.good.example/hook?token=abc', secret: true })],
    members: [
      { user: user('olivia'), role: 'admin', twoFactor: true },
      { user: user('max'), role: 'member', twoFactor: true },
    ],
    dependabotAlerts: [dependabotAlert(org, 'svc', 1, 'high', ago(3))],
    auditLog: [
      auditEvent('org.enable_two_factor_requirement', 'olivia', ago(5), { org }),
      auditEvent('repository_ruleset.create', 'olivia', ago(4), { org, repo: full('svc'), name: 'main' }),
      auditEvent('repo.create', 'max', ago(3), { org, repo: full('svc') }),
    ],
    repos: [
      {
        repo: repository(org, 'svc', {
          pushedAt: ago(1),
          deleteBranchOnMerge: true,
          security: { secretScanning: true, pushProtection: true, dependabotSecurityUpdates: true },
        }),
        protection: protection(full('svc'), 'main', {
          approvals: 2,
          dismissStale: true,
          codeOwners: true,
          statusChecks: ['ci/test'],
          enforceAdmins: true,
          signatures: true,
          linearHistory: true,
          conversationResolution: true,
        }),
        codeowners: { errors: [] },
        vulnerabilityAlerts: true,
        codeScanning: [analysis(full('svc'), ago(1))],
        deployKeys: [deployKey('read key', true, ago(10), full('svc'))],
        hooks: [repoHook(full('svc'), { url: 'https://ci.good.example/hook', secret: true })],
        actions: { enabled: true, allowed_actions: 'local_only' },
        immutableReleases: true,
        outsideCollaborators: [collaborator('vendor-vic', 'write')],
        pulls: [
          pull(org, 'svc', { number: 1, title: 'Feature', author: 'max', mergedAt: ago(2) }),
          pull(org, 'svc', { number: 2, title: 'Old change', author: 'max', mergedAt: ago(60) }),
        ],
        reviews: {
          1: [
            review(full('svc'), 1, 'olivia', 'CHANGES_REQUESTED', ago(3)),
            review(full('svc'), 1, 'olivia', 'APPROVED', ago(2)),
          ],
        },
      },
      {
        // Protected by an organization ruleset only (no classic protection).
        repo: repository(org, 'site', {
          visibility: 'public',
          pushedAt: ago(2),
          deleteBranchOnMerge: true,
          security: { secretScanning: true, pushProtection: true },
        }),
        rules: strictRules(31, org, 2),
        rulesets: [ruleset(31, 'org baseline', org, [])],
        codeowners: { errors: [] },
        files: {
          '.github/SECURITY.md': contentFile(
            full('site'),
            '.github/SECURITY.md',
            'Report to security@good.example',
          ),
        },
        vulnerabilityAlerts: true,
        codeScanning: [analysis(full('site'), ago(2))],
        actions: { enabled: false },
        immutableReleases: true,
      },
      { repo: repository(org, 'attic', { archived: true, pushedAt: ago(1000) }) },
    ],
  };
}

export function badOrg(): StandInOrg {
  const org = BAD;
  const full = (name: string) => `${org}/${name}`;
  return {
    org: organization(org, {
      is_verified: false,
      two_factor_requirement_enabled: false,
      default_repository_permission: 'write',
      members_can_create_repositories: true,
      members_can_create_public_repositories: true,
      members_can_delete_repositories: true,
      members_can_change_repo_visibility: true,
      members_can_fork_private_repositories: true,
      web_commit_signoff_required: false,
      dependabot_alerts_enabled_for_new_repositories: false,
      secret_scanning_enabled_for_new_repositories: true,
      secret_scanning_push_protection_enabled_for_new_repositories: false,
    }),
    actions: { enabled_repositories: 'all', allowed_actions: 'all' },
    workflow: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: true },
    hooks: [orgHook(org, { url: 'http://hooks.bad.example/in', insecureSsl: true })],
    members: [
      { user: user('boss'), role: 'admin', twoFactor: true },
      { user: user('nofa'), role: 'member', twoFactor: false },
    ],
    dependabotAlerts: [
      dependabotAlert(org, 'open', 5, 'critical', ago(60), 'minimist'),
      dependabotAlert(org, 'open', 6, 'high', ago(10), 'qs'),
    ],
    auditLog: [
      auditEvent('org.disable_two_factor_requirement', 'boss', ago(6), { org }),
      auditEvent('repo.access', 'boss', ago(5), {
        org,
        repo: full('open'),
        visibility: 'public',
        previous_visibility: 'private',
      }),
    ],
    repos: [
      {
        // Classic protection that protects nothing that matters; a ruleset admins can bypass.
        repo: repository(org, 'svc', {
          pushedAt: ago(1),
          deleteBranchOnMerge: false,
          security: { secretScanning: false, pushProtection: false },
        }),
        protection: protection(full('svc'), 'main', {
          approvals: 1,
          allowForcePushes: true,
          allowDeletions: true,
        }),
        rules: [
          {
            type: 'creation',
            ruleset_source_type: 'Repository',
            ruleset_source: full('svc'),
            ruleset_id: 44,
          },
        ],
        rulesets: [
          ruleset(44, 'loose', full('svc'), [
            { actor_type: 'RepositoryRole', actor_id: 5, bypass_mode: 'always' },
          ]),
        ],
        codeowners: {
          errors: [
            {
              line: 3,
              column: 1,
              kind: 'Unknown owner',
              message: 'Unknown owner @ghost',
              path: 'CODEOWNERS',
              source: '* @ghost',
            },
          ],
        },
        vulnerabilityAlerts: false,
        codeScanning: 'advanced-security-disabled',
        deployKeys: [deployKey('deploy with write', false, ago(500), full('svc'))],
        hooks: [repoHook(full('svc'), { url: 'http://ci.bad.example/hook' })],
        actions: { enabled: true, allowed_actions: 'all' },
        workflow: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: false },
        outsideCollaborators: [collaborator('vendor-val', 'admin'), collaborator('vendor-vin', 'maintain')],
        pulls: [
          pull(org, 'svc', { number: 9, title: 'Self-merged', author: 'nofa', mergedAt: ago(1) }),
          pull(org, 'svc', { number: 10, title: 'Approval withdrawn', author: 'nofa', mergedAt: ago(2) }),
        ],
        reviews: {
          9: [review(full('svc'), 9, 'nofa', 'COMMENTED', ago(1))],
          10: [
            review(full('svc'), 10, 'boss', 'APPROVED', ago(3)),
            review(full('svc'), 10, 'boss', 'CHANGES_REQUESTED', ago(2)),
          ],
        },
      },
      {
        repo: repository(org, 'open', {
          visibility: 'public',
          pushedAt: ago(400),
          deleteBranchOnMerge: false,
          security: { secretScanning: false, pushProtection: false },
        }),
        vulnerabilityAlerts: true,
      },
    ],
  };
}
