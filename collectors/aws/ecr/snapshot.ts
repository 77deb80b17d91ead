import type { Encryption } from '../customer-keys.ts';
import type { Unknown } from '../unknown.ts';

export interface RepositorySnapshot extends Encryption {
  readonly name: string;
  readonly arn: string;
  /** The repository's own (basic) scan-on-push setting. */
  readonly scanOnPush: boolean;
  /** `MUTABLE`, `IMMUTABLE` or an `…_WITH_EXCLUSION` variant. */
  readonly tagMutability: string;
  /** The repository policy document, parsed; null when there is none. */
  readonly policy: unknown;
  readonly lifecyclePolicy: boolean;
}

/** The registry's scanning configuration: enhanced scanning rules apply to repositories by name filter. */
export interface RegistryScanningSnapshot {
  readonly scanType: string;
  readonly rules: readonly { readonly frequency: string; readonly filters: readonly string[] }[];
}

export interface EcrSnapshot {
  readonly repositories: readonly RepositorySnapshot[];
  readonly registryScanning: RegistryScanningSnapshot | Unknown;
}
