import type { ProgrammeRow } from './audit.ts';
import type { NcView } from './nc.ts';
import type { ActionStatus } from './review.ts';
import type { SoaApprovalStatus } from './soa-approval.ts';

/**
 * The governance gaps the ISMS records show: an unapproved, stale or changed SoA, planned audits past their
 * due day, corrective actions past their due day, and overdue actions of management reviews.
 */
export function ismsGaps(input: {
  readonly soa?: SoaApprovalStatus;
  readonly programme: readonly ProgrammeRow[];
  readonly ncs: readonly NcView[];
  readonly actions: readonly ActionStatus[];
  /** context.yaml or audit-programme.yaml missing from the governance folder. */
  readonly missingFiles: readonly string[];
}): string[] {
  return [
    ...(input.soa?.gap ? [`SoA: ${input.soa.gap}`] : []),
    ...input.missingFiles.map((f) => `${f} is missing from the governance folder`),
    ...input.programme
      .filter((p) => p.state === 'overdue')
      .map(
        (p) =>
          `internal audit ${p.audit.id} (${p.audit.title}) was due by ${p.audit.due} and is not recorded`,
      ),
    ...input.ncs
      .filter((n) => n.overdue)
      .map(
        (n) =>
          `nonconformity ${n.id}${n.control ? ` (${n.control})` : ''}: corrective action due ${n.due} is overdue (owner ${n.owner})`,
      ),
    ...input.actions
      .filter((a) => a.state === 'overdue')
      .map(
        (a) => `management review action ${a.action.id} was due ${a.action.due} (owner ${a.action.owner})`,
      ),
  ];
}
