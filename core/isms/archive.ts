import type { FailedFinding } from '../archive/findings.ts';
import type { ControlPeriodStatus } from '../archive/period-status.ts';
import type { Period } from '../archive/types.ts';
import { exceptionStates } from '../exceptions.ts';
import type { Governance } from '../governance.ts';
import type { Control } from '../model.ts';
import { loadExceptionRecords } from '../records.ts';
import type { SoaRow } from '../soa.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { loadAudits, programmeCsv, programmeStatus, workingPaper } from './audit.ts';
import { CONTEXT_FILE, type IsmsFiles } from './files.ts';
import { loadNcRecords, ncRegisterCsv, ncStates } from './nc.ts';
import {
  controlRisksCsv,
  loadVersions,
  RISKS_FILE,
  riskChanges,
  riskHistoryCsv,
  riskRegisterCsv,
  risksOf,
  type StandingOf,
  versionAt,
} from './register.ts';
import { loadApprovals, soaApprovalCsv, soaApprovalStatus } from './soa-approval.ts';

/** Where the ISMS records go in an archive. */
export const ISMS_FILES = {
  riskRegister: 'isms/risk-register.csv',
  riskHistory: 'isms/risk-history.csv',
  controlRisks: 'isms/control-risks.csv',
  soaApproval: 'isms/soa-approval.csv',
  programme: 'isms/audit-programme.csv',
  workingPapers: 'isms/working-papers',
  nonconformities: 'isms/nonconformities.csv',
  context: 'isms/context.yaml',
} as const;

/** The ISO 27001 clauses the ISMS records answer, and the archive files holding them (for the request list). */
export const ISMS_FILES_OF_CLAUSE: Readonly<Record<string, readonly string[]>> = {
  '4.1': [ISMS_FILES.context],
  '4.2': [ISMS_FILES.context],
  '6.1.2': [ISMS_FILES.riskRegister, ISMS_FILES.riskHistory],
  '6.1.3': [ISMS_FILES.riskRegister, ISMS_FILES.controlRisks, ISMS_FILES.soaApproval],
  '6.2': [ISMS_FILES.context],
  '8.2': [ISMS_FILES.riskRegister, ISMS_FILES.riskHistory],
  '8.3': [ISMS_FILES.riskRegister, ISMS_FILES.controlRisks],
  '9.2.1': [ISMS_FILES.programme, `${ISMS_FILES.workingPapers}/`],
  '9.2.2': [ISMS_FILES.programme, `${ISMS_FILES.workingPapers}/`],
  '10.2': [ISMS_FILES.nonconformities],
};

export interface IsmsArchiveSources {
  readonly store: EvidenceStore;
  readonly controls: readonly Control[];
  readonly governance: Governance;
  readonly files: IsmsFiles;
  /** The SoA's decisions (soaDecisions), whose approval the archive reports. */
  readonly soaRows?: readonly SoaRow[];
  readonly soaMaxAgeDays: number;
}

export interface ArchiveJudgement {
  readonly period: Period;
  readonly status: ReadonlyMap<string, ControlPeriodStatus>;
  readonly findings: readonly FailedFinding[];
  /** The archive's clock. */
  readonly now: Date;
}

/**
 * The ISMS records as they stood at the end of the period: the risk register (the recorded version in force
 * then; the governance files when none was recorded) and its changes in the period, the way from risks to
 * controls and back, the SoA's approval, the audit programme with a working paper per planned audit, and the
 * nonconformity register.
 */
export async function ismsArchiveFiles(
  src: IsmsArchiveSources,
  { period, status, findings, now }: ArchiveJudgement,
): Promise<{ path: string; text: string }[]> {
  const asOf = new Date(Math.min(Date.parse(period.end), now.getTime()));
  const end = asOf.toISOString();
  const versions = await loadVersions(src.store);
  const riskVersion = versionAt(versions, RISKS_FILE, end);
  const risks = riskVersion ? risksOf(riskVersion.record) : src.governance.risks;
  const standingOf: StandingOf = (control) => {
    const s = status.get(control);
    return s ? { status: s.statusAtEnd, pctMet: s.pctMet } : { status: 'not_in_archive' };
  };
  const programme = programmeStatus(src.files.programme?.data, await loadAudits(src.store), asOf);
  const exceptions = exceptionStates(await loadExceptionRecords(src.store), asOf);
  const failingOf = (control: string) => [
    ...new Set(findings.filter((f) => f.control === control).map((f) => f.resource)),
  ];
  const files = [
    { path: ISMS_FILES.riskRegister, text: riskRegisterCsv(risks, standingOf) },
    { path: ISMS_FILES.riskHistory, text: riskHistoryCsv(riskChanges(versions, period.start, end)) },
    { path: ISMS_FILES.controlRisks, text: controlRisksCsv(src.controls, risks, standingOf) },
    { path: ISMS_FILES.programme, text: programmeCsv(programme) },
    ...programme.map((row) => ({
      path: `${ISMS_FILES.workingPapers}/${row.audit.id}.md`,
      text: workingPaper({ row, controls: src.controls, standingOf, failingOf, exceptions, period }),
    })),
    { path: ISMS_FILES.nonconformities, text: ncRegisterCsv(ncStates(await loadNcRecords(src.store), asOf)) },
  ];
  const context = versionAt(versions, CONTEXT_FILE, end)?.record.text ?? src.files.context?.text;
  if (context) files.push({ path: ISMS_FILES.context, text: context });
  const rows = src.soaRows;
  if (rows?.length)
    files.push({
      path: ISMS_FILES.soaApproval,
      text: soaApprovalCsv(soaApprovalStatus(await loadApprovals(src.store), rows, asOf, src.soaMaxAgeDays)),
    });
  return files;
}
