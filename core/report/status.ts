import type { Control, ControlState, ControlStatus } from '../model.ts';

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

const MARK: Record<StatusRow['status'], string> = {
  passing: 'PASS',
  failing: 'FAIL',
  excepted: 'EXCEPTED',
  no_evidence: 'NO EVIDENCE',
  manual_due: 'MANUAL DUE',
  not_evaluated: 'NOT EVALUATED',
};

/** A fixed-width table for terminals: one line per control, failing resources indented under it. */
export function formatStatusTable(rows: readonly StatusRow[]): string {
  const header = ['CONTROL', 'STATUS', 'FAILING', 'LAST EVIDENCE', 'OWNER', 'TITLE'];
  const cells = rows.map((r) => [
    r.control,
    MARK[r.status],
    `${r.failingResources.length}/${r.resourceCount}`,
    r.lastEvidenceAt ? r.lastEvidenceAt.replace('T', ' ').slice(0, 19) : '-',
    r.owner,
    r.title,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  const out = [line(header)];
  rows.forEach((r, i) => {
    out.push(line(cells[i]!));
    for (const resource of r.failingResources.slice(0, 5)) out.push(`    ✗ ${resource}`);
    if (r.failingResources.length > 5) out.push(`    … and ${r.failingResources.length - 5} more`);
    for (const gap of r.gaps) out.push(`    ? ${gap}`);
    for (const e of r.exceptedResources.slice(0, 5))
      out.push(`    ~ ${e.resource} (excepted by ${e.exception})`);
    for (const id of r.expiredExceptions) out.push(`    ! exception ${id} has expired and no longer applies`);
  });
  const count = (s: StatusRow['status']) => rows.filter((r) => r.status === s).length;
  out.push(
    '',
    `${rows.length} controls: ${count('passing')} passing, ${count('failing')} failing, ${count('excepted')} excepted, ${count('manual_due')} manual evidence due, ${count('no_evidence')} without evidence`,
  );
  return out.join('\n');
}
