import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { checkCatalog } from '../../core/collector.ts';
import { FINDINGS_COLUMNS } from '../../core/findings-export/rows.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { dateIn, runCli, storeWithPublicBucket } from '../support/cli.ts';

const checks = checkCatalog(collectors);
const PUBLIC = 'arn:aws:s3:::public-site';
const PRIVATE = 'arn:aws:s3:::private';

/** The public-bucket store, evaluated. */
async function evaluated(): Promise<string> {
  const store = await storeWithPublicBucket();
  expect((await runCli(['--store', store, 'evaluate'])).code).toBe(0);
  return store;
}

/** Runs `findings` into a new file and returns what the command printed and the file's text. */
async function findings(store: string, ...args: string[]) {
  const out = join(await mkdtemp(join(tmpdir(), 'proofline-findings-')), 'findings.out');
  const run = await runCli(['--store', store, 'findings', '--out', out, ...args]);
  return { ...run, text: run.code === 0 ? await readFile(out, 'utf8') : '' };
}
const csvRows = (text: string) => parse(text, { columns: true }) as Record<string, string>[];

describe('proofline findings --format csv', () => {
  it('writes every current finding with status, severity, reason, fix, control, requirements and evidence key', async () => {
    const store = await evaluated();
    const { code, out, text } = await findings(store, '--format', 'csv');
    expect(code).toBe(0);
    expect(text.split('\n')[0]).toBe(FINDINGS_COLUMNS.join(','));
    const rows = csvRows(text).filter((r) => r.control === 'DATA-02');
    const pab = checks.get('aws.s3.public-access-block')!;
    expect(rows.find((r) => r.resource === PUBLIC && r.check === pab.id)).toMatchObject({
      severity: pab.severity,
      last_seen: 'fail',
      latest_reason: expect.stringContaining('public-site'),
      remediation: pab.remediation,
      latest_evidence: expect.stringMatching(/^evidence\/source=aws\/collector=aws\.s3\.buckets\//),
      first_failing: '',
      days_failing: '',
    });
    expect(rows.find((r) => r.resource === PRIVATE && r.check === pab.id)?.last_seen).toBe('pass');
    const requirements = rows[0]!.requirements!.split(' ');
    expect(requirements.some((r) => r.startsWith('soc2:'))).toBe(true);
    expect(requirements.some((r) => r.startsWith('iso27001:'))).toBe(true);
    expect(out).toMatch(
      /^Findings: .*findings\.out, csv: \d+ \(\d+ failing, \d+ passing, \d+ not applicable\)$/m,
    );
  });

  it('narrows to failing findings and to one framework', async () => {
    const store = await evaluated();
    const failing = csvRows((await findings(store, '--format', 'csv', '--failing')).text);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.every((r) => r.last_seen === 'fail')).toBe(true);
    const soc2 = csvRows((await findings(store, '--format', 'csv', '--framework', 'soc2')).text);
    expect(soc2.length).toBeGreaterThan(0);
    expect(soc2.every((r) => r.requirements!.split(' ').every((q) => q.startsWith('soc2:')))).toBe(true);
  });

  it('names the exception that covers a failing finding', async () => {
    const store = await evaluated();
    const added = await runCli([
      ...['--store', store, 'exception', 'add', '--control', 'DATA-02', '--resource', PUBLIC],
      ...[
        '--reason',
        'public website',
        '--owner',
        'platform',
        '--approved-by',
        'dana',
        '--expires',
        dateIn(30),
      ],
    ]);
    const id = /EXC-[0-9A-F]{10}/.exec(added.out)![0];
    const rows = csvRows((await findings(store, '--format', 'csv', '--failing')).text);
    expect(rows.filter((r) => r.control === 'DATA-02').map((r) => r.exceptions)).toContain(id);
  });

  it('states a failed latest collection as a gap instead of leaving its findings out silently', async () => {
    const dir = await storeWithPublicBucket();
    const store = await LocalStore.open(dir);
    await store.putArtifact({
      collector: 'aws.s3.buckets',
      scope: { source: 'aws', id: '111122223333' },
      collectedAt: new Date(Date.now() - 60_000).toISOString(),
      schemaVersion: 1,
      status: 'error',
      error: { code: 'AccessDenied', message: 'not allowed', httpStatus: 403 },
    });
    await store.close();
    const { code, out, text } = await findings(dir, '--format', 'csv');
    expect(code).toBe(0);
    expect(csvRows(text).filter((r) => r.check!.startsWith('aws.s3.'))).toEqual([]);
    expect(out).toMatch(
      /^no current findings for aws\.s3\.buckets 111122223333-global: its latest collection \(.+\) failed$/m,
    );
  });
});

describe('proofline findings, bad input', () => {
  it('refuses an unknown format, a missing account for asff and a folder that does not exist, in one line each', async () => {
    const store = await evaluated();
    const xml = await findings(store, '--format', 'xml');
    expect(xml.code).toBe(2);
    expect(xml.err).toContain("option '--format <format>' argument 'xml' is invalid");
    const asff = await findings(store, '--format', 'asff', '--region', 'eu-west-1');
    expect(asff).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^proofline: --format asff needs --aws-account/),
    });
    expect(asff.err.split('\n')).toHaveLength(1);
    const missing = await runCli([
      '--store',
      store,
      'findings',
      '--format',
      'csv',
      '--out',
      '/nonexistent/dir/f.csv',
    ]);
    expect(missing).toMatchObject({
      code: 2,
      err: 'proofline: cannot write /nonexistent/dir/f.csv: its folder does not exist',
    });
  });
});
