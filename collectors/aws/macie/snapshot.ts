import type { OpenFinding } from '../shared/open-findings.ts';
import type { Known } from '../unknown.ts';

export interface MacieSnapshot {
  /** ENABLED or PAUSED; null: Macie is not enabled in the region. */
  readonly status: string | null;
  /** Automated sensitive data discovery: ENABLED or DISABLED. */
  readonly automatedDiscovery: Known<string>;
  /** Classification jobs that run (RUNNING) or will run again (IDLE: scheduled between runs). */
  readonly activeJobs: Known<readonly string[]>;
  /** Open (not archived) findings of severity High. */
  readonly highFindings: Known<readonly OpenFinding[]>;
}
