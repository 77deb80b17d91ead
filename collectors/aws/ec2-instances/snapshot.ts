export interface Instance {
  readonly id: string;
  readonly state: string;
  readonly launchTime: string | null;
  /** When the instance stopped, from its state transition reason; null when running or not stated. */
  readonly stoppedAt: string | null;
  /** `required` (IMDSv2 only) or `optional`; with the endpoint `disabled` no metadata is served at all. */
  readonly metadataTokens: string;
  readonly metadataEndpoint: string;
  readonly publicIp: string | null;
  readonly instanceProfileArn: string | null;
  readonly detailedMonitoring: boolean;
  /** Names in the user data that look like secrets (never values); null when the user data could not be read. */
  readonly userDataSecretNames: readonly string[] | null;
}

export interface Volume {
  readonly id: string;
  readonly encrypted: boolean;
  readonly state: string;
  readonly attachedTo: readonly string[];
}

export interface Snapshot {
  readonly id: string;
  readonly volumeId: string | null;
  readonly encrypted: boolean;
  /** Restorable by every AWS account (createVolumePermission group "all"). */
  readonly public: boolean;
}

export interface Image {
  readonly id: string;
  readonly name: string;
  readonly public: boolean;
}

export interface Ec2InstancesSnapshot {
  readonly region: string;
  readonly ebsEncryptionByDefault: boolean;
  readonly instances: readonly Instance[];
  readonly volumes: readonly Volume[];
  readonly snapshots: readonly Snapshot[];
  readonly images: readonly Image[];
}
