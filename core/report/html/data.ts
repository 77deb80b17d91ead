import type { ControlPeriodStatus } from '../../archive/period-status.ts';
import type { Period } from '../../archive/types.ts';
import type { AnyCollector } from '../../collector.ts';
import type { Person } from '../../governance.ts';
import {
  type Control,
  type ControlState,
  type ControlStatus,
  type Finding,
  MANUAL_EVIDENCE,
  type Severity,
  type Source,
} from '../../model.ts';
import { FRAMEWORK_IDS, type FrameworkId, type Frameworks, mappedIds } from '../../requirements.ts';
import { consoleUrl } from './console-link.ts';
import { type ControlStrip, controlStrip } from './strip.ts';

export type ReportStatus = ControlStatus | 'not_evaluated';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const severityRank = (s: Severity | null) => (s ? SEVERITIES.indexOf(s) : SEVERITIES.length);
/** Worst first: what an owner must look at first. */
export const STATUSES: readonly ReportStatus[] = [
  'failing',
  'no_evidence',
  'not_evaluated',
  'manual_due',
  'excepted',
  'passing',
];
const statusRank = (s: ReportStatus) => STATUSES.indexOf(s);

/** One failing (or excepted) finding with what a person needs to act on it. */
export interface ReportFinding {
  readonly check: string;
  readonly checkTitle: string;
  readonly resource: string;
  readonly reason: string;
  readonly severity: Severity;
  readonly remediation: string;
  readonly source: Source;
  readonly consoleUrl?: string;
  /** The artifacts the finding was judged on. */
  readonly evidence: readonly string[];
  readonly exception?: string;
}

export interface ReportMapping {
  readonly framework: FrameworkId;
  readonly requirement: string;
  readonly title: string;
  /** Checks (or `manual`) evidencing it. */
  readonly by: readonly string[];
  readonly rationale: string;
}

export interface ReportControl {
  readonly id: string;
  readonly title: string;
  readonly objective: string;
  readonly owner: string;
  readonly people: readonly Person[];
  readonly type: Control['type'];
  readonly status: ReportStatus;
  readonly since: string | null;
  /** The highest severity among its failing findings; null when nothing fails. */
  readonly severity: Severity | null;
  readonly frameworks: readonly FrameworkId[];
  readonly sources: readonly Source[];
  readonly mappings: readonly ReportMapping[];
  readonly strip: ControlStrip | null;
  readonly failing: readonly ReportFinding[];
  readonly excepted: readonly ReportFinding[];
  readonly expiredExceptions: readonly string[];
  readonly gaps: readonly string[];
  readonly evidence: readonly string[];
  readonly lastEvidenceAt: string | null;
  readonly manualEvidence: {
    readonly description: string;
    readonly everyDays: number;
    readonly lastUploadAt: string | null;
    readonly dueBy: string | null;
  } | null;
}

export interface FrameworkSummary {
  readonly id: FrameworkId;
  readonly name: string;
  readonly controls: Readonly<Record<ReportStatus, number>>;
  /** Requirements evidenced by a check (automated), only by manual evidence, or by nothing. */
  readonly coverage: { readonly automated: number; readonly manual: number; readonly none: number };
}

/** One resource's failing findings across every control that uses them. */
export interface ReportResource {
  readonly resource: string;
  readonly source: Source;
  readonly consoleUrl?: string;
  readonly severity: Severity;
  readonly items: readonly { readonly control: string; readonly finding: ReportFinding }[];
}

/** What one owner role must do. */
export interface ReportOwner {
  readonly role: string;
  readonly people: readonly Person[];
  /** Open controls: by severity, then oldest first. */
  readonly items: readonly {
    readonly control: string;
    readonly title: string;
    readonly status: ReportStatus;
    readonly severity: Severity | null;
    readonly since: string | null;
    readonly resources: number;
    readonly dueBy: string | null;
  }[];
}

export interface ReportData {
  readonly generatedAt: string;
  readonly generator: string;
  readonly store: string;
  readonly period: { readonly from: string; readonly to: string; readonly days: readonly string[] };
  readonly frameworks: readonly FrameworkSummary[];
  /** Per day of the period: the share of automated controls passing, null when none had evidence. */
  readonly trend: readonly (number | null)[];
  readonly controls: readonly ReportControl[];
  /** Failing resources, most failing controls first. */
  readonly resources: readonly ReportResource[];
  readonly owners: readonly ReportOwner[];
  /** Manual evidence, earliest due first. */
  readonly manualDue: readonly {
    readonly control: string;
    readonly title: string;
    readonly owner: string;
    readonly dueBy: string | null;
    readonly lastUploadAt: string | null;
  }[];
  /** Evidence keys a link can point at (an archive's files), as paths relative to the report. */
  readonly evidenceLinks: ReadonlySet<string>;
}

