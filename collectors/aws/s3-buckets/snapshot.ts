export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
}

/** One lifecycle rule's expiration actions (GetBucketLifecycleConfiguration). */
export interface LifecycleRule {
  readonly id: string;
  readonly enabled: boolean;
  /** The rule's prefix or filter as JSON; null when it applies to every object of the bucket. */
  readonly filter: string | null;
  /** Current objects expire after this many days, or on this date; null when the rule does not expire them. */
  readonly expiration: { readonly days: number | null; readonly date: string | null } | null;
  /** Noncurrent versions expire this many days after becoming noncurrent; null when the rule does not expire them. */
  readonly noncurrentExpirationDays: number | null;
}

export interface BucketSnapshot {
  readonly name: string;
  readonly region: string;
  /** Default encryption algorithm (`AES256`, `aws:kms`, `aws:kms:dsse`), null when none is configured. */
  readonly encryption: { readonly algorithm: string; readonly kmsKeyId: string | null } | null;
  readonly publicAccessBlock: PublicAccessBlock | null;
  readonly versioning: 'Enabled' | 'Suspended' | 'Disabled';
  readonly logging: { readonly targetBucket: string; readonly targetPrefix: string } | null;
  /** The bucket policy document, parsed; null when the bucket has none. */
  readonly policy: unknown;
  /** The bucket's tags (GetBucketTagging); empty when it has none. */
  readonly tags: Readonly<Record<string, string>>;
  /** The lifecycle rules (GetBucketLifecycleConfiguration); empty when it has none. */
  readonly lifecycle: readonly LifecycleRule[];
}

export interface S3BucketsSnapshot {
  readonly accountPublicAccessBlock: PublicAccessBlock | null;
  readonly buckets: readonly BucketSnapshot[];
}
