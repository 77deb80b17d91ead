import type { Encryption } from '../customer-keys.ts';

export interface TableSnapshot extends Encryption {
  readonly name: string;
  readonly arn: string;
  /** Point-in-time recovery status (`ENABLED`, `DISABLED`). */
  readonly pointInTimeRecovery: string;
  readonly deletionProtection: boolean;
}

export interface DynamoDbSnapshot {
  readonly tables: readonly TableSnapshot[];
}
