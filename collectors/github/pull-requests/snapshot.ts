import type { Readable } from '../readable.ts';

export interface MergedPullSnapshot {
  readonly number: number;
  readonly title: string;
  readonly author: string | null;
  readonly mergedAt: string;
  /** Everyone whose latest review state is APPROVED (the author cannot approve their own pull request). */
  readonly approvers: Readable<readonly string[]>;
}

/** Change-management evidence: pull requests merged into default branches within the look-back window. */
export interface PullRequestsSnapshot {
  readonly org: string;
  /** Start of the window (inclusive), ISO 8601. */
  readonly since: string;
  readonly until: string;
  readonly repositories: readonly {
    readonly name: string;
    readonly defaultBranch: string;
    readonly merged: Readable<readonly MergedPullSnapshot[]>;
  }[];
}
