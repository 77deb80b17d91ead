import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequirementRow } from '../../core/requirements.ts';
import { runCli, tempStore } from '../support/cli.ts';

/** A terminal wide enough that no line wraps: these tests read whole lines. */
const WIDE = { width: 1000, color: false };

let store: string;
beforeEach(async () => {
  store = await tempStore();
});

describe('proofline controls --framework', () => {
  it('soc2 lists all 61 criteria, each with internal controls, owners and a status', async () => {
    const { code, out } = await runCli(['--store', store, 'controls', '--framework', 'soc2', '--json']);
    expect(code).toBe(0);
    const rows = JSON.parse(out) as RequirementRow[];
    expect(rows).toHaveLength(61);
    for (const row of rows) {
      expect(row.controls.length, row.id).toBeGreaterThan(0);
      expect(row.owners.length, row.id).toBeGreaterThan(0);
    }
    // an empty store: automated controls have no evidence, manual ones are waiting for uploads
    expect(rows.find((r) => r.id === 'CC6.1')?.status).toBe('no_evidence');
    expect(rows.find((r) => r.id === 'CC1.2')?.status).toBe('manual_due');
    // every row carries its links: what evidences the requirement, and why
    const cc66 = rows.find((r) => r.id === 'CC6.6')!;
    expect(cc66.evidence).toBe('automated');
    expect(cc66.links).toContainEqual({
      control: 'DATA-02',
      by: ['aws.s3.public-access-block'],
      rationale: expect.stringMatching(/internet/),
    });
    expect(rows.find((r) => r.id === 'CC1.2')?.evidence).toBe('manual');
  });

  it('iso27001 lists the clauses and all 93 Annex A controls (A.8.28 included) as a table', async () => {
    const { code, out } = await runCli(['--store', store, 'controls', '--framework', 'iso27001']);
    expect(code).toBe(0);
    expect(out).toContain('ISO/IEC 27001 2022: 123 requirements');
    const lines = out.split('\n');
    expect(lines.filter((l) => /^A\.[5-8]\.\d+ /.test(l))).toHaveLength(93);
    expect(lines.filter((l) => /^(?:[4-9]|10)\.\d/.test(l))).toHaveLength(30);
    expect(lines.find((l) => l.startsWith('A.8.28 '))).toMatch(/SDLC-03/);
  });

  it('writes each requirement with its evidence and links as CSV', async () => {
    const file = join(store, 'iso.csv');
    const { code } = await runCli(['--store', store, 'controls', '--framework', 'iso27001', '--csv', file]);
    expect(code).toBe(0);
    const records = parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(expect.arrayContaining(['evidence', 'links']));
    const a816 = records.find((r) => r.requirement === 'A.8.16')!;
    expect(a816.evidence).toBe('automated');
    expect(a816.links).toContain('GH-05 [github.audit-log.policy-weakening]: ');
  });

  it('refuses an unknown framework as a usage error', async () => {
    expect((await runCli(['--store', store, 'controls', '--framework', 'nist'])).code).toBe(2);
  });
});

describe('proofline controls --coverage', () => {
  it('prints per framework the requirements with automated evidence, manual only, and the counts', async () => {
    const { code, out } = await runCli(['--store', store, 'controls', '--coverage'], WIDE);
    expect(code).toBe(0);
    const soc2 = out.match(
      /^SOC 2: (\d+) of 61 criteria with automated evidence \((\d+) manual only, 0 none\)$/m,
    );
    expect(Number(soc2?.[1]) + Number(soc2?.[2])).toBe(61);
    expect(out).toMatch(
      /^ISO 27001: \d+ of 93 Annex A controls with automated evidence .*; \d+ of 30 clauses/m,
    );
    // A1.3 (recovery testing) is automated through restore-testing plans, not through S3 versioning being on
    const automated = out.slice(out.indexOf('automated evidence'), out.indexOf('manual evidence only'));
    expect(automated).toMatch(
      /\n {2}A1\.3 [^\n]*\n( {6}[^\n]*\n)* {6}BAK-03 \[aws\.backup\.restore-testing\]/,
    );
    expect(automated).toMatch(/\n {6}OPS-03 \[aws\.backup\.restore-testing manual\]: Restore testing plans/);
  });

  it('prints one framework as JSON: counts per kind and every requirement with its evidence and links', async () => {
    const { code, out } = await runCli([
      '--store',
      store,
      'controls',
      '--coverage',
      '--framework',
      'iso27001',
      '--json',
    ]);
    expect(code).toBe(0);
    const [iso] = JSON.parse(out);
    expect(iso.framework).toBe('iso27001');
    expect(iso.counts.control.total).toBe(93);
    expect(iso.counts.clause).toMatchObject({ total: 30, automated: 0 });
    const a818 = iso.requirements.find((r: { id: string }) => r.id === 'A.8.18');
    expect(a818).toMatchObject({ evidence: 'manual', links: [{ control: 'ACS-04', by: ['manual'] }] });
    const automated = iso.requirements.filter((r: { evidence: string }) => r.evidence === 'automated');
    expect(automated).toHaveLength(iso.counts.control.automated);
  });

  it('refuses --coverage with --crosswalk or --csv as a usage error', async () => {
    expect((await runCli(['--store', store, 'controls', '--coverage', '--crosswalk'])).code).toBe(2);
    expect((await runCli(['--store', store, 'controls', '--coverage', '--csv'])).code).toBe(2);
  });
});

describe('proofline controls --crosswalk', () => {
  it('writes the crosswalk as CSV: SOC 2 criterion, ISO requirement, shared controls', async () => {
    const file = join(store, 'crosswalk.csv');
    const { code, out } = await runCli(['--store', store, 'controls', '--crosswalk', '--csv', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/Crosswalk: \d+ pairs written to/);
    const records = parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([
      'soc2',
      'iso27001',
      'shared_controls',
      'shared_evidence',
      'automated',
    ]);
    expect(records.length).toBeGreaterThan(100);
    expect(records.find((r) => r.soc2 === 'CC6.1' && r.iso27001 === 'A.5.17')?.shared_controls).toContain(
      'IAM-02',
    );
  });

  it('prints the crosswalk as a table by default', async () => {
    const { out } = await runCli(['--store', store, 'controls', '--crosswalk'], WIDE);
    expect(out).toMatch(/^SOC 2\s+ISO 27001\s+SHARED EVIDENCE/);
    expect(out).toMatch(/^CC6\.1\s+A\.5\.17\s+.*IAM-02 \[aws\.iam\.console-users-mfa\]/m);
    expect(out).toMatch(/pairs share the evidence of a control/);
  });
});

describe('proofline controls', () => {
  it('lists every internal control with type, owner and status', async () => {
    const { out } = await runCli(['--store', store, 'controls', '--json']);
    const rows = JSON.parse(out) as { id: string; type: string; status: string }[];
    expect(rows.length).toBeGreaterThanOrEqual(70);
    expect(rows.find((r) => r.id === 'IAM-01')).toMatchObject({ type: 'automated', status: 'no_evidence' });
    expect(rows.find((r) => r.id === 'HR-01')).toMatchObject({ type: 'manual', status: 'manual_due' });
  });
});
