import {
  type CheckMeta,
  daysBetween,
  notApplicable,
  perResource,
  type Verdict,
} from '../../../core/collector.ts';
import { notVisible, plural, whenReadable } from '../judge.ts';
import { describeGap } from '../readable.ts';
import { webhookProblem } from '../webhook.ts';
import { classicFlag, enforced, pullRequestRule, ruleWith } from './branch-rules.ts';
import type { RepoDetails, RepoSnapshot, ReposSnapshot } from './snapshot.ts';

const repoId = (r: RepoSnapshot, s: ReposSnapshot) => `${s.org}/${r.name}`;

/** A check on every live repository; archived ones are read-only and not applicable. */
const liveRepoCheck = (
  meta: CheckMeta,
  judge: (d: RepoDetails, r: RepoSnapshot, s: ReposSnapshot, asOf: Date) => Verdict,
) =>
  perResource(
    meta,
    (s: ReposSnapshot) => s.repositories,
    repoId,
    (r, s, context) =>
      r.details ? judge(r.details, r, s, context.asOf) : notApplicable('archived (read-only)'),
  );

/** A check on every repository, archived or not. */
const anyRepoCheck = (meta: CheckMeta, judge: (r: RepoSnapshot, s: ReposSnapshot, asOf: Date) => Verdict) =>
  perResource(
    meta,
    (s: ReposSnapshot) => s.repositories,
    repoId,
    (r, s, context) => judge(r, s, context.asOf),
  );

// ── Default-branch protection (classic branch protection or rulesets) ────────────────────────────────────

export const branchProtection = liveRepoCheck(
  {
    id: 'github.repo.branch-protection',
    title: 'The default branch is protected by branch protection or a ruleset',
    severity: 'high',
    procedure:
      'Reads the classic branch protection and the active rulesets of the default branch of every live repository (archived ones are not applicable). Passes when either protects it; fails when neither does or neither can be read.',
    remediation: 'Add a branch ruleset (or classic branch protection) targeting the default branch.',
  },
  (d, r) =>
    enforced(
      d,
      `protection of ${r.defaultBranch}`,
      () => 'classic branch protection',
      (rules) => (rules.length ? `${plural(rules.length, 'rule')} of rulesets` : false),
    ),
);

export const requiredReviews = liveRepoCheck(
  {
    id: 'github.repo.required-reviews',
    title: 'Merging to the default branch requires the configured number of approving reviews',
    severity: 'high',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection or a ruleset requires at least the configured number of approving reviews; fails otherwise, or when protection cannot be read.',
    remediation:
      'In the ruleset (or branch protection) of the default branch, require a pull request with at least the configured number of approvals.',
  },
  (d, _r, s) => {
    const need = s.policy.requiredApprovals;
    return enforced(
      d,
      `${plural(need, 'approving review')} required`,
      (c) =>
        c.requiredApprovals !== null && c.requiredApprovals >= need
          ? `classic protection requires ${c.requiredApprovals}`
          : false,
      pullRequestRule('required_approving_review_count', (v) => typeof v === 'number' && v >= need),
    );
  },
);

export const dismissStaleReviews = liveRepoCheck(
  {
    id: 'github.repo.dismiss-stale-reviews',
    title: 'New commits dismiss earlier approvals',
    severity: 'medium',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection or a ruleset dismisses approvals on new commits; fails otherwise, or when protection cannot be read.',
    remediation: 'Enable "Dismiss stale pull request approvals when new commits are pushed".',
  },
  (d) =>
    enforced(
      d,
      'stale review dismissal',
      classicFlag('dismissStaleReviews'),
      pullRequestRule('dismiss_stale_reviews_on_push'),
    ),
);

