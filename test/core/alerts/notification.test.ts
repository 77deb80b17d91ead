import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.ts';
import { alertKind, buildNotification } from '../../../core/alerts/notification.ts';
import { failingDigest } from '../../../core/alerts/notify.ts';
import { checkCatalog } from '../../../core/collector.ts';
import type { Control, ControlState, Finding, Transition } from '../../../core/model.ts';

const control: Control = {
  id: 'IAM-02',
  title: 'Console users sign in with MFA',
  objective: 'Every person with console access authenticates with a second factor.',
  owner: 'cloud-security',
  type: 'automated',
  checks: ['aws.iam.console-users-mfa'],
  soc2: ['CC6.1'],
  iso27001: ['A.5.17', 'A.8.5'],
  links: [],
};
const key =
  'evidence/source=aws/collector=aws.iam.credential-report/scope=123456789012-global/dt=2026-11-27/20261127T100000Z-' +
  'a'.repeat(64) +
  '.json';
const bob: Finding = {
  check: 'aws.iam.console-users-mfa',
  resource: 'arn:aws:iam::123456789012:user/bob',
  status: 'fail',
  reason: 'console user bob has no MFA device',
};
const carol: Finding = {
  ...bob,
  resource: 'arn:aws:iam::123456789012:user/carol',
  reason: 'console user carol has no MFA device',
};
const transition = (over: Partial<Transition>): Transition => ({
  control: 'IAM-02',
  from: 'passing',
  to: 'failing',
  at: '2026-11-27T10:00:00.000Z',
  since: '2026-11-27T10:00:00.000Z',
  failing: [bob, carol],
  newlyFailing: [bob, carol],
  recovered: [],
  evidence: [key],
  ...over,
});
const ctx = { control, severityOf: () => 'high' as const, ownerContacts: ['sec@acme.example'] };

describe('alertKind', () => {
  it.each([
    [{ from: 'passing', to: 'failing' }, 'Control Failing'],
    [{ from: 'failing', to: 'failing', newlyFailing: [carol] }, 'Control Failing'],
    [{ from: 'failing', to: 'failing', newlyFailing: [], recovered: [carol] }, undefined],
    [{ from: 'failing', to: 'passing' }, 'Control Recovered'],
    [{ from: 'no_evidence', to: 'passing' }, 'Control Recovered'],
    [{ from: null, to: 'passing' }, undefined],
    [{ from: 'failing', to: 'excepted' }, undefined],
    [{ from: 'excepted', to: 'passing' }, undefined],
    [{ from: 'passing', to: 'no_evidence' }, 'Evidence Missing'],
    [{ from: 'passing', to: 'manual_due' }, 'Manual Evidence Due'],
  ] as [Partial<Transition>, string | undefined][])('%o → %s', (over, kind) => {
    expect(alertKind(transition(over))).toBe(kind);
  });
});

describe('buildNotification', () => {
  it('names the control, resources and account in an ASCII subject, with filterable attributes', () => {
    const n = buildNotification(transition({}), ctx);
    expect(n?.subject).toBe('[FAILING] IAM-02 Console users sign in with MFA - 2 resources (123456789012)');
    expect(n?.attributes).toEqual({
      severity: 'high',
      owner: 'cloud-security',
      control: 'IAM-02',
      status: 'failing',
    });
    expect(n?.body).toContain('Owner: cloud-security (sec@acme.example)');
    expect(n?.body).toContain('SOC 2: CC6.1   ISO 27001: A.5.17, A.8.5');
    expect(n?.body).toContain(
      'NEW arn:aws:iam::123456789012:user/bob: console user bob has no MFA device [aws.iam.console-users-mfa]',
    );
    expect(n?.body).toContain(key);
    expect(n?.body).toContain('proofline exception add --control IAM-02');
  });

  it('keeps the subject under 100 characters', () => {
    const long = { ...control, title: 'x'.repeat(200) };
    expect(buildNotification(transition({}), { ...ctx, control: long })?.subject.length).toBeLessThan(100);
  });

  it('lists what recovered', () => {
    const n = buildNotification(
      transition({ from: 'failing', to: 'passing', failing: [], newlyFailing: [], recovered: [bob] }),
      ctx,
    );
    expect(n?.subject).toBe(
      '[RECOVERED] IAM-02 Console users sign in with MFA - 1 resource fixed (123456789012)',
    );
    expect(n?.detail.recovered).toEqual([{ check: bob.check, resource: bob.resource }]);
  });
});

describe('failingDigest', () => {
  it('summarises the controls still needing attention, oldest first', () => {
    const state = (control: string, status: ControlState['status'], since: string): ControlState => ({
      control,
      status,
      since,
      evaluatedAt: '2026-11-27T00:00:00.000Z',
      failing: status === 'failing' ? [bob] : [],
      findingCount: 1,
      resourceCount: 1,
      evidence: [],
      gaps: [],
    });
    const digest = failingDigest(
      [
        state('IAM-02', 'failing', '2026-11-20T00:00:00.000Z'),
        state('IAM-01', 'passing', '2026-11-01T00:00:00.000Z'),
        state('IAM-02', 'no_evidence', '2026-11-25T00:00:00.000Z'),
      ],
      [control],
      '2026-11-27T00:00:00.000Z',
      { checks: checkCatalog(collectors) },
    );
    expect(digest.open).toBe(2);
    expect(digest.body.split('\n')[0]).toBe(
      'HIGH IAM-02 Console users sign in with MFA: failing for 7 days, due 2026-12-20, 1 resources (owner cloud-security)',
    );
  });
});

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

describe('event detail schema (docs/alerts.md)', () => {
  it('every alert detail validates against the published JSON schema', async () => {
    const schema = JSON.parse(
      await readFile(new URL('../../../core/alerts/event-detail.schema.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const details = [
      transition({}),
      transition({ from: 'failing', to: 'passing', failing: [], newlyFailing: [], recovered: [bob] }),
      transition({ to: 'no_evidence', failing: [], newlyFailing: [] }),
    ].map((t) => buildNotification(t, ctx)?.detail);
    for (const detail of details) expect(validate(detail), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...details[0], status: 'broken' })).toBe(false);
  });
});
