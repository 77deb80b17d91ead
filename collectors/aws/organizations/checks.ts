import { type Check, type CheckContext, type CheckMeta, finding } from '../../../core/collector.ts';
import type { Finding } from '../../../core/model.ts';
import { statementCovers } from '../shared/policy-document.ts';
import { detectionSettings } from '../shared/settings.ts';
import { isUnknown } from '../unknown.ts';
import type { OrganizationsSnapshot, ScpSnapshot } from './snapshot.ts';

const orgResource = (s: OrganizationsSnapshot, { scope }: CheckContext) =>
  s.organization
    ? `arn:aws:organizations::${s.organization.managementAccountId}:organization/${s.organization.id}`
    : `arn:aws:organizations::${scope.id}:account`;

/**
 * A check on the organization's attached SCPs. Not applicable outside an organization, and in a member
 * account that may not read them (the management or delegated administrator account is judged instead);
 * unreadable in the management account is a failing gap.
 */
function onScps(
  meta: CheckMeta,
  judge: (attached: readonly ScpSnapshot[], context: CheckContext) => readonly [boolean, string] | null,
): Check<OrganizationsSnapshot> {
  return {
    ...meta,
    evaluate(s, context): Finding[] {
      const resource = orgResource(s, context);
      const na = (reason: string): Finding[] => [
        { check: meta.id, resource, status: 'not_applicable', reason },
      ];
      if (!s.organization) return na(`account ${context.scope.id} is not in an organization`);
      if (isUnknown(s.scps)) {
        if (s.organization.managementAccountId !== context.scope.id) {
          return na(
            `member account ${context.scope.id} cannot read the SCPs (${s.scps.unknown}); the management account is judged`,
          );
        }
        return [
          finding(meta.id, resource, false, `service control policies could not be read: ${s.scps.unknown}`),
        ];
      }
      const verdict = judge(
        s.scps.filter((p) => p.targets.length > 0),
        context,
      );
      if (!verdict) return na('not required by checks.aws.detection');
      return [finding(meta.id, resource, verdict[0], verdict[1])];
    },
  };
}

const names = (list: readonly ScpSnapshot[]) => list.map((p) => p.name).join(', ');

export const scpsAttached = onScps(
  {
    id: 'aws.organizations.scps-attached',
    title: 'Service control policies restrict the organization beyond FullAWSAccess',
    severity: 'medium',
    remediation:
      'Attach guardrail SCPs (deny leaving the organization, disabling logging, unused regions) to the root or the OUs.',
    procedure:
      'Lists the service control policies and their targets (ListPolicies, DescribePolicy, ListTargetsForPolicy) and passes when an SCP other than the AWS-managed FullAWSAccess is attached to a root, OU or account.',
  },
  (attached) => {
    const own = attached.filter((p) => !p.awsManaged);
    return [own.length > 0, own.length > 0 ? `attached: ${names(own)}` : 'only FullAWSAccess is attached'];
  },
);

const denies = (p: ScpSnapshot, test: (s: ScpSnapshot['statements'][number]) => boolean) =>
  p.statements.some((s) => s.effect === 'Deny' && test(s));

export const denyLeave = onScps(
  {
    id: 'aws.organizations.deny-leave',
    title: 'Accounts cannot leave the organization',
    severity: 'medium',
    remediation: 'Attach an SCP denying organizations:LeaveOrganization to the root.',
    procedure:
      'Reads the attached SCPs (DescribePolicy) and passes when one denies organizations:LeaveOrganization (wildcards expanded).',
  },
  (attached) => {
    const p = attached.find((x) => denies(x, (s) => statementCovers(s, 'organizations:LeaveOrganization')));
    return [
      !!p,
      p
        ? `${p.name} denies organizations:LeaveOrganization`
        : 'no attached SCP denies organizations:LeaveOrganization',
    ];
  },
);

export const regionGuardrail = onScps(
  {
    id: 'aws.organizations.region-guardrail',
    title: 'An SCP limits the regions the organization may use',
    severity: 'medium',
    remediation:
      'Attach an SCP denying requests outside the approved regions (Condition StringNotEquals aws:RequestedRegion).',
    procedure:
      'Reads the attached SCPs (DescribePolicy) and passes when a Deny statement is conditioned on aws:RequestedRegion; not applicable when checks.aws.detection.regionGuardrail is false.',
  },
  (attached, context) => {
    if (!detectionSettings(context).regionGuardrail) return null;
    const p = attached.find((x) =>
      denies(x, (s) => s.conditionKeys.some((k) => k.toLowerCase() === 'aws:requestedregion')),
    );
    return [
      !!p,
      p
        ? `${p.name} denies requests outside the approved regions`
        : 'no attached SCP restricts aws:RequestedRegion',
    ];
  },
);

export const allFeatures: Check<OrganizationsSnapshot> = {
  id: 'aws.organizations.all-features',
  title: 'The organization has all features enabled',
  severity: 'low',
  remediation:
    'Enable all features in the organization (aws organizations enable-all-features); SCPs need them.',
  procedure:
    'Reads DescribeOrganization and passes when the feature set is ALL (consolidated billing only cannot apply SCPs).',
  evaluate(s, context) {
    const resource = orgResource(s, context);
    if (!s.organization)
      return [
        {
          check: this.id,
          resource,
          status: 'not_applicable',
          reason: `account ${context.scope.id} is not in an organization`,
        },
      ];
    return [
      finding(
        this.id,
        resource,
        s.organization.featureSet === 'ALL',
        `feature set ${s.organization.featureSet}`,
      ),
    ];
  },
};

export const checks = [scpsAttached, denyLeave, regionGuardrail, allFeatures];
