import type { Readable } from '../readable.ts';
import type { WebhookSnapshot } from '../webhook.ts';

/**
 * Organization settings. A `null` field was not returned to this credential: GitHub shows member privileges
 * and security defaults to organization owners (or an App with "Administration: read") only.
 */
export interface OrgSettingsSnapshot {
  readonly org: string;
  readonly id: number;
  readonly plan: string | null;
  /** The org's verified badge: at least one domain verified. */
  readonly verified: boolean | null;
  readonly twoFactorRequired: boolean | null;
  /** Base permission of members on every repository: none, read, write or admin. */
  readonly defaultRepositoryPermission: string | null;
  readonly membersCanCreateRepositories: boolean | null;
  readonly membersCanCreatePublicRepositories: boolean | null;
  readonly membersCanDeleteRepositories: boolean | null;
  readonly membersCanChangeRepoVisibility: boolean | null;
  readonly membersCanForkPrivateRepositories: boolean | null;
  readonly membersCanInviteOutsideCollaborators: boolean | null;
  readonly webCommitSignoffRequired: boolean | null;
  /** Security features switched on for new repositories. */
  readonly newRepositoryDefaults: {
    readonly dependabotAlerts: boolean | null;
    readonly dependabotSecurityUpdates: boolean | null;
    readonly dependencyGraph: boolean | null;
    readonly secretScanning: boolean | null;
    readonly secretScanningPushProtection: boolean | null;
  };
  readonly actions: Readable<{
    /** all, none or selected repositories may run Actions. */
    readonly enabledRepositories: string;
    /** all, local_only or selected actions may run; null when Actions is off. */
    readonly allowedActions: string | null;
    readonly shaPinningRequired: boolean | null;
  }>;
  readonly workflowPermissions: Readable<{
    readonly defaultWorkflowPermissions: string;
    readonly canApprovePullRequestReviews: boolean;
  }>;
  readonly webhooks: Readable<readonly WebhookSnapshot[]>;
}
