export interface TrailSnapshot {
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
}
