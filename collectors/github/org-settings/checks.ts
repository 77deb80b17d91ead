import { type Check, type CheckMeta, perResource, type Verdict } from '../../../core/collector.ts';
import { notVisible, plural, setting, whenReadable } from '../judge.ts';
import { webhookProblem } from '../webhook.ts';
import type { OrgSettingsSnapshot } from './snapshot.ts';

/** One finding about the organization itself. */
const orgCheck = (meta: CheckMeta, judge: (s: OrgSettingsSnapshot) => Verdict): Check<OrgSettingsSnapshot> =>
  perResource(
    meta,
    (s) => [s],
    (s) => s.org,
    (s) => judge(s),
  );

export const mfaRequired = orgCheck(
  {
    id: 'github.org.mfa-required',
    title: 'The organization requires two-factor authentication',
    severity: 'critical',
    procedure:
      'Reads the organization settings. Passes when the organization requires two-factor authentication of its members; fails when it does not, or when the setting cannot be read.',
    remediation: 'Organization settings → Authentication security → Require two-factor authentication.',
  },
  (s) =>
    setting(s.twoFactorRequired, '2FA requirement', (on) =>
      on ? [true, '2FA is required for all members'] : [false, `${s.org} does not require 2FA`],
    ),
);

const STRICT_BASE = new Set(['none', 'read']);
export const basePermission = orgCheck(
  {
    id: 'github.org.base-permission',
    title: 'The base repository permission of members is none or read',
    severity: 'high',
    procedure:
      'Reads the organization settings. Passes when the base repository permission of members is none or read; fails when it is write or admin, or cannot be read.',
    remediation:
      'Organization settings → Member privileges → Base permissions: No permission (or Read); grant write through teams.',
  },
  (s) =>
    setting(s.defaultRepositoryPermission, 'base permission', (p) =>
      STRICT_BASE.has(p)
        ? [true, `base permission is ${p}`]
        : [false, `every member gets ${p} on every repository of ${s.org}`],
    ),
);

export const publicRepoCreation = orgCheck(
  {
    id: 'github.org.public-repo-creation',
    title: 'Members cannot create public repositories',
    severity: 'high',
    procedure:
      'Reads the organization member privileges. Passes when members cannot create repositories at all, or cannot create public ones; fails when they can, or when the setting cannot be read.',
    remediation: 'Organization settings → Member privileges → Repository creation: untick Public.',
  },
  (s) => {
    if (s.membersCanCreateRepositories === false) return [true, 'members cannot create repositories'];
    return setting(s.membersCanCreatePublicRepositories, 'public repository creation', (can) =>
      can
        ? [false, `members of ${s.org} can create public repositories`]
        : [true, 'only owners create public repositories'],
    );
  },
);

export const repoDeletionRestricted = orgCheck(
  {
    id: 'github.org.repo-deletion-restricted',
    title: 'Only owners can delete or transfer repositories',
    severity: 'high',
    procedure:
      'Reads the organization member privileges. Passes when only owners can delete or transfer repositories; fails when repository admins can, or when the setting cannot be read.',
    remediation:
      'Organization settings → Member privileges → untick "Allow members to delete or transfer repositories".',
  },
  (s) =>
    setting(s.membersCanDeleteRepositories, 'repository deletion privilege', (can) =>
      can
        ? [false, `repository admins in ${s.org} can delete or transfer repositories`]
        : [true, 'only owners can delete or transfer repositories'],
    ),
);

export const visibilityChangeRestricted = orgCheck(
  {
    id: 'github.org.visibility-change-restricted',
    title: 'Only owners can change repository visibility',
    severity: 'high',
    procedure:
      'Reads the organization member privileges. Passes when only owners can change repository visibility; fails when repository admins can, or when the setting cannot be read.',
    remediation:
      'Organization settings → Member privileges → untick "Allow members to change repository visibilities".',
  },
  (s) =>
    setting(s.membersCanChangeRepoVisibility, 'visibility change privilege', (can) =>
      can
        ? [false, `repository admins in ${s.org} can make private repositories public`]
        : [true, 'only owners can change repository visibility'],
    ),
);

export const privateForkingRestricted = orgCheck(
  {
    id: 'github.org.private-forking-restricted',
    title: 'Members cannot fork private repositories',
    severity: 'medium',
    procedure:
      'Reads the organization member privileges. Passes when private repositories cannot be forked; fails when they can, or when the setting cannot be read.',
    remediation:
      'Organization settings → Member privileges → untick "Allow forking of private repositories".',
  },
  (s) =>
    setting(s.membersCanForkPrivateRepositories, 'private forking privilege', (can) =>
      can
        ? [false, `private repositories of ${s.org} can be forked out of its control`]
        : [true, 'private repositories cannot be forked'],
    ),
);

export const verifiedDomain = orgCheck(
  {
    id: 'github.org.verified-domain',
    title: 'The organization has a verified domain',
    severity: 'low',
    procedure:
      'Reads the organization settings. Passes when the organization is verified (owns a verified domain); fails when it is not, or when the badge cannot be read.',
    remediation: 'Organization settings → Verified and approved domains → Add a domain and verify it.',
  },
  (s) =>
    setting(s.verified, 'verified badge', (v) =>
      v ? [true, 'the organization is verified'] : [false, `${s.org} has no verified domain`],
    ),
);

