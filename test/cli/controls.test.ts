import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequirementRow } from '../../core/requirements.ts';
import { runCli, tempStore } from '../support/cli.ts';

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

  it('refuses an unknown framework as a usage error', async () => {
    expect((await runCli(['--store', store, 'controls', '--framework', 'nist'])).code).toBe(2);
  });
});

describe('proofline controls --crosswalk', () => {
  it('writes the crosswalk as CSV: SOC 2 criterion, ISO requirement, shared controls', async () => {
    const file = join(store, 'crosswalk.csv');
    const { code, out } = await runCli(['--store', store, 'controls', '--crosswalk', '--csv', file]);
    expect(code).toBe(0);
    expect(out).toMatch(/Crosswalk: \d+ pairs written to/);
    const records = parse(await readFile(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(['soc2', 'iso27001', 'shared_controls']);
    expect(records.length).toBeGreaterThan(100);
    expect(records.find((r) => r.soc2 === 'CC6.1' && r.iso27001 === 'A.5.17')?.shared_controls).toContain(
      'IAM-02',
    );
  });

  it('prints the crosswalk as a table by default', async () => {
    const { out } = await runCli(['--store', store, 'controls', '--crosswalk']);
    expect(out).toMatch(/^SOC 2\s+ISO 27001\s+SHARED CONTROLS/);
    expect(out).toMatch(/pairs share internal controls/);
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
