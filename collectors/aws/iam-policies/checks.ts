import { type Check, DAY_MS, finding, perResource } from '../../../core/collector.ts';
import { type StatementSnapshot, statementCovers } from '../shared/policy-document.ts';
import { detectionSettings } from '../shared/settings.ts';
import { ESCALATION_PATHS, ESCALATION_SOURCE } from './privilege-escalation.ts';
import type { IamPoliciesSnapshot, PolicySnapshot, RoleSnapshot } from './snapshot.ts';

/** Whether an Allow statement of the policy grants `action` (Deny statements and resource scoping are not weighed). */
export const grants = (statements: readonly StatementSnapshot[], action: string): boolean =>
  statements.some((s) => s.effect === 'Allow' && statementCovers(s, action));

const policies = (s: IamPoliciesSnapshot) => s.policies;
const policyId = (p: PolicySnapshot) => p.id;
const attachment = (p: PolicySnapshot) =>
  p.attachedTo.length > 0 ? `attached to ${p.attachedTo.length} principal(s)` : 'not attached';

export const fullAdmin = perResource(
  {
    id: 'aws.iam.policy-full-admin',
    title: 'No customer policy grants full administrator access (*:*)',
    severity: 'critical',
    remediation:
      'Replace the "Action": "*" on "Resource": "*" statement with the actions the principals need.',
    procedure:
      'Reads every customer-managed policy (default version) and every inline policy of users, groups and roles (GetAccountAuthorizationDetails) and fails a policy with an Allow statement of Action "*" on Resource "*".',
  },
  policies,
  policyId,
  (p) => {
    const admin = p.statements.some(
      (s) =>
        s.effect === 'Allow' &&
        !s.notAction &&
        s.actions.some((a) => a === '*' || a === '*:*') &&
        s.resources.includes('*'),
    );
    return [
      !admin,
      admin
        ? `${p.kind} policy ${p.name} allows *:* on * (${attachment(p)})`
        : 'no statement allows *:* on *',
    ];
  },
);

export const iamFull = perResource(
  {
    id: 'aws.iam.policy-iam-full',
    title: 'No customer policy grants every IAM action (iam:*)',
    severity: 'high',
    remediation: 'Replace iam:* with the specific IAM actions needed, scoped to the resources they manage.',
    procedure:
      'Reads every customer-managed and inline policy (GetAccountAuthorizationDetails) and fails a policy with an Allow statement listing iam:* (full administrator policies are judged by aws.iam.policy-full-admin).',
  },
  policies,
  policyId,
  (p) => {
    const full = p.statements.some(
      (s) => s.effect === 'Allow' && !s.notAction && s.actions.some((a) => a.toLowerCase() === 'iam:*'),
    );
    return [
      !full,
      full ? `${p.kind} policy ${p.name} allows iam:* (${attachment(p)})` : 'iam:* is not granted',
    ];
  },
);

export const privilegeEscalation = perResource(
  {
    id: 'aws.iam.policy-privilege-escalation',
    title: 'No customer policy grants a known privilege-escalation path',
    severity: 'high',
    remediation:
      'Remove the listed actions, or scope them to resources that cannot raise the principal’s privileges.',
    procedure: `Reads every customer-managed and inline policy (GetAccountAuthorizationDetails) and fails a policy whose Allow statements, wildcards expanded, grant every action of one of the ${ESCALATION_PATHS.length} escalation paths published in ${ESCALATION_SOURCE}. Resource scoping and Deny statements are not weighed, so a failure is a path to review.`,
  },
  policies,
  policyId,
  (p) => {
    const paths = ESCALATION_PATHS.filter((path) => path.actions.every((a) => grants(p.statements, a)));
    return [
      paths.length === 0,
      paths.length === 0
        ? 'grants no known escalation path'
        : `${p.kind} policy ${p.name} can ${paths.map((x) => `${x.name} (${x.actions.join(' + ')})`).join('; ')}`,
    ];
  },
);

export const userDirectPolicies = perResource(
  {
    id: 'aws.iam.user-direct-policies',
    title: 'IAM users receive permissions through groups or roles only',
    severity: 'low',
    remediation: 'Move the user’s policies to a group (or a role) and remove them from the user.',
    procedure:
      'Reads every IAM user’s attached managed and inline policies (GetAccountAuthorizationDetails) and fails a user with any policy of its own.',
  },
  (s: IamPoliciesSnapshot) => s.users,
  (u) => u.arn,
  (u) => {
    const own = [
      ...u.attachedPolicies.map((a) => a.split('/').pop() ?? a),
      ...u.inlinePolicies.map((n) => `${n} (inline)`),
    ];
    return [
      own.length === 0,
      own.length === 0 ? 'no policy attached to the user' : `user ${u.name} holds ${own.join(', ')}`,
    ];
  },
);

/** The AWS principals a trust statement admits, with whether it requires sts:ExternalId. */
const trusted = (r: RoleSnapshot) =>
  r.trust.filter((s) => s.effect === 'Allow' && s.principals.aws.length > 0);
const accountOf = (principal: string) => (/^\d{12}$/.test(principal) ? principal : principal.split(':')[4]);