export const codeOwnerReview = liveRepoCheck(
  {
    id: 'github.repo.code-owner-review',
    title: 'Changes need a review from their code owners',
    severity: 'medium',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection or a ruleset requires a review from code owners; fails otherwise, or when protection cannot be read.',
    remediation: 'Enable "Require review from Code Owners" and keep a CODEOWNERS file.',
  },
  (d) =>
    enforced(
      d,
      'code owner review',
      classicFlag('requireCodeOwnerReviews'),
      pullRequestRule('require_code_owner_review'),
    ),
);

export const statusChecks = liveRepoCheck(
  {
    id: 'github.repo.status-checks',
    title: 'Merging requires passing status checks',
    severity: 'medium',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection or a ruleset requires at least one named status check to pass; fails otherwise, or when protection cannot be read.',
    remediation: 'Require status checks (the CI build and tests) to pass before merging.',
  },
  (d) =>
    enforced(
      d,
      'required status checks',
      (c) => (c.statusChecks?.length ? `classic protection requires ${c.statusChecks.join(', ')}` : false),
      ruleWith('required_status_checks', (r) => {
        const list = r.parameters?.required_status_checks;
        return Array.isArray(list) && list.length > 0;
      }),
    ),
);

export const noForcePush = liveRepoCheck(
  {
    id: 'github.repo.no-force-push',
    title: 'Force pushes to the default branch are blocked',
    severity: 'high',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection blocks force pushes or a ruleset has a non-fast-forward rule; fails otherwise, or when protection cannot be read.',
    remediation: 'Block force pushes on the default branch (ruleset "Block force pushes").',
  },
  (d) =>
    enforced(
      d,
      'force-push blocking',
      (c) => (c.allowForcePushes ? false : 'blocked by classic protection'),
      ruleWith('non_fast_forward'),
    ),
);

export const noBranchDeletion = liveRepoCheck(
  {
    id: 'github.repo.no-branch-deletion',
    title: 'The default branch cannot be deleted',
    severity: 'high',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection blocks deletion or a ruleset has a deletion rule; fails otherwise, or when protection cannot be read.',
    remediation: 'Restrict deletions of the default branch (ruleset "Restrict deletions").',
  },
  (d) =>
    enforced(
      d,
      'deletion blocking',
      (c) => (c.allowDeletions ? false : 'blocked by classic protection'),
      ruleWith('deletion'),
    ),
);

export const enforceAdmins = liveRepoCheck(
  {
    id: 'github.repo.enforce-admins',
    title: 'Branch protection applies to administrators too',
    severity: 'high',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection is enforced for administrators or a ruleset has no bypass actors; fails when administrators can bypass, or when the bypass list cannot be read.',
    remediation:
      'Enable "Do not allow bypassing the above settings" (classic), or remove bypass actors from the default branch ruleset.',
  },
  (d) => {
    const { classicProtection: classic, rulesets } = d;
    if (classic.ok && classic.value?.enforceAdmins)
      return [true, 'classic protection is enforced for admins'];
    if (rulesets.ok) {
      const strict = rulesets.value.find((rs) => rs.bypassActors !== null && rs.bypassActors.length === 0);
      if (strict) return [true, `ruleset "${strict.name}" has no bypass actors`];
      const unknown = rulesets.value.filter((rs) => rs.bypassActors === null);
      if (unknown.length)
        return notVisible(
          `the bypass list of ruleset ${unknown.map((rs) => `"${rs.name}"`).join(', ')}`,
          'repository admin access',
        );
    }
    if (!classic.ok) return [false, describeGap('classic branch protection', classic.gap)];
    if (!rulesets.ok) return [false, describeGap('branch rulesets', rulesets.gap)];
    const bypassable = rulesets.value.map(
      (rs) => `"${rs.name}" (${plural(rs.bypassActors?.length ?? 0, 'bypass actor')})`,
    );
    return [
      false,
      bypassable.length
        ? `administrators can bypass: classic protection not enforced for admins; rulesets ${bypassable.join(', ')}`
        : 'no protection applies to administrators',
    ];
  },
);

