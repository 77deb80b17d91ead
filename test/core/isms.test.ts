import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../core/archive/period.ts';
import type { Governance } from '../../core/governance.ts';
import { ISMS_FILES, ismsArchiveFiles } from '../../core/isms/archive.ts';
import { type NcRecord, ncStates } from '../../core/isms/nc.ts';
import { appendIsmsRecord } from '../../core/isms/records.ts';
import { type FileVersion, riskChanges } from '../../core/isms/register.ts';
import { controlTrends } from '../../core/isms/review.ts';
import { type SoaApproval, soaApprovalStatus, soaContentHash } from '../../core/isms/soa-approval.ts';
import type { Transition } from '../../core/model.ts';
import type { SoaRow } from '../../core/soa.ts';
import { LocalStore } from '../../core/stores/local-store.ts';

const DAY = 86_400_000;
const row = (control: string, justification: string, status: SoaRow['status'] = 'passing') =>
  ({
    control,
    theme: 'technological',
    title: control,
    applicable: true,
    justification,
    implementedBy: ['X-1'],
    status,
    risks: [],
    evidence: 'automated',
    links: [],
  }) as SoaRow;

describe('SoA approval', () => {
  const rows = [row('A.8.1', 'baseline')];
  const approval = (approvedAt: string): { record: SoaApproval; key: string } => ({
    record: {
      kind: 'soa-approval',
      version: '1',
      approver: 'Alex',
      sha256: soaContentHash(rows),
      approvedAt,
      recordedBy: 'dana',
    },
    key: 'k',
  });
  const approvedAt = '2026-03-01T10:00:00.000Z';

  it('is current within the allowed age, whatever the controls status, and stale one day past it', () => {
    const within = soaApprovalStatus(
      [approval(approvedAt)],
      [row('A.8.1', 'baseline', 'failing')],
      new Date(Date.parse(approvedAt) + 365 * DAY),
      365,
    );
    expect(within).toMatchObject({ stale: false, changedAfterApproval: false });
    expect(within.gap).toBeUndefined();
    const stale = soaApprovalStatus(
      [approval(approvedAt)],
      rows,
      new Date(Date.parse(approvedAt) + 366 * DAY),
      365,
    );
    expect(stale.stale).toBe(true);
    expect(stale.gap).toContain('366 days old, more than the 365 allowed');
  });

  it('is changed after approval when a justification changes, and unapproved before its approval', () => {
    const asOf = new Date(Date.parse(approvedAt) + DAY);
    expect(
      soaApprovalStatus([approval(approvedAt)], [row('A.8.1', 'other')], asOf).changedAfterApproval,
    ).toBe(true);
    expect(soaApprovalStatus([approval(approvedAt)], rows, new Date(Date.parse(approvedAt) - DAY)).gap).toBe(
      'the Statement of Applicability has never been approved',
    );
  });
});

describe('control trends', () => {
  it('is the share of the judged time in the period a control passed', () => {
    const t = (at: string, to: Transition['to']): Transition =>
      ({ control: 'C-1', from: null, to, at }) as Transition;
    const [trend] = controlTrends(
      ['C-1'],
      [
        t('2026-01-01T00:00:00.000Z', 'passing'),
        t('2026-01-08T00:00:00.000Z', 'failing'),
        t('2026-01-09T00:00:00.000Z', 'passing'),
      ],
      '2026-01-05T00:00:00.000Z',
      '2026-01-15T00:00:00.000Z',
    );
    expect(trend).toEqual({
      control: 'C-1',
      atStart: 'passing',
      atEnd: 'passing',
      passingPct: 90,
      changes: 2,
    });
  });
});

