import { notApplicable, perResource } from '../../../core/collector.ts';
import { dataSettings } from '../data-settings.ts';
import { detectionSettings } from '../shared/settings.ts';
import type { BucketSnapshot, LifecycleRule, PublicAccessBlock, S3BucketsSnapshot } from './snapshot.ts';

const buckets = (s: S3BucketsSnapshot) => s.buckets;
const bucketArn = (b: BucketSnapshot) => `arn:aws:s3:::${b.name}`;

const fullyBlocked = (p: PublicAccessBlock | null) =>
  !!p && p.blockPublicAcls && p.ignorePublicAcls && p.blockPublicPolicy && p.restrictPublicBuckets;

export const defaultEncryption = perResource(
  {
    id: 'aws.s3.default-encryption',
    title: 'Buckets have default encryption configured',
    severity: 'high',
    procedure:
      'Reads the default encryption setting of every bucket (GetBucketEncryption). Passes per bucket when a default encryption algorithm is configured; fails when none is.',
    remediation:
      'Set default encryption on the bucket (SSE-KMS with a customer-managed key for sensitive data).',
  },
  buckets,
  bucketArn,
  (b) =>
    b.encryption
      ? [true, `default encryption ${b.encryption.algorithm}`]
      : [false, `bucket ${b.name} has no default encryption setting`],
);

export const publicAccessBlock = perResource(
  {
    id: 'aws.s3.public-access-block',
    title: 'Public access is blocked for every bucket (bucket or account setting)',
    severity: 'critical',
    procedure:
      'Reads the account-level and bucket-level S3 Block Public Access settings. Passes per bucket when all four settings are on at the account or on the bucket; fails otherwise.',
    remediation: 'Turn on all four S3 Block Public Access settings on the account, or on each bucket.',
  },
  buckets,
  bucketArn,
  (b, s) => {
    if (fullyBlocked(s.accountPublicAccessBlock)) return [true, 'blocked by the account-level setting'];
    if (fullyBlocked(b.publicAccessBlock)) return [true, 'blocked by the bucket-level setting'];
    return [
      false,
      `bucket ${b.name} has ${b.publicAccessBlock ? 'a partial' : 'no'} public access block and the account setting does not cover it`,
    ];
  },
);

export const versioning = perResource(
  {
    id: 'aws.s3.versioning',
    title: 'Bucket versioning is enabled',
    severity: 'medium',
    procedure:
      'Reads the versioning status of every bucket (GetBucketVersioning). Passes per bucket when it is Enabled; fails when it is Suspended or never enabled.',
    remediation: 'Enable versioning so overwritten or deleted objects can be recovered.',
  },
  buckets,
  bucketArn,
  (b) => [b.versioning === 'Enabled', `versioning of ${b.name} is ${b.versioning}`],
);

export const accessLogging = perResource(
  {
    id: 'aws.s3.access-logging',
    title: 'Server access logging is enabled',
    severity: 'low',
    procedure:
      'Reads the server access logging setting of every bucket (GetBucketLogging). Passes per bucket when it logs to a target bucket; fails when logging is off.',
    remediation: 'Enable server access logging to a separate log bucket.',
  },
  buckets,
  bucketArn,
  (b) =>
    b.logging
      ? [true, `logs to ${b.logging.targetBucket}`]
      : [false, `bucket ${b.name} has no server access logging`],
);

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** A Deny of all S3 actions for everyone whenever aws:SecureTransport is false. */
function deniesInsecureTransport(statement: Statement): boolean {
  if (statement.Effect !== 'Deny') return false;
  const principal = statement.Principal;
  const everyone = principal === '*' || (principal as { AWS?: unknown } | null)?.AWS === '*';
  const actions = ([] as string[]).concat(statement.Action ?? []);
  const secureTransport = statement.Condition?.Bool?.['aws:SecureTransport'];
  return everyone && actions.some((a) => a === 's3:*' || a === '*') && String(secureTransport) === 'false';
}