export interface ReportInput {
  readonly controls: readonly Control[];
  readonly states: readonly ControlState[];
  readonly collectors: readonly AnyCollector[];
  readonly frameworks: Frameworks;
  /** Only controls (and the overview) of this framework; default both. */
  readonly framework?: FrameworkId;
  readonly owners: Readonly<Record<string, readonly Person[]>>;
  readonly period: Period;
  /** Each automated control's status over the period (periodStatuses or an archive's own). */
  readonly periodStatus: ReadonlyMap<string, ControlPeriodStatus>;
  readonly generatedAt: string;
  readonly generator: string;
  readonly store: string;
  readonly evidenceLinks?: ReadonlySet<string>;
}

const mapped = (c: Control, f: FrameworkId) => mappedIds(c, f).length > 0;
const zeroCounts = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ReportStatus, number>;

type CheckIndex = ReadonlyMap<string, { check: AnyCollector['checks'][number]; collector: AnyCollector }>;

/** A failed (or excepted) finding with its check's title, severity and fix, and a console link when known. */
function reportFinding(checks: CheckIndex, f: Finding, state: ControlState): ReportFinding {
  const meta = checks.get(f.check);
  const source = meta?.collector.source ?? 'manual';
  const evidence = meta ? state.evidence.filter((k) => k.includes(`/collector=${meta.collector.id}/`)) : [];
  const scopeId = evidence[0]?.match(/\/scope=([^/]+)\//)?.[1]?.replace(/-global$/, '');
  const url = consoleUrl(f.resource, source, scopeId);
  return {
    check: f.check,
    checkTitle: meta?.check.title ?? f.check,
    resource: f.resource,
    reason: f.reason,
    severity: meta?.check.severity ?? 'medium',
    remediation: meta?.check.remediation ?? '',
    source,
    ...(url ? { consoleUrl: url } : {}),
    evidence,
    ...(f.exception ? { exception: f.exception } : {}),
  };
}

/** One control as the report shows it: its state, mappings, findings and strip over the period. */
function reportControl(
  input: ReportInput,
  c: Control,
  context: {
    readonly frameworkIds: readonly FrameworkId[];
    readonly checks: CheckIndex;
    readonly state: ControlState | undefined;
    readonly titles: ReadonlyMap<string, string>;
  },
): ReportControl {
  const { frameworkIds, checks, state, titles } = context;
  const failing = state ? state.failing.map((f) => reportFinding(checks, f, state)) : [];
  const sources = new Set<Source>(
    c.checks.map((id) => checks.get(id)?.collector.source).filter((s): s is Source => !!s),
  );
  if (c.manualEvidence) sources.add('manual');
  const period = input.periodStatus.get(c.id);
  return {
    id: c.id,
    title: c.title,
    objective: c.objective,
    owner: c.owner,
    people: input.owners[c.owner] ?? [],
    type: c.type,
    status: state?.status ?? 'not_evaluated',
    since: state?.since ?? null,
    severity: failing.reduce<Severity | null>(
      (worst, f) => (severityRank(f.severity) < severityRank(worst) ? f.severity : worst),
      null,
    ),
    frameworks: frameworkIds.filter((f) => mapped(c, f)),
    sources: [...sources],
    mappings: frameworkIds.flatMap((f) =>
      mappedIds(c, f).map((requirement) => {
        const link = c.links.find((l) => l.framework === f && l.requirement === requirement);
        return {
          framework: f,
          requirement,
          title: titles.get(`${f} ${requirement}`) ?? '',
          by: link?.by ?? [],
          rationale: link?.rationale ?? '',
        };
      }),
    ),
    strip: period && c.checks.length > 0 ? controlStrip(period, input.period) : null,
    failing,
    excepted: state?.excepted?.map((f) => reportFinding(checks, f, state)) ?? [],
    expiredExceptions: state?.expiredExceptions ?? [],
    gaps: state?.gaps ?? [],
    evidence: state?.evidence ?? [],
    lastEvidenceAt: state?.lastEvidenceAt ?? null,
    manualEvidence: c.manualEvidence
      ? {
          ...c.manualEvidence,
          lastUploadAt: state?.manualEvidence?.lastUploadAt ?? null,
          dueBy: state?.manualEvidence?.dueBy ?? null,
        }
      : null,
  };
}

/** Everything the HTML report shows, derived from the catalog, the stored state and the period's statuses. */
export function reportData(input: ReportInput): ReportData {
  const frameworkIds = input.framework ? [input.framework] : FRAMEWORK_IDS;
  const controls = input.controls.filter((c) => frameworkIds.some((f) => mapped(c, f)));
  const checks: CheckIndex = new Map(
    input.collectors.flatMap((collector) =>
      collector.checks.map((check) => [check.id, { check, collector }]),
    ),
  );
  const states = new Map(input.states.map((s) => [s.control, s]));
  const titles = new Map(
    FRAMEWORK_IDS.flatMap((f) => input.frameworks[f].requirements.map((r) => [`${f} ${r.id}`, r.title])),
  );
  const reportControls = controls.map((c) =>
    reportControl(input, c, { frameworkIds, checks, state: states.get(c.id), titles }),
  );

  return {
    generatedAt: input.generatedAt,
    generator: input.generator,
    store: input.store,
    period: { from: input.period.from, to: input.period.to, days: input.period.days },
    frameworks: frameworkIds.map((f) => frameworkSummary(input.frameworks, f, controls, reportControls)),
    trend: trend(input.period.days.length, reportControls),
    controls: reportControls,
    resources: resourcesOf(reportControls),
    owners: ownersOf(reportControls, input.owners),
    manualDue: reportControls
      .filter((c) => c.manualEvidence)
      .map((c) => ({
        control: c.id,
        title: c.title,
        owner: c.owner,
        dueBy: c.manualEvidence!.dueBy,
        lastUploadAt: c.manualEvidence!.lastUploadAt,
      }))
      .sort((a, b) => (a.dueBy ?? '').localeCompare(b.dueBy ?? '') || a.control.localeCompare(b.control)),
    evidenceLinks: input.evidenceLinks ?? new Set(),
  };
}

/**
 * Status counts of the framework's controls, and its requirements' coverage: automated only through a
 * link whose `by` names a check, manual through a link naming the manual evidence, none otherwise.
 */
function frameworkSummary(
  frameworks: Frameworks,
  id: FrameworkId,
  controls: readonly Control[],
  report: readonly ReportControl[],
): FrameworkSummary {
  const counts = zeroCounts();
  for (const c of report) if (c.frameworks.includes(id)) counts[c.status]++;
  const by = new Map<string, Set<'automated' | 'manual'>>();
  for (const c of controls)
    for (const link of c.links) {
      if (link.framework !== id) continue;
      const kinds = by.get(link.requirement) ?? new Set();
      for (const b of link.by) kinds.add(b === MANUAL_EVIDENCE ? 'manual' : 'automated');
      by.set(link.requirement, kinds);
    }
  const coverage = { automated: 0, manual: 0, none: 0 };
  for (const r of frameworks[id].requirements) {
    const kinds = by.get(r.id);
    coverage[kinds?.has('automated') ? 'automated' : kinds?.has('manual') ? 'manual' : 'none']++;
  }
  return { id, name: frameworks[id].name, controls: counts, coverage };
}

function trend(days: number, controls: readonly ReportControl[]): (number | null)[] {
  const passing = new Array<number>(days).fill(0);
  const judged = new Array<number>(days).fill(0);
  for (const c of controls)
    for (const run of c.strip?.runs ?? [])
      for (let i = run.start; i < run.start + run.length; i++) {
        if (run.status === 'no_evidence') continue;
        judged[i]!++;
        if (run.status === 'passing') passing[i]!++;
      }
  return judged.map((n, i) => (n === 0 ? null : passing[i]! / n));
}

function resourcesOf(controls: readonly ReportControl[]): ReportResource[] {
  const byResource = new Map<string, { control: string; finding: ReportFinding }[]>();
  for (const c of controls)
    for (const f of c.failing)
      byResource.set(f.resource, [...(byResource.get(f.resource) ?? []), { control: c.id, finding: f }]);
  return [...byResource]
    .map(([resource, items]) => {
      const first = items[0]!.finding;
      const severity = items.reduce(
        (w, i) => (severityRank(i.finding.severity) < severityRank(w) ? i.finding.severity : w),
        first.severity,
      );
      return {
        resource,
        source: first.source,
        ...(first.consoleUrl ? { consoleUrl: first.consoleUrl } : {}),
        severity,
        items,
      };
    })
    .sort(
      (a, b) =>
        new Set(b.items.map((i) => i.control)).size - new Set(a.items.map((i) => i.control)).size ||
        severityRank(a.severity) - severityRank(b.severity) ||
        a.resource.localeCompare(b.resource),
    );
}

function ownersOf(
  controls: readonly ReportControl[],
  people: Readonly<Record<string, readonly Person[]>>,
): ReportOwner[] {
  const byRole = new Map<string, ReportOwner['items'][number][]>();
  for (const c of controls) {
    if (c.status === 'passing' || c.status === 'excepted') continue;
    const items = byRole.get(c.owner) ?? [];
    items.push({
      control: c.id,
      title: c.title,
      status: c.status,
      severity: c.severity,
      since: c.since,
      resources: new Set(c.failing.map((f) => f.resource)).size,
      dueBy: c.manualEvidence?.dueBy ?? null,
    });
    byRole.set(c.owner, items);
  }
  return [...byRole]
    .map(([role, items]) => ({
      role,
      people: people[role] ?? [],
      items: items.sort(
        (a, b) =>
          statusRank(a.status) - statusRank(b.status) ||
          severityRank(a.severity) - severityRank(b.severity) ||
          (a.since ?? '').localeCompare(b.since ?? '') ||
          a.control.localeCompare(b.control),
      ),
    }))
    .sort((a, b) => {
      const worst = (o: ReportOwner) =>
        Math.min(...o.items.map((i) => statusRank(i.status) * 10 + severityRank(i.severity)));
      return worst(a) - worst(b) || b.items.length - a.items.length || a.role.localeCompare(b.role);
    });
}
