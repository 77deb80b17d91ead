import * as z from 'zod';
import { csvText } from '../csv.ts';
import { mdText } from '../markdown.ts';
import type { ControlStatus, Transition } from '../model.ts';
import { escapeHtml } from '../report/html/markup.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { isoDay, isoTime, loadIsmsRecords, type Stored, text } from './records.ts';

const actionSchema = z.strictObject({
  id: z.string().regex(/^RA-\d+-\d+$/),
  text,
  owner: text,
  due: isoDay,
});
/** A management review held: its decisions and actions, the minutes' evidence, and earlier actions now done. */
export const reviewRecordSchema = z.strictObject({
  kind: z.literal('review'),
  heldOn: isoDay,
  period: z.strictObject({ from: isoDay, to: isoDay }),
  attendees: z.array(text),
  decisions: z.array(text),
  actions: z.array(actionSchema),
  /** Actions of earlier reviews completed by now. */
  done: z.array(z.string()),
  /** The uploaded minutes (manual evidence of GOV-12). */
  minutes: z.string().optional(),
  recordedBy: text,
  recordedAt: isoTime,
});
export type ReviewRecord = z.infer<typeof reviewRecordSchema>;
export type ReviewAction = z.infer<typeof actionSchema>;

export const loadReviews = (store: EvidenceStore) => loadIsmsRecords(store, 'review', reviewRecordSchema);

export interface ActionStatus {
  readonly action: ReviewAction;
  readonly review: string;
  readonly state: 'done' | 'open' | 'overdue';
}

/** Every action of the reviews recorded before `asOf`, done when a later review says so. */
export function reviewActions(reviews: readonly Stored<ReviewRecord>[], asOf: Date): ActionStatus[] {
  const before = reviews.filter((r) => r.record.recordedAt <= asOf.toISOString());
  const done = new Set(before.flatMap((r) => r.record.done));
  const day = asOf.toISOString().slice(0, 10);
  return before.flatMap((r) =>
    r.record.actions.map((action) => ({
      action,
      review: r.record.heldOn,
      state: done.has(action.id) ? 'done' : action.due < day ? 'overdue' : 'open',
    })),
  );
}

export interface ControlTrend {
  readonly control: string;
  readonly atStart: ControlStatus | 'not_evaluated';
  readonly atEnd: ControlStatus | 'not_evaluated';
  /** Share of the evaluated time in the period it was passing or excepted, percent (one decimal). */
  readonly passingPct: number | null;
  readonly changes: number;
}

/** Each control's trend over [start, end) from its status transitions (oldest first). */
export function controlTrends(
  controls: readonly string[],
  transitions: readonly Transition[],
  start: string,
  end: string,
): ControlTrend[] {
  const t0 = Date.parse(start);
  const t1 = Date.parse(end);
  return controls.map((control) => {
    const mine = transitions.filter((t) => t.control === control && t.at < end);
    let status: ControlStatus | undefined = mine.filter((t) => t.at < start).at(-1)?.to;
    const atStart = status ?? 'not_evaluated';
    let from = t0;
    let passing = 0;
    let judged = 0;
    const inPeriod = mine.filter((t) => t.at >= start);
    for (const t of [...inPeriod, undefined]) {
      const until = t ? Date.parse(t.at) : t1;
      if (status) {
        judged += until - from;
        if (status === 'passing' || status === 'excepted') passing += until - from;
      }
      from = until;
      if (t) status = t.to;
    }
    return {
      control,
      atStart,
      atEnd: status ?? 'not_evaluated',
      passingPct: judged > 0 ? Math.round((passing / judged) * 1000) / 10 : null,
      changes: inPeriod.length,
    };
  });
}

/** A section of the review pack: a heading, a sentence, and a table. */
export interface PackSection {
  readonly title: string;
  readonly note: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export function packMarkdown(title: string, sections: readonly PackSection[]): string {
  const out = [`# ${mdText(title)}`, ''];
  for (const s of sections) {
    out.push(`## ${s.title}`, '', s.note, '');
    if (s.rows.length === 0) out.push('(none)', '');
    else
      out.push(
        `| ${s.header.map(mdText).join(' | ')} |`,
        `|${s.header.map(() => '---').join('|')}|`,
        ...s.rows.map((r) => `| ${r.map((v) => mdText(v) || '—').join(' | ')} |`),
        '',
      );
  }
  return out.join('\n');
}

export function packHtml(title: string, sections: readonly PackSection[]): string {
  const e = (v: string | number) => escapeHtml(String(v));
  const body = sections
    .map(
      (s) =>
        `<section><h2>${e(s.title)}</h2><p>${e(s.note)}</p>${
          s.rows.length === 0
            ? '<p>(none)</p>'
            : `<table><thead><tr>${s.header.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${s.rows
                .map((r) => `<tr>${r.map((v) => `<td>${e(v)}</td>`).join('')}</tr>`)
                .join('')}</tbody></table>`
        }</section>`,
    )
    .join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title><style>body{font-family:sans-serif;max-width:70rem;margin:2rem auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}</style></head><body><h1>${e(title)}</h1>\n${body}\n</body></html>\n`;
}

/** One CSV for the whole pack: each table row under its section, its cells in order. */
export function packCsv(sections: readonly PackSection[]): string {
  const width = Math.max(0, ...sections.map((s) => s.header.length));
  const columns = ['section', ...Array.from({ length: width }, (_, i) => `c${i + 1}`)];
  return csvText(
    columns,
    sections.flatMap((s) => [[s.title, ...s.header], ...s.rows.map((r) => [s.title, ...r])]),
  );
}
