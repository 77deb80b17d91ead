import { describe, expect, it } from 'vitest';
import { reportData } from '../../core/report/html/data.ts';
import { EVIDENCE_KEYS, reportInput } from './fixtures.ts';

describe('reportData', () => {
  const data = reportData(reportInput());
  const byId = (id: string) => data.controls.find((c) => c.id === id)!;

  it('counts a requirement as automated only through a link naming a check, manual through manual evidence', () => {
    const soc2 = data.frameworks.find((f) => f.id === 'soc2')!;
    // CC6.1 and CC8.1 by checks, CC6.2 by manual evidence, CC9.9 by nothing.
    expect(soc2.coverage).toEqual({ automated: 2, manual: 1, none: 1 });
    const iso = data.frameworks.find((f) => f.id === 'iso27001')!;
    // A.5.1 is mapped by ISO-ONLY without a link and by GOV-01's manual link: manual, not automated.
    expect(iso.coverage).toEqual({ automated: 1, manual: 1, none: 0 });
    expect(soc2.controls).toMatchObject({ failing: 2, manual_due: 1, not_evaluated: 0 });
    expect(iso.controls).toMatchObject({ failing: 1, manual_due: 1, not_evaluated: 1 });
  });

  it('gives each failing finding its severity, remediation, console link and the evidence of its collector', () => {
    const [root, key] = byId('IAM-01').failing;
    expect(root).toMatchObject({
      severity: 'critical',
      remediation: 'Assign an MFA device to root.',
      consoleUrl: 'https://console.aws.amazon.com/iam/home#/security_credentials',
      evidence: [EVIDENCE_KEYS.iam],
      source: 'aws',
    });
    expect(key!.severity).toBe('low');
    expect(byId('IAM-01').severity).toBe('critical');
    expect(byId('GH-01').failing[0]).toMatchObject({
      consoleUrl: 'https://github.com/acme/web',
      evidence: [EVIDENCE_KEYS.gh],
    });
  });

  it('puts every failing check of one resource in one place, most controls first', () => {
    expect(data.resources.map((r) => r.resource)).toEqual(['acme/web', 'arn:aws:iam::123456789012:root']);
    expect(data.resources[0]!.items.map((i) => [i.control, i.finding.check])).toEqual([
      ['IAM-01', 't.key-age'],
      ['GH-01', 't.branch-protection'],
    ]);
    expect(data.resources[0]!.severity).toBe('high');
  });

  it('lists what each owner must do with their people, failing first by severity, passing controls left out', () => {
    expect(data.owners.map((o) => o.role)).toEqual(['cloud-security', 'engineering', 'security-lead']);
    expect(data.owners[0]!.people[0]!.email).toBe('sam.okafor@example.com');
    expect(data.owners[0]!.items[0]).toMatchObject({ control: 'IAM-01', severity: 'critical', resources: 2 });
    expect(data.owners[2]!.items.map((i) => [i.control, i.status])).toEqual([
      ['ISO-ONLY', 'not_evaluated'],
      ['GOV-01', 'manual_due'],
    ]);
  });

  it('draws a strip only for automated controls, as runs of equal days', () => {
    expect(byId('IAM-01').strip!.runs).toEqual([
      { status: 'passing', start: 0, length: 4 },
      { status: 'no_evidence', start: 4, length: 2 },
      { status: 'failing', start: 6, length: 4 },
    ]);
    expect(byId('GOV-01').strip).toBeNull();
    expect(byId('GOV-01').manualEvidence).toMatchObject({ everyDays: 365, dueBy: null });
  });

  it('trends the daily passing share of automated controls, blank on days without evidence', () => {
    expect(data.trend).toEqual([0.5, 0.5, 0.5, 0.5, null, null, 0, 0, 0, 0]);
  });

  it('keeps to one framework when asked', () => {
    const iso = reportData(reportInput({ framework: 'iso27001' }));
    expect(iso.controls.map((c) => c.id)).toEqual(['IAM-01', 'GOV-01', 'ISO-ONLY']);
    expect(iso.frameworks.map((f) => f.id)).toEqual(['iso27001']);
    expect(iso.controls[0]!.mappings.map((m) => m.requirement)).toEqual(['A.8.5']);
  });
});