export const tlsOnly = perResource(
  {
    id: 'aws.s3.tls-only',
    title: 'Bucket policy denies requests without TLS',
    severity: 'medium',
    procedure:
      'Reads every bucket policy. Passes per bucket when a statement denies s3:* (or *) to every principal under the condition aws:SecureTransport = false; fails when no such statement exists.',
    remediation: 'Add a Deny statement for s3:* with the condition "Bool": {"aws:SecureTransport": "false"}.',
  },
  buckets,
  bucketArn,
  (b) => {
    const statements = ([] as Statement[]).concat(
      (b.policy as { Statement?: Statement | Statement[] } | null)?.Statement ?? [],
    );
    const ok = statements.some(deniesInsecureTransport);
    return [
      ok,
      ok ? 'policy denies aws:SecureTransport=false' : `bucket ${b.name} allows requests over plain HTTP`,
    ];
  },
);

/**
 * ` is not tagged key=value`, made once per tag setting rather than once per bucket: most buckets are not
 * tagged, and building this text for each was most of what the check allocated (the evaluation bench's S3 line).
 */
let lastTag: { readonly key: string; readonly value: string } | undefined;
let lastNotTagged = '';
function notTagged(tag: { readonly key: string; readonly value: string }): string {
  if (tag !== lastTag) {
    lastTag = tag;
    lastNotTagged = ` is not tagged ${tag.key}=${tag.value}`;
  }
  return lastNotTagged;
}

/** Enabled rules that apply to every object of the bucket. */
const wholeBucketRules = (b: BucketSnapshot): LifecycleRule[] =>
  b.lifecycle.filter((r) => r.enabled && r.filter === null);

export const customerDataExpiration = perResource(
  {
    id: 'aws.s3.customer-data-expiration',
    title: 'Buckets holding customer data expire objects by lifecycle rule',
    severity: 'medium',
    procedure:
      'Reads the tags (GetBucketTagging), versioning and lifecycle rules (GetBucketLifecycleConfiguration) of every bucket. For each bucket tagged as holding customer data (checks.aws.detection.customerDataTag, default data-classification=customer) passes when an enabled rule applying to every object expires current objects (within checks.aws.data.customerDataRetentionDays when set) and, on a versioned bucket, an enabled rule applying to every object also expires noncurrent versions; fails otherwise. Other buckets are not applicable.',
    remediation:
      'Add an enabled lifecycle rule without a filter that expires objects at the end of their retention period (and NoncurrentVersionExpiration on a versioned bucket).',
  },
  buckets,
  bucketArn,
  (b, _s, context) => {
    const tag = detectionSettings(context).customerDataTag;
    if (b.tags[tag.key] !== tag.value) return notApplicable(`bucket ${b.name}${notTagged(tag)}`);
    const rules = wholeBucketRules(b);
    const current = rules.find((r) => r.expiration);
    if (!current)
      return [
        false,
        `bucket ${b.name} holds customer data and no enabled lifecycle rule expires all its objects` +
          (b.lifecycle.some((r) => r.expiration) ? ' (only rules that are disabled or filtered do)' : ''),
      ];
    const days = current.expiration?.days ?? null;
    const retention = dataSettings(context).customerDataRetentionDays;
    if (retention !== undefined && (days === null || days > retention))
      return [
        false,
        `bucket ${b.name} keeps customer data ${days === null ? `until ${current.expiration?.date}` : `${days} days`}, longer than the ${retention}-day retention`,
      ];
    const after = days !== null ? `${days} days` : current.expiration?.date;
    if (b.versioning === 'Disabled') return [true, `rule ${current.id} expires objects after ${after}`];
    const noncurrent = rules.find((r) => r.noncurrentExpirationDays !== null);
    return noncurrent
      ? [
          true,
          `rule ${current.id} expires objects after ${after}; rule ${noncurrent.id} expires noncurrent versions after ${noncurrent.noncurrentExpirationDays} days`,
        ]
      : [
          false,
          `bucket ${b.name} is versioned and no enabled lifecycle rule expires noncurrent versions: expired objects stay recoverable`,
        ];
  },
);

export const checks = [
  defaultEncryption,
  publicAccessBlock,
  versioning,
  accessLogging,
  tlsOnly,
  customerDataExpiration,
];
