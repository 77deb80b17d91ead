/** One organization policy change from the audit log. */
export interface PolicyChangeSnapshot {
  readonly action: string;
  readonly actor: string | null;
  /** ISO 8601. */
  readonly at: string;
  readonly repo: string | null;
  /** Selected fields of the event that say what changed (visibility, permission, ruleset name …). */
  readonly details: Record<string, string | number | boolean>;
}

/**
 * Recent organization policy changes. The audit log API exists on GitHub Enterprise Cloud only: elsewhere
 * (404) or without permission (403) the snapshot says so, with GitHub's answer.
 */
export type AuditLogSnapshot =
  | {
      readonly org: string;
      readonly since: string;
      readonly available: true;
      readonly changes: readonly PolicyChangeSnapshot[];
    }
  | {
      readonly org: string;
      readonly since: string;
      readonly available: false;
      readonly status: number;
      readonly message: string;
    };
