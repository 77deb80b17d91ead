import type { AnyCollector } from '../collector.ts';
import type { Control, ControlState, Severity, Transition } from '../model.ts';
import type { AlertChannel } from './channels.ts';
import { buildNotification, type Notification } from './notification.ts';

export interface AlertContext {
  readonly controls: readonly Control[];
  readonly collectors: readonly AnyCollector[];
  /** Owner role → e-mail addresses, from the owners file when there is one. */
  readonly ownerContacts?: ReadonlyMap<string, readonly string[]>;
}

/** The notifications the given transitions raise (transitions of unknown controls are skipped). */
export function notificationsFor(transitions: readonly Transition[], ctx: AlertContext): Notification[] {
  const severity = new Map<string, Severity>(
    ctx.collectors.flatMap((c) => c.checks.map((k) => [k.id, k.severity] as const)),
  );
  const controls = new Map(ctx.controls.map((c) => [c.id, c]));
  return transitions.flatMap((t) => {
    const control = controls.get(t.control);
    if (!control) return [];
    const n = buildNotification(t, {
      control,
      severityOf: (id) => severity.get(id),
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

/** The daily summary of what is still failing or without evidence, instead of repeating each alert. */
export function failingDigest(states: readonly ControlState[], controls: readonly Control[], at: string) {
  const byId = new Map(controls.map((c) => [c.id, c]));
  const open = states.filter(
    (s) => s.status === 'failing' || s.status === 'no_evidence' || s.status === 'manual_due',
  );
  const days = (since: string) => Math.floor((Date.parse(at) - Date.parse(since)) / 86_400_000);
  const subject = `[DIGEST] ${open.length} controls need attention (${at.slice(0, 10)})`;
  const lines = open
    .sort((a, b) => a.since.localeCompare(b.since))
    .map((s) => {
      const c = byId.get(s.control);
      const resources = new Set(s.failing.map((f) => f.resource)).size;
      return `${s.control} ${c?.title ?? ''}: ${s.status} for ${days(s.since)} days${resources ? `, ${resources} resources` : ''} (owner ${c?.owner ?? '?'})`;
    });
  return {
    subject,
    body: lines.length ? lines.join('\n') : 'Every control is passing or excepted.',
    open: open.length,
  };
}
