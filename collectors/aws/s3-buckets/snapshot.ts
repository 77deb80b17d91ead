export interface PublicAccessBlock {
  readonly blockPublicAcls: boolean;
  readonly ignorePublicAcls: boolean;
  readonly blockPublicPolicy: boolean;
  readonly restrictPublicBuckets: boolean;
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
}

export interface S3BucketsSnapshot {
  readonly accountPublicAccessBlock: PublicAccessBlock | null;
  readonly buckets: readonly BucketSnapshot[];
}
