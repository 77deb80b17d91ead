import { type Check, finding } from '../../../core/collector.ts';
import { openFindingsAge, regionalAccount } from '../shared/open-findings.ts';
import { isUnknown } from '../unknown.ts';
import type { GuardDutySnapshot } from './snapshot.ts';

const account = regionalAccount('guardduty');
const enabledDetector = (s: GuardDutySnapshot) => s.detectors.find((d) => d.status === 'ENABLED');

export const enabled: Check<GuardDutySnapshot> = {
  id: 'aws.guardduty.enabled',
  title: 'GuardDuty is enabled in every region',
  severity: 'high',
  remediation:
    'Enable GuardDuty in the region (aws guardduty create-detector --enable), or for the whole organization.',
  procedure:
    'Lists the GuardDuty detectors of each configured region (ListDetectors, GetDetector) and passes the region when one detector is ENABLED.',
  evaluate(s, context) {
    const d = enabledDetector(s);
    return [
      finding(
        this.id,
        account(context),
        !!d,
        d
          ? `detector ${d.id} is enabled`
          : s.detectors.length > 0
            ? `detector ${s.detectors[0]?.id} is suspended in ${context.scope.region}`
            : `no GuardDuty detector in ${context.scope.region}`,
      ),
    ];
  },
};

/** A check on one setting of the enabled detector; not applicable where GuardDuty is off. */
function detectorSetting(
  meta: Omit<Check<GuardDutySnapshot>, 'evaluate'>,
  judge: (d: NonNullable<ReturnType<typeof enabledDetector>>) => readonly [boolean, string],
): Check<GuardDutySnapshot> {
  return {
    ...meta,
    evaluate(s, context) {
      const d = enabledDetector(s);
      if (!d) {
        const reason = `GuardDuty is not enabled in ${context.scope.region}`;
        return [{ check: meta.id, resource: account(context), status: 'not_applicable', reason }];
      }
      const [ok, reason] = judge(d);
      return [
        finding(
          meta.id,
          `arn:aws:guardduty:${context.scope.region}:${context.scope.id}:detector/${d.id}`,
          ok,
          reason,
        ),
      ];
    },
  };
}

export const findingPublishing = detectorSetting(
  {
    id: 'aws.guardduty.finding-publishing',
    title: 'GuardDuty publishes finding updates within an hour',
    severity: 'low',
    remediation: 'Set the detector’s finding publishing frequency to FIFTEEN_MINUTES or ONE_HOUR.',
    procedure:
      'Reads the enabled detector’s finding publishing frequency (GetDetector) and passes FIFTEEN_MINUTES or ONE_HOUR; SIX_HOURS delays updates to EventBridge, Security Hub and the alerts built on them.',
  },
  (d) => [
    d.findingPublishingFrequency === 'FIFTEEN_MINUTES' || d.findingPublishingFrequency === 'ONE_HOUR',
    `detector ${d.id} publishes finding updates every ${d.findingPublishingFrequency ?? '(unset)'}`,
  ],
);

const feature = (
  id: string,
  title: string,
  name: string,
  what: string,
  severity: Check<unknown>['severity'],
) =>
  detectorSetting(
    {
      id,
      title,
      severity,
      remediation: `Enable the ${name} protection plan on the detector (aws guardduty update-detector --features Name=${name},Status=ENABLED).`,
      procedure: `Reads the enabled detector’s protection plans (GetDetector Features, or DataSources on older detectors) and passes when ${name} is ENABLED (${what}).`,
    },
    (d) => [
      d.features[name] === 'ENABLED',
      `detector ${d.id}: ${name} ${d.features[name]?.toLowerCase() ?? 'not reported'}`,
    ],
  );

export const malwareProtection = feature(
  'aws.guardduty.malware-protection',
  'GuardDuty scans EC2 volumes for malware',
  'EBS_MALWARE_PROTECTION',
  'EBS volumes of instances with suspicious findings are scanned for malware',
  'medium',
);

export const s3Protection = feature(
  'aws.guardduty.s3-protection',
  'GuardDuty monitors S3 data events',
  'S3_DATA_EVENTS',
  'object-level API activity on S3 buckets is analysed for threats',
  'medium',
);

export const highFindingsAge = openFindingsAge<GuardDutySnapshot>(
  {
    id: 'aws.guardduty.high-findings-age',
    title: 'High-severity GuardDuty findings are resolved in time',
    severity: 'high',
    remediation: 'Investigate and remediate (or archive with a reason) the listed GuardDuty findings.',
    procedure:
      'Lists the open (not archived) findings of severity 7 or more of the enabled detector (ListFindings, GetFindings: ids, severity and creation time only) and passes the region unless one was created longer ago than checks.aws.detection.findingMaxAgeDays (default 30) before the collection.',
  },
  'GuardDuty',
  (s) => ({ enabled: !!enabledDetector(s), findings: s.highFindings }),
  account,
);

export const delegatedAdmin: Check<GuardDutySnapshot> = {
  id: 'aws.guardduty.delegated-admin',
  title: 'GuardDuty is administered for the organization by a delegated administrator',
  severity: 'medium',
  remediation:
    'From the management account, designate the security account as GuardDuty delegated administrator in the region (aws guardduty enable-organization-admin-account) and auto-enable member accounts from it.',
  procedure:
    'In the organization’s management account (DescribeOrganization), lists the GuardDuty delegated administrators of each configured region (ListOrganizationAdminAccounts) and passes the region when one is ENABLED; other accounts, and accounts outside an organization, are not judged; an unreadable answer fails.',
  evaluate(s, context) {
    const admins = s.delegatedAdmins;
    const region = context.scope.region;
    const result = (status: 'pass' | 'fail' | 'not_applicable', reason: string) => [
      { check: this.id, resource: account(context), status, reason },
    ];
    if (admins === undefined || admins === null)
      return result(
        'not_applicable',
        admins === null
          ? 'not the organization’s management account: judged there'
          : 'delegated administrators not recorded in this evidence',
      );
    if (isUnknown(admins))
      return result('fail', `delegated administrators could not be read: ${admins.unknown}`);
    return admins.length > 0
      ? result('pass', `GuardDuty delegated administrator in ${region}: ${admins.join(', ')}`)
      : result(
          'fail',
          `no GuardDuty delegated administrator in ${region}: member accounts are not managed centrally`,
        );
  },
};

export const checks = [
  enabled,
  findingPublishing,
  malwareProtection,
  s3Protection,
  highFindingsAge,
  delegatedAdmin,
];
