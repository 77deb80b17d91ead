import type { FailedFinding } from '../archive/findings.ts';
import type { CheckCatalog } from '../collector.ts';
import { csvText } from '../csv.ts';
import type { Control, FindingStatus, Severity } from '../model.ts';
import type { FrameworkId } from '../requirements.ts';

/**
 * One finding of one control's check on one resource, as every export writes it: `proofline findings` (the
 * current findings, one point in time) and an archive's findings.csv (what failed over a period).
 */
export interface FindingRow {
  readonly control: string;
  readonly check: string;
  readonly severity: Severity | '';
  readonly resource: string;
  /** Its status in the latest collection that judged it. */
  readonly lastSeen: FindingStatus;
  readonly lastSeenAt: string;
  /** The reason and evidence file of its latest failure in a period; at one point in time, of its finding. */
  readonly latestReason: string;
  readonly latestEvidence: string;
  readonly remediation: string;
  /** `soc2:CC6.1`, `iso27001:A.8.5`: the requirements the control maps this check to. */
  readonly requirements: readonly string[];
  /** The exceptions that covered it while it failed. */
  readonly exceptions: readonly string[];
  /** How it failed over a period (archives); absent at one point in time. */
  readonly history?: {
    readonly firstFailing: string;
    readonly lastFailing: string;
    /** Distinct UTC days with a failing finding. */
    readonly daysFailing: number;
    readonly firstReason: string;
    readonly firstEvidence: string;
  };
}

/** The one column set of every findings CSV (the archive's findings.csv and `proofline findings`). */
export const FINDINGS_COLUMNS = [
  'control',
  'check',
  'severity',
  'resource',
  'first_failing',
  'last_failing',
  'days_failing',
  'first_reason',
  'latest_reason',
  'exceptions',
  'last_seen',
  'last_seen_at',
  'first_evidence',
  'latest_evidence',
  'remediation',
  'requirements',
] as const;

/** Findings as CSV: one row per control × check × resource, cells that a spreadsheet would run made text. */
export const findingsCsv = (rows: readonly FindingRow[]): string =>
  csvText(
    FINDINGS_COLUMNS,
    rows.map((r) => [
      r.control,
      r.check,
      r.severity,
      r.resource,
      r.history?.firstFailing ?? '',
      r.history?.lastFailing ?? '',
      r.history?.daysFailing ?? '',
      r.history?.firstReason ?? '',
      r.latestReason,
      r.exceptions.join(' '),
      r.lastSeen,
      r.lastSeenAt,
      r.history?.firstEvidence ?? '',
      r.latestEvidence,
      r.remediation,
      r.requirements.join(' '),
    ]),
  );

/**
 * The requirements a control maps a check to, as `framework:id`: each link that names the check in its `by`,
 * or names no check at all (only `framework`'s when given).
 */
export const requirementsOf = (control: Control, check: string, framework?: FrameworkId): string[] =>
  control.links
    .filter((l) => (!framework || l.framework === framework) && (l.by.length === 0 || l.by.includes(check)))
    .map((l) => `${l.framework}:${l.requirement}`);

/** An archive's failed findings as findings rows: the period's history, the remediation and requirements. */
export function archiveFindingRows(
  findings: readonly FailedFinding[],
  context: {
    readonly controls: readonly Control[];
    readonly framework: FrameworkId;
    readonly checks: CheckCatalog;
  },
): FindingRow[] {
  const byId = new Map(context.controls.map((c) => [c.id, c]));
  return findings.map((f) => {
    const control = byId.get(f.control);
    return {
      control: f.control,
      check: f.check,
      severity: f.severity,
      resource: f.resource,
      lastSeen: f.lastSeen,
      lastSeenAt: f.lastSeenAt,
      latestReason: f.latestReason,
      latestEvidence: f.latestEvidence,
      remediation: context.checks.get(f.check)?.remediation ?? '',
      requirements: control ? requirementsOf(control, f.check, context.framework) : [],
      exceptions: f.exceptions,
      history: {
        firstFailing: f.firstFailing,
        lastFailing: f.lastFailing,
        daysFailing: f.daysFailing,
        firstReason: f.firstReason,
        firstEvidence: f.firstEvidence,
      },
    };
  });
}
