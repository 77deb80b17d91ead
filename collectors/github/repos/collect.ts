import pLimit from 'p-limit';
import * as z from 'zod';
import type { Scope } from '../../../core/model.ts';
import { githubAnswer, listedRepoAnswer, webhookAnswer } from '../answers.ts';
import { ok, type Readable, readable } from '../readable.ts';
import type { GitHubSession } from '../session.ts';
import { toWebhook } from '../webhook.ts';
import {
  actionsAnswer,
  analysesAnswer,
  branchRuleAnswer,
  codeownersErrorsAnswer,
  dependabotAlertAnswer,
  deployKeyAnswer,
  immutableAnswer,
  type ProtectionAnswer,
  protectionAnswer,
  repoAnswer,
  rulesetAnswer,
  workflowAnswer,
} from './answers.ts';
import type {
  BranchRule,
  ClassicProtection,
  DependabotAlertSnapshot,
  RepoDetails,
  RepoSnapshot,
  ReposSnapshot,
  RulesetSnapshot,
} from './snapshot.ts';

const SECURITY_POLICY_PATHS = ['SECURITY.md', '.github/SECURITY.md', 'docs/SECURITY.md'];

function toClassic(p: ProtectionAnswer): ClassicProtection {
  const reviews = p.required_pull_request_reviews;
  const checks = p.required_status_checks;
  return {
    requiredApprovals: reviews ? (reviews.required_approving_review_count ?? 0) : null,
    dismissStaleReviews: reviews?.dismiss_stale_reviews ?? false,
    requireCodeOwnerReviews: reviews?.require_code_owner_reviews ?? false,
    requireLastPushApproval: reviews?.require_last_push_approval ?? false,
    statusChecks: checks
      ? [...new Set([...(checks.contexts ?? []), ...(checks.checks ?? []).map((c) => c.context)])]
      : null,
    enforceAdmins: p.enforce_admins?.enabled ?? false,
    requiredSignatures: p.required_signatures?.enabled ?? false,
    linearHistory: p.required_linear_history?.enabled ?? false,
    allowForcePushes: p.allow_force_pushes?.enabled ?? false,
    allowDeletions: p.allow_deletions?.enabled ?? false,
    conversationResolution: p.required_conversation_resolution?.enabled ?? false,
  };
}

/**
 * Code scanning is not set up: GitHub's documented 404 for a repository without any analysis ("no analysis
 * found"), or its 403 when Advanced Security (Code Security) is off. Any other 404 — a repository or endpoint
 * the credential cannot see — stays a gap.
 */
const codeScanningOff = (status: number, message: string) =>
  (status === 404 && /^no analysis found$/i.test(message.trim())) ||
  (status === 403 && /advanced security|code security|code scanning is not enabled/i.test(message));

