import type { CheckCatalog } from '../collector.ts';
import {
  bySeverity,
  type Control,
  type ControlState,
  type ControlStatus,
  type Finding,
  SEVERITIES,
  type Severity,
  type Source,
} from '../model.ts';
import { formatRows, hanging, PLAIN, paint, type Style, type Terminal } from './table.ts';

export interface StatusRow {
  readonly control: string;
  readonly title: string;
  readonly owner: string;
  readonly status: ControlStatus | 'not_evaluated';
  readonly failingResources: readonly string[];
  /** Failing resources covered by an active exception, with its id. */
  readonly exceptedResources: readonly { readonly resource: string; readonly exception: string }[];
  readonly expiredExceptions: readonly string[];
  /** When the next manual evidence is due (null: none yet, or the control takes none). */
  readonly manualEvidenceDueBy: string | null;
  readonly resourceCount: number;
  readonly gaps: readonly string[];
  readonly lastEvidenceAt: string | null;
  readonly since: string | null;
}

export function statusRows(controls: readonly Control[], states: readonly ControlState[]): StatusRow[] {
  const byId = new Map(states.map((s) => [s.control, s]));
  return controls.map((c) => {
    const s = byId.get(c.id);
    return {
      control: c.id,
      title: c.title,
      owner: c.owner,
      status: s?.status ?? 'not_evaluated',
      failingResources: [...new Set(s?.failing.map((f) => f.resource) ?? [])],
      exceptedResources: (s?.excepted ?? []).map((f) => ({
        resource: f.resource,
        exception: f.exception ?? '',
      })),
      expiredExceptions: s?.expiredExceptions ?? [],
      manualEvidenceDueBy: s?.manualEvidence?.dueBy ?? null,
      resourceCount: s?.resourceCount ?? 0,
      gaps: s?.gaps ?? [],
      lastEvidenceAt: s?.lastEvidenceAt ?? null,
      since: s?.since ?? null,
    };
  });
}

/** One failing (check, resource) as a person fixing it needs it. */
export interface FailingItem {
  readonly check: string;
  readonly resource: string;
  readonly reason: string;
  readonly severity: Severity | undefined;
  readonly remediation: string;
}

/** A control's row with what its failing findings say: the most severe first. */
export interface StatusEntry {
  readonly row: StatusRow;
  readonly severity: Severity | undefined;
  readonly items: readonly FailingItem[];
}

export interface StatusFilter {
  readonly owner?: string;
  /** Only controls with a failing finding of this severity or a more severe one. */
  readonly severity?: Severity;
  readonly framework?: 'soc2' | 'iso27001';
  /** Only controls with a check of this source (`manual`: controls taking manual evidence). */
  readonly source?: Source;
  readonly failing?: boolean;
}

/**
 * Plain string order: the same on every machine whatever its locale, and no collator to build (the first
 * `localeCompare` of a process costs more than the rest of the status table).
 */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const failingItems = (failing: readonly Finding[], checks: CheckCatalog): FailingItem[] =>
  failing
    .map((f) => ({
      check: f.check,
      resource: f.resource,
      reason: f.reason,
      severity: checks.get(f.check)?.severity,
      remediation: checks.get(f.check)?.remediation ?? '',
    }))
    .sort((a, b) => bySeverity(a.severity, b.severity) || byCodeUnits(a.resource, b.resource));

const ORDER: readonly StatusRow['status'][] = [
  'failing',
  'no_evidence',
  'manual_due',
  'excepted',
  'passing',
  'not_evaluated',
];

/**
 * The controls a `status` view shows, filtered, in the order to act on them: failing first, the most severe
 * failure first, then the oldest; then without evidence, manual evidence due, excepted and passing.
 */
export function statusEntries(
  controls: readonly Control[],
  states: readonly ControlState[],
  checks: CheckCatalog,
  filter: StatusFilter = {},
): StatusEntry[] {
  const byId = new Map(states.map((s) => [s.control, s]));
  const rows = new Map(statusRows(controls, states).map((r) => [r.control, r]));
  const rank = (s: Severity | undefined) => (s ? SEVERITIES.indexOf(s) : SEVERITIES.length);
  const selected = controls.filter(
    (c) =>
      (!filter.owner || c.owner === filter.owner) &&
      (!filter.framework || c[filter.framework].length > 0) &&
      (!filter.source ||
        (filter.source === 'manual'
          ? !!c.manualEvidence
          : c.checks.some((id) => checks.get(id)?.source === filter.source))) &&
      (!filter.failing || byId.get(c.id)?.status === 'failing'),
  );
  return selected
    .map((c) => {
      const all = failingItems(byId.get(c.id)?.failing ?? [], checks);
      const items = filter.severity ? all.filter((i) => rank(i.severity) <= rank(filter.severity)) : all;
      return { row: rows.get(c.id)!, severity: items[0]?.severity, items };
    })
    .filter((e) => !filter.severity || e.items.length > 0)
    .sort(
      (a, b) =>
        ORDER.indexOf(a.row.status) - ORDER.indexOf(b.row.status) ||
        bySeverity(a.severity, b.severity) ||
        byCodeUnits(a.row.since ?? '', b.row.since ?? '') ||
        byCodeUnits(a.row.control, b.row.control),
    );
}

