import { type Check, finding } from '../../../core/collector.ts';
import { openFindingsAge, regionalAccount } from '../shared/open-findings.ts';
import { isUnknown } from '../unknown.ts';
import type { MacieSnapshot } from './snapshot.ts';

const account = regionalAccount('macie2');

export const enabled: Check<MacieSnapshot> = {
  id: 'aws.macie.enabled',
  title: 'Macie is enabled in every region',
  severity: 'medium',
  remediation: 'Enable Amazon Macie in the region (aws macie2 enable-macie), or for the organization.',
  procedure:
    'Calls GetMacieSession in each configured region and passes when Macie is ENABLED (not paused, not off).',
  evaluate(s, context) {
    return [
      finding(
        this.id,
        account(context),
        s.status === 'ENABLED',
        s.status === null
          ? `Macie is not enabled in ${context.scope.region}`
          : `Macie is ${s.status.toLowerCase()}`,
      ),
    ];
  },
};

export const sensitiveDataDiscovery: Check<MacieSnapshot> = {
  id: 'aws.macie.sensitive-data-discovery',
  title: 'Macie looks for sensitive data in S3',
  severity: 'medium',
  remediation:
    'Turn on automated sensitive data discovery, or schedule a classification job over the buckets holding customer data.',
  procedure:
    'Reads the automated sensitive data discovery status (GetAutomatedDiscoveryConfiguration) and the RUNNING or scheduled (IDLE) classification jobs (ListClassificationJobs); passes when either discovers data. Not applicable where Macie is off; an unreadable answer that leaves it undecided is a failing gap.',
  evaluate(s, context) {
    const resource = account(context);
    if (s.status !== 'ENABLED') {
      return [
        {
          check: this.id,
          resource,
          status: 'not_applicable',
          reason: `Macie is not enabled in ${context.scope.region}`,
        },
      ];
    }
    const automated = s.automatedDiscovery === 'ENABLED';
    const jobs = isUnknown(s.activeJobs) ? [] : s.activeJobs;
    if (automated || jobs.length > 0) {
      const how = automated
        ? 'automated sensitive data discovery is on'
        : `${jobs.length} classification job(s) active: ${jobs.join(', ')}`;
      return [finding(this.id, resource, true, how)];
    }
    const gaps = [s.automatedDiscovery, s.activeJobs].filter(isUnknown).map((u) => u.unknown);
    return [
      finding(
        this.id,
        resource,
        false,
        gaps.length > 0
          ? `sensitive data discovery could not be established: ${gaps.join('; ')}`
          : 'automated discovery is off and no classification job is running or scheduled',
      ),
    ];
  },
};

export const highFindingsAge = openFindingsAge<MacieSnapshot>(
  {
    id: 'aws.macie.high-findings-age',
    title: 'High-severity Macie findings are resolved in time',
    severity: 'high',
    remediation:
      'Remove or protect the exposed sensitive data named by the findings, or archive them with a reason.',
    procedure:
      'Lists the open (not archived) findings of severity High (ListFindings, GetFindings: ids, severity and creation time only) and passes the region unless one was created longer ago than checks.aws.detection.findingMaxAgeDays (default 30) before the collection.',
  },
  'Macie',
  (s) => ({ enabled: s.status === 'ENABLED', findings: s.highFindings }),
  account,
);

export const checks = [enabled, sensitiveDataDiscovery, highFindingsAge];