export const signedCommits = liveRepoCheck(
  {
    id: 'github.repo.signed-commits',
    title: 'Commits on the default branch must be signed',
    severity: 'medium',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection or a ruleset requires signed commits; fails otherwise, or when protection cannot be read.',
    remediation: 'Require signed commits on the default branch.',
  },
  (d) => enforced(d, 'signed commits', classicFlag('requiredSignatures'), ruleWith('required_signatures')),
);

export const linearHistory = liveRepoCheck(
  {
    id: 'github.repo.linear-history',
    title: 'The default branch keeps a linear history',
    severity: 'low',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection or a ruleset requires a linear history; fails otherwise, or when protection cannot be read.',
    remediation: 'Require a linear history (squash or rebase merges only).',
  },
  (d) => enforced(d, 'linear history', classicFlag('linearHistory'), ruleWith('required_linear_history')),
);

export const conversationResolution = liveRepoCheck(
  {
    id: 'github.repo.conversation-resolution',
    title: 'Review conversations must be resolved before merging',
    severity: 'low',
    procedure:
      'Reads the default-branch protection of every live repository. Passes when classic protection or a ruleset requires review conversations to be resolved before merging; fails otherwise, or when protection cannot be read.',
    remediation: 'Require conversation resolution before merging.',
  },
  (d) =>
    enforced(
      d,
      'conversation resolution',
      classicFlag('conversationResolution'),
      pullRequestRule('required_review_thread_resolution'),
    ),
);

// ── Repository content and security features ────────────────────────────────────────────────────────────

export const codeownersFile = liveRepoCheck(
  {
    id: 'github.repo.codeowners',
    title: 'A valid CODEOWNERS file names the owners of the code',
    severity: 'medium',
    procedure:
      'Reads the CODEOWNERS file of the default branch of every live repository and the errors GitHub reports in it. Passes when it exists without errors; fails when it is missing, has errors, or cannot be read.',
    remediation: 'Add CODEOWNERS (root, .github/ or docs/) on the default branch and fix any syntax errors.',
  },
  (d, r) =>
    whenReadable('CODEOWNERS', d.codeowners, (c): Verdict => {
      if (!c) return [false, `${r.name} has no CODEOWNERS file on ${r.defaultBranch}`];
      return c.errors
        ? [false, `CODEOWNERS has ${plural(c.errors, 'error')}`]
        : [true, 'CODEOWNERS present and valid'];
    }),
);

export const secretScanning = liveRepoCheck(
  {
    id: 'github.repo.secret-scanning',
    title: 'Secret scanning is enabled',
    severity: 'high',
    procedure:
      'Reads the security and analysis settings of every live repository. Passes when secret scanning is enabled; fails when it is disabled or the settings cannot be read.',
    remediation: 'Repository settings → Code security → enable Secret Protection / secret scanning.',
  },
  (d) =>
    whenReadable('security and analysis settings', d.security, (sa) =>
      sa.secretScanning ? [true, 'secret scanning enabled'] : [false, 'secret scanning disabled'],
    ),
);

export const pushProtection = liveRepoCheck(
  {
    id: 'github.repo.push-protection',
    title: 'Secret scanning push protection blocks pushes containing secrets',
    severity: 'high',
    procedure:
      'Reads the security and analysis settings of every live repository. Passes when secret scanning push protection is enabled; fails when it is disabled or the settings cannot be read.',
    remediation: 'Repository settings → Code security → enable push protection.',
  },
  (d) =>
    whenReadable('security and analysis settings', d.security, (sa) =>
      sa.pushProtection ? [true, 'push protection enabled'] : [false, 'push protection disabled'],
    ),
);