const MARK: Record<StatusRow['status'], [label: string, style: Style]> = {
  passing: ['PASS', 'green'],
  failing: ['FAIL', 'red'],
  excepted: ['EXCEPTED', 'magenta'],
  no_evidence: ['NO EVIDENCE', 'yellow'],
  manual_due: ['MANUAL DUE', 'yellow'],
  not_evaluated: ['NOT EVALUATED', 'dim'],
};

export const severityLabel = (s: Severity | undefined): string => (s ?? 'unknown').toUpperCase();
const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: 'red',
  high: 'red',
  medium: 'yellow',
  low: 'dim',
};
export const paintSeverity = (term: Terminal, s: Severity | undefined): string =>
  s ? paint(term, SEVERITY_STYLE[s], severityLabel(s)) : severityLabel(s);

/** `2026-11-30 (2d)`: a date and how long ago it was, as of `now`. */
export function sinceLabel(since: string | null, now: Date): string {
  if (!since) return '-';
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 86_400_000));
  return `${since.slice(0, 10)} (${days}d)`;
}

/** The lines under a failing resource: severity and check, the reason, and (once per check) the fix. */
export function itemLines(items: readonly FailingItem[], term: Terminal, indent: string): string[] {
  const lines: string[] = [];
  const fixed = new Set<string>();
  for (const i of items) {
    lines.push(
      ...hanging(`${i.resource}`, term.width, `${indent}${paint(term, 'red', '✗')} `, `${indent}  `),
      ...hanging(`${severityLabel(i.severity)} ${i.check}: ${i.reason}`, term.width, `${indent}  `).map(
        (l, n) => (n === 0 ? l.replace(severityLabel(i.severity), paintSeverity(term, i.severity)) : l),
      ),
    );
    if (i.remediation && !fixed.has(i.check))
      lines.push(...hanging(i.remediation, term.width, `${indent}  fix: `));
    fixed.add(i.check);
  }
  return lines;
}

export interface StatusTableOptions {
  readonly terminal?: Terminal;
  /** Every failing resource and every control due for manual evidence (default: the first 5, one summary line). */
  readonly all?: boolean;
  readonly now?: Date;
}

/**
 * The status for terminals: one row per control (wrapped to the terminal width), and under each failing one
 * its failing resources with severity, reason and remediation.
 */
export function formatStatusTable(entries: readonly StatusEntry[], options: StatusTableOptions = {}): string {
  const term = options.terminal ?? PLAIN;
  const now = options.now ?? new Date();
  const manualDue = entries.filter((e) => e.row.status === 'manual_due');
  const shown = options.all ? entries : entries.filter((e) => e.row.status !== 'manual_due');
  const header = ['CONTROL', 'STATUS', 'SEVERITY', 'FAILING', 'SINCE', 'OWNER', 'TITLE'];
  const cells = shown.map(({ row: r, severity }) => [
    r.control,
    MARK[r.status][0],
    r.status === 'failing' ? severityLabel(severity) : '-',
    `${r.failingResources.length}/${r.resourceCount}`,
    sinceLabel(r.since, now),
    r.owner,
    r.title,
  ]);
  // Where the titles would wrap in their column, each goes on its own line under its row instead.
  const wide = formatRows(header, cells, term.width);
  const titleBelow = wide.rows.some((lines) => lines.length > 1);
  const rendered = titleBelow
    ? formatRows(
        header.slice(0, -1),
        cells.map((c) => c.slice(0, -1)),
        term.width,
      )
    : wide;
  const out = [...rendered.header];
  shown.forEach(({ row: r, items }, n) => {
    const [label, style] = MARK[r.status];
    const [first = '', ...rest] = rendered.rows[n]!;
    out.push(first.replace(` ${label}`, ` ${paint(term, style, label)}`), ...rest);
    if (titleBelow) out.push(...hanging(r.title, term.width, '    '));
    const limit = options.all ? items.length : 5;
    out.push(...itemLines(items.slice(0, limit), term, '    '));
    if (items.length > limit)
      out.push(`    … and ${items.length - limit} more (proofline status --all, or proofline resource <id>)`);
    for (const gap of r.gaps) out.push(...hanging(gap, term.width, '    ? '));
    for (const e of r.exceptedResources.slice(0, limit))
      out.push(...hanging(`${e.resource} (excepted by ${e.exception})`, term.width, '    ~ '));
    for (const id of r.expiredExceptions)
      out.push(...hanging(`exception ${id} has expired and no longer applies`, term.width, '    ! '));
  });
  if (!options.all && manualDue.length)
    out.push(
      ...hanging(
        `${manualDue.length} controls wait for manual evidence (proofline status --all lists them)`,
        term.width,
        '… ',
      ),
    );
  const count = (s: StatusRow['status']) => entries.filter((e) => e.row.status === s).length;
  out.push(
    '',
    ...hanging(
      `${entries.length} controls: ${count('passing')} passing, ${count('failing')} failing, ${count('excepted')} excepted, ${count('manual_due')} manual evidence due, ${count('no_evidence')} without evidence`,
      term.width,
      '',
    ),
  );
  return out.join('\n');
}

