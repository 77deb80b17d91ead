import { type Check, type CheckContext, type CheckMeta, finding } from '../../../core/collector.ts';
import { openFindingsAge, regionalAccount } from '../shared/open-findings.ts';
import { isUnknown } from '../unknown.ts';
import type { HubSnapshot, SecurityHubSnapshot } from './snapshot.ts';

const account = regionalAccount('securityhub');

export const enabled: Check<SecurityHubSnapshot> = {
  id: 'aws.securityhub.enabled',
  title: 'Security Hub is enabled in every region',
  severity: 'medium',
  remediation:
    'Enable Security Hub in the region (aws securityhub enable-security-hub), or centrally for the organization.',
  procedure:
    'Calls DescribeHub in each configured region and passes the region when the account is subscribed.',
  evaluate(s, context) {
    return [
      finding(
        this.id,
        account(context),
        !!s.hub,
        s.hub ? `hub ${s.hub.arn} enabled` : `Security Hub is not enabled in ${context.scope.region}`,
      ),
    ];
  },
};

/** A check on the enabled hub; not applicable where Security Hub is off. */
function onHub(
  meta: CheckMeta,
  judge: (hub: HubSnapshot, s: SecurityHubSnapshot, context: CheckContext) => readonly [boolean, string],
): Check<SecurityHubSnapshot> {
  return {
    ...meta,
    evaluate(s, context) {
      if (!s.hub) {
        const reason = `Security Hub is not enabled in ${context.scope.region}`;
        return [{ check: meta.id, resource: account(context), status: 'not_applicable', reason }];
      }
      const [ok, reason] = judge(s.hub, s, context);
      return [finding(meta.id, s.hub.arn, ok, reason)];
    },
  };
}

export const standardsEnabled = onHub(
  {
    id: 'aws.securityhub.standards-enabled',
    title: 'Security Hub runs at least one security standard',
    severity: 'medium',
    remediation:
      'Enable a standard (AWS Foundational Security Best Practices or CIS AWS Foundations) in Security Hub.',
    procedure:
      'Lists the enabled standards (GetEnabledStandards) of each enabled hub and passes when at least one is READY; an unreadable list is a failing gap.',
  },
  (_hub, s) => {
    if (isUnknown(s.standards)) return [false, `enabled standards could not be read: ${s.standards.unknown}`];
    const ready = s.standards.filter((st) => st.status === 'READY');
    return ready.length > 0
      ? [
          true,
          `${ready.length} standard(s) ready: ${ready.map((st) => st.arn.split('/').slice(-3).join('/')).join(', ')}`,
        ]
      : [
          false,
          s.standards.length > 0
            ? `no standard is READY (${s.standards.map((st) => st.status).join(', ')})`
            : 'no standard is enabled',
        ];
  },
);

export const autoEnableControls = onHub(
  {
    id: 'aws.securityhub.auto-enable-controls',
    title: 'Security Hub enables new controls of its standards automatically',
    severity: 'low',
    remediation:
      'Turn on AutoEnableControls (aws securityhub update-security-hub-configuration --auto-enable-controls).',
    procedure:
      'Reads DescribeHub AutoEnableControls and passes when new controls of enabled standards start automatically.',
  },
  (hub) => [
    hub.autoEnableControls,
    hub.autoEnableControls
      ? 'new controls are enabled automatically'
      : 'new controls of enabled standards stay off until enabled by hand',
  ],
);

export const failedFindingsAge = openFindingsAge<SecurityHubSnapshot>(
  {
    id: 'aws.securityhub.failed-findings-age',
    title: 'Critical and high failed Security Hub findings are resolved in time',
    severity: 'high',
    remediation: 'Remediate the listed resources, or suppress the finding with a recorded reason.',
    procedure:
      'Reads the active, failed compliance findings of severity CRITICAL or HIGH in workflow NEW or NOTIFIED (GetFindings; ids, severity and first-observed time only) and passes the region unless one was first observed longer ago than checks.aws.detection.findingMaxAgeDays (default 30) before the collection.',
  },
  'Security Hub',
  (s) => ({ enabled: !!s.hub, findings: s.failedFindings }),
  account,
);

export const checks = [enabled, standardsEnabled, autoEnableControls, failedFindingsAge];
