import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrameworks } from '../../controls/frameworks.ts';
import { exceptionStates } from '../../core/exceptions.ts';
import { type Governance, governanceReport } from '../../core/governance.ts';
import type { ControlResult, ControlStatus } from '../../core/model.ts';
import { type Frameworks, requirementRows, worstStatus } from '../../core/requirements.ts';
import { control } from '../support/catalog.ts';

let frameworks: Frameworks;
beforeAll(async () => {
  frameworks = await loadFrameworks();
});

const controls = [
  control({
    id: 'IAM-01',
    owner: 'cloud-security',
    type: 'automated',
    checks: ['c'],
    soc2: ['CC6.1'],
    iso27001: ['A.8.2'],
  }),
  control({ id: 'ACS-03', owner: 'security-lead', soc2: ['CC6.1', 'CC6.2'], iso27001: ['A.8.2'] }),
  control({ id: 'PHY-05', owner: 'workplace', iso27001: ['A.7.12'] }),
];
const result = (id: string, status: ControlStatus, extra: Partial<ControlResult> = {}): ControlResult => ({
  control: id,
  status,
  failing: [],
  findingCount: 0,
  resourceCount: 0,
  evidence: [],
  gaps: [],
  ...extra,
});
const governance: Governance = {
  dir: '/g',
  owners: { 'cloud-security': [{ name: 'Sam', email: 'sam@example.com' }], 'security-lead': [] },
  risks: [
    {
      id: 'R-01',
      description: 'takeover',
      likelihood: 3,
      impact: 5,
      treatment: 'mitigate',
      owner: 'cloud-security',
      controls: ['IAM-01'],
    },
    {
      id: 'R-02',
      description: 'breach cost',
      likelihood: 1,
      impact: 5,
      treatment: 'transfer',
      owner: 'cloud-security',
      controls: [],
    },
  ],
  applicability: { exclusions: [{ control: 'A.7.12', justification: 'no offices' }], inclusions: [] },
  files: [],
};

describe('worstStatus', () => {
  it('ranks failing > no_evidence > manual_due > excepted > passing', () => {
    expect(worstStatus(['passing', 'excepted'])).toBe('excepted');
    expect(worstStatus(['excepted', 'manual_due', 'passing'])).toBe('manual_due');
    expect(worstStatus(['manual_due', 'no_evidence'])).toBe('no_evidence');
    expect(worstStatus(['no_evidence', 'failing', 'passing'])).toBe('failing');
    expect(worstStatus([])).toBeUndefined();
  });
});

describe('requirementRows', () => {
  it('lists every requirement of the framework with its controls, owners and worst status', () => {
    const statusOf = (id: string) =>
      (({ 'IAM-01': 'passing', 'ACS-03': 'manual_due' }) as Record<string, ControlStatus>)[id] ??
      'no_evidence';
    const rows = requirementRows(frameworks.soc2, controls, statusOf);
    expect(rows).toHaveLength(61);
    expect(rows.find((r) => r.id === 'CC6.1')).toMatchObject({
      status: 'manual_due',
      controls: [
        { id: 'IAM-01', owner: 'cloud-security', status: 'passing' },
        { id: 'ACS-03', owner: 'security-lead', status: 'manual_due' },
      ],
      owners: ['cloud-security', 'security-lead'],
    });
    expect(rows.find((r) => r.id === 'CC1.1')).toMatchObject({ status: 'no_control', controls: [] });
  });
});

describe('governanceReport', () => {
  const report = (results: ControlResult[], exceptions = exceptionStates([], new Date())) =>
    governanceReport({ controls, frameworks, governance, results, exceptions });

  it('reports risks without a treating control and controls treating no risk', () => {
    const r = report([]);
    expect(r.risksWithoutControls.map((k) => k.id)).toEqual(['R-02']);
    expect(r.controlsWithoutRisk.map((c) => c.id)).toEqual(['ACS-03', 'PHY-05']);
  });

  it('reports controls whose owner role has nobody', () => {
    expect(report([]).unownedControls.map((c) => c.id)).toEqual(['ACS-03', 'PHY-05']);
  });

  it('reports requirements whose controls are not implemented, skipping excluded Annex A controls', () => {
    const r = report([
      result('IAM-01', 'failing'),
      result('ACS-03', 'passing'),
      result('PHY-05', 'manual_due'),
    ]);
    const ids = r.requestList
      .filter((row) => row.outstanding.length > 0)
      .map((row) => `${row.framework}:${row.requirement}`);
    expect(ids).toContain('soc2:CC6.1'); // IAM-01 failing
    expect(ids).not.toContain('soc2:CC6.2'); // only ACS-03, passing
    expect(ids).toContain('iso27001:A.8.2');
    expect(ids).not.toContain('iso27001:A.7.12'); // excluded in the SoA
    expect(ids).toContain('soc2:CC1.1'); // no control at all
    expect(r.manualDue.map((c) => c.id)).toEqual(['PHY-05']);
  });

  it('reports expired exceptions only while their control still fails', () => {
    const grant = {
      kind: 'grant' as const,
      id: 'EXC-000000000A',
      control: 'IAM-01',
      reason: 'r',
      owner: 'o',
      approvedBy: 'a',
      grantedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-02-01T00:00:00.000Z',
    };
    const views = exceptionStates([{ record: grant }], new Date('2026-11-27T00:00:00.000Z'));
    const stillFailing = report(
      [result('IAM-01', 'failing', { expiredExceptions: ['EXC-000000000A'] })],
      views,
    );
    expect(stillFailing.expiredExceptions.map((e) => e.grant.id)).toEqual(['EXC-000000000A']);
    expect(report([result('IAM-01', 'passing')], views).expiredExceptions).toEqual([]);
  });
});