export const dependabotAlerts = liveRepoCheck(
  {
    id: 'github.repo.dependabot-alerts',
    title: 'Dependabot alerts are enabled',
    severity: 'high',
    procedure:
      'Reads the Dependabot alerts setting of every live repository. Passes when alerts are enabled; fails when they are disabled or the setting cannot be read.',
    remediation: 'Repository settings → Code security → enable Dependabot alerts (and the dependency graph).',
  },
  (d) =>
    whenReadable('Dependabot alert setting', d.dependabotAlerts, (on) =>
      on ? [true, 'Dependabot alerts enabled'] : [false, 'Dependabot alerts disabled'],
    ),
);

export const dependabotOpenAlerts = liveRepoCheck(
  {
    id: 'github.repo.dependabot-open-alerts',
    title: 'No critical or high Dependabot alert stays open longer than allowed',
    severity: 'high',
    procedure:
      'Reads the open critical and high Dependabot alerts of every live repository. Passes when none is older than the allowed number of days at collection time; fails naming each overdue alert, when alerts are disabled, or when they cannot be read.',
    remediation:
      'Update or replace the vulnerable dependencies (or dismiss the alert with a reason) within the allowed time.',
  },
  (d, _r, s, asOf) => {
    if (d.dependabotAlerts.ok && !d.dependabotAlerts.value)
      return [false, 'Dependabot alerts are disabled, so open vulnerabilities cannot be shown to be absent'];
    const maxDays = s.policy.alertMaxAgeDays;
    return whenReadable('open Dependabot alerts', d.openAlerts, (alerts) => {
      const overdue = alerts.filter((a) => daysBetween(a.createdAt, asOf) > maxDays);
      return overdue.length
        ? [
            false,
            `open longer than ${maxDays} days: ${overdue.map((a) => `#${a.number} ${a.severity} ${a.package} (${a.advisory}, ${daysBetween(a.createdAt, asOf)} days)`).join('; ')}`,
          ]
        : [true, `${plural(alerts.length, 'open critical/high alert')}, none older than ${maxDays} days`];
    });
  },
);

export const codeScanning = liveRepoCheck(
  {
    id: 'github.repo.code-scanning',
    title: 'Code scanning analyses the repository',
    severity: 'medium',
    procedure:
      'Reads the code scanning analyses of every live repository. Passes when at least one analysis exists (its date is reported); fails when code scanning is not set up or cannot be read.',
    remediation:
      'Repository settings → Code security → Code scanning: set up CodeQL (default setup) or another SARIF tool.',
  },
  (d) =>
    whenReadable('code scanning analyses', d.codeScanning, (cs) =>
      cs.enabled
        ? [true, `last analysis ${cs.lastAnalysisAt}`]
        : [false, 'code scanning is not set up (no analysis)'],
    ),
);

export const securityPolicy = liveRepoCheck(
  {
    id: 'github.repo.security-policy',
    title: 'Public repositories publish a security policy (SECURITY.md)',
    severity: 'low',
    procedure:
      'Reads the SECURITY.md of every live public repository (others are not applicable). Passes when GitHub finds a security policy; fails when there is none or it cannot be read.',
    remediation: 'Add SECURITY.md saying how to report a vulnerability.',
  },
  (d, r) =>
    d.securityPolicy === null
      ? notApplicable(`${r.visibility} repository`)
      : whenReadable('SECURITY.md', d.securityPolicy, (path) =>
          path
            ? [true, `security policy at ${path}`]
            : [false, `public repository ${r.name} has no SECURITY.md`],
        ),
);

// ── Exposure and inventory ──────────────────────────────────────────────────────────────────────────────

export const publicVisibility = anyRepoCheck(
  {
    id: 'github.repo.public-visibility',
    title: 'Only approved repositories are public',
    severity: 'medium',
    procedure:
      'Reads the visibility of every repository and the approved public repositories in the configuration. Passes per repository when it is not public, or public and approved; fails for each public repository not approved.',
    remediation:
      'Make the repository private, or add it to scope.github.approvedPublicRepos once its publication is approved.',
  },
  (r, s) => {
    if (r.visibility !== 'public') return [true, `${r.visibility} repository`];
    return s.policy.approvedPublicRepos.includes(r.name)
      ? [true, 'public, and approved as public']
      : [false, `${r.name} is public but not in the approved public repositories`];
  },
);

