import * as z from 'zod';
import { canonicalJson, sha256Hex } from '../canonical.ts';
import { DAY_MS } from '../collector.ts';
import { csvText } from '../csv.ts';
import type { Governance } from '../governance.ts';
import type { Control } from '../model.ts';
import type { Framework } from '../requirements.ts';
import { type SoaRow, statementOfApplicability } from '../soa.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { isoTime, loadIsmsRecords, type Stored, text } from './records.ts';

/** An approval of the Statement of Applicability: which content (by hash), which version, who and when. */
export const approvalSchema = z.strictObject({
  kind: z.literal('soa-approval'),
  version: text,
  approver: text,
  /** SHA-256 of the SoA's content: each Annex A control's applicability, justification, controls and risks. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  approvedAt: isoTime,
  recordedBy: text,
});
export type SoaApproval = z.infer<typeof approvalSchema>;

export const DEFAULT_SOA_MAX_AGE_DAYS = 365;

export const loadApprovals = (store: EvidenceStore) => loadIsmsRecords(store, 'soa-approval', approvalSchema);

/** The statement as an approver sees it: its decisions, whatever the controls' status today. */
export const soaDecisions = (
  iso27001: Framework,
  controls: readonly Control[],
  governance: Pick<Governance, 'applicability' | 'risks'>,
): SoaRow[] =>
  statementOfApplicability({
    iso27001,
    controls,
    applicability: governance.applicability,
    risks: governance.risks,
    statusOf: () => 'no_evidence',
  });

/** The hash of what an approver approves: the statement's decisions, not the controls' daily status. */
export function soaContentHash(rows: readonly SoaRow[]): string {
  return sha256Hex(
    canonicalJson(
      rows.map((r) => ({
        control: r.control,
        applicable: r.applicable,
        justification: r.justification,
        implementedBy: r.implementedBy,
        risks: r.risks,
      })),
    ),
  );
}

export interface SoaApprovalStatus {
  readonly approval?: SoaApproval;
  readonly evidence?: string;
  readonly currentSha256: string;
  /** The statement differs from the one approved. */
  readonly changedAfterApproval: boolean;
  /** The approval is older than the allowed age. */
  readonly stale: boolean;
  /** Why the SoA is a governance gap (unapproved, stale, changed since approval), or undefined. */
  readonly gap?: string;
}

/** The SoA's approval at `asOf`: the latest approval recorded before it, compared with the current content. */
export function soaApprovalStatus(
  approvals: readonly Stored<SoaApproval>[],
  rows: readonly SoaRow[],
  asOf: Date,
  maxAgeDays: number = DEFAULT_SOA_MAX_AGE_DAYS,
): SoaApprovalStatus {
  const currentSha256 = soaContentHash(rows);
  const latest = approvals.filter((a) => a.record.approvedAt <= asOf.toISOString()).at(-1);
  if (!latest)
    return {
      currentSha256,
      changedAfterApproval: false,
      stale: false,
      gap: 'the Statement of Applicability has never been approved',
    };
  const { record } = latest;
  const changedAfterApproval = record.sha256 !== currentSha256;
  const ageDays = Math.floor((asOf.getTime() - Date.parse(record.approvedAt)) / DAY_MS);
  const stale = ageDays > maxAgeDays;
  const gap = stale
    ? `the SoA approval (version ${record.version}, ${record.approvedAt.slice(0, 10)}) is ${ageDays} days old, more than the ${maxAgeDays} allowed`
    : changedAfterApproval
      ? `the SoA changed after version ${record.version} was approved on ${record.approvedAt.slice(0, 10)}: approve the new version`
      : undefined;
  return {
    approval: record,
    evidence: latest.key,
    currentSha256,
    changedAfterApproval,
    stale,
    ...(gap ? { gap } : {}),
  };
}

/** soa-approval.csv: one row saying what the archive's soa.csv was approved as, and whether it still is. */
export function soaApprovalCsv(status: SoaApprovalStatus): string {
  const a = status.approval;
  return csvText(
    [
      'version',
      'approver',
      'approved_at',
      'approved_sha256',
      'current_sha256',
      'changed_after_approval',
      'stale',
      'gap',
      'evidence',
    ],
    [
      [
        a?.version ?? '',
        a?.approver ?? '',
        a?.approvedAt ?? '',
        a?.sha256 ?? '',
        status.currentSha256,
        status.changedAfterApproval ? 'yes' : 'no',
        status.stale ? 'yes' : 'no',
        status.gap ?? '',
        status.evidence ?? '',
      ],
    ],
  );
}