/** One resource across the catalog: each failing check once, with every control that uses it. */
export interface ResourceView {
  readonly resource: string;
  readonly failing: readonly (FailingItem & {
    readonly controls: readonly { readonly id: string; readonly owner: string; readonly since: string }[];
  })[];
  readonly excepted: readonly {
    readonly check: string;
    readonly control: string;
    readonly exception: string;
  }[];
  /** Other failing resources whose id contains the one asked for, when it matched nothing exactly. */
  readonly similar: readonly string[];
}

export function resourceView(
  resource: string,
  controls: readonly Control[],
  states: readonly ControlState[],
  checks: CheckCatalog,
): ResourceView {
  const owners = new Map(controls.map((c) => [c.id, c.owner]));
  const failing = new Map<
    string,
    FailingItem & { controls: { id: string; owner: string; since: string }[] }
  >();
  for (const s of states)
    for (const item of failingItems(
      s.failing.filter((f) => f.resource === resource),
      checks,
    )) {
      const entry = failing.get(item.check) ?? { ...item, controls: [] };
      entry.controls.push({ id: s.control, owner: owners.get(s.control) ?? '?', since: s.since });
      failing.set(item.check, entry);
    }
  const excepted = states.flatMap((s) =>
    (s.excepted ?? [])
      .filter((f) => f.resource === resource)
      .map((f) => ({ check: f.check, control: s.control, exception: f.exception ?? '' })),
  );
  const needle = resource.toLowerCase();
  const similar =
    failing.size || excepted.length
      ? []
      : [
          ...new Set(
            states
              .flatMap((s) => s.failing.map((f) => f.resource))
              .filter((r) => r.toLowerCase().includes(needle)),
          ),
        ].sort();
  return {
    resource,
    failing: [...failing.values()].sort((a, b) => bySeverity(a.severity, b.severity)),
    excepted,
    similar,
  };
}

export function formatResource(view: ResourceView, term: Terminal = PLAIN): string {
  const out: string[] = [];
  if (!view.failing.length && !view.excepted.length) {
    out.push(
      ...hanging(`${view.resource}: nothing failing or excepted in the latest evaluation`, term.width, ''),
    );
    if (view.similar.length)
      out.push('Failing resources with a similar id:', ...view.similar.map((r) => `  ${r}`));
    return out.join('\n');
  }
  const controls = new Set(view.failing.flatMap((f) => f.controls.map((c) => c.id)));
  out.push(
    ...hanging(
      `${view.resource}: ${view.failing.length} failing checks, ${controls.size} controls`,
      term.width,
      '',
    ),
  );
  for (const f of view.failing) {
    out.push(
      ...hanging(
        `${severityLabel(f.severity)} ${f.check}: ${f.reason}`,
        term.width,
        `${paint(term, 'red', '✗')} `,
        '  ',
      ).map((l, n) => (n === 0 ? l.replace(severityLabel(f.severity), paintSeverity(term, f.severity)) : l)),
    );
    if (f.remediation) out.push(...hanging(f.remediation, term.width, '  fix: ', '       '));
    out.push(
      ...hanging(
        f.controls.map((c) => `${c.id} (${c.owner}, since ${c.since.slice(0, 10)})`).join(', '),
        term.width,
        '  controls: ',
        '            ',
      ),
    );
  }
  for (const e of view.excepted)
    out.push(...hanging(`${e.check} in ${e.control}, excepted by ${e.exception}`, term.width, '~ ', '  '));
  return out.join('\n');
}
