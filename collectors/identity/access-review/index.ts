import type { Collector } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import { type AccessReviewSession, collect, permissions } from './collect.ts';
import { reviewedAccounts } from './review.ts';
import type { AccessReviewSnapshot } from './snapshot.ts';

export const ACCESS_REVIEW_SCOPE = { source: 'manual', id: 'access-review' } as const;

/**
 * The cross-source access review: who has what, per system, derived from the evidence already stored. Run by
 * `proofline access-review` (it has no source connector, so `collect` does not schedule it). Its collect code
 * reads only the evidence store, so unlike a source's collectors it stays with its definition in the registry.
 */
export const accessReview: Collector<AccessReviewSnapshot, AccessReviewSession> = {
  id: 'proofline.access-review',
  source: 'manual',
  description:
    'Access review: identities joined across the IdP, IAM Identity Center, IAM users and GitHub; orphaned access and admins without MFA',
  regional: false,
  defaultSchedule: 'rate(90 days)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
  reviewed: reviewedAccounts,
};
