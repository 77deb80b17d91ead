import type { AnyCollector } from '../collector.ts';
import { type CheckCatalog, checkCatalog, DAY_MS } from '../collector.ts';
import { type AlertsConfig, alertSettings } from '../config.ts';
import {
  bySeverity,
  type Control,
  type ControlState,
  mostSevere,
  type Severity,
  type Transition,
} from '../model.ts';
import type { AlertChannel } from './channels.ts';
import { buildNotification, type Notification } from './notification.ts';

export interface AlertContext {
  readonly controls: readonly Control[];
  readonly collectors: readonly AnyCollector[];
  /** Owner role → e-mail addresses, from the owners file when there is one. */
  readonly ownerContacts?: ReadonlyMap<string, readonly string[]>;
}

/** Owner role → the e-mail addresses of the people the owners file names for it. */
export function contactsOf(
  owners: Readonly<Record<string, readonly { readonly email: string }[]>>,
): Map<string, string[]> {
  return new Map(Object.entries(owners).map(([role, people]) => [role, people.map((p) => p.email)]));
}

/** The notifications the given transitions raise (transitions of unknown controls are skipped). */
export function notificationsFor(transitions: readonly Transition[], ctx: AlertContext): Notification[] {
  const checks = checkCatalog(ctx.collectors);
  const controls = new Map(ctx.controls.map((c) => [c.id, c]));
  return transitions.flatMap((t) => {
    const control = controls.get(t.control);
    if (!control) return [];
    const n = buildNotification(t, {
      control,
      severityOf: (id) => checks.get(id)?.severity,
      ownerContacts: ctx.ownerContacts?.get(control.owner) ?? [],
    });
    return n ? [n] : [];
  });
}

/**
 * Sends every notification to every channel. One failing channel does not keep the others from delivering;
 * its error is returned (and logged by the caller) rather than thrown.
 */
export async function deliver(notifications: readonly Notification[], channels: readonly AlertChannel[]) {
  const failures: { channel: string; error: Error }[] = [];
  if (notifications.length === 0) return { sent: 0, failures };
  await Promise.all(
    channels.map((channel) =>
      channel.send(notifications).catch((error: Error) => {
        failures.push({ channel: channel.name, error });
      }),
    ),
  );
  return { sent: notifications.length, failures };
}

export interface DigestItem {
  readonly control: string;
  readonly title: string;
  readonly owner: string;
  readonly status: ControlState['status'];
  /** The most severe failing check (failing controls only). */
  readonly severity: Severity | null;
  readonly since: string;
  readonly days: number;
  /** When a failing control is due fixed: `since` plus the configured days for its severity. */
  readonly dueBy: string | null;
  readonly overdue: boolean;
  readonly resources: number;
}

export interface DigestOptions {
  readonly checks?: CheckCatalog;
  readonly dueDays?: AlertsConfig['dueDays'];
}

/**
 * The daily summary of what still needs attention: failing controls past their due date first, then by
 * severity and age; then controls without evidence; manual evidence due in one line per owner.
 */
export function failingDigest(
  states: readonly ControlState[],
  controls: readonly Control[],
  at: string,
  options: DigestOptions = {},
) {
  const byId = new Map(controls.map((c) => [c.id, c]));
  const dueDays = options.dueDays ?? alertSettings({}).dueDays;
  const now = Date.parse(at);
  const items: DigestItem[] = states
    .filter((s) => s.status === 'failing' || s.status === 'no_evidence' || s.status === 'manual_due')
    .map((s) => {
      const c = byId.get(s.control);
      const severity =
        s.status === 'failing'
          ? (mostSevere(s.failing.map((f) => options.checks?.get(f.check)?.severity)) ?? null)
          : null;
      const dueBy =
        s.status === 'failing'
          ? new Date(Date.parse(s.since) + dueDays[severity ?? 'low'] * DAY_MS).toISOString()
          : null;
      return {
        control: s.control,
        title: c?.title ?? '',
        owner: c?.owner ?? '?',
        status: s.status,
        severity,
        since: s.since,
        days: Math.floor((now - Date.parse(s.since)) / DAY_MS),
        dueBy,
        overdue: dueBy !== null && Date.parse(dueBy) < now,
        resources: new Set(s.failing.map((f) => f.resource)).size,
      };
    });
  const STATUS = ['failing', 'no_evidence', 'manual_due'];
  items.sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) ||
      STATUS.indexOf(a.status) - STATUS.indexOf(b.status) ||
      bySeverity(a.severity ?? undefined, b.severity ?? undefined) ||
      a.since.localeCompare(b.since) ||
      a.control.localeCompare(b.control),
  );
  const overdue = items.filter((i) => i.overdue).length;
  const manual = items.filter((i) => i.status === 'manual_due');
  const lines = items
    .filter((i) => i.status !== 'manual_due')
    .map((i) =>
      i.status === 'failing'
        ? `${i.overdue ? 'OVERDUE ' : ''}${(i.severity ?? 'unknown').toUpperCase()} ${i.control} ${i.title}: failing for ${i.days} days, due ${i.dueBy!.slice(0, 10)}, ${i.resources} resources (owner ${i.owner})`
        : `NO EVIDENCE ${i.control} ${i.title}: for ${i.days} days (owner ${i.owner})`,
    );
  const owners = [...new Set(manual.map((i) => i.owner))].sort();
  if (manual.length)
    lines.push(
      `Manual evidence due for ${manual.length} controls:`,
      ...owners.map(
        (o) =>
          `  ${o}: ${manual
            .filter((i) => i.owner === o)
            .map((i) => i.control)
            .join(', ')}`,
      ),
    );
  const subject = `[DIGEST] ${items.length} controls need attention${overdue ? `, ${overdue} overdue` : ''} (${at.slice(0, 10)})`;
  return {
    subject,
    body: lines.length ? lines.join('\n') : 'Every control is passing or excepted.',
    open: items.length,
    overdue,
    items,
  };
}
