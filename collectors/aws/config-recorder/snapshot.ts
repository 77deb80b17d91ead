export interface RecorderSnapshot {
  readonly name: string;
  readonly recording: boolean;
  readonly lastStatus: string | null;
  readonly allSupported: boolean;
  readonly includeGlobalResourceTypes: boolean;
}

export interface ConfigRecorderSnapshot {
  readonly recorders: readonly RecorderSnapshot[];
  readonly deliveryChannels: readonly { readonly name: string; readonly s3BucketName: string | null }[];
}
