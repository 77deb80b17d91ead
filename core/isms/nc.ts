import * as z from 'zod';
import type { DigestItem } from '../alerts/notify.ts';
import { canonicalJson, sha256Hex } from '../canonical.ts';
import { DAY_MS } from '../collector.ts';
import { csvText } from '../csv.ts';
import type { Control } from '../model.ts';
import type { EvidenceStore } from '../stores/store.ts';
import {
  dayOption,
  IsmsError,
  isoDay,
  isoTime,
  loadIsmsRecords,
  refuse,
  type Stored,
  text,
  unknownControls,
} from './records.ts';

export const NC_SOURCES = ['internal-audit', 'failing-control', 'incident', 'exception-expiry'] as const;
export type NcSource = (typeof NC_SOURCES)[number];

const id = z.string().regex(/^NC-[0-9A-F]{8}$/);
const who = { recordedBy: text, recordedAt: isoTime };
const openSchema = z.strictObject({
  kind: z.literal('open'),
  id,
  source: z.enum(NC_SOURCES),
  control: text.optional(),
  /** The internal audit whose finding raised it. */
  audit: text.optional(),
  description: text,
  rootCause: text.optional(),
  action: text.optional(),
  owner: text,
  due: isoDay,
  ...who,
});
const updateSchema = z.strictObject({
  kind: z.literal('update'),
  id,
  rootCause: text.optional(),
  action: text.optional(),
  owner: text.optional(),
  due: isoDay.optional(),
  note: text.optional(),
  ...who,
});
const closeSchema = z.strictObject({ kind: z.literal('close'), id, effectiveness: text, ...who });
const reopenSchema = z.strictObject({ kind: z.literal('reopen'), id, reason: text, ...who });
export const ncRecordSchema = z.discriminatedUnion('kind', [
  openSchema,
  updateSchema,
  closeSchema,
  reopenSchema,
]);
export type NcRecord = z.infer<typeof ncRecordSchema>;
export type NcOpen = z.infer<typeof openSchema>;

export const loadNcRecords = (store: EvidenceStore) => loadIsmsRecords(store, 'nc', ncRecordSchema);

export interface NcRequest {
  readonly source?: string;
  readonly control?: string;
  readonly audit?: string;
  readonly description?: string;
  readonly rootCause?: string;
  readonly action?: string;
  readonly owner?: string;
  readonly due?: string;
}

/** Validates a new nonconformity; every problem is reported at once. */
export function ncOpen(
  request: NcRequest,
  controls: readonly Control[],
  recordedBy: string,
  at: string,
): NcOpen {
  const problems: string[] = [];
  const source = request.source?.trim();
  if (!source) problems.push(`a nonconformity needs a source (--source ${NC_SOURCES.join('|')})`);
  else if (!(NC_SOURCES as readonly string[]).includes(source))
    problems.push(`unknown source "${source}" (known: ${NC_SOURCES.join(', ')})`);
  const control = request.control?.trim();
  if (control) problems.push(...unknownControls([control], controls));
  else if (source === 'failing-control')
    problems.push('a nonconformity from a failing control names it (--control)');
  for (const [field, flag] of [
    ['description', '--description'],
    ['owner', '--owner'],
  ] as const)
    if (!request[field]?.trim()) problems.push(`a nonconformity needs ${field} (${flag})`);
  if (!request.due?.trim()) problems.push('a nonconformity needs a due date (--due YYYY-MM-DD)');
  const due = dayOption(request.due, '--due', problems);
  refuse(problems);
  const body = {
    source: source as NcSource,
    ...(control ? { control } : {}),
    ...(request.audit?.trim() ? { audit: request.audit.trim() } : {}),
    description: request.description!.trim(),
    ...(request.rootCause?.trim() ? { rootCause: request.rootCause.trim() } : {}),
    ...(request.action?.trim() ? { action: request.action.trim() } : {}),
    owner: request.owner!.trim(),
    due: due!,
    recordedBy,
    recordedAt: at,
  };
  return { kind: 'open', id: `NC-${sha256Hex(canonicalJson(body)).slice(0, 8).toUpperCase()}`, ...body };
}