export const roleTrustPublic = perResource(
  {
    id: 'aws.iam.role-trust-public',
    title: 'No role can be assumed by any AWS principal',
    severity: 'critical',
    remediation:
      'Replace the "AWS": "*" principal of the trust policy with the accounts or roles that need it.',
    procedure:
      'Reads every role’s trust policy (GetAccountAuthorizationDetails) and fails a role that admits the AWS principal "*" without any condition.',
  },
  (s: IamPoliciesSnapshot) => s.roles,
  (r) => r.arn,
  (r) => {
    const open = trusted(r).some((s) => s.principals.aws.includes('*') && s.conditionKeys.length === 0);
    return [
      !open,
      open
        ? `role ${r.name} trusts any AWS principal ("*") without a condition`
        : 'no unconditional "*" principal',
    ];
  },
);

export const roleTrustExternalId = perResource(
  {
    id: 'aws.iam.role-trust-external-id',
    title: 'Roles trusting other accounts require an external id',
    severity: 'high',
    remediation:
      'Add a Condition {"StringEquals": {"sts:ExternalId": "<secret agreed with the third party>"}} to the trust statement.',
    procedure:
      'Reads every role’s trust policy (GetAccountAuthorizationDetails) and fails a role that admits a principal of another AWS account in a statement without an sts:ExternalId condition. Roles trusting only this account or services pass.',
  },
  (s: IamPoliciesSnapshot) => s.roles,
  (r) => r.arn,
  (r, _s, { scope }) => {
    const foreign = trusted(r)
      .filter((s) => !s.conditionKeys.some((k) => k.toLowerCase() === 'sts:externalid'))
      .flatMap((s) => s.principals.aws.filter((p) => p !== '*' && accountOf(p) !== scope.id));
    return [
      foreign.length === 0,
      foreign.length === 0
        ? 'no other account is trusted without an external id'
        : `role ${r.name} trusts ${[...new Set(foreign.map(accountOf))].join(', ')} without sts:ExternalId`,
    ];
  },
);

export const roleUnused = perResource(
  {
    id: 'aws.iam.role-unused',
    title: 'Unused IAM roles are removed',
    severity: 'medium',
    remediation: 'Delete the role, or record why it must stay (break-glass, disaster recovery).',
    procedure:
      'Reads every role’s creation date and last use (GetAccountAuthorizationDetails RoleLastUsed) and fails a role, other than service-linked roles, not used for more than checks.aws.detection.unusedRoleDays (default 90) days before the collection — or never used and created before that.',
  },
  (s: IamPoliciesSnapshot) => s.roles.filter((r) => !r.path.startsWith('/aws-service-role/')),
  (r) => r.arn,
  (r, _s, context) => {
    const days = detectionSettings(context).unusedRoleDays;
    const cutoff = context.asOf.getTime() - days * DAY_MS;
    const last = r.lastUsedAt ?? r.createdAt;
    const used = Date.parse(last) >= cutoff;
    return [
      used,
      r.lastUsedAt
        ? `role ${r.name} last used ${r.lastUsedAt.slice(0, 10)} (limit ${days} days)`
        : `role ${r.name} never used since it was created ${r.createdAt.slice(0, 10)} (limit ${days} days)`,
    ];
  },
);

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

export const adminAccessHolders: Check<IamPoliciesSnapshot> = {
  id: 'aws.iam.admin-access-holders',
  title: 'AdministratorAccess is held by roles, not IAM users',
  severity: 'high',
  remediation:
    'Detach AdministratorAccess from the user (and its groups); grant administration through a role assumed with MFA.',
  procedure:
    'Lists every principal holding the AWS managed policy AdministratorAccess, directly or through a group (GetAccountAuthorizationDetails), as the population of privileged access; fails each IAM user among them (long-lived credentials) and passes each role.',
  evaluate(s, { scope }) {
    const adminGroups = new Set(
      s.groups.filter((g) => g.attachedPolicies.includes(ADMIN)).map((g) => g.name),
    );
    const users = s.users
      .map((u) => ({
        u,
        via: u.attachedPolicies.includes(ADMIN) ? 'directly' : u.groups.find((g) => adminGroups.has(g)),
      }))
      .filter((x) => x.via);
    const roles = s.roles.filter((r) => r.attachedPolicies.includes(ADMIN));
    if (users.length === 0 && roles.length === 0) {
      return [
        {
          check: this.id,
          resource: `arn:aws:iam::${scope.id}:root`,
          status: 'not_applicable',
          reason: 'no principal holds AdministratorAccess',
        },
      ];
    }
    return [
      ...users.map(({ u, via }) =>
        finding(
          this.id,
          u.arn,
          false,
          `user ${u.name} holds AdministratorAccess ${via === 'directly' ? 'directly' : `through group ${via}`}`,
        ),
      ),
      ...roles.map((r) =>
        finding(this.id, r.arn, true, `role ${r.name} holds AdministratorAccess (privileged access)`),
      ),
    ];
  },
};

export const checks = [
  fullAdmin,
  iamFull,
  privilegeEscalation,
  userDirectPolicies,
  roleTrustPublic,
  roleTrustExternalId,
  roleUnused,
  adminAccessHolders,
];
