import { type Check, finding, perResource } from '../../../core/collector.ts';
import type { CloudTrailSnapshot, TrailSnapshot } from './snapshot.ts';

export const multiRegionLogging: Check<CloudTrailSnapshot> = {
  id: 'aws.cloudtrail.multi-region-logging',
  title: 'A multi-region trail is logging',
  severity: 'high',
  procedure:
    'Reads the trails of the account with their status (DescribeTrails, GetTrailStatus). Passes when at least one multi-region trail is logging; fails when none is.',
  remediation: 'Create a multi-region trail (or an organization trail) and start logging.',
  evaluate(s, { scope }) {
    const trail = s.trails.find((t) => t.isMultiRegion && t.isLogging);
    return [
      finding(
        this.id,
        `arn:aws:cloudtrail::${scope.id}:account`,
        !!trail,
        trail ? `trail ${trail.name} logs all regions` : 'no multi-region trail is logging',
      ),
    ];
  },
};

const trails = (s: CloudTrailSnapshot) => s.trails;
const trailArn = (t: TrailSnapshot) => t.arn;

export const logFileValidation = perResource(
  {
    id: 'aws.cloudtrail.log-file-validation',
    title: 'Trails validate their log files',
    severity: 'medium',
    procedure:
      'Reads every trail (DescribeTrails). Passes per trail when log file integrity validation is enabled; fails when it is off.',
    remediation: 'Enable log file integrity validation on the trail.',
  },
  trails,
  trailArn,
  (t) => [
    t.logFileValidation,
    t.logFileValidation ? 'log file validation on' : `trail ${t.name} has log file validation off`,
  ],
);

export const kmsEncryption = perResource(
  {
    id: 'aws.cloudtrail.kms-encryption',
    title: 'Trails encrypt logs with a KMS key',
    severity: 'medium',
    procedure:
      'Reads every trail (DescribeTrails). Passes per trail when its logs are encrypted with a KMS key; fails when no key is set.',
    remediation: 'Configure SSE-KMS with a customer-managed key for the trail.',
  },
  trails,
  trailArn,
  (t) => [
    !!t.kmsKeyId,
    t.kmsKeyId ? `encrypted with ${t.kmsKeyId}` : `trail ${t.name} is not encrypted with KMS`,
  ],
);

export const cloudWatchLogs = perResource(
  {
    id: 'aws.cloudtrail.cloudwatch-logs',
    title: 'Trails deliver to CloudWatch Logs',
    severity: 'low',
    procedure:
      'Reads every trail (DescribeTrails). Passes per trail when it delivers events to a CloudWatch Logs log group; fails when it does not.',
    remediation: 'Send the trail to a CloudWatch Logs group so events can be alarmed on.',
  },
  trails,
  trailArn,
  (t) => [
    !!t.cloudWatchLogsLogGroupArn,
    t.cloudWatchLogsLogGroupArn
      ? 'delivers to CloudWatch Logs'
      : `trail ${t.name} does not deliver to CloudWatch Logs`,
  ],
);

export const checks = [multiRegionLogging, logFileValidation, kmsEncryption, cloudWatchLogs];
