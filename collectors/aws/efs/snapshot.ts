export interface FileSystemSnapshot {
  readonly id: string;
  readonly arn: string;
  readonly name: string | null;
  readonly encrypted: boolean;
  /** The automatic backup policy status (`ENABLED`, `DISABLED`, …); `DISABLED` when none was ever set. */
  readonly backupPolicy: string;
  /** The file system policy document, parsed; null when the file system has none. */
  readonly policy: unknown;
}

export interface EfsSnapshot {
  readonly fileSystems: readonly FileSystemSnapshot[];
}
