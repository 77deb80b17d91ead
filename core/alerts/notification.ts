import { parseEvidenceKey } from '../evidence-key.ts';
import { type Control, type Finding, mostSevere, type Severity, type Transition } from '../model.ts';

export type AlertKind = 'Control Failing' | 'Control Recovered' | 'Evidence Missing' | 'Manual Evidence Due';

/** Everything a channel needs to tell the owner about one transition. */
export interface Notification {
  readonly kind: AlertKind;
  readonly control: string;
  readonly severity: Severity;
  readonly owner: string;
  /** SNS subjects must be ASCII and under 100 characters. */
  readonly subject: string;
  readonly body: string;
  /** For SNS subscription filter policies. */
  readonly attributes: Readonly<Record<'severity' | 'owner' | 'control' | 'status', string>>;
  /** The EventBridge event detail (source `proofline`, detail type = `kind`). */
  readonly detail: AlertDetail;
  /** What the alert is about, each with its check's severity: the new failures, or those fixed. */
  readonly findings: readonly AlertFinding[];
}

export interface AlertFinding {
  readonly check: string;
  readonly resource: string;
  readonly reason: string;
  readonly severity: Severity | undefined;
}

export interface AlertDetail {
  readonly control: string;
  readonly title: string;
  readonly owner: string;
  readonly ownerContacts: readonly string[];
  readonly status: Transition['to'];
  readonly previousStatus: Transition['from'];
  readonly severity: Severity;
  readonly since: string;
  readonly at: string;
  readonly soc2: readonly string[];
  readonly iso27001: readonly string[];
  readonly scopes: readonly string[];
  readonly failing: readonly { check: string; resource: string; reason: string }[];
  readonly newlyFailing: readonly { check: string; resource: string; reason: string }[];
  readonly recovered: readonly { check: string; resource: string }[];
  readonly evidence: readonly string[];
}

export interface NotificationContext {
  readonly control: Control;
  readonly severityOf: (checkId: string) => Severity | undefined;
  /** People (e-mail) behind the owner role, when the owners file names them. */
  readonly ownerContacts?: readonly string[];
}

/** Which alert a transition raises, if any: a first passing evaluation or an exception raise none. */
export function alertKind(t: Transition): AlertKind | undefined {
  if (t.to === 'failing')
    return t.from !== 'failing' || t.newlyFailing.length > 0 ? 'Control Failing' : undefined;
  if (t.to === 'passing')
    return t.from !== null && t.from !== 'passing' && t.from !== 'excepted' ? 'Control Recovered' : undefined;
  if (t.to === 'no_evidence') return 'Evidence Missing';
  if (t.to === 'manual_due') return 'Manual Evidence Due';
  return undefined;
}

const SUBJECT_TAG: Record<AlertKind, string> = {
  'Control Failing': 'FAILING',
  'Control Recovered': 'RECOVERED',
  'Evidence Missing': 'EVIDENCE MISSING',
  'Manual Evidence Due': 'MANUAL EVIDENCE DUE',
};

const brief = (f: Finding) => ({ check: f.check, resource: f.resource, reason: f.reason });
/** An SNS subject: ASCII, under 100 characters. */
export function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '-');
  return ascii.length > 99 ? `${ascii.slice(0, 96)}...` : ascii;
}
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The accounts/tenants the evidence came from, read from the evidence keys. */
function scopesOf(evidence: readonly string[]): string[] {
  return [
    ...new Set(
      evidence.map((key) => parseEvidenceKey(key).scopeKey.replace(/-(global|[a-z]{2}-[a-z]+-\d)$/, '')),
    ),
  ].sort();
}

export function buildNotification(t: Transition, ctx: NotificationContext): Notification | undefined {
  const kind = alertKind(t);
  if (!kind) return undefined;
  const { control } = ctx;
  const relevant = kind === 'Control Recovered' ? t.recovered : t.failing;
  const severities = relevant.map((f) => ctx.severityOf(f.check)).filter((s): s is Severity => !!s);
  const severity = mostSevere([...severities, kind === 'Control Failing' ? 'low' : 'medium'])!;
  const scopes = scopesOf(t.evidence);
  const resources = new Set(relevant.map((f) => f.resource)).size;
  const what =
    kind === 'Control Failing'
      ? ` - ${plural(resources, 'resource')}`
      : kind === 'Control Recovered' && resources > 0
        ? ` - ${plural(resources, 'resource')} fixed`
        : '';
  const subject = snsSubject(
    `[${SUBJECT_TAG[kind]}] ${control.id} ${control.title}${what}${scopes.length ? ` (${scopes.join(', ')})` : ''}`,
  );
  const detail: AlertDetail = {
    control: control.id,
    title: control.title,
    owner: control.owner,
    ownerContacts: ctx.ownerContacts ?? [],
    status: t.to,
    previousStatus: t.from,
    severity,
    since: t.since,
    at: t.at,
    soc2: control.soc2,
    iso27001: control.iso27001,
    scopes,
    failing: t.failing.map(brief),
    newlyFailing: t.newlyFailing.map(brief),
    recovered: t.recovered.map((f) => ({ check: f.check, resource: f.resource })),
    evidence: t.evidence,
  };
  return {
    kind,
    control: control.id,
    severity,
    owner: control.owner,
    subject,
    body: formatBody(kind, t, ctx),
    attributes: { severity, owner: control.owner, control: control.id, status: t.to },
    detail,
    findings: (kind === 'Control Failing'
      ? t.newlyFailing
      : kind === 'Control Recovered'
        ? t.recovered
        : []
    ).map((f) => ({ ...brief(f), severity: ctx.severityOf(f.check) })),
  };
}

function formatBody(kind: AlertKind, t: Transition, { control, ownerContacts }: NotificationContext): string {
  const lines = [
    `${control.id} ${control.title}: ${t.to.toUpperCase().replace('_', ' ')} since ${t.since} (was ${t.from ?? 'not evaluated'}).`,
    `Objective: ${control.objective}`,
    `Owner: ${control.owner}${ownerContacts?.length ? ` (${ownerContacts.join(', ')})` : ''}`,
    `SOC 2: ${control.soc2.join(', ') || '-'}   ISO 27001: ${control.iso27001.join(', ') || '-'}`,
    '',
  ];
  if (kind === 'Control Failing') {
    lines.push(
      `Failing resources (${t.failing.length} findings${t.newlyFailing.length ? `, ${t.newlyFailing.length} new` : ''}):`,
    );
    const isNew = new Set(t.newlyFailing.map((f) => `${f.check} ${f.resource}`));
    for (const f of t.failing)
      lines.push(
        `  ${isNew.has(`${f.check} ${f.resource}`) ? 'NEW ' : ''}${f.resource}: ${f.reason} [${f.check}]`,
      );
  } else if (kind === 'Control Recovered') {
    lines.push('Recovered:');
    for (const f of t.recovered) lines.push(`  ${f.resource} [${f.check}]`);
  } else if (kind === 'Evidence Missing') {
    lines.push(
      'No usable evidence: a scheduled collection did not happen or failed. The collection errors are in the evidence below.',
    );
  } else {
    lines.push(`Manual evidence is due: ${control.manualEvidence?.description ?? 'see the control'}.`);
  }
  lines.push('', 'Evidence:', ...t.evidence.map((k) => `  ${k}`));
  if (kind === 'Control Failing') {
    lines.push(
      '',
      'To accept a failing resource for a while, record an exception:',
      `  proofline exception add --control ${control.id} --resource '<resource>' --reason '<why>' --owner '<who>' --approved-by '<who>' --expires <YYYY-MM-DD>`,
    );
  }
  return lines.join('\n');
}
