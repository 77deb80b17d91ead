import { perResource } from '../../../core/collector.ts';
import type { BucketSnapshot, PublicAccessBlock, S3BucketsSnapshot } from './snapshot.ts';

const buckets = (s: S3BucketsSnapshot) => s.buckets;
const bucketArn = (b: BucketSnapshot) => `arn:aws:s3:::${b.name}`;

const fullyBlocked = (p: PublicAccessBlock | null) =>
  !!p && p.blockPublicAcls && p.ignorePublicAcls && p.blockPublicPolicy && p.restrictPublicBuckets;

export const defaultEncryption = perResource(
  {
    id: 'aws.s3.default-encryption',
    title: 'Buckets have default encryption configured',
    severity: 'high',
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

export const checks = [defaultEncryption, publicAccessBlock, versioning, accessLogging, tlsOnly];
