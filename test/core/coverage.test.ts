import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS_PATH, loadControls } from '../../controls/catalog.ts';
import { loadFrameworks } from '../../controls/frameworks.ts';
import type { Control, RequirementLink } from '../../core/model.ts';
import { coverage, coverageHeadline, type Frameworks, requirementRows } from '../../core/requirements.ts';
import { control, knownChecks } from '../support/catalog.ts';

let frameworks: Frameworks;
beforeAll(async () => {
  frameworks = await loadFrameworks();
});

const link = (framework: 'soc2' | 'iso27001', requirement: string, by: string[]): RequirementLink => ({
  framework,
  requirement,
  by,
  rationale: `why ${requirement}`,
});

// A hybrid control: its check evidences CC6.1 and A.5.9; its manual evidence alone stands behind CC3.2.
const hybrid = control({
  id: 'AST-01',
  type: 'hybrid',
  checks: ['aws.config.recorder-on'],
  soc2: ['CC6.1', 'CC3.2'],
  iso27001: ['A.5.9'],
  links: [
    link('soc2', 'CC6.1', ['aws.config.recorder-on', 'manual']),
    link('soc2', 'CC3.2', ['manual']),
    link('iso27001', 'A.5.9', ['aws.config.recorder-on']),
  ],
});

describe('coverage', () => {
  it('counts a requirement as automated only through a link that names a check', () => {
    const { rows, counts } = coverage(frameworks.soc2, [hybrid]);
    expect(rows.find((r) => r.id === 'CC6.1')).toMatchObject({
      evidence: 'automated',
      links: [{ control: 'AST-01', by: ['aws.config.recorder-on', 'manual'], rationale: 'why CC6.1' }],
    });
    expect(rows.find((r) => r.id === 'CC3.2')?.evidence).toBe('manual');
    expect(rows.find((r) => r.id === 'CC1.1')).toMatchObject({ evidence: 'none', links: [] });
    expect(counts.criterion).toEqual({ total: 61, automated: 1, manual: 1, none: 59 });
    expect(coverageHeadline('soc2', counts)).toBe(
      'SOC 2: 1 of 61 criteria with automated evidence (1 manual only, 59 none)',
    );
  });

  it('counts ISO clauses and Annex A controls apart', () => {
    const { counts } = coverage(frameworks.iso27001, [hybrid]);
    expect(counts.control).toEqual({ total: 93, automated: 1, manual: 0, none: 92 });
    expect(counts.clause).toEqual({ total: 30, automated: 0, manual: 0, none: 30 });
    expect(coverageHeadline('iso27001', counts)).toMatch(
      /^ISO 27001: 1 of 93 Annex A controls with automated evidence \(0 manual only, 92 none\); 0 of 30 clauses/,
    );
  });

  it('gives requirement rows the same evidence and links', () => {
    const rows = requirementRows(frameworks.soc2, [hybrid], () => 'passing');
    expect(rows.find((r) => r.id === 'CC3.2')).toMatchObject({
      evidence: 'manual',
      links: [{ control: 'AST-01', by: ['manual'], rationale: 'why CC3.2' }],
    });
  });
});

describe('the built-in catalog after the mapping review', () => {
  let controls: Control[];
  beforeAll(async () => {
    controls = await loadControls(DEFAULT_CONTROLS_PATH, knownChecks());
  });
  const linkOf = (id: string, requirement: string) =>
    controls.find((c) => c.id === id)?.links.find((l) => l.requirement === requirement);

  it('rests clocks, utilities, asset return and environment separation on manual evidence', () => {
    const iso = coverage(frameworks.iso27001, controls).rows;
    for (const id of ['A.5.11', 'A.8.17', 'A.8.18', 'A.8.31'])
      expect(iso.find((r) => r.id === id)?.evidence, id).toBe('manual');
  });

  it('automates risk identification, malware and software installation only through checks that bear on them', () => {
    const checksBehind = (framework: 'soc2' | 'iso27001', id: string) =>
      new Set(
        coverage(frameworks[framework], controls)
          .rows.find((r) => r.id === id)
          ?.links.flatMap((l) => l.by.filter((b) => b !== 'manual')),
      );
    // vulnerability identification (a CC3.2 point of focus), never the configuration recorder
    for (const check of checksBehind('soc2', 'CC3.2'))
      expect(check).toMatch(/^(aws\.inspector2\.|github\.repo\.dependabot-alerts$)/);
    // malware detection and restricting which software runs, never the configuration recorder
    expect([...checksBehind('soc2', 'CC6.8')].sort()).toEqual([
      'aws.guardduty.enabled',
      'aws.guardduty.malware-protection',
      'github.org.actions-allowed-restricted',
      'github.repo.actions-allowed-restricted',
    ]);
    expect([...checksBehind('iso27001', 'A.8.19')].sort()).toEqual([
      'aws.ssm.association-compliance',
      'aws.ssm.patch-failures',
    ]);
  });

  it('automates recovery testing only through restore tests, never through versioning', () => {
    const a13 = coverage(frameworks.soc2, controls).rows.find((r) => r.id === 'A1.3');
    const automated = a13?.links.filter((l) => l.by.some((b) => b !== 'manual')) ?? [];
    expect(new Set(automated.flatMap((l) => l.by.filter((b) => b !== 'manual')))).toEqual(
      new Set(['aws.backup.restore-testing']),
    );
  });

  it('automates retention and disposal only through the lifecycle expiration of customer data', () => {
    const soc2 = coverage(frameworks.soc2, controls).rows;
    for (const id of ['C1.2', 'P4.2', 'P4.3']) {
      const row = soc2.find((r) => r.id === id);
      expect(row?.evidence, id).toBe('automated');
      expect(new Set(row?.links.flatMap((l) => l.by.filter((b) => b !== 'manual'))), id).toEqual(
        new Set(['aws.s3.customer-data-expiration']),
      );
    }
  });

  it('fixes the reviewed links', () => {
    expect(linkOf('HR-04', 'A.5.11')?.by).toEqual(['manual']);
    for (const requirement of ['CC6.2', 'A.5.18', 'A.6.5'])
      expect(linkOf('HR-04', requirement)?.by, requirement).toEqual(
        expect.arrayContaining(['access-review.orphaned-access', 'okta.users.deactivated-app-assignments']),
      );
    expect(controls.find((c) => c.id === 'HR-04')?.checks).not.toContain('aws.iam.unused-credentials');
    expect(linkOf('OPS-03', 'A.8.14')?.by).not.toContain('aws.s3.versioning');
    expect(linkOf('MON-01', 'A.8.17')?.by).toEqual(['manual']);
    expect(linkOf('CHG-02', 'CC6.8')?.by).toEqual(['manual']);
    expect(linkOf('ACS-04', 'A.8.18')?.by).toEqual(['manual']);
    expect(linkOf('GH-17', 'A.8.31')).toBeUndefined();
    expect(linkOf('AST-01', 'CC3.2')?.by).toEqual(['manual']);
    expect(linkOf('IAM-01', 'CC6.2')).toBeUndefined();
    expect(controls.find((c) => c.id === 'GH-14')?.checks).toEqual(['github.repo.inactive-archived']);
    for (const requirement of ['CC7.2', 'A.8.16'])
      expect(linkOf('GH-05', requirement)?.by, requirement).toEqual(['github.audit-log.policy-weakening']);
  });
});
