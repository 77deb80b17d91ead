import { type Check, finding, perResource } from '../../../core/collector.ts';
import { detectionSettings } from '../shared/settings.ts';
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

export const managementEventsReadWrite: Check<CloudTrailSnapshot> = {
  id: 'aws.cloudtrail.management-events',
  title: 'A logging multi-region trail records read and write management events',
  severity: 'medium',
  remediation:
    'Set the multi-region trail’s event selector to ReadWriteType All with management events included.',
  procedure:
    'Reads each trail’s event selectors (GetEventSelectors, basic or advanced) and passes the account when a logging multi-region trail records both read and write management events.',
  evaluate(s, { scope }) {
    const trail = s.trails.find((t) => t.isMultiRegion && t.isLogging && t.managementEvents === 'All');
    const seen = s.trails.map((t) => `${t.name}: ${t.managementEvents}`).join(', ');
    return [
      finding(
        this.id,
        `arn:aws:cloudtrail::${scope.id}:account`,
        !!trail,
        trail
          ? `trail ${trail.name} records read and write management events`
          : `no logging multi-region trail records all management events (${seen || 'no trails'})`,
      ),
    ];
  },
};

/** Whether a logging trail records object-level events of this bucket. */
const recordsObjects = (t: TrailSnapshot, bucket: string) =>
  t.isLogging &&
  t.s3DataEvents.some(
    (v) => v === 'arn:aws:s3' || v === 'arn:aws:s3:::' || `arn:aws:s3:::${bucket}/`.startsWith(v),
  );

export const customerDataEvents = perResource(
  {
    id: 'aws.cloudtrail.s3-data-events',
    title: 'Object access to customer-data buckets is recorded',
    severity: 'medium',
    remediation: 'Add an S3 data event selector for the bucket (or all buckets) to a logging trail.',
    procedure:
      'Reads the tags of every bucket (ListBuckets, GetBucketTagging) and each trail’s S3 data event selectors (GetEventSelectors); passes a bucket tagged as customer data (checks.aws.detection.customerDataTag, default data-classification=customer) when a logging trail records its object-level events.',
  },
  (s: CloudTrailSnapshot, context) => {
    const { key, value } = detectionSettings(context).customerDataTag;
    return s.buckets.filter((b) => b.tags[key] === value);
  },
  (b) => `arn:aws:s3:::${b.name}`,
  (b, s) => {
    const trail = s.trails.find((t) => recordsObjects(t, b.name));
    return [
      !!trail,
      trail
        ? `trail ${trail.name} records its object access`
        : `no logging trail records object access to ${b.name}`,
    ];
  },
);

export const checks = [
  multiRegionLogging,
  logFileValidation,
  kmsEncryption,
  cloudWatchLogs,
  managementEventsReadWrite,
  customerDataEvents,
];