export const inactiveArchived = anyRepoCheck(
  {
    id: 'github.repo.inactive-archived',
    title: 'Inactive repositories are archived',
    severity: 'low',
    procedure:
      'Reads the archived flag and the last push (or creation) date of every repository. Passes when it is archived or was pushed to within the configured number of days; fails when it is idle longer and not archived.',
    remediation: 'Archive repositories nobody pushes to any more (Settings → Archive this repository).',
  },
  (r, s, asOf) => {
    if (r.archived) return [true, 'archived'];
    const last = r.pushedAt ?? r.createdAt;
    if (!last) return [false, 'no push or creation date recorded'];
    const idle = daysBetween(last, asOf);
    return idle > s.policy.inactiveDays
      ? [false, `no push for ${idle} days (more than ${s.policy.inactiveDays}) and not archived`]
      : [true, `last push ${idle} days ago`];
  },
);

export const deleteBranchOnMerge = liveRepoCheck(
  {
    id: 'github.repo.delete-branch-on-merge',
    title: 'Merged branches are deleted automatically',
    severity: 'low',
    procedure:
      'Reads the delete-branch-on-merge setting of every live repository. Passes when head branches are deleted on merge; fails when they are left behind or the setting cannot be read.',
    remediation: 'Repository settings → General → Pull Requests: tick "Automatically delete head branches".',
  },
  (d) =>
    d.deleteBranchOnMerge === null
      ? notVisible('the delete-branch-on-merge setting', 'repository admin or write access')
      : d.deleteBranchOnMerge
        ? [true, 'head branches are deleted on merge']
        : [false, 'merged head branches are left behind'],
);

export const immutableReleases = liveRepoCheck(
  {
    id: 'github.repo.immutable-releases',
    title: 'Releases are immutable',
    severity: 'low',
    procedure:
      'Reads the immutable releases setting of every live repository. Passes when releases cannot be changed after publication; fails when they can or the setting cannot be read.',
    remediation: 'Repository (or organization) settings → enable immutable releases.',
  },
  (d) =>
    whenReadable('immutable releases setting', d.immutableReleases, (on) =>
      on
        ? [true, 'releases are immutable once published']
        : [false, 'release assets and tags can be changed after publication'],
    ),
);

// ── Machine access: deploy keys, webhooks, Actions ─────────────────────────────────────────────────────────

export const deployKeysReadOnly = liveRepoCheck(
  {
    id: 'github.repo.deploy-keys-read-only',
    title: 'Deploy keys are read-only',
    severity: 'high',
    procedure:
      'Reads the deploy keys of every live repository. Passes when every key is read-only; fails naming each key with write access, or when the keys cannot be read.',
    remediation: 'Replace write deploy keys with read-only keys, or a GitHub App with narrow permissions.',
  },
  (d) =>
    whenReadable('deploy keys', d.deployKeys, (keys) => {
      const writable = keys.filter((k) => !k.readOnly);
      return writable.length
        ? [
            false,
            `deploy keys with write access: ${writable.map((k) => `"${k.title}" (${k.id})`).join(', ')}`,
          ]
        : [true, `${plural(keys.length, 'deploy key')}, all read-only`];
    }),
);

export const deployKeysRotated = liveRepoCheck(
  {
    id: 'github.repo.deploy-keys-rotated',
    title: 'Deploy keys are rotated within the allowed age',
    severity: 'medium',
    procedure:
      'Reads the deploy keys of every live repository with their creation date. Passes when none is older than the configured maximum age at collection time; fails naming each older key, or when the keys cannot be read.',
    remediation: 'Replace deploy keys older than the allowed age with new keys.',
  },
  (d, _r, s, asOf) =>
    whenReadable('deploy keys', d.deployKeys, (keys) => {
      const max = s.policy.deployKeyMaxAgeDays;
      const old = keys.filter((k) => daysBetween(k.createdAt, asOf) > max);
      return old.length
        ? [
            false,
            `older than ${max} days: ${old.map((k) => `"${k.title}" (${daysBetween(k.createdAt, asOf)} days)`).join(', ')}`,
          ]
        : [true, `${plural(keys.length, 'deploy key')}, none older than ${max} days`];
    }),
);

