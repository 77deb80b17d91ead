import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArchiveInputError } from '../../../core/archive/period.ts';
import { sampleRank } from '../../../core/archive/sample.ts';
import type { DigestObject, Manifest } from '../../../core/archive/types.ts';
import { verifyArchive } from '../../../core/archive/verify.ts';
import { IntegrityError } from '../../../core/artifact.ts';
import type { Scope } from '../../../core/model.ts';
import { LocalSigner, publicKeyFingerprint } from '../../../core/signing.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import type { EvidenceStore } from '../../../core/stores/store.ts';
import {
  archiveToBuffer,
  archiveToFile,
  historyCollectors,
  run,
  unzipToMemory,
} from '../../support/archive.ts';
import {
  collectorOfCheck,
  type DayPlan,
  daysFrom,
  historyControls,
  widgetsCollector,
  writeHistory,
} from '../../support/evidence-history.ts';

const SCOPES: Scope[] = [
  { source: 'aws', id: '111122223333' },
  { source: 'aws', id: '444455556666' },
];
/** Ten days of daily collections: a failure on the 4th, every collection failing on the 6th, one scope missed on the 8th. */
const plan = (day: string, scope: Scope): DayPlan =>
  day === '2026-03-04' && scope.id === '444455556666'
    ? 'fail'
    : day === '2026-03-06'
      ? 'error'
      : day === '2026-03-08' && scope.id === '444455556666'
        ? 'skip'
        : 'pass';
const PERIOD = { from: '2026-03-01', to: '2026-03-12' };

