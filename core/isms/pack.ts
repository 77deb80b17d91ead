import { type Risk, riskScore } from '../governance.ts';
import type { Control } from '../model.ts';
import type { ProgrammeRow } from './audit.ts';
import { contextSchema, type IsmsContext } from './files.ts';
import type { NcView } from './nc.ts';
import type { FileVersion, RiskChange } from './register.ts';
import type { ActionStatus, ControlTrend, PackSection } from './review.ts';
import type { SoaApprovalStatus } from './soa-approval.ts';

export interface ReviewInput {
  readonly period: { readonly from: string; readonly to: string };
  readonly controls: readonly Control[];
  readonly actions: readonly ActionStatus[];
  /** context.yaml in force at the start and at the end of the period. */
  readonly contextAtStart?: FileVersion;
  readonly contextAtEnd?: FileVersion;
  readonly ncs: readonly NcView[];
  readonly trends: readonly ControlTrend[];
  readonly programme: readonly ProgrammeRow[];
  readonly risks: readonly Risk[];
  readonly riskChanges: readonly RiskChange[];
  readonly soa?: SoaApprovalStatus;
}

const contextOf = (v: FileVersion | undefined): IsmsContext | undefined => {
  const parsed = contextSchema.safeParse(v?.data);
  return parsed.success ? parsed.data : undefined;
};

/** 9.3.2 b: issues added, removed or reworded between the context in force at the start and at the end. */
function issueChanges(start: IsmsContext | undefined, end: IsmsContext | undefined): string[][] {
  const before = new Map((start?.issues ?? []).map((i) => [i.id, i]));
  const after = new Map((end?.issues ?? []).map((i) => [i.id, i]));
  const rows: string[][] = [];
  for (const [id, i] of after) {
    const old = before.get(id);
    if (!old) rows.push([id, i.kind, 'added', i.description]);
    else if (old.description !== i.description || old.kind !== i.kind)
      rows.push([id, i.kind, 'changed', i.description]);
  }
  for (const [id, i] of before) if (!after.has(id)) rows.push([id, i.kind, 'removed', i.description]);
  return rows;
}

const pct = (v: number | null) => (v === null ? 'not evaluated' : `${v}%`);

/** 9.3.2 f: each objective against its target; a control measure is the control's passing share of the period. */
function objectiveRows(context: IsmsContext | undefined, trends: readonly ControlTrend[]): string[][] {
  const byControl = new Map(trends.map((t) => [t.control, t]));
  return (context?.objectives ?? []).map((o) => {
    if ('description' in o.measure)
      return [
        o.id,
        o.objective,
        o.measure.description,
        String(o.target),
        'to be reported by the owner',
        o.owner,
      ];
    const share = byControl.get(o.measure.control)?.passingPct ?? null;
    const met =
      share === null ? 'not measured' : typeof o.target === 'number' && share >= o.target ? 'met' : 'not met';
    return [
      o.id,
      o.objective,
      `${o.measure.control} passing share: ${pct(share)}`,
      `${o.target}%`,
      met,
      o.owner,
    ];
  });
}

/** What every section of the pack reads: the review's input and what is derived from it once. */
interface PackView extends ReviewInput {
  readonly inPeriod: (at: string | undefined) => boolean;
  readonly endContext: ReturnType<typeof contextOf>;
  readonly trendById: ReadonlyMap<string, ReviewInput['trends'][number]>;
  readonly findings: readonly {
    p: ReviewInput['programme'][number];
    f: NonNullable<ReviewInput['programme'][number]['performed']>['record']['findings'][number];
  }[];
}

const previousActions = ({ actions }: PackView): PackSection => ({
  title: 'a) Status of actions from previous management reviews',
  note: 'Every action recorded by an earlier review, done when a later review recorded it so.',
  header: ['action', 'review', 'owner', 'due', 'state', 'text'],
  rows: actions.map((a) => [a.action.id, a.review, a.action.owner, a.action.due, a.state, a.action.text]),
});

const issueChangesSection = ({
  period,
  endContext,
  contextAtEnd,
  contextAtStart,
}: PackView): PackSection => ({
  title: 'b) Changes in external and internal issues',
  note: `context.yaml in force at ${period.from} compared with the one at ${period.to}${contextAtEnd ? '' : ' (no context recorded: run `proofline isms record`)'}.`,
  header: ['issue', 'kind', 'change', 'description'],
  rows: issueChanges(contextOf(contextAtStart), endContext),
});

const interestedParties = ({ endContext }: PackView): PackSection => ({
  title: 'c) Changes in the needs and expectations of interested parties',
  note: 'Interested parties and their requirements as recorded at the end of the period.',
  header: ['party', 'requirements'],
  rows: (endContext?.interestedParties ?? []).map((p) => [p.party, p.requirements.join('; ')]),
});

const nonconformities = ({ ncs, inPeriod }: PackView): PackSection => ({
  title: 'd1) Nonconformities and corrective actions',
  note: 'Nonconformities opened in the period or still open at its end.',
  header: [
    'id',
    'state',
    'overdue',
    'source',
    'control',
    'description',
    'root cause',
    'action',
    'owner',
    'due',
    'effectiveness',
  ],
  rows: ncs
    .filter((n) => n.state === 'open' || inPeriod(n.openedAt) || inPeriod(n.closedAt))
    .map((n) => [
      n.id,
      n.state,
      n.overdue ? 'yes' : 'no',
      n.source,
      n.control ?? '',
      n.description,
      n.rootCause ?? '',
      n.action ?? '',
      n.owner,
      n.due,
      n.effectiveness ?? '',
    ]),
});