export const webhooksSecure = liveRepoCheck(
  {
    id: 'github.repo.webhooks-secure',
    title: 'Repository webhooks deliver over verified HTTPS with a secret',
    severity: 'medium',
    procedure:
      'Reads every active webhook of every live repository. Passes when each delivers to an https:// URL with certificate verification on and a secret set; fails naming each that does not, or when the webhooks cannot be read.',
    remediation: 'Edit each webhook: an https:// URL, SSL verification enabled, and a secret set.',
  },
  (d) =>
    whenReadable('repository webhooks', d.webhooks, (hooks) => {
      const problems = hooks.filter((h) => h.active).flatMap((h) => webhookProblem(h) ?? []);
      return problems.length
        ? [false, problems.join('; ')]
        : [true, `${plural(hooks.length, 'webhook')}, all over verified HTTPS with a secret`];
    }),
);

export const actionsWorkflowRead = liveRepoCheck(
  {
    id: 'github.repo.actions-workflow-read',
    title: 'Workflows get a read-only token and cannot approve pull requests',
    severity: 'high',
    procedure:
      'Reads the Actions workflow permissions of every live repository. Passes when the default token is read-only and workflows cannot approve pull requests; fails naming either problem, or when the setting cannot be read.',
    remediation:
      'Repository settings → Actions → General → Workflow permissions: Read repository contents; untick "Allow GitHub Actions to create and approve pull requests".',
  },
  (d) =>
    whenReadable('Actions workflow permissions', d.workflowPermissions, (w) => {
      const problems = [
        w.defaultWorkflowPermissions === 'read' ? '' : `default token is ${w.defaultWorkflowPermissions}`,
        w.canApprovePullRequestReviews ? 'workflows can approve pull requests' : '',
      ].filter(Boolean);
      return problems.length
        ? [false, problems.join('; ')]
        : [true, 'read-only token, no pull request approval'];
    }),
);

export const actionsAllowedRestricted = liveRepoCheck(
  {
    id: 'github.repo.actions-allowed-restricted',
    title: 'Only local or selected actions may run in the repository',
    severity: 'medium',
    procedure:
      'Reads the Actions permissions of every live repository. Passes when Actions is off, or only local or selected actions may run; fails when any action may run, or when the policy cannot be read.',
    remediation: 'Repository (or organization) settings → Actions → allow local or selected actions only.',
  },
  (d) =>
    whenReadable('Actions permissions', d.actions, (a) => {
      if (!a.enabled) return [true, 'Actions is disabled'];
      return a.allowedActions === 'all' || a.allowedActions === null
        ? [false, 'any marketplace action may run']
        : [true, `allowed actions: ${a.allowedActions}`];
    }),
);

export const checks = [
  branchProtection,
  requiredReviews,
  dismissStaleReviews,
  codeOwnerReview,
  statusChecks,
  noForcePush,
  noBranchDeletion,
  enforceAdmins,
  signedCommits,
  linearHistory,
  conversationResolution,
  codeownersFile,
  secretScanning,
  pushProtection,
  dependabotAlerts,
  dependabotOpenAlerts,
  codeScanning,
  securityPolicy,
  publicVisibility,
  inactiveArchived,
  deleteBranchOnMerge,
  immutableReleases,
  deployKeysReadOnly,
  deployKeysRotated,
  webhooksSecure,
  actionsWorkflowRead,
  actionsAllowedRestricted,
];