type Row = Record<string, string>;
const csvRows = (text: string): Row[] => parse(text, { columns: true }) as Row[];
const file = (files: { name: string; bytes: Buffer }[], name: string) => {
  const f = files.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in the archive`);
  return f.bytes.toString('utf8');
};

async function digestsOf(
  store: EvidenceStore,
  tamper?: (entries: object[]) => void,
): Promise<DigestObject[]> {
  const entries: object[] = (await store.listArtifacts()).map((r) => ({
    key: r.key,
    sha256: r.sha256,
    size: r.size,
  }));
  tamper?.(entries);
  const half = Math.ceil(entries.length / 2);
  return [entries.slice(0, half), entries.slice(half)].map((artifacts, i) => ({
    key: `digests/2026/03/digest-${i}.json`,
    bytes: Buffer.from(JSON.stringify({ artifacts })),
  }));
}

describe('evidence archive', () => {
  let dir: string;
  let store: LocalStore;
  let signer: LocalSigner;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-archive-'));
    store = await LocalStore.open(join(dir, 'store'));
    signer = await LocalSigner.open(join(dir, 'store'));
    await writeHistory(store, daysFrom('2026-03-01', 10), plan, SCOPES);
    return () => store.close();
  });

  it('passes sha256sum -c, openssl dgst -verify and unzip -t run as external processes, and proofline verify', async () => {
    const path = join(dir, 'soc2.zip');
    await archiveToFile(path, store, signer, {
      ...PERIOD,
      sample: { perControl: 2, seed: 's' },
      digests: await digestsOf(store),
    });

    const tested = run('unzip', ['-t', path], dir);
    expect(tested.status, tested.stderr).toBe(0);
    expect(tested.stdout).toContain('No errors detected');
    const out = join(dir, 'unzipped');
    expect(run('unzip', ['-q', path, '-d', out], dir).status).toBe(0);

    const sums = run('sha256sum', ['-c', 'SHA256SUMS'], out);
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    const lines = sums.stdout.trim().split('\n');
    expect(lines.every((l) => l.endsWith(': OK'))).toBe(true);
    expect(lines.some((l) => l.startsWith('evidence/source=aws/collector=test.widgets/'))).toBe(true);
    expect(lines).toContain('manifest.json: OK');

    const signature = run(
      'openssl',
      ['dgst', '-sha256', '-verify', 'public-key.pem', '-signature', 'manifest.sig', 'signing-input.txt'],
      out,
    );
    expect(signature.stdout.trim(), signature.stderr).toBe('Verified OK');
    expect(signature.status).toBe(0);

    // README steps 1, 3 and 5, as an auditor would run them.
    const fingerprint = run(
      'bash',
      ['-c', 'openssl pkey -pubin -in public-key.pem -outform DER | sha256sum'],
      out,
    );
    expect(fingerprint.stdout.split(' ')[0]).toBe(publicKeyFingerprint(await signer.publicKeyPem()));
    const signed = await readFile(join(out, 'signing-input.txt'), 'utf8');
    const hashes = run('sha256sum', ['manifest.json', 'SHA256SUMS'], out).stdout.trim().split('\n');
    expect(signed).toContain(`manifest-sha256: ${hashes[0]!.split(' ')[0]}`);
    expect(signed).toContain(`sha256sums-sha256: ${hashes[1]!.split(' ')[0]}`);
    const readme = await readFile(join(out, 'README.txt'), 'utf8');
    const extraCheck = readme
      .split('\n')
      .find((l) => l.trim().startsWith('find . -type f'))!
      .trim();
    const extra = run('bash', ['-c', extraCheck], out);
    expect(extra.status, extra.stdout + extra.stderr).toBe(0);
    expect(extra.stdout).toBe('');
    await writeFile(join(out, 'evidence', 'planted.json'), '{}');
    expect(run('bash', ['-c', extraCheck], out).stdout).toContain('evidence/planted.json');

    const report = await verifyArchive(path, { fingerprint: fingerprint.stdout.split(' ')[0]! });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, signatureValid: true, keyTrusted: true });
  });

  it('controls.csv scores each control per expected occurrence, naming the gaps; a period past the last collection is clipped', async () => {
    const { zip, manifest } = await archiveToBuffer(store, signer, PERIOD);
    const files = await unzipToMemory(zip);
    const rows = csvRows(file(files, 'controls.csv'));
    expect(rows.map((r) => `${r.requirement}/${r.control}`)).toEqual([
      'CC6.1/WID-01',
      'CC6.6/WID-01',
      'CC7.2/WID-02',
    ]);
    expect(rows[0]).toMatchObject({
      owner: 'platform',
      status_at_period_end: 'passing',
      cadence: 'collection: daily (test.widgets rate(1 day)), 10 expected',
      // The last collection is on 03-10, so the period ends there: 10 daily occurrences.
      // 03-01..03-03, 03-07, 03-09, 03-10 met; 03-04 failing, 03-05 failing until re-evaluated;
      // 03-06 every collection failed, 03-08 one scope missed.
      occurrences_expected: '10',
      occurrences_met: '6',
      pct_met: '60.0',
      occurrences_failing: '2',
      occurrences_excepted: '0',
      occurrences_missed: '2',
      failing: '2026-03-04..2026-03-05',
      gaps:
        'test.widgets 111122223333-global: collection failed 2026-03-06 | ' +
        'test.widgets 444455556666-global: not collected 2026-03-08; collection failed 2026-03-06',
      checks: 'test.widgets.locked',
      findings: '1',
      // Its occurrences, then the resources its check judged and the alerts it raised.
      population: 'populations/WID-01.csv populations/resources/WID-01.csv populations/alerts/WID-01.csv',
      evidence_files: String(manifest.evidence.count),
      evidence_folders:
        'evidence/source=aws/collector=test.widgets/scope=111122223333-global evidence/source=aws/collector=test.widgets/scope=444455556666-global',
    });
    // 2 scopes × 10 days, less the missed collection: error artifacts are evidence of the gap, so they are included.
    expect(manifest.evidence.count).toBe(19);
    expect(manifest.period).toMatchObject({
      from: '2026-03-01',
      to: '2026-03-10',
      days: 10,
      timeZone: 'UTC',
      requested: PERIOD,
      clipped:
        "--to 2026-03-12 is after what can be judged (the store's last collection was at 2026-03-10T10:00:00.000Z): the period ends 2026-03-10",
    });
    expect(file(files, 'README.txt')).toContain(`clipped: ${manifest.period.clipped}`);
    // What failed: the unlocked widget, once, with its reason and evidence.
    const findings = csvRows(file(files, 'findings.csv'));
    expect(findings.filter((f) => f.control === 'WID-01')).toEqual([
      expect.objectContaining({
        check: 'test.widgets.locked',
        severity: 'high',
        resource: '444455556666/w2',
        first_failing: '2026-03-04T10:00:00.000Z',
        last_failing: '2026-03-04T10:00:00.000Z',
        days_failing: '1',
        latest_reason: 'unlocked',
        last_seen: 'pass',
        last_seen_at: '2026-03-10T10:00:00.000Z',
        first_evidence: expect.stringMatching(/scope=444455556666-global\/dt=2026-03-04\//),
      }),
    ]);
    expect(csvRows(file(files, 'checks.csv'))).toContainEqual(
      expect.objectContaining({
        check: 'test.widgets.locked',
        title: 'Widgets are locked',
        reads: 'test widgets',
        severity: 'high',
        control: 'WID-01',
        requirement: 'CC6.6',
      }),
    );
    const population = csvRows(file(files, 'populations/WID-01.csv'));
    expect(population.map((r) => `${r.item} ${r.status}`)).toEqual([
      '2026-03-01 met',
      '2026-03-02 met',
      '2026-03-03 met',
      '2026-03-04 failing',
      '2026-03-05 failing',
      '2026-03-06 missed',
      '2026-03-07 met',
      '2026-03-08 missed',
      '2026-03-09 met',
      '2026-03-10 met',
    ]);
    expect(population[3]!.detail).toBe('444455556666/w2: unlocked');
    expect(population[7]!.detail).toBe('test.widgets 444455556666-global: not collected');
    expect(manifest.artifacts.filter((a) => a.status === 'error')).toHaveLength(2);
    expect(manifest.artifacts[0]).toMatchObject({
      collector: 'test.widgets',
      scope: '111122223333-global',
      controls: ['WID-01', 'WID-02'],
      requirements: ['CC6.1', 'CC6.6', 'CC7.2'],
    });
  });

  it('judges as evaluate does: a source the store holds nothing of is outside the deployment, never a gap', async () => {
    const entra = {
      ...widgetsCollector(() => 'pass'),
      id: 'test.entra-users',
      source: 'entra' as const,
      checks: [{ ...widgetsCollector(() => 'pass').checks[0]!, id: 'test.entra.mfa' }],
    };
    const both = { ...historyControls[0]!, id: 'WID-03', checks: ['test.widgets.locked', 'test.entra.mfa'] };
    const { zip } = await archiveToBuffer(store, signer, {
      from: '2026-03-01',
      to: '2026-03-10',
      controls: [historyControls[0]!, both],
      collectorOfCheck: new Map([...collectorOfCheck, ['test.entra.mfa', 'test.entra-users']]),
      collectors: [...historyCollectors, entra],
    });
    const files = await unzipToMemory(zip);
    const rows = csvRows(file(files, 'controls.csv')).filter((r) => r.requirement === 'CC6.1');
    const [alone, withEntra] = rows;
    expect(withEntra).toMatchObject({
      control: 'WID-03',
      // WID-03 was never evaluated, so its failing slots come from stored findings; its gaps are WID-01's.
      occurrences_expected: alone!.occurrences_expected,
      occurrences_missed: alone!.occurrences_missed,
      gaps: alone!.gaps,
    });
    expect(file(files, 'completeness.csv')).not.toContain('test.entra-users');
  });

  it('an empty period gives a complete, signed archive that says it holds no evidence', async () => {
    const { zip, manifest, fingerprint } = await archiveToBuffer(store, signer, {
      from: '2025-01-01',
      to: '2025-01-31',
    });
    expect(manifest.evidence).toEqual({ count: 0, bytes: 0, empty: true });
    const files = await unzipToMemory(zip);
    expect(files.filter((f) => f.name.startsWith('evidence/'))).toEqual([]);
    expect(file(files, 'README.txt')).toContain(
      'Evidence:    NONE. No evidence was collected in this period',
    );
    const rows = csvRows(file(files, 'controls.csv'));
    expect(rows).toHaveLength(3);
    for (const row of rows)
      expect(row).toMatchObject({
        status_at_period_end: 'not_evaluated',
        occurrences_expected: '31',
        occurrences_met: '0',
        pct_met: '0.0',
        occurrences_missed: '31',
        gaps: 'test.widgets: not collected 2025-01-01..2025-01-31',
        evidence_files: '0',
      });
    expect((await verifyArchive(zip, { fingerprint })).ok).toBe(true);
  });

  it('draws occurrences: the same sample for the same seed, another for another seed, sized by frequency unless told', async () => {
    const draw = async (seed: string, perControl?: number) => {
      const { zip } = await archiveToBuffer(store, signer, {
        from: '2026-03-01',
        to: '2026-03-10',
        sample: { ...(perControl ? { perControl } : {}), seed },
      });
      return csvRows(file(await unzipToMemory(zip), 'samples.csv'));
    };
    const occurrences = (rows: Row[]) => rows.filter((r) => r.population_file === 'populations/WID-01.csv');
    const first = await draw('audit-2026', 3);
    expect(await draw('audit-2026', 3)).toEqual(first);
    expect((await draw('another', 3)).map((r) => r.item)).not.toEqual(first.map((r) => r.item));
    expect(occurrences(first)).toHaveLength(3);
    expect(first[0]).toMatchObject({
      control: 'WID-01',
      frequency: 'daily',
      population: '10',
      population_file: 'populations/WID-01.csv',
      sample_size: '3',
      seed: 'audit-2026',
      draw: '1',
    });
    // The rank an auditor recomputes: sha256("<seed>\n<control>\n<item>").
    expect(first[0]!.rank).toBe(sampleRank('audit-2026', 'WID-01', first[0]!.item!));
    expect(first[0]!.item).toMatch(/^collection 2026-03-\d\d$/);
    // Occurrences and item populations of both controls, each drawn on its own, without repeats.
    const populations = new Set(first.map((r) => `${r.control} ${r.population_file}`));
    expect(first).toHaveLength(3 * populations.size);
    expect(new Set(first.map((r) => `${r.control} ${r.item}`)).size).toBe(first.length);
    // A daily control's default sample is 25, here the whole population of 10.
    const byFrequency = await draw('x');
    expect(occurrences(byFrequency)).toHaveLength(10);
  });

  it('--control and --scope narrow the evidence and the requirements; unknown names are errors', async () => {
    const { manifest } = await archiveToBuffer(store, signer, {
      ...PERIOD,
      onlyControls: ['WID-02'],
      scopes: ['444455556666'],
    });
    expect(manifest.controls).toEqual(['WID-02']);
    expect(manifest.requirements).toEqual(['CC7.2']);
    expect(manifest.scope).toEqual(['444455556666']);
    expect(manifest.artifacts.length).toBe(9);
    expect(manifest.artifacts.every((a) => a.scope === '444455556666-global')).toBe(true);

    await expect(archiveToBuffer(store, signer, { ...PERIOD, onlyControls: ['NOPE-01'] })).rejects.toThrow(
      new ArchiveInputError('unknown control "NOPE-01"'),
    );
    await expect(archiveToBuffer(store, signer, { from: '2026-03-12', to: '2026-03-01' })).rejects.toThrow(
      '--to 2026-03-01 is before --from 2026-03-12',
    );
    await expect(archiveToBuffer(store, signer, { from: '2026-02-30', to: '2026-03-01' })).rejects.toThrow(
      '--from "2026-02-30" is not a date: use YYYY-MM-DD',
    );
  });

  it('lists the full catalog when given: a requirement no control meets is shown, and titles are kept', async () => {
    const { zip } = await archiveToBuffer(store, signer, {
      ...PERIOD,
      requirements: [
        { id: 'CC1.1', title: 'Commitment to integrity and ethical values', framework: 'soc2' },
        { id: 'CC6.1', title: 'Logical access security', framework: 'soc2' },
      ],
    });
    const rows = csvRows(file(await unzipToMemory(zip), 'controls.csv'));
    expect(rows.map((r) => [r.requirement, r.requirement_title, r.control, r.status_at_period_end])).toEqual([
      ['CC1.1', 'Commitment to integrity and ethical values', '', 'no internal control'],
      ['CC6.1', 'Logical access security', 'WID-01', 'passing'],
      ['CC6.6', '', 'WID-01', 'passing'],
      ['CC7.2', '', 'WID-02', 'passing'],
    ]);
    expect(rows[0]).toMatchObject({ occurrences_expected: '0', population: '', evidence_files: '0' });
  });

  it('ISO 27001: maps clauses and Annex A controls, writes soa.csv from the statuses controls.csv gives', async () => {
    const { zip, manifest } = await archiveToBuffer(store, signer, {
      ...PERIOD,
      framework: 'iso27001',
      soa: (statusOf) => [
        {
          control: 'A.8.5',
          theme: 'technological',
          title: 'Secure authentication',
          applicable: true,
          justification: 'cloud',
          implementedBy: ['WID-01'],
          status: statusOf('WID-01'),
          risks: ['R-01'],
          evidence: 'automated',
          links: [
            { control: 'WID-01', by: ['test.widgets.locked'], rationale: 'Locked widgets authenticate.' },
          ],
        },
        {
          control: 'A.7.4',
          theme: 'physical',
          title: 'Physical security monitoring',
          applicable: false,
          justification: 'no premises',
          implementedBy: [],
          status: 'not_applicable',
          risks: [],
          evidence: 'none',
          links: [],
        },
      ],
    });
    expect(manifest.requirements).toEqual(['9.2', 'A.8.5']);
    const files = await unzipToMemory(zip);
    const a85 = csvRows(file(files, 'controls.csv')).find((r) => r.requirement === 'A.8.5')!;
    // The SoA's status of A.8.5 is the one controls.csv gives its control at the end of the period.
    expect(a85.status_at_period_end).toBe('passing');
    expect(file(files, 'soa.csv')).toBe(
      'annex_a_control,theme,title,applicable,justification,implemented_by,status,risks,evidence,evidenced_by\n' +
        'A.8.5,technological,Secure authentication,yes,cloud,WID-01,passing,R-01,automated,WID-01 [test.widgets.locked]: Locked widgets authenticate.\n' +
        'A.7.4,physical,Physical security monitoring,no,no premises,,not_applicable,,none,\n',
    );
    expect(file(files, 'README.txt')).toContain('soa.csv');
  });

  it('exceptions.csv is a header alone without exceptions, and lists those in force during the period', async () => {
    const none = await archiveToBuffer(store, signer, PERIOD);
    expect(file(await unzipToMemory(none.zip), 'exceptions.csv')).toBe(
      'id,control,resource,owner,approved_by,reason,created_at,expires_at,revoked_at,status_at_period_end\n',
    );
    const exception = (id: string, createdAt: string, expiresAt: string) => ({
      id,
      control: 'WID-01',
      owner: 'platform',
      approvedBy: 'ciso',
      reason: 'legacy widget, replaced in Q2',
      createdAt,
      expiresAt,
    });
    const some = await archiveToBuffer(store, signer, {
      ...PERIOD,
      exceptions: [
        exception('EX-1', '2026-02-01T00:00:00.000Z', '2026-03-05T00:00:00.000Z'),
        exception('EX-2', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
      ],
    });
    const rows = csvRows(file(await unzipToMemory(some.zip), 'exceptions.csv'));
    expect(rows).toEqual([
      expect.objectContaining({
        id: 'EX-1',
        resource: '*',
        approved_by: 'ciso',
        status_at_period_end: 'expired',
      }),
    ]);
  });

  it('verify checks digests: consistent ones pass; a digest disagreeing or missing an evidence file is named', async () => {
    const good = await archiveToBuffer(store, signer, { ...PERIOD, digests: await digestsOf(store) });
    expect((await verifyArchive(good.zip)).problems).toEqual([]);
    expect(good.manifest.digests.map((d) => d.path)).toEqual([
      'digests/2026/03/digest-0.json',
      'digests/2026/03/digest-1.json',
    ]);

    const victim = good.manifest.artifacts[3]!;
    const dropped = good.manifest.artifacts[7]!;
    const tampered = await archiveToBuffer(store, signer, {
      ...PERIOD,
      digests: await digestsOf(store, (entries) => {
        const list = entries as { key: string; sha256: string }[];
        list.find((e) => e.key === victim.key)!.sha256 = '0'.repeat(64);
        list.splice(
          list.findIndex((e) => e.key === dropped.key),
          1,
        );
      }),
    });
    const report = await verifyArchive(tampered.zip);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      {
        file: victim.path,
        message: expect.stringMatching(
          /^digests\/2026\/03\/digest-\d\.json lists SHA-256 0{64} \(\d+ bytes\), the manifest /,
        ),
      },
      { file: dropped.path, message: 'in no digest included in the archive' },
    ]);
  });

  it('verify holds the archive to a trusted key or fingerprint when given one', async () => {
    const { zip, fingerprint } = await archiveToBuffer(store, signer, PERIOD);
    const trusted = await verifyArchive(zip, { publicKeyPem: await signer.publicKeyPem() });
    expect(trusted).toMatchObject({ ok: true, keyTrusted: true, fingerprint });
    const other = await LocalSigner.open(join(dir, 'other-key'));
    const untrusted = await verifyArchive(zip, { publicKeyPem: await other.publicKeyPem() });
    expect(untrusted.problems.map((p) => p.file)).toEqual(['public-key.pem', 'manifest.sig']);
    const wrongFingerprint = await verifyArchive(zip, { fingerprint: 'ab'.repeat(32) });
    expect(wrongFingerprint.problems).toEqual([
      {
        file: 'public-key.pem',
        message: `has fingerprint ${fingerprint}, not the trusted ${'ab'.repeat(32)}`,
      },
    ]);
  });

  it('streams from stores without openArtifactStream through getArtifact, with identical evidence', async () => {
    const withStream = await archiveToBuffer(store, signer, PERIOD);
    const plain: EvidenceStore = Object.create(store, { openArtifactStream: { value: undefined } });
    expect(plain.openArtifactStream).toBeUndefined();
    const withoutStream = await archiveToBuffer(plain, signer, PERIOD);
    const evidence = (m: Manifest) => m.files.filter((f) => f.path.startsWith('evidence/'));
    expect(evidence(withoutStream.manifest)).toEqual(evidence(withStream.manifest));
    expect((await verifyArchive(withoutStream.zip, { fingerprint: withoutStream.fingerprint })).ok).toBe(
      true,
    );
  });

  /** Two days of evidence in a store of their own; `alter` changes the second day's file; the export must stop. */
  async function exportAfterAltering(
    alter: (path: string) => Promise<void>,
    message: (key: string) => string,
  ) {
    const tamperStore = await LocalStore.open(await mkdtemp(join(tmpdir(), 'proofline-tamper-')));
    try {
      await writeHistory(tamperStore, ['2026-03-01', '2026-03-02'], () => 'pass');
      const [, second] = await tamperStore.listArtifacts();
      await alter(tamperStore.pathOf(second!.key));
      const attempt = archiveToBuffer(tamperStore, signer, { from: '2026-03-01', to: '2026-03-02' });
      await expect(attempt).rejects.toThrow(IntegrityError);
      await expect(attempt).rejects.toThrow(message(second!.key));
    } finally {
      await tamperStore.close();
    }
  }

  it('refuses to export evidence whose stored bytes no longer match the index', async () => {
    await exportAfterAltering(
      async (path) => {
        await chmod(path, 0o644);
        const bytes = await readFile(path);
        bytes[10] = bytes[10]! ^ 1;
        await writeFile(path, bytes);
      },
      (key) => `${key}: the stored file has SHA-256`,
    );
  });

  it('refuses to export when an indexed evidence file is gone from the store folder, naming it', async () => {
    await exportAfterAltering(
      (path) => rm(path),
      (key) => `${key}: indexed, but`,
    );
  });

  it('--compress deflates the files: smaller, and still intact for unzip -t and verify', async () => {
    const stored = await archiveToBuffer(store, signer, PERIOD);
    const deflated = await archiveToBuffer(store, signer, { ...PERIOD, compress: true });
    expect(deflated.zip.length).toBeLessThan(stored.zip.length * 0.6);
    expect(deflated.manifest.files).toEqual(stored.manifest.files);
    const path = join(dir, 'deflated.zip');
    await writeFile(path, deflated.zip);
    expect(run('unzip', ['-t', path], dir).status).toBe(0);
    expect((await verifyArchive(path)).problems).toEqual([]);
  });

  it('verify reports a file that is not a zip', async () => {
    const notZip = join(dir, 'not.zip');
    await writeFile(notZip, 'hello');
    const report = await verifyArchive(notZip);
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({
      file: '(archive)',
      message: expect.stringContaining('not a readable zip'),
    });
  });
});
