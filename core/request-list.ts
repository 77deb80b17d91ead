import { csvText } from './csv.ts';
import { mdTable } from './markdown.ts';
import type { Control, ControlStatus } from './model.ts';
import {
  type Framework,
  type RequirementKind,
  type RequirementStatus,
  requirementRows,
} from './requirements.ts';

/** One line of the request list (PBC): a requirement, what answers it, and what the auditor must still ask for. */
export interface RequestRow {
  readonly framework: Framework['id'];
  readonly requirement: string;
  readonly kind: RequirementKind;
  readonly title: string;
  readonly status: RequirementStatus;
  /** The internal controls that answer it. */
  readonly controls: readonly string[];
  readonly checks: readonly string[];
  /** Manual evidence the controls rest on (uploads, reviews). */
  readonly records: readonly string[];
  /** Where the answer is in the archive (empty outside an archive). */
  readonly files: readonly string[];
  /** What is missing: no control, a control without evidence, manual evidence due, a failing control. */
  readonly outstanding: readonly string[];
}

const OUTSTANDING: Partial<Record<ControlStatus, string>> = {
  failing: 'failing',
  no_evidence: 'no evidence',
  manual_due: 'manual evidence due',
};

/**
 * The request list: every requirement of the framework (excluded Annex A controls say so) with the controls,
 * checks and records that answer it, their files, and what is outstanding. The one list `governance` prints
 * and every archive carries.
 */
export function requestList(input: {
  readonly framework: Framework;
  readonly controls: readonly Control[];
  readonly statusOf: (control: string) => ControlStatus;
  /** Annex A controls excluded in the SoA. */
  readonly excluded?: ReadonlySet<string>;
  /** The archive files answering a control (default none). */
  readonly filesOf?: (control: string) => readonly string[];
  /** Archive files of records answering a requirement itself (the ISMS records for ISO clauses). */
  readonly recordsOf?: (requirement: string) => readonly string[];
}): RequestRow[] {
  const {
    framework,
    controls,
    statusOf,
    excluded = new Set(),
    filesOf = () => [],
    recordsOf = () => [],
  } = input;
  const byId = new Map(controls.map((c) => [c.id, c]));
  return requirementRows(framework, controls, statusOf, excluded).map((r) => {
    const mapped = r.controls.map((c) => byId.get(c.id)!);
    const outstanding =
      r.status === 'not_applicable'
        ? []
        : r.controls.length === 0
          ? ['no internal control']
          : r.controls.flatMap((c) => (OUTSTANDING[c.status] ? [`${c.id}: ${OUTSTANDING[c.status]}`] : []));
    const checks = r.links.flatMap((l) => l.by.filter((b) => b !== 'manual'));
    return {
      framework: framework.id,
      requirement: r.id,
      kind: r.kind,
      title: r.title,
      status: r.status,
      controls: mapped.map((c) => c.id),
      checks: [...new Set(checks)],
      records: [
        ...mapped.flatMap((c) => (c.manualEvidence ? [`${c.id}: ${c.manualEvidence.description}`] : [])),
        ...recordsOf(r.id).map((file) => `ISMS record: ${file}`),
      ],
      files: [...new Set([...recordsOf(r.id), ...mapped.flatMap((c) => filesOf(c.id))])],
      outstanding,
    };
  });
}

const COLUMNS = [
  'framework',
  'requirement',
  'kind',
  'title',
  'status',
  'controls',
  'checks',
  'records',
  'archive_files',
  'outstanding',
] as const;

/** request-list.csv: one row per requirement. */
export const requestListCsv = (rows: readonly RequestRow[]): string =>
  csvText(
    COLUMNS,
    rows.map((r) => [
      r.framework,
      r.requirement,
      r.kind,
      r.title,
      r.status,
      r.controls.join(' '),
      r.checks.join(' '),
      r.records.join(' | '),
      r.files.join(' '),
      r.outstanding.join('; '),
    ]),
  );

/** Counts of the request list: requirements answered, outstanding, without a control, not applicable. */
export function requestCounts(rows: readonly RequestRow[]) {
  const outstanding = rows.filter((r) => r.outstanding.length > 0);
  return {
    requirements: rows.length,
    outstanding: outstanding.length,
    noControl: rows.filter((r) => r.controls.length === 0 && r.status !== 'not_applicable').length,
    failing: outstanding.filter((r) => r.outstanding.some((o) => o.endsWith(': failing'))).length,
    manualDue: outstanding.filter((r) => r.outstanding.some((o) => o.endsWith(': manual evidence due')))
      .length,
    noEvidence: outstanding.filter((r) => r.outstanding.some((o) => o.endsWith(': no evidence'))).length,
    notApplicable: rows.filter((r) => r.status === 'not_applicable').length,
  };
}

/** The counts in one line: `12 of 61 requirements outstanding (2 without a control, …)`. */
export function requestCountsLine(rows: readonly RequestRow[]): string {
  const n = requestCounts(rows);
  return `${n.outstanding} of ${n.requirements} requirements outstanding (${n.noControl} without a control, ${n.failing} failing, ${n.manualDue} manual evidence due, ${n.noEvidence} without evidence)`;
}

/** request-list.md: the counts and the outstanding requirements only: what the auditor asks for first. */
export function requestListMarkdown(rows: readonly RequestRow[]): string {
  const n = requestCounts(rows);
  return [
    '# Request list (PBC)',
    '',
    `${n.requirements} requirements; ${n.outstanding} outstanding: ${n.noControl} with no internal control, ` +
      `${n.failing} with a failing control, ${n.manualDue} with manual evidence due, ${n.noEvidence} with a ` +
      `control without evidence; ${n.notApplicable} not applicable. Every requirement, with the files that ` +
      'answer it, is in request-list.csv.',
    '',
    '## Outstanding',
    '',
    mdTable(
      ['Requirement', 'Title', 'Outstanding', 'Ask for'],
      rows
        .filter((r) => r.outstanding.length > 0)
        .map((r) => [
          r.requirement,
          r.title,
          r.outstanding.join('; '),
          r.records.length
            ? r.records.join('; ')
            : r.controls.length
              ? 'evidence of operation'
              : 'how it is met',
        ]),
      'Nothing outstanding.',
    ),
  ].join('\n');
}
