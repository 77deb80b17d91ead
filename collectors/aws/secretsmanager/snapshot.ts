import type { Encryption } from '../customer-keys.ts';

/** A secret's metadata (ListSecrets): never its value. */
export interface SecretSnapshot extends Encryption {
  readonly name: string;
  readonly arn: string;
  readonly rotationEnabled: boolean;
  readonly rotationDays: number | null;
  readonly createdAt: string | null;
  readonly lastRotatedAt: string | null;
  /** The day the secret was last read (Secrets Manager records the date only); null if never. */
  readonly lastAccessedAt: string | null;
}

export interface SecretsManagerSnapshot {
  readonly secrets: readonly SecretSnapshot[];
}
