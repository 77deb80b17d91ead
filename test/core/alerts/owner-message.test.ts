import { describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.ts';
import { failingDigest, notificationsFor } from '../../../core/alerts/notify.ts';
import { ownerMessages } from '../../../core/alerts/owner-message.ts';
import { checkCatalog } from '../../../core/collector.ts';
import { configSchema } from '../../../core/config.ts';
import type { Control, Finding, Transition } from '../../../core/model.ts';

const control = (id: string, owner: string, checks: string[], manual = false): Control => ({
  id,
  title: `${id} title`,
  objective: 'objective',
  owner,
  type: manual ? 'manual' : 'automated',
  checks,
  ...(manual ? { manualEvidence: { description: 'a signed review', everyDays: 90 } } : {}),
  soc2: ['CC6.1'],
  iso27001: ['A.8.5'],
  links: [],
});
const rootMfa: Finding = {
  check: 'aws.iam.root-mfa',
  resource: '<root_account>',
  status: 'fail',
  reason: 'the root user has no MFA device',
};
const bobMfa: Finding = {
  check: 'aws.iam.console-users-mfa',
  resource: 'arn:aws:iam::123456789012:user/bob',
  status: 'fail',
  reason: 'console user bob has no MFA device',
};
const key = `evidence/source=aws/collector=aws.iam.credential-report/scope=123456789012-global/dt=2026-11-27/20261127T100000Z-${'a'.repeat(64)}.json`;
const at = '2026-11-27T10:00:00.000Z';
const failing = (id: string, findings: Finding[]): Transition => ({
  control: id,
  from: null,
  to: 'failing',
  at,
  since: at,
  failing: findings,
  newlyFailing: findings,
  recovered: [],
  evidence: [key],
});
const due = (id: string): Transition => ({ ...failing(id, []), to: 'manual_due', evidence: [] });

const controls = [
  control('ACS-04', 'security-lead', ['aws.iam.root-mfa']),
  control('IAM-01', 'security-lead', ['aws.iam.root-mfa']),
  control('IAM-02', 'security-lead', ['aws.iam.console-users-mfa']),
  control('GOV-01', 'security-lead', [], true),
  control('GOV-02', 'security-lead', [], true),
  control('HR-01', 'people-ops', [], true),
];
const contacts = new Map([['security-lead', ['dana@acme.example']]]);
const notifications = notificationsFor(
  [
    failing('ACS-04', [rootMfa]),
    failing('IAM-01', [rootMfa]),
    failing('IAM-02', [bobMfa]),
    due('GOV-01'),
    due('GOV-02'),
    due('HR-01'),
  ],
  { controls, collectors, ownerContacts: contacts },
);

describe('ownerMessages', () => {
  it('sends one message per owner for a run with many transitions', () => {
    expect(notifications).toHaveLength(6);
    const messages = ownerMessages(notifications);
    expect(messages.map((m) => m.owner)).toEqual(['people-ops', 'security-lead']);
  });

  it('lists each failing (check, resource) once, most severe first, with every control that uses it', () => {
    const m = ownerMessages(notifications).find((x) => x.owner === 'security-lead')!;
    const failingLines = m.body.split('\n').filter((l) => / \[aws\.iam\./.test(l));
    expect(failingLines).toEqual([
      '  CRITICAL <root_account>: the root user has no MFA device [aws.iam.root-mfa; ACS-04, IAM-01]',
      '  HIGH arn:aws:iam::123456789012:user/bob: console user bob has no MFA device [aws.iam.console-users-mfa; IAM-02]',
    ]);
    expect(m.counts).toEqual({ critical: 1, high: 1, medium: 0, low: 0 });
    expect(m.severity).toBe('critical');
    expect(m.subject).toBe(
      '[PROOFLINE] security-lead: 2 failing (1 critical, 1 high), 2 manual evidence due',
    );
    expect(m.attributes).toEqual({ severity: 'critical', owner: 'security-lead', kind: 'owner-summary' });
  });

  it('groups manual evidence now due in the owner message, and carries the owner contacts', () => {
    const m = ownerMessages(notifications).find((x) => x.owner === 'security-lead')!;
    expect(m.body).toContain(
      'Manual evidence now due (proofline evidence upload --control ID FILE):\n  GOV-01 GOV-01 title\n  GOV-02 GOV-02 title',
    );
    expect(m.ownerContacts).toEqual(['dana@acme.example']);
    expect(m.body.split('\n')[0]).toBe('Owner: security-lead (dana@acme.example)');
    for (const n of m.notifications) expect(n.detail.ownerContacts).toEqual(['dana@acme.example']);
  });

  it('sends a single alert as it is, closed by where to read the details', () => {
    const [m] = ownerMessages(notifications.filter((n) => n.owner === 'people-ops'));
    const single = notifications.find((n) => n.owner === 'people-ops')!;
    expect(m?.subject).toBe(single.subject);
    expect(m?.body).toBe(
      `${single.body}\n\nDetails: proofline status --owner people-ops; proofline resource <resource>; proofline report --out report.html`,
    );
    expect(m?.attributes).toMatchObject({ kind: 'alert', control: 'HR-01', status: 'manual_due' });
  });

  it('takes the report link from the configuration, an http(s) URL only', () => {
    const url = 'https://reports.example/latest.html';
    expect(configSchema.parse({ alerts: { reportUrl: url } }).alerts?.reportUrl).toBe(url);
    expect(() => configSchema.parse({ alerts: { reportUrl: 'javascript:alert(1)' } })).toThrow();
    expect(() => configSchema.parse({ alerts: { reportUrl: 'latest report' } })).toThrow();
  });

  it('ends every message, single or summed up, with the report link when there is one', () => {
    const messages = ownerMessages(notifications, { reportUrl: 'https://reports.example/latest.html' });
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages)
      expect(m.body.split('\n').at(-1)).toBe('Report: https://reports.example/latest.html');
  });
});

describe('failingDigest ordering', () => {
  const state = (id: string, status: 'failing' | 'manual_due', daysAgo: number, findings: Finding[]) => ({
    control: id,
    status,
    since: new Date(Date.parse(at) - daysAgo * 86_400_000).toISOString(),
    evaluatedAt: at,
    failing: findings,
    findingCount: findings.length,
    resourceCount: findings.length,
    evidence: [],
    gaps: [],
  });
  const states = [
    state('GOV-01', 'manual_due', 50, []),
    state('ACS-04', 'failing', 1, [rootMfa]),
    state('IAM-02', 'failing', 40, [bobMfa]),
  ];
  const checks = checkCatalog(collectors);

  it('lists overdue failures first, then by severity and age, manual evidence due last per owner', () => {
    const digest = failingDigest(states, controls, at, { checks });
    expect(digest.body.split('\n')).toEqual([
      'OVERDUE HIGH IAM-02 IAM-02 title: failing for 40 days, due 2026-11-17, 1 resources (owner security-lead)',
      'CRITICAL ACS-04 ACS-04 title: failing for 1 days, due 2026-12-03, 1 resources (owner security-lead)',
      'Manual evidence due for 1 controls:',
      '  security-lead: GOV-01',
    ]);
    expect(digest.overdue).toBe(1);
  });

  it('takes the due days by severity from the configuration', () => {
    const dueDays = configSchema.parse({ alerts: { dueDays: { high: 60 } } }).alerts!.dueDays;
    const digest = failingDigest(states, controls, at, { checks, dueDays });
    expect(digest.overdue).toBe(0);
    expect(digest.body.split('\n')[0]).toMatch(/^CRITICAL ACS-04 /);
  });
});
