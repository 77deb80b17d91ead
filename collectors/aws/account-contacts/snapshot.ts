import type { Known } from '../unknown.ts';

/** The account's alternate security contact, as GetAlternateContact returns it (no phone number kept). */
export interface SecurityContact {
  readonly account: string;
  readonly name: string;
  readonly title: string | null;
  readonly emailAddress: string;
}

export interface AccountContactsSnapshot {
  /** The SECURITY alternate contact; null when none is set; Unknown when the answer could not be read. */
  readonly security: Known<SecurityContact | null>;
}
