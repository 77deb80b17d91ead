/** What a trail records, from its event selectors (basic or advanced). */
export interface TrailEventSelection {
  /** Management events recorded: All (read and write), ReadOnly, WriteOnly or None. */
  readonly managementEvents: 'All' | 'ReadOnly' | 'WriteOnly' | 'None';
  /** S3 object-level data events: ARN prefixes (`arn:aws:s3:::bucket/…`), `arn:aws:s3` for every bucket. */
  readonly s3DataEvents: readonly string[];
}

export interface BucketTags {
  readonly name: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface TrailSnapshot extends TrailEventSelection {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly isMultiRegion: boolean;
  readonly isOrganizationTrail: boolean;
  readonly isLogging: boolean;
  readonly logFileValidation: boolean;
  readonly kmsKeyId: string | null;
  readonly cloudWatchLogsLogGroupArn: string | null;
  readonly s3BucketName: string | null;
}

export interface CloudTrailSnapshot {
  readonly trails: readonly TrailSnapshot[];
  /** The account's buckets and their tags (which hold customer data is configuration). */
  readonly buckets: readonly BucketTags[];
}
