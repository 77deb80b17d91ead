import type { Readable } from '../readable.ts';

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

export interface MemberSnapshot {
  readonly login: string;
  readonly id: number;
  /** admin = organization owner. */
  readonly role: 'admin' | 'member';
}

export interface CollaboratorSnapshot {
  readonly login: string;
  readonly permission: RepoPermission;
}

export interface InvitationSnapshot {
  readonly id: number;
  /** The invitee's login, or null for an e-mail invitation (the address is not recorded). */
  readonly login: string | null;
  readonly role: string;
  readonly createdAt: string;
  readonly inviter: string | null;
}

/** Who has access to the organization and its repositories. */
export interface OrgMembersSnapshot {
  readonly org: string;
  readonly members: readonly MemberSnapshot[];
  /** Logins of members without 2FA (`filter=2fa_disabled`, visible to owners only). */
  readonly withoutTwoFactor: Readable<readonly string[]>;
  readonly outsideCollaborators: Readable<readonly string[]>;
  readonly pendingInvitations: Readable<readonly InvitationSnapshot[]>;
  /** Outside collaborators per repository, with their permission. */
  readonly repositories: readonly {
    readonly name: string;
    readonly archived: boolean;
    readonly outsideCollaborators: Readable<readonly CollaboratorSnapshot[]>;
  }[];
}
