import type { SoaRow } from '../soa.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { loadAudits, type ProgrammeRow, programmeStatus } from './audit.ts';
import { CONTEXT_FILE, type IsmsFiles, PROGRAMME_FILE } from './files.ts';
import { loadNcRecords, type NcView, ncStates } from './nc.ts';
import { type ActionStatus, loadReviews, reviewActions } from './review.ts';
import { loadApprovals, type SoaApprovalStatus, soaApprovalStatus } from './soa-approval.ts';

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

/** What the ISMS status is judged from: the records in the store and the governance folder's files. */
export interface IsmsStatusSources {
  readonly store: EvidenceStore;
  readonly files: IsmsFiles;
  /** The Statement of Applicability's decisions (`soaDecisions`), to compare with the approved content. */
  readonly soaRows: readonly SoaRow[];
  readonly soaMaxAgeDays?: number;
}

/**
 * Where the ISMS stands at `now`: the SoA's approval, the audit programme, nonconformities, and the gaps. The
 * one home of the gaps `isms status`, `alerts --digest` and the deployed daily summary show.
 */
export async function ismsStatus(src: IsmsStatusSources, now: Date) {
  const soa = soaApprovalStatus(await loadApprovals(src.store), src.soaRows, now, src.soaMaxAgeDays);
  const programme = programmeStatus(src.files.programme?.data, await loadAudits(src.store), now);
  const ncs = ncStates(await loadNcRecords(src.store), now);
  const actions = reviewActions(await loadReviews(src.store), now);
  const gaps = ismsGaps({ soa, programme, ncs, actions, missingFiles: missingIsmsFiles(src.files) });
  return { soa, programme, ncs, gaps };
}

export const missingIsmsFiles = (files: IsmsFiles) => [
  ...(files.context ? [] : [CONTEXT_FILE]),
  ...(files.programme ? [] : [PROGRAMME_FILE]),
];

/** The daily digest's last part: the governance gaps, one line each (nothing when there are none). */
export const gapsSection = (gaps: readonly string[]): string =>
  gaps.length ? `\n\nISMS governance gaps (${gaps.length}):\n${gaps.map((g) => `- ${g}`).join('\n')}` : '';
