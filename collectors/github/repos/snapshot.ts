import type { Readable } from '../readable.ts';
import type { GitHubPolicy } from '../session.ts';
import type { WebhookSnapshot } from '../webhook.ts';

/** Classic branch protection of the default branch, as GET …/branches/{branch}/protection returns it. */
export interface ClassicProtection {
  /** Approving reviews required; null when pull request reviews are not required. */
  readonly requiredApprovals: number | null;
  readonly dismissStaleReviews: boolean;
  readonly requireCodeOwnerReviews: boolean;
  readonly requireLastPushApproval: boolean;
  /** Required status check names; null when status checks are not required. */
  readonly statusChecks: readonly string[] | null;
  readonly enforceAdmins: boolean;
  readonly requiredSignatures: boolean;
  readonly linearHistory: boolean;
  readonly allowForcePushes: boolean;
  readonly allowDeletions: boolean;
  readonly conversationResolution: boolean;
}

/** An active ruleset rule that applies to the default branch (repository or organization ruleset). */
export interface BranchRule {
  readonly type: string;
  readonly rulesetId: number;
  readonly source: string;
  readonly parameters: Record<string, unknown> | null;
}

export interface RulesetSnapshot {
  readonly id: number;
  readonly name: string;
  readonly source: string;
  readonly enforcement: string;
  /** Who may bypass the ruleset; null when GitHub did not show it to this credential. */
  readonly bypassActors:
    | readonly { readonly actorType: string; readonly actorId: number | null; readonly mode: string }[]
    | null;
}

export interface DependabotAlertSnapshot {
  readonly number: number;
  readonly severity: string;
  readonly package: string;
  readonly advisory: string;
  readonly createdAt: string;
}

export interface DeployKeySnapshot {
  readonly id: number;
  readonly title: string;
  readonly readOnly: boolean;
  readonly createdAt: string;
  readonly lastUsed: string | null;
}

/** What is read about a live (not archived) repository. */
export interface RepoDetails {
  readonly deleteBranchOnMerge: boolean | null;
  readonly security: Readable<{
    readonly secretScanning: boolean;
    readonly pushProtection: boolean;
    readonly dependabotSecurityUpdates: boolean | null;
  }>;
  /** null: the default branch has no classic protection. */
  readonly classicProtection: Readable<ClassicProtection | null>;
  readonly branchRules: Readable<readonly BranchRule[]>;
  readonly rulesets: Readable<readonly RulesetSnapshot[]>;
  /** null: no CODEOWNERS file on the default branch. */
  readonly codeowners: Readable<{ readonly errors: number } | null>;
  /** Public repositories only (null for others): the path of the security policy, or null without one. */
  readonly securityPolicy: Readable<string | null> | null;
  readonly dependabotAlerts: Readable<boolean>;
  /** Open critical and high Dependabot alerts. */
  readonly openAlerts: Readable<readonly DependabotAlertSnapshot[]>;
  readonly codeScanning: Readable<{ readonly enabled: boolean; readonly lastAnalysisAt: string | null }>;
  readonly deployKeys: Readable<readonly DeployKeySnapshot[]>;
  readonly webhooks: Readable<readonly WebhookSnapshot[]>;
  readonly actions: Readable<{ readonly enabled: boolean; readonly allowedActions: string | null }>;
  readonly workflowPermissions: Readable<{
    readonly defaultWorkflowPermissions: string;
    readonly canApprovePullRequestReviews: boolean;
  }>;
  readonly immutableReleases: Readable<boolean>;
}

export interface RepoSnapshot {
  readonly name: string;
  readonly visibility: string;
  readonly archived: boolean;
  readonly fork: boolean;
  readonly defaultBranch: string;
  readonly createdAt: string | null;
  readonly pushedAt: string | null;
  /** null for archived repositories: read-only, so their settings are not read. */
  readonly details: RepoDetails | null;
}

export interface ReposSnapshot {
  readonly org: string;
  /** The policy the checks judge against, as configured at collection time. */
  readonly policy: GitHubPolicy;
  readonly repositories: readonly RepoSnapshot[];
}