export interface NcView {
  readonly id: string;
  readonly source: NcSource;
  readonly control?: string;
  readonly audit?: string;
  readonly description: string;
  readonly rootCause?: string;
  readonly action?: string;
  readonly owner: string;
  readonly due: string;
  readonly state: 'open' | 'closed';
  readonly openedAt: string;
  readonly openedBy: string;
  readonly closedAt?: string;
  readonly effectiveness?: string;
  readonly reopened: number;
  readonly notes: readonly string[];
  /** Open past its due day at `asOf`. */
  readonly overdue: boolean;
  /** Evidence keys of every record of it, oldest first. */
  readonly evidence: readonly string[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Each nonconformity as its records up to `asOf` leave it. */
export function ncStates(records: readonly Stored<NcRecord>[], asOf: Date): NcView[] {
  const views = new Map<string, Mutable<NcView>>();
  for (const { record, key } of records) {
    if (record.recordedAt > asOf.toISOString()) continue;
    if (record.kind === 'open') {
      const { kind: _k, recordedAt, recordedBy, ...rest } = record;
      views.set(record.id, {
        ...rest,
        state: 'open',
        openedAt: recordedAt,
        openedBy: recordedBy,
        reopened: 0,
        notes: [],
        overdue: false,
        evidence: [key],
      });
      continue;
    }
    const view = views.get(record.id);
    if (!view) continue;
    view.evidence = [...view.evidence, key];
    if (record.kind === 'update') {
      const { kind: _k, id: _i, recordedAt: _a, recordedBy: _b, note, ...changes } = record;
      Object.assign(view, changes);
      if (note) view.notes = [...view.notes, `${record.recordedAt.slice(0, 10)} ${note}`];
    } else if (record.kind === 'close')
      Object.assign(view, {
        state: 'closed',
        closedAt: record.recordedAt,
        effectiveness: record.effectiveness,
      });
    else {
      view.state = 'open';
      view.reopened += 1;
      view.notes = [...view.notes, `${record.recordedAt.slice(0, 10)} reopened: ${record.reason}`];
      delete view.closedAt;
    }
  }
  const today = asOf.toISOString().slice(0, 10);
  return [...views.values()].map((v) => ({ ...v, overdue: v.state === 'open' && v.due < today }));
}

export interface NcChange {
  readonly rootCause?: string;
  readonly action?: string;
  readonly owner?: string;
  readonly due?: string;
  readonly note?: string;
  readonly reopen?: boolean;
  readonly reason?: string;
}

/** The records an update makes: a reopening (which needs a reason) first, then the changes. */
export function ncUpdate(
  view: NcView | undefined,
  id: string,
  change: NcChange,
  recordedBy: string,
  at: string,
): NcRecord[] {
  if (!view) throw new IsmsError(`no nonconformity ${id}`);
  const problems: string[] = [];
  const due = dayOption(change.due, '--due', problems);
  if (view.state === 'closed' && !change.reopen)
    problems.push(`${id} is closed: reopen it with --reopen --reason <why>`);
  if (change.reopen && view.state === 'open') problems.push(`${id} is open: there is nothing to reopen`);
  if (change.reopen && !change.reason?.trim()) problems.push(`reopening ${id} needs a reason (--reason)`);
  const fields = {
    ...(change.rootCause?.trim() ? { rootCause: change.rootCause.trim() } : {}),
    ...(change.action?.trim() ? { action: change.action.trim() } : {}),
    ...(change.owner?.trim() ? { owner: change.owner.trim() } : {}),
    ...(due ? { due } : {}),
    ...(change.note?.trim() ? { note: change.note.trim() } : {}),
  };
  if (!change.reopen && Object.keys(fields).length === 0)
    problems.push('nothing to update: give --root-cause, --action, --owner, --due or --note');
  refuse(problems);
  const records: NcRecord[] = [];
  if (change.reopen)
    records.push({ kind: 'reopen', id, reason: change.reason!.trim(), recordedBy, recordedAt: at });
  if (Object.keys(fields).length) records.push({ kind: 'update', id, ...fields, recordedBy, recordedAt: at });
  return records;
}

/** Closing needs the check that the action worked (10.2 f) and an action on record. */
export function ncClose(
  view: NcView | undefined,
  id: string,
  effectiveness: string | undefined,
  recordedBy: string,
  at: string,
): NcRecord {
  if (!view) throw new IsmsError(`no nonconformity ${id}`);
  const problems: string[] = [];
  if (view.state === 'closed') problems.push(`${id} is already closed`);
  if (!effectiveness?.trim())
    problems.push('closing needs the effectiveness check that was done (--effectiveness)');
  if (!view.action)
    problems.push(`${id} has no corrective action on record: add one with nc update ${id} --action`);
  refuse(problems);
  return { kind: 'close', id, effectiveness: effectiveness!.trim(), recordedBy, recordedAt: at };
}

/**
 * The nonconformities a failing control past its severity's due date (alerts.dueDays) opens: one per control,
 * unless one from a failing control is already open for it. Its action is due a further severity's days on.
 */
export function automaticNcs(
  overdue: readonly DigestItem[],
  views: readonly NcView[],
  dueDays: Readonly<Record<string, number>>,
  at: string,
): NcOpen[] {
  const open = new Set(
    views.filter((v) => v.state === 'open' && v.source === 'failing-control').map((v) => v.control),
  );
  return overdue
    .filter((i) => i.overdue && i.status === 'failing' && !open.has(i.control))
    .map((i) => {
      const days = dueDays[i.severity ?? 'low'] ?? 30;
      const body = {
        source: 'failing-control' as const,
        control: i.control,
        description: `${i.control} (${i.title}) has failed since ${i.since.slice(0, 10)} on ${i.resources} resources, past its ${i.severity ?? 'low'}-severity due date ${i.dueBy!.slice(0, 10)}`,
        owner: i.owner,
        due: new Date(Date.parse(at) + days * DAY_MS).toISOString().slice(0, 10),
        recordedBy: 'proofline',
        recordedAt: at,
      };
      return {
        kind: 'open' as const,
        id: `NC-${sha256Hex(canonicalJson(body)).slice(0, 8).toUpperCase()}`,
        ...body,
      };
    });
}

/** nonconformities.csv: the register as of a day. */
export function ncRegisterCsv(views: readonly NcView[]): string {
  return csvText(
    [
      'id',
      'state',
      'overdue',
      'source',
      'control',
      'audit',
      'description',
      'root_cause',
      'action',
      'owner',
      'due',
      'opened_at',
      'opened_by',
      'closed_at',
      'effectiveness',
      'reopened',
      'notes',
      'evidence',
    ],
    views.map((v) => [
      v.id,
      v.state,
      v.overdue ? 'yes' : 'no',
      v.source,
      v.control ?? '',
      v.audit ?? '',
      v.description,
      v.rootCause ?? '',
      v.action ?? '',
      v.owner,
      v.due,
      v.openedAt,
      v.openedBy,
      v.closedAt ?? '',
      v.effectiveness ?? '',
      v.reopened,
      v.notes.join(' | '),
      v.evidence.join(' '),
    ]),
  );
}
