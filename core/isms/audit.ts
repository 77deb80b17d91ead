import * as z from 'zod';
import { csvText } from '../csv.ts';
import type { ExceptionView } from '../exceptions.ts';
import { mdText } from '../markdown.ts';
import type { Control } from '../model.ts';
import { controlsByRequirement } from '../requirements.ts';
import type { EvidenceStore } from '../stores/store.ts';
import type { AuditProgramme, PlannedAudit } from './files.ts';
import {
  dayOption,
  isoDay,
  isoTime,
  loadIsmsRecords,
  refuse,
  type Stored,
  text,
  unknownControls,
} from './records.ts';
import type { StandingOf } from './register.ts';

const findingSchema = z.strictObject({
  id: z.string().regex(/^F\d+$/),
  control: text.optional(),
  text,
  /** The finding is a nonconformity: recording the audit opens one in the register. */
  nonconformity: z.boolean(),
  nc: z.string().optional(),
});
export const auditRecordSchema = z.strictObject({
  kind: z.literal('audit'),
  audit: text,
  performedOn: isoDay,
  auditor: text,
  summary: text.optional(),
  findings: z.array(findingSchema),
  recordedBy: text,
  recordedAt: isoTime,
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;
export type AuditFinding = z.infer<typeof findingSchema>;

export const loadAudits = (store: EvidenceStore) => loadIsmsRecords(store, 'audit', auditRecordSchema);

export interface AuditRequest {
  readonly audit?: string;
  readonly date?: string;
  readonly auditor?: string;
  readonly summary?: string;
  /** `text` or `CONTROL: text`; observations and opportunities. */
  readonly finding?: readonly string[];
  /** Findings that are nonconformities, same form. */
  readonly nonconformity?: readonly string[];
}

const CONTROL_PREFIX = /^([A-Z][A-Z0-9]*-\d+)\s*:\s*(.+)$/s;

/** Validates an audit performed against the programme; findings may name a control as `CONTROL: text`. */
export function auditRecord(
  request: AuditRequest,
  programme: AuditProgramme | undefined,
  controls: readonly Control[],
  recordedBy: string,
  at: string,
): AuditRecord {
  const problems: string[] = [];
  const planned = programme?.audits.find((a) => a.id === request.audit?.trim());
  if (!request.audit?.trim()) problems.push('an audit record names the planned audit (--audit IA-…)');
  else if (!planned)
    problems.push(
      `audit "${request.audit}" is not in the audit programme (planned: ${programme?.audits.map((a) => a.id).join(', ') || 'none'})`,
    );
  if (!request.date?.trim())
    problems.push('an audit record needs the day it was performed (--date YYYY-MM-DD)');
  const performedOn = dayOption(request.date, '--date', problems);
  if (performedOn && performedOn > at.slice(0, 10)) problems.push(`--date ${performedOn} is in the future`);
  if (!request.auditor?.trim()) problems.push('an audit record needs the auditor (--auditor)');
  const findings = [
    ...(request.finding ?? []).map((t) => ({ t, nonconformity: false })),
    ...(request.nonconformity ?? []).map((t) => ({ t, nonconformity: true })),
  ].map(({ t, nonconformity }, i) => {
    const match = CONTROL_PREFIX.exec(t.trim());
    const body = (match ? match[2]! : t).trim();
    if (!body) problems.push(`finding ${i + 1} is empty`);
    if (match) problems.push(...unknownControls([match[1]!], controls).map((p) => `finding ${i + 1}: ${p}`));
    return { id: `F${i + 1}`, ...(match ? { control: match[1]! } : {}), text: body, nonconformity };
  });
  refuse(problems);
  return {
    kind: 'audit',
    audit: planned!.id,
    performedOn: performedOn!,
    auditor: request.auditor!.trim(),
    ...(request.summary?.trim() ? { summary: request.summary.trim() } : {}),
    findings,
    recordedBy,
    recordedAt: at,
  };
}

/** The internal controls an audit covers: those it names and those mapped to the clauses it names. */
export function scopeControls(audit: PlannedAudit, controls: readonly Control[]): Control[] {
  const byClause = controlsByRequirement(controls, 'iso27001');
  const ids = new Set([
    ...audit.scope.controls,
    ...audit.scope.clauses.flatMap((c) => (byClause.get(c) ?? []).map((k) => k.id)),
  ]);
  return controls.filter((c) => ids.has(c.id));
}

export interface ProgrammeRow {
  readonly audit: PlannedAudit;
  readonly state: 'done' | 'planned' | 'overdue';
  readonly performed?: Stored<AuditRecord>;
}

/** Planned against done at `asOf`: a planned audit past its due day with no record is overdue. */
export function programmeStatus(
  programme: AuditProgramme | undefined,
  audits: readonly Stored<AuditRecord>[],
  asOf: Date,
): ProgrammeRow[] {
  const day = asOf.toISOString().slice(0, 10);
  return (programme?.audits ?? []).map((audit) => {
    const performed = audits
      .filter((a) => a.record.audit === audit.id && a.record.recordedAt <= asOf.toISOString())
      .at(-1);
    const state = performed ? 'done' : audit.due < day ? 'overdue' : 'planned';
    return { audit, state, ...(performed ? { performed } : {}) };
  });
}

/** audit-programme.csv: each planned audit, whether it was done, and its findings. */
export function programmeCsv(rows: readonly ProgrammeRow[]): string {
  return csvText(
    [
      'audit',
      'year',
      'due',
      'title',
      'scope',
      'auditor',
      'independence',
      'state',
      'performed_on',
      'performed_by',
      'findings',
      'nonconformities',
      'evidence',
    ],
    rows.map(({ audit, state, performed }) => [
      audit.id,
      audit.year,
      audit.due,
      audit.title,
      [...audit.scope.controls, ...audit.scope.clauses].join(' '),
      audit.auditor,
      audit.independence,
      state,
      performed?.record.performedOn ?? '',
      performed?.record.auditor ?? '',
      performed?.record.findings.length ?? 0,
      performed?.record.findings.filter((f) => f.nonconformity).length ?? 0,
      performed?.key ?? '',
    ]),
  );
}

export interface WorkingPaperInput {
  readonly row: ProgrammeRow;
  readonly controls: readonly Control[];
  readonly standingOf: StandingOf;
  /** The failing resources of a control at the end of the period. */
  readonly failingOf: (control: string) => readonly string[];
  readonly exceptions: readonly ExceptionView[];
  readonly period: { readonly from: string; readonly to: string };
}

/** An internal-audit working paper, pre-filled from the evidence; the auditor completes the test columns. */
export function workingPaper(input: WorkingPaperInput): string {
  const { row, standingOf, failingOf, exceptions, period } = input;
  const { audit } = row;
  const inScope = scopeControls(audit, input.controls);
  const lines = [
    `# Internal audit working paper: ${audit.id} ${mdText(audit.title)}`,
    '',
    `- Planned: ${audit.year}, due ${audit.due}; state: ${row.state}${row.performed ? ` (performed ${row.performed.record.performedOn} by ${mdText(row.performed.record.auditor)})` : ''}`,
    `- Auditor: ${mdText(audit.auditor)}; independence: ${mdText(audit.independence)}`,
    `- Scope: ${[...audit.scope.controls, ...audit.scope.clauses].join(', ') || 'none'} → ${inScope.length} internal controls`,
    `- Evidence period: ${period.from} to ${period.to}`,
    '',
    '| Control | Title | Period status | Failing items | Exceptions | Test performed | Result |',
    '|---|---|---|---|---|---|---|',
    ...inScope.map((c) => {
      const s = standingOf(c.id);
      const failing = failingOf(c.id);
      const excepted = exceptions.filter((e) => e.grant.control === c.id);
      return `| ${c.id} | ${mdText(c.title)} | ${s.status}${s.pctMet === undefined ? '' : ` (${s.pctMet}% met)`} | ${mdText(failing.slice(0, 10).join(', ') + (failing.length > 10 ? ` and ${failing.length - 10} more` : '')) || '—'} | ${mdText(excepted.map((e) => `${e.grant.id} (${e.state})`).join(', ')) || '—'} | | |`;
    }),
    '',
    '## Findings',
    '',
    ...(row.performed?.record.findings.length
      ? row.performed.record.findings.map(
          (f) =>
            `- ${f.id}${f.control ? ` ${f.control}` : ''}${f.nonconformity ? ` nonconformity${f.nc ? ` ${f.nc}` : ''}` : ' observation'}: ${mdText(f.text)}`,
        )
      : ['- (none recorded)']),
    '',
  ];
  return lines.join('\n');
}
