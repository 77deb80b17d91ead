import { type Check, finding } from '../../../core/collector.ts';
import { openFindingsAge, regionalAccount } from '../shared/open-findings.ts';
import type { Inspector2Snapshot } from './snapshot.ts';

const account = regionalAccount('inspector2');

const scanning = (
  id: string,
  type: string,
  what: string,
  severity: Check<unknown>['severity'],
): Check<Inspector2Snapshot> => ({
  id,
  title: `Inspector scans ${what}`,
  severity,
  remediation: `Activate Amazon Inspector ${type} scanning in the region (aws inspector2 enable --resource-types ${type.toUpperCase()}).`,
  procedure: `Reads the account's Inspector status per resource type (BatchGetAccountStatus) in each configured region and passes when ${type} scanning is ENABLED.`,
  evaluate(s, context) {
    const state = s.resourceTypes[type] ?? 'DISABLED';
    return [
      finding(
        id,
        account(context),
        state === 'ENABLED',
        `Inspector ${type} scanning is ${state.toLowerCase()} in ${context.scope.region}`,
      ),
    ];
  },
});

export const ec2Scanning = scanning(
  'aws.inspector2.ec2-scanning',
  'ec2',
  'EC2 instances for vulnerabilities',
  'high',
);
export const ecrScanning = scanning(
  'aws.inspector2.ecr-scanning',
  'ecr',
  'container images in ECR for vulnerabilities',
  'medium',
);
export const lambdaScanning = scanning(
  'aws.inspector2.lambda-scanning',
  'lambda',
  'Lambda functions for vulnerable packages',
  'medium',
);

export const criticalFindingsAge = openFindingsAge<Inspector2Snapshot>(
  {
    id: 'aws.inspector2.critical-findings-age',
    title: 'Critical vulnerabilities found by Inspector are fixed in time',
    severity: 'high',
    remediation:
      'Patch or rebuild the affected instances, images or functions; suppress only with a recorded reason.',
    procedure:
      'Lists the ACTIVE findings of severity CRITICAL (ListFindings; finding ARN, severity and first-observed time only) and passes the region unless one was first observed longer ago than checks.aws.detection.findingMaxAgeDays (default 30) before the collection.',
  },
  'Inspector',
  (s) => ({ enabled: s.status !== 'DISABLED', findings: s.criticalFindings }),
  account,
);

export const checks = [ec2Scanning, ecrScanning, lambdaScanning, criticalFindingsAge];