const monitoring = ({ trendById, controls }: PackView): PackSection => ({
  title: 'd2) Monitoring and measurement results',
  note: 'Each control at the start and end of the period, the share of the period it passed, and how often its status changed.',
  header: ['control', 'title', 'at start', 'at end', 'passing share', 'status changes'],
  rows: controls.map((c) => {
    const t = trendById.get(c.id);
    return [
      c.id,
      c.title,
      t?.atStart ?? 'not_evaluated',
      t?.atEnd ?? 'not_evaluated',
      pct(t?.passingPct ?? null),
      t?.changes ?? 0,
    ];
  }),
});

const auditResults = ({ programme, findings }: PackView): PackSection => ({
  title: 'd3) Audit results',
  note: 'The internal audit programme, planned against done, and the findings recorded.',
  header: ['audit', 'due', 'state', 'performed on', 'finding', 'kind', 'control', 'text'],
  rows: [
    ...programme
      .filter((p) => !p.performed)
      .map((p) => [p.audit.id, p.audit.due, p.state, '', '', '', '', '']),
    ...programme
      .filter((p) => p.performed && p.performed.record.findings.length === 0)
      .map((p) => [
        p.audit.id,
        p.audit.due,
        p.state,
        p.performed!.record.performedOn,
        '',
        '',
        '',
        'no findings',
      ]),
    ...findings.map(({ p, f }) => [
      p.audit.id,
      p.audit.due,
      p.state,
      p.performed!.record.performedOn,
      f.id,
      f.nonconformity ? `nonconformity ${f.nc ?? ''}`.trim() : 'observation',
      f.control ?? '',
      f.text,
    ]),
  ],
});

const objectives = ({ trends, endContext }: PackView): PackSection => ({
  title: 'd4) Fulfilment of information security objectives',
  note: 'Objectives from context.yaml; a control measure is judged by its passing share over the period.',
  header: ['objective', 'text', 'measured', 'target', 'result', 'owner'],
  rows: objectiveRows(endContext, trends),
});

const feedback = (_: PackView): PackSection => ({
  title: 'e) Feedback from interested parties',
  note: 'Not held by Proofline: bring customer, regulator and staff feedback to the review.',
  header: [],
  rows: [],
});

const riskTreatment = ({ period, risks, trendById, riskChanges }: PackView): PackSection => ({
  title: 'f) Results of risk assessment and status of risk treatment',
  note: `The register at ${period.to} (highest score first) with the treating controls' status at the end; ${riskChanges.length} changes recorded in the period.`,
  header: ['risk', 'score', 'treatment', 'owner', 'controls not passing', 'description'],
  rows: [...risks]
    .sort((a, b) => riskScore(b) - riskScore(a) || a.id.localeCompare(b.id))
    .map((r) => [
      r.id,
      riskScore(r),
      r.treatment,
      r.owner,
      r.controls
        .filter((c) => !['passing', 'excepted'].includes(trendById.get(c)?.atEnd ?? ''))
        .map((c) => `${c} ${trendById.get(c)?.atEnd ?? 'not_evaluated'}`)
        .join(', ') || 'all passing',
      r.description,
    ]),
});

const soaStatus = ({ soa }: PackView): PackSection => ({
  title: 'f2) Statement of Applicability',
  note: 'The approval of the SoA in force and whether it changed since.',
  header: ['version', 'approver', 'approved at', 'changed since', 'gap'],
  rows: soa?.approval
    ? [
        [
          soa.approval.version,
          soa.approval.approver,
          soa.approval.approvedAt,
          soa.changedAfterApproval ? 'yes' : 'no',
          soa.gap ?? '',
        ],
      ]
    : [['', '', '', '', soa?.gap ?? 'not evaluated']],
});

const opportunities = ({ findings, trends }: PackView): PackSection => ({
  title: 'g) Opportunities for continual improvement',
  note: 'Audit observations and controls that failed at some point in the period.',
  header: ['source', 'item', 'text'],
  rows: [
    ...findings
      .filter(({ f }) => !f.nonconformity)
      .map(({ p, f }) => [`audit ${p.audit.id}`, f.control ?? f.id, f.text]),
    ...trends
      .filter((t) => t.passingPct !== null && t.passingPct < 100 && t.atEnd === 'passing')
      .map((t) => ['monitoring', t.control, `recovered; passed ${t.passingPct}% of the period`]),
  ],
});

/** The 9.3.2 inputs, in the order the standard lists them. */
export function managementReviewPack(input: ReviewInput): PackSection[] {
  const { period, programme } = input;
  const view: PackView = {
    ...input,
    inPeriod: (at) => !!at && at.slice(0, 10) >= period.from && at.slice(0, 10) <= period.to,
    endContext: contextOf(input.contextAtEnd),
    trendById: new Map(input.trends.map((t) => [t.control, t])),
    findings: programme.flatMap((p) => (p.performed?.record.findings ?? []).map((f) => ({ p, f }))),
  };
  return [
    previousActions(view),
    issueChangesSection(view),
    interestedParties(view),
    nonconformities(view),
    monitoring(view),
    auditResults(view),
    objectives(view),
    feedback(view),
    riskTreatment(view),
    soaStatus(view),
    opportunities(view),
  ];
}
