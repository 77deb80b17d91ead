import { DAY_MS } from '../core/collector.ts';
import {
  analysis,
  auditEvent,
  collaborator,
  contentFile,
  dependabotAlert,
  deployKey,
  invitation,
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
} from './github-fixtures.ts';
import type { StandInOrg, StandInSeed } from './github-stand-in.ts';

export const DEMO_GITHUB_TOKEN = 'demo-token-for-the-local-github-stand-in';
export const DEMO_GITHUB_ORG = 'acme';

/**
 * The demo organization "acme" (GitHub Enterprise Cloud): `api` and `docs` are well protected; `web` and
 * `legacy` have no branch protection, `web` leaks through an http webhook and a write deploy key, `legacy` has
 * been idle for over a year; member carol has no second factor, and one change was merged without review.
 */
export function acmeSeed(now: Date = new Date()): StandInSeed {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const org = DEMO_GITHUB_ORG;
  const [alice, bob, carol] = [user('alice', 1), user('bob', 2), user('carol', 3)];

  const acme: StandInOrg = {
    org: organization(org, {
      is_verified: true,
      two_factor_requirement_enabled: false,
      default_repository_permission: 'read',
      members_can_create_repositories: true,
      members_can_create_public_repositories: false,
      members_can_delete_repositories: false,
      members_can_change_repo_visibility: true,
      members_can_fork_private_repositories: false,
      members_can_invite_outside_collaborators: true,
      web_commit_signoff_required: false,
      dependabot_alerts_enabled_for_new_repositories: true,
      dependabot_security_updates_enabled_for_new_repositories: true,
      dependency_graph_enabled_for_new_repositories: true,
      secret_scanning_enabled_for_new_repositories: true,
      secret_scanning_push_protection_enabled_for_new_repositories: true,
    }),
    actions: { enabled_repositories: 'all', allowed_actions: 'selected' },
    workflow: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false },
    hooks: [orgHook(org, { url: 'https://siem.acme.example/github', secret: true })],
    members: [
      { user: alice, role: 'admin', twoFactor: true },
      { user: bob, role: 'member', twoFactor: true },
      { user: carol, role: 'member', twoFactor: false },
    ],
    invitations: [invitation('dave', ago(2), 'alice')],
    dependabotAlerts: [
      dependabotAlert(org, 'api', 1, 'high', ago(5), 'undici'),
      dependabotAlert(org, 'web', 2, 'critical', ago(90), 'lodash'),
    ],
    auditLog: [
      auditEvent('org.update_member', 'alice', ago(20), { org, user: 'bob' }),
      auditEvent('protected_branch.destroy', 'bob', ago(12), { org, repo: `${org}/web`, name: 'main' }),
      auditEvent('repository_ruleset.create', 'alice', ago(10), {
        org,
        repo: `${org}/api`,
        name: 'main protection',
      }),
    ],
    repos: [
      {
        repo: repository(org, 'api', {
          pushedAt: ago(1),
          deleteBranchOnMerge: true,
          security: { secretScanning: true, pushProtection: true, dependabotSecurityUpdates: true },
        }),
        protection: protection(`${org}/api`, 'main', {
          approvals: 2,
          dismissStale: true,
          codeOwners: true,
          statusChecks: ['ci/test'],
          enforceAdmins: true,
          signatures: true,
          linearHistory: true,
          conversationResolution: true,
        }),
        rules: strictRules(7, `${org}/api`, 2),
        rulesets: [ruleset(7, 'main protection', `${org}/api`, [])],
        codeowners: { errors: [] },
        vulnerabilityAlerts: true,
        codeScanning: [analysis(`${org}/api`, ago(1))],
        deployKeys: [deployKey('ci read key', true, ago(40), `${org}/api`)],
        hooks: [repoHook(`${org}/api`, { url: 'https://ci.acme.example/hook', secret: true })],
        actions: { enabled: true, allowed_actions: 'selected' },
        immutableReleases: true,
        outsideCollaborators: [collaborator('contractor-erin', 'write')],
        pulls: [
          pull(org, 'api', { number: 41, title: 'Add rate limiting', author: 'alice', mergedAt: ago(3) }),
          pull(org, 'api', { number: 42, title: 'Hotfix: disable cache', author: 'carol', mergedAt: ago(2) }),
          pull(org, 'api', {
            number: 43,
            title: 'Abandoned idea',
            author: 'bob',
            mergedAt: null,
            closedAt: ago(4),
          }),
        ],
        reviews: {
          41: [review(`${org}/api`, 41, 'bob', 'APPROVED', ago(3))],
          42: [review(`${org}/api`, 42, 'carol', 'COMMENTED', ago(2))],
        },
      },
      {
        repo: repository(org, 'web', {
          pushedAt: ago(3),
          deleteBranchOnMerge: false,
          security: { secretScanning: false, pushProtection: false },
        }),
        vulnerabilityAlerts: true,
        codeScanning: 'advanced-security-disabled',
        deployKeys: [deployKey('legacy deploy', false, ago(800), `${org}/web`)],
        hooks: [repoHook(`${org}/web`, { url: 'http://old-ci.acme.example/hook' })],
        workflow: { default_workflow_permissions: 'write', can_approve_pull_request_reviews: true },
        outsideCollaborators: [collaborator('agency-frank', 'admin')],
        pulls: [pull(org, 'web', { number: 7, title: 'New landing page', author: 'bob', mergedAt: ago(6) })],
        reviews: { 7: [review(`${org}/web`, 7, 'alice', 'APPROVED', ago(6))] },
      },
      {
        repo: repository(org, 'docs', {
          visibility: 'public',
          pushedAt: ago(8),
          deleteBranchOnMerge: true,
          security: { secretScanning: true, pushProtection: true },
        }),
        rules: strictRules(9, org, 1),
        rulesets: [ruleset(9, 'org default branch', org, [])],
        codeowners: { errors: [] },
        files: {
          'SECURITY.md': contentFile(
            `${org}/docs`,
            'SECURITY.md',
            'Report vulnerabilities to security@acme.example\n',
          ),
        },
        vulnerabilityAlerts: true,
        codeScanning: [analysis(`${org}/docs`, ago(8))],
        actions: { enabled: true, allowed_actions: 'local_only' },
        immutableReleases: true,
      },
      {
        repo: repository(org, 'legacy', {
          pushedAt: ago(420),
          deleteBranchOnMerge: false,
          security: { secretScanning: false, pushProtection: false },
        }),
        vulnerabilityAlerts: false,
      },
      { repo: repository(org, 'old-site', { archived: true, pushedAt: ago(900) }) },
    ],
  };
  return { orgs: [acme], tokens: [DEMO_GITHUB_TOKEN] };
}
