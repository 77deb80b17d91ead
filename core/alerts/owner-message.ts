import { bySeverity, mostSevere, SEVERITIES, type Severity } from '../model.ts';
import { type AlertKind, type Notification, snsSubject } from './notification.ts';

/**
 * What one owner is told about one run: every alert of their controls in one message, each failing
 * (check, resource) once however many controls use the check, the most severe first.
 */
export interface OwnerMessage {
  readonly owner: string;
  readonly ownerContacts: readonly string[];
  /** ASCII, under 100 characters (an SNS subject). */
  readonly subject: string;
  readonly body: string;
  /** The most severe new failure (or the alert's own severity when there is one alert). */
  readonly severity: Severity;
  /** New failing (check, resource) pairs by severity. */
  readonly counts: Readonly<Record<Severity, number>>;
  /** For SNS subscription filter policies. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The alerts it carries (one per control transition; EventBridge and Security Hub get these one by one). */
  readonly notifications: readonly Notification[];
}

export interface OwnerMessageOptions {
  /** Where the owner reads more (the latest report, `alerts.reportUrl`), named at the end of every message. */
  readonly reportUrl?: string;
}

interface Grouped {
  readonly check: string;
  readonly resource: string;
  readonly reason: string;
  readonly severity: Severity | undefined;
  readonly controls: string[];
}

/** The failing or fixed (check, resource) pairs of some alerts, each once with the controls it concerns. */
function grouped(notifications: readonly Notification[], kind: AlertKind): Grouped[] {
  const byKey = new Map<string, Grouped>();
  for (const n of notifications.filter((x) => x.kind === kind))
    for (const f of n.findings) {
      const key = `${f.check}\u0000${f.resource}`;
      const entry = byKey.get(key) ?? { ...f, controls: [] };
      if (!entry.controls.includes(n.control)) entry.controls.push(n.control);
      byKey.set(key, entry);
    }
  return [...byKey.values()].sort(
    (a, b) => bySeverity(a.severity, b.severity) || a.resource.localeCompare(b.resource),
  );
}

/** One message per owner for the alerts of one run (an owner with a single alert gets that alert as it is). */
export function ownerMessages(
  notifications: readonly Notification[],
  options: OwnerMessageOptions = {},
): OwnerMessage[] {
  const owners = [...new Set(notifications.map((n) => n.owner))].sort();
  return owners.map((owner) => {
    const mine = notifications.filter((n) => n.owner === owner);
    const failing = grouped(mine, 'Control Failing');
    const counts = Object.fromEntries(
      SEVERITIES.map((s) => [s, failing.filter((f) => f.severity === s).length]),
    ) as Record<Severity, number>;
    const ownerContacts = mine[0]!.detail.ownerContacts;
    const closing = options.reportUrl
      ? `Report: ${options.reportUrl}`
      : `Details: proofline status --owner ${owner}; proofline resource <resource>; proofline report --out report.html`;
    if (mine.length === 1) {
      const n = mine[0]!;
      return {
        owner,
        ownerContacts,
        subject: n.subject,
        body: `${n.body}\n\n${closing}`,
        severity: n.severity,
        counts,
        attributes: { ...n.attributes, kind: 'alert' },
        notifications: mine,
      };
    }
    const fixed = grouped(mine, 'Control Recovered');
    const missing = mine.filter((n) => n.kind === 'Evidence Missing');
    const due = mine.filter((n) => n.kind === 'Manual Evidence Due');
    const recoveredControls = mine.filter((n) => n.kind === 'Control Recovered' && n.findings.length === 0);
    const severity = mostSevere(mine.map((n) => n.severity))!;
    const bySev = SEVERITIES.filter((s) => counts[s] > 0)
      .map((s) => `${counts[s]} ${s}`)
      .join(', ');
    const parts = [
      failing.length ? `${failing.length} failing (${bySev})` : '',
      fixed.length + recoveredControls.length ? `${fixed.length + recoveredControls.length} fixed` : '',
      missing.length ? `${missing.length} without evidence` : '',
      due.length ? `${due.length} manual evidence due` : '',
    ].filter(Boolean);
    const lines = [
      `Owner: ${owner}${ownerContacts.length ? ` (${ownerContacts.join(', ')})` : ''}`,
      `${parts.join(', ')} across ${new Set(mine.map((n) => n.control)).size} controls.`,
    ];
    if (failing.length) {
      lines.push('', 'Failing, the most severe first (each check and resource once):');
      for (const f of failing)
        lines.push(
          `  ${(f.severity ?? 'unknown').toUpperCase()} ${f.resource}: ${f.reason} [${f.check}; ${f.controls.join(', ')}]`,
        );
    }
    if (fixed.length || recoveredControls.length) {
      lines.push('', 'Fixed:');
      for (const f of fixed) lines.push(`  ${f.resource} [${f.check}; ${f.controls.join(', ')}]`);
      for (const n of recoveredControls) lines.push(`  ${n.control} ${n.detail.title}`);
    }
    if (missing.length) {
      lines.push('', 'Without usable evidence (a collection did not happen or failed):');
      for (const n of missing) lines.push(`  ${n.control} ${n.detail.title}`);
    }
    if (due.length) {
      lines.push('', 'Manual evidence now due (proofline evidence upload --control ID FILE):');
      for (const n of due) lines.push(`  ${n.control} ${n.detail.title}`);
    }
    lines.push('', closing);
    return {
      owner,
      ownerContacts,
      subject: snsSubject(`[PROOFLINE] ${owner}: ${parts.join(', ')}`),
      body: lines.join('\n'),
      severity,
      counts,
      attributes: { severity, owner, kind: 'owner-summary' },
      notifications: mine,
    };
  });
}