export const webCommitSignoff = orgCheck(
  {
    id: 'github.org.web-commit-signoff',
    title: 'Commits made in the web interface must be signed off',
    severity: 'low',
    procedure:
      'Reads the organization settings. Passes when commits made in the web interface must be signed off; fails when not, or when the setting cannot be read.',
    remediation:
      'Organization settings → Repository → Repository defaults → Require contributors to sign off.',
  },
  (s) =>
    setting(s.webCommitSignoffRequired, 'web commit sign-off', (on) =>
      on
        ? [true, 'web commit sign-off is required']
        : [false, `${s.org} does not require web commit sign-off`],
    ),
);

export const newRepoSecurityDefaults = orgCheck(
  {
    id: 'github.org.new-repo-security-defaults',
    title: 'New repositories start with Dependabot alerts, secret scanning and push protection on',
    severity: 'medium',
    procedure:
      'Reads the organization defaults for new repositories. Passes when Dependabot alerts, secret scanning and push protection all start on; fails naming each that starts off, or any default that cannot be read.',
    remediation:
      'Organization settings → Code security → Configurations: apply a configuration with Dependabot alerts, secret scanning and push protection enabled to new repositories.',
  },
  (s) => {
    const d = s.newRepositoryDefaults;
    const wanted = {
      'Dependabot alerts': d.dependabotAlerts,
      'secret scanning': d.secretScanning,
      'push protection': d.secretScanningPushProtection,
    };
    const unknown = Object.entries(wanted).filter(([, v]) => v === null);
    if (unknown.length)
      return notVisible(`the new-repository default for ${unknown.map(([k]) => k).join(', ')}`);
    const off = Object.entries(wanted).filter(([, v]) => !v);
    return off.length
      ? [false, `new repositories start without ${off.map(([k]) => k).join(', ')}`]
      : [true, 'new repositories start with Dependabot alerts, secret scanning and push protection'];
  },
);

export const actionsWorkflowRead = orgCheck(
  {
    id: 'github.org.actions-workflow-read',
    title: 'The default GITHUB_TOKEN of workflows is read-only',
    severity: 'high',
    procedure:
      'Reads the organization Actions workflow permissions. Passes when the default GITHUB_TOKEN is read-only; fails when it is read-write, or when the setting cannot be read.',
    remediation:
      'Organization settings → Actions → General → Workflow permissions: Read repository contents.',
  },
  (s) =>
    whenReadable('Actions workflow permissions', s.workflowPermissions, (w) =>
      w.defaultWorkflowPermissions === 'read'
        ? [true, 'workflows get a read-only token by default']
        : [false, `workflows in ${s.org} get a ${w.defaultWorkflowPermissions} token by default`],
    ),
);

export const actionsCannotApprovePrs = orgCheck(
  {
    id: 'github.org.actions-cannot-approve-prs',
    title: 'Workflows cannot approve pull requests',
    severity: 'high',
    procedure:
      'Reads the organization Actions workflow permissions. Passes when workflows cannot create or approve pull requests; fails when they can, or when the setting cannot be read.',
    remediation:
      'Organization settings → Actions → General: untick "Allow GitHub Actions to create and approve pull requests".',
  },
  (s) =>
    whenReadable('Actions workflow permissions', s.workflowPermissions, (w) =>
      w.canApprovePullRequestReviews
        ? [false, `a workflow in ${s.org} can approve pull requests, bypassing human review`]
        : [true, 'workflows cannot approve pull requests'],
    ),
);

export const actionsAllowedRestricted = orgCheck(
  {
    id: 'github.org.actions-allowed-restricted',
    title: 'Only local or selected actions may run',
    severity: 'medium',
    procedure:
      'Reads the organization Actions permissions. Passes when Actions is off, or only local or selected actions may run; fails when any action may run, or when the policy cannot be read.',
    remediation:
      'Organization settings → Actions → General → Policies: allow actions created by the organization, or selected actions (and require SHA pinning).',
  },
  (s) =>
    whenReadable('Actions permissions', s.actions, (a) => {
      if (a.enabledRepositories === 'none') return [true, 'Actions is disabled for every repository'];
      return a.allowedActions === 'all' || a.allowedActions === null
        ? [false, `any action from the marketplace may run in ${s.org}`]
        : [true, `allowed actions: ${a.allowedActions}`];
    }),
);

export const orgWebhooksSecure = orgCheck(
  {
    id: 'github.org.webhooks-secure',
    title: 'Organization webhooks deliver over verified HTTPS with a secret',
    severity: 'medium',
    procedure:
      'Reads every active organization webhook. Passes when each delivers to an https:// URL with certificate verification on and a secret set; fails naming each webhook that does not, or when the webhooks cannot be read.',
    remediation: 'Edit each webhook: an https:// URL, SSL verification enabled, and a secret set.',
  },
  (s) =>
    whenReadable('organization webhooks', s.webhooks, (hooks) => {
      const problems = hooks.filter((h) => h.active).flatMap((h) => webhookProblem(h) ?? []);
      return problems.length
        ? [false, problems.join('; ')]
        : [true, `${plural(hooks.length, 'webhook')}, all over verified HTTPS with a secret`];
    }),
);

export const checks = [
  mfaRequired,
  basePermission,
  publicRepoCreation,
  repoDeletionRestricted,
  visibilityChangeRestricted,
  privateForkingRestricted,
  verifiedDomain,
  webCommitSignoff,
  newRepoSecurityDefaults,
  actionsWorkflowRead,
  actionsCannotApprovePrs,
  actionsAllowedRestricted,
  orgWebhooksSecure,
];
