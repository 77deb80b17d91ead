export interface KeySnapshot {
  readonly keyId: string;
  readonly arn: string;
  readonly manager: 'AWS' | 'CUSTOMER';
  readonly keySpec: string;
  readonly keyState: string;
  readonly origin: string;
  /** null where rotation does not apply (AWS-managed, asymmetric, disabled or imported keys). */
  readonly rotationEnabled: boolean | null;
}

export interface KmsKeysSnapshot {
  readonly keys: readonly KeySnapshot[];
}