async function readRepo(
  session: GitHubSession,
  org: string,
  name: string,
  alerts: Readable<ReadonlyMap<string, DependabotAlertSnapshot[]>>,
): Promise<RepoSnapshot> {
  const github = await session.client();
  const where = { owner: org, repo: name };
  const path = `/repos/${org}/${name}`;
  const repo = githubAnswer(repoAnswer, (await github.rest.repos.get(where)).data, `GET ${path}`);
  const base: Omit<RepoSnapshot, 'details'> = {
    name: repo.name,
    visibility: repo.visibility ?? (repo.private ? 'private' : 'public'),
    archived: repo.archived,
    fork: repo.fork,
    defaultBranch: repo.default_branch,
    createdAt: repo.created_at ?? null,
    pushedAt: repo.pushed_at ?? null,
  };
  if (repo.archived) return { ...base, details: null };
  const branch = repo.default_branch;

  const sa = repo.security_and_analysis;
  const security: RepoDetails['security'] = sa?.secret_scanning
    ? ok({
        secretScanning: sa.secret_scanning.status === 'enabled',
        pushProtection: sa.secret_scanning_push_protection?.status === 'enabled',
        dependabotSecurityUpdates: sa.dependabot_security_updates
          ? sa.dependabot_security_updates.status === 'enabled'
          : null,
      })
    : {
        ok: false,
        gap: {
          endpoint: `GET ${path}`,
          status: 200,
          message: 'security_and_analysis was not in the response (it is shown to repository admins only)',
        },
      };

  const branchRules = readable(`GET ${path}/rules/branches/${branch}`, async () =>
    githubAnswer(
      z.array(branchRuleAnswer),
      await github.paginate(github.rest.repos.getBranchRules, { ...where, branch, per_page: 100 }),
      `GET ${path}/rules/branches/${branch}`,
    ).map(
      (r): BranchRule => ({
        type: r.type,
        rulesetId: r.ruleset_id,
        source: r.ruleset_source,
        parameters: r.parameters ?? null,
      }),
    ),
  );

  /** The first security policy file found; a 403 on any of them is a gap. */
  const securityPolicyPath = async (): Promise<Readable<string | null>> => {
    for (const file of SECURITY_POLICY_PATHS) {
      const found = await readable(
        `GET ${path}/contents/${file}`,
        async () => {
          await github.rest.repos.getContent({ ...where, path: file, ref: branch });
          return file;
        },
        (status) => (status === 404 ? null : undefined),
      );
      if (!found.ok || found.value) return found;
    }
    return ok(null);
  };

  const [
    classicProtection,
    rules,
    codeowners,
    securityPolicy,
    dependabotAlerts,
    codeScanning,
    deployKeys,
    webhooks,
    actions,
    workflowPermissions,
    immutableReleases,
  ] = await Promise.all([
    readable(
      `GET ${path}/branches/${branch}/protection`,
      async () =>
        toClassic(
          githubAnswer(
            protectionAnswer,
            (await github.rest.repos.getBranchProtection({ ...where, branch })).data,
            `GET ${path}/branches/${branch}/protection`,
          ),
        ),
      // 404 "Branch not protected"; a private repository on a free plan cannot have protection at all.
      (status, message) =>
        (status === 404 && /not protected/i.test(message)) || (status === 403 && /upgrade/i.test(message))
          ? null
          : undefined,
    ),
    branchRules,
    readable(
      `GET ${path}/codeowners/errors`,
      async () => {
        const { data } = await github.rest.repos.codeownersErrors({ ...where, ref: branch });
        const { errors } = githubAnswer(codeownersErrorsAnswer, data, `GET ${path}/codeowners/errors`);
        return { errors: errors.length };
      },
      (status) => (status === 404 ? null : undefined),
    ),
    base.visibility === 'public' ? securityPolicyPath() : Promise.resolve(null),
    readable(
      `GET ${path}/vulnerability-alerts`,
      async () => {
        await github.rest.repos.checkVulnerabilityAlerts(where);
        return true;
      },
      // 204 enabled, 404 disabled (GitHub's documented answer).
      (status) => (status === 404 ? false : undefined),
    ),
    readable(
      `GET ${path}/code-scanning/analyses`,
      async () => {
        const data = githubAnswer(
          analysesAnswer,
          (await github.rest.codeScanning.listRecentAnalyses({ ...where, per_page: 1 })).data,
          `GET ${path}/code-scanning/analyses`,
        );
        return { enabled: data.length > 0, lastAnalysisAt: data[0]?.created_at ?? null };
      },
      (status, message) =>
        codeScanningOff(status, message) ? { enabled: false, lastAnalysisAt: null } : undefined,
    ),
    readable(`GET ${path}/keys`, async () =>
      githubAnswer(
        z.array(deployKeyAnswer),
        await github.paginate(github.rest.repos.listDeployKeys, { ...where, per_page: 100 }),
        `GET ${path}/keys`,
      ).map((k) => ({
        id: k.id,
        title: k.title,
        readOnly: k.read_only,
        createdAt: k.created_at,
        lastUsed: k.last_used ?? null,
      })),
    ),
    readable(`GET ${path}/hooks`, async () =>
      githubAnswer(
        z.array(webhookAnswer),
        await github.paginate(github.rest.repos.listWebhooks, { ...where, per_page: 100 }),
        `GET ${path}/hooks`,
      ).map(toWebhook),
    ),
    readable(`GET ${path}/actions/permissions`, async () => {
      const data = githubAnswer(
        actionsAnswer,
        (await github.rest.actions.getGithubActionsPermissionsRepository(where)).data,
        `GET ${path}/actions/permissions`,
      );
      return { enabled: data.enabled, allowedActions: data.allowed_actions ?? null };
    }),
    readable(`GET ${path}/actions/permissions/workflow`, async () => {
      const data = githubAnswer(
        workflowAnswer,
        (await github.rest.actions.getGithubActionsDefaultWorkflowPermissionsRepository(where)).data,
        `GET ${path}/actions/permissions/workflow`,
      );
      return {
        defaultWorkflowPermissions: data.default_workflow_permissions,
        canApprovePullRequestReviews: data.can_approve_pull_request_reviews,
      };
    }),
    readable(
      `GET ${path}/immutable-releases`,
      async () =>
        githubAnswer(
          immutableAnswer,
          (await github.rest.repos.checkImmutableReleases(where)).data,
          `GET ${path}/immutable-releases`,
        ).enabled,
      (status) => (status === 404 ? false : undefined),
    ),
  ]);

  const rulesets: Readable<RulesetSnapshot[]> = rules.ok
    ? await readable(`GET ${path}/rulesets/{id}`, () =>
        Promise.all(
          [...new Set(rules.value.map((r) => r.rulesetId))].map(async (id): Promise<RulesetSnapshot> => {
            const data = githubAnswer(
              rulesetAnswer,
              (await github.rest.repos.getRepoRuleset({ ...where, ruleset_id: id, includes_parents: true }))
                .data,
              `GET ${path}/rulesets/${id}`,
            );
            return {
              id: data.id,
              name: data.name,
              source: data.source,
              enforcement: data.enforcement,
              bypassActors:
                data.bypass_actors?.map((a) => ({
                  actorType: a.actor_type,
                  actorId: a.actor_id ?? null,
                  mode: a.bypass_mode ?? 'always',
                })) ?? null,
            };
          }),
        ),
      )
    : rules;

  const openAlerts: RepoDetails['openAlerts'] = alerts.ok ? ok(alerts.value.get(repo.name) ?? []) : alerts;
  return {
    ...base,
    details: {
      deleteBranchOnMerge: repo.delete_branch_on_merge ?? null,
      security,
      classicProtection,
      branchRules: rules,
      rulesets,
      codeowners,
      securityPolicy,
      dependabotAlerts,
      openAlerts,
      codeScanning,
      deployKeys,
      webhooks,
      actions,
      workflowPermissions,
      immutableReleases,
    },
  };
}

