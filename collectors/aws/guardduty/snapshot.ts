import type { OpenFinding } from '../shared/open-findings.ts';
import type { Known } from '../unknown.ts';

export interface DetectorSnapshot {
  readonly id: string;
  /** ENABLED or DISABLED. */
  readonly status: string;
  /** FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS. */
  readonly findingPublishingFrequency: string | null;
  /** Protection plans by feature name (S3_DATA_EVENTS, EBS_MALWARE_PROTECTION, …) → ENABLED / DISABLED. */
  readonly features: Readonly<Record<string, string>>;
}

export interface GuardDutySnapshot {
  /** The region's detector (at most one per account and region). */
  readonly detectors: readonly DetectorSnapshot[];
  /** Open (not archived) findings of severity ≥ 7 (high and critical) of the enabled detector. */
  readonly highFindings: Known<readonly OpenFinding[]>;
  /**
   * The organization's GuardDuty delegated administrators in the region (ListOrganizationAdminAccounts, admin
   * status ENABLED), read in the organization's management account only: null in a member account or outside an
   * organization; unknown when the organization or the list could not be read. Absent in evidence collected
   * before it was recorded.
   */
  readonly delegatedAdmins?: Known<readonly string[]> | null;
}