describe('risk register history', () => {
  const version = (at: string, risks: object[]): { record: FileVersion; key: string } => ({
    record: {
      kind: 'version',
      file: 'risks.yaml',
      sha256: 'a'.repeat(64),
      text: '',
      data: { risks },
      recordedBy: 'dana',
      recordedAt: at,
    },
    key: `key-${at}`,
  });
  const risk = (id: string, likelihood: number) => ({
    id,
    description: 'd',
    likelihood,
    impact: 3,
    treatment: 'mitigate',
    owner: 'o',
    controls: ['X-1'],
  });

  it('lists added, changed (with the fields) and removed risks of the versions recorded in the period', () => {
    const versions = [
      version('2026-01-01T00:00:00.000Z', [risk('R-1', 2), risk('R-2', 2)]),
      version('2026-02-01T00:00:00.000Z', [risk('R-1', 4), risk('R-3', 1)]),
    ];
    expect(riskChanges(versions, '2026-01-15T00:00:00.000Z', '2026-03-01T00:00:00.000Z')).toEqual([
      {
        at: '2026-02-01T00:00:00.000Z',
        by: 'dana',
        evidence: 'key-2026-02-01T00:00:00.000Z',
        risk: 'R-1',
        change: 'changed',
        fields: ['likelihood'],
      },
      {
        at: '2026-02-01T00:00:00.000Z',
        by: 'dana',
        evidence: 'key-2026-02-01T00:00:00.000Z',
        risk: 'R-3',
        change: 'added',
        fields: [],
      },
      {
        at: '2026-02-01T00:00:00.000Z',
        by: 'dana',
        evidence: 'key-2026-02-01T00:00:00.000Z',
        risk: 'R-2',
        change: 'removed',
        fields: [],
      },
    ]);
  });
});

describe('nonconformity states', () => {
  it('are as the records before the given time leave them; an open one past its due day is overdue', () => {
    const who = (recordedAt: string) => ({ recordedBy: 'dana', recordedAt });
    const records: { record: NcRecord; key: string }[] = [
      {
        record: {
          kind: 'open',
          id: 'NC-0000000A',
          source: 'incident',
          description: 'd',
          owner: 'it',
          due: '2026-02-01',
          ...who('2026-01-01T00:00:00.000Z'),
        },
        key: 'k1',
      },
      {
        record: { kind: 'update', id: 'NC-0000000A', action: 'fix', ...who('2026-01-02T00:00:00.000Z') },
        key: 'k2',
      },
      {
        record: {
          kind: 'close',
          id: 'NC-0000000A',
          effectiveness: 'checked',
          ...who('2026-03-01T00:00:00.000Z'),
        },
        key: 'k3',
      },
    ];
    expect(ncStates(records, new Date('2026-02-15T00:00:00.000Z'))[0]).toMatchObject({
      state: 'open',
      action: 'fix',
      overdue: true,
      evidence: ['k1', 'k2'],
    });
    expect(ncStates(records, new Date('2026-03-02T00:00:00.000Z'))[0]).toMatchObject({
      state: 'closed',
      overdue: false,
      effectiveness: 'checked',
    });
  });
});

describe('the ISMS files of an archive', () => {
  it('hold the records as they stood at the archive clock, not at the wall clock', async () => {
    const day = new Date(Date.now() - 10 * DAY).toISOString().slice(0, 10);
    const now = new Date(`${day}T12:00:00.000Z`);
    const store = await LocalStore.open(await mkdtemp(join(tmpdir(), 'proofline-isms-')));
    try {
      const open = (id: string, at: Date) =>
        appendIsmsRecord(
          store,
          'nc',
          (recordedAt) => ({
            kind: 'open',
            id,
            source: 'incident',
            description: 'd',
            owner: 'it',
            due: day,
            recordedBy: 'dana',
            recordedAt,
          }),
          at,
        );
      await open('NC-0000000A', new Date(now.getTime() - 3_600_000));
      await open('NC-0000000B', new Date(now.getTime() + 3_600_000));
      const files = await ismsArchiveFiles(
        {
          store,
          controls: [],
          governance: { risks: [] } as unknown as Governance,
          files: {},
          soaMaxAgeDays: 365,
        },
        { period: parsePeriod(day, day), status: new Map(), findings: [], now },
      );
      const register = files.find((f) => f.path === ISMS_FILES.nonconformities)!.text;
      expect(register).toContain('NC-0000000A');
      expect(register).not.toContain('NC-0000000B');
    } finally {
      await store.close();
    }
  });
});