/** Open critical/high Dependabot alerts of the whole organization, by repository: one paginated call. */
async function openAlertsByRepo(
  session: GitHubSession,
  org: string,
): Promise<Readable<ReadonlyMap<string, DependabotAlertSnapshot[]>>> {
  const github = await session.client();
  const request = `GET /orgs/${org}/dependabot/alerts?state=open&severity=critical,high`;
  return readable(request, async () => {
    const answer = await github.paginate(github.rest.dependabot.listAlertsForOrg, {
      org,
      state: 'open',
      severity: 'critical,high',
      per_page: 100,
    });
    const alerts = githubAnswer(z.array(dependabotAlertAnswer), answer, request);
    const byRepo = new Map<string, DependabotAlertSnapshot[]>();
    for (const a of alerts) {
      const list = byRepo.get(a.repository.name) ?? [];
      list.push({
        number: a.number,
        severity: a.security_advisory.severity,
        package: a.dependency.package?.name ?? 'unknown',
        advisory: a.security_advisory.ghsa_id,
        createdAt: a.created_at,
      });
      byRepo.set(a.repository.name, list);
    }
    return byRepo;
  });
}

export async function collect(session: GitHubSession, scope: Scope): Promise<ReposSnapshot> {
  const github = await session.client();
  const org = scope.id;
  const [answer, alerts] = await Promise.all([
    github.paginate(github.rest.repos.listForOrg, { org, type: 'all', per_page: 100 }),
    openAlertsByRepo(session, org),
  ]);
  const list = githubAnswer(z.array(listedRepoAnswer), answer, `GET /orgs/${org}/repos`);
  const limit = pLimit(4);
  const repositories = await Promise.all(
    list.map((r) => limit(() => readRepo(session, org, r.name, alerts))),
  );
  return {
    org,
    policy: session.policy,
    repositories: repositories.sort((a, b) => a.name.localeCompare(b.name)),
  };
}
