import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNANCE_DIR } from '../../controls/governance.ts';
import { GOVERNANCE_COLLECTOR } from '../../core/governance.ts';
import type { SoaRow } from '../../core/soa.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { runCli, tempStore } from '../support/cli.ts';

let store: string;
beforeEach(async () => {
  store = await tempStore();
});

const copyGovernance = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-gov-'));
  await cp(DEFAULT_GOVERNANCE_DIR, dir, { recursive: true });
  return dir;
};
const governanceCopies = async () => {
  const s = await LocalStore.open(store);
  try {
    return await s.listArtifacts({ collector: GOVERNANCE_COLLECTOR });
  } finally {
    await s.close();
  }
};

describe('proofline soa', () => {
  it('writes the Statement of Applicability as CSV: 93 rows, with the shipped exclusion and its justification', async () => {
    const file = join(store, 'soa.csv');
    const { code, out } = await runCli(['--store', store, 'soa', '--csv', file]);
    expect(code).toBe(0);
    expect(out).toContain('93 Annex A controls written to');
    const rows = parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(93);
    expect(Object.keys(rows[0]!)).toEqual([
      'annex_a_control',
      'theme',
      'title',
      'applicable',
      'justification',
      'implemented_by',
      'status',
      'risks',
      'evidence',
      'evidenced_by',
    ]);
    const a830 = rows.find((r) => r.annex_a_control === 'A.8.30')!;
    expect(a830).toMatchObject({ applicable: 'no', status: 'not_applicable' });
    expect(a830.justification).toContain('No software development is outsourced');
    const a817 = rows.find((r) => r.annex_a_control === 'A.8.17')!;
    expect(a817).toMatchObject({ applicable: 'yes', implemented_by: 'MON-01', risks: 'R-05' });
    // Clocks rest on MON-01's manual evidence: its log-delivery check says nothing about time sources.
    expect(a817.evidence).toBe('manual');
    expect(a817.evidenced_by).toMatch(/^MON-01 \[manual\]: .*clock/i);
    const a85 = rows.find((r) => r.annex_a_control === 'A.8.5')!;
    expect(a85.evidence).toBe('automated');
    expect(a85.evidenced_by).toContain('IAM-01 [aws.iam.root-mfa]: ');
  });

  it('prints JSON with every row carrying implementing controls, status and risks', async () => {
    const { out } = await runCli(['--store', store, 'soa', '--json']);
    const rows = JSON.parse(out) as SoaRow[];
    expect(rows).toHaveLength(93);
    for (const r of rows.filter((r) => r.applicable)) {
      expect(r.implementedBy.length, r.control).toBeGreaterThan(0);
      expect(['passing', 'failing', 'manual_due', 'no_evidence', 'excepted']).toContain(r.status);
    }
  });

  it('fails with a clear message when an exclusion has no justification', async () => {
    const dir = await copyGovernance();
    await writeFile(join(dir, 'applicability.yaml'), 'exclusions:\n  - control: A.7.12\n');
    const { code, err } = await runCli(['--store', store, '--governance', dir, 'soa']);
    expect(code).toBe(1);
    expect(err).toContain(`proofline: ${join(dir, 'applicability.yaml')}: exclusion A.7.12: justification:`);
  });
});

describe('proofline governance', () => {
  it('reports risks without a treating control and controls treating no risk, recording nothing', async () => {
    const { code, out } = await runCli(['--store', store, 'governance', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.risksWithoutControls.map((r: { id: string }) => r.id)).toEqual(['R-15']);
    expect(report.controlsWithoutRisk.map((c: { id: string }) => c.id)).toContain('SDLC-04');
    expect(report.unownedControls).toEqual([]);
    expect(
      report.requestList.filter((r: { outstanding: string[] }) => r.outstanding.length).length,
    ).toBeGreaterThan(0);
    expect(report.governanceEvidence).toBeNull();
    expect(await governanceCopies()).toEqual([]);
    const recorded = JSON.parse((await runCli(['--store', store, 'governance', '--json', '--record'])).out);
    expect(recorded.governanceEvidence).toMatch(
      /^evidence\/source=manual\/collector=proofline\.governance\//,
    );
    expect(await governanceCopies()).toHaveLength(1);
  });

  it('with --record, keeps a copy of the governance files in the store only when they change', async () => {
    const dir = await copyGovernance();
    await runCli(['--store', store, '--governance', dir, 'governance', '--record']);
    await runCli(['--store', store, '--governance', dir, 'governance', '--record']);
    await runCli(['--store', store, '--governance', dir, 'soa', '--json']);
    expect(await governanceCopies()).toHaveLength(1);
    const risks = join(dir, 'risks.yaml');
    await writeFile(
      risks,
      (await readFile(risks, 'utf8')).replace('likelihood: 4\n    impact: 4', 'likelihood: 5\n    impact: 4'),
    );
    const { out } = await runCli(['--store', store, '--governance', dir, 'governance', '--record']);
    expect(out).toContain('(new copy)');
    const copies = await governanceCopies();
    expect(copies).toHaveLength(2);
    const s = await LocalStore.open(store);
    try {
      const { artifact } = await s.getArtifact(copies[1]!.key);
      const files = (artifact as { snapshot: { files: { name: string; text: string }[] } }).snapshot.files;
      expect(files.find((f) => f.name === 'risks.yaml')?.text).toBe(await readFile(risks, 'utf8'));
    } finally {
      await s.close();
    }
  });

  it('names the file, risk and field of an invalid risk register', async () => {
    const dir = await copyGovernance();
    await writeFile(
      join(dir, 'risks.yaml'),
      'risks:\n  - { id: R-01, description: d, likelihood: 3, impact: 3, treatment: mitigate, owner: platform, controls: [NOPE-01] }\n',
    );
    const { code, err } = await runCli(['--store', store, '--governance', dir, 'governance']);
    expect(code).toBe(1);
    expect(err).toContain(`${join(dir, 'risks.yaml')}: risk R-01: controls: unknown control "NOPE-01"`);
  });
});
