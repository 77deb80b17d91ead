import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { pullRequests } from '../../../collectors/github/pull-requests/index.ts';
import type { PullRequestsSnapshot } from '../../../collectors/github/pull-requests/snapshot.ts';
import type { ArchiveException, DigestObject } from '../../../core/archive/types.ts';
import { verifyArchive } from '../../../core/archive/verify.ts';
import { EXCEPTION_COLLECTOR, type ExceptionGrant } from '../../../core/exceptions.ts';
import { MANUAL_EVIDENCE_COLLECTOR, manualEvidenceSnapshot } from '../../../core/manual-evidence.ts';
import type { Control } from '../../../core/model.ts';
import { collectTargets, evaluateStore } from '../../../core/pipeline.ts';
import { LocalSigner } from '../../../core/signing.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import { openSqlite } from '../../../core/stores/sqlite.ts';
import { archiveToFile, run } from '../../support/archive.ts';
import {
  daysFrom,
  historyControls,
  collectorOfCheck as widgetChecks,
  widgetsCollector,
  writeHistory,
} from '../../support/evidence-history.ts';

/**
 * A year of evidence written with the product's own pipeline, archived as an auditor asks for it:
 * a daily control (with a missed collection, a deleted collection, failures and an exception), a quarterly and
 * an annual manual control, and the merged pull requests behind change approval (with a hole in the windows).
 */
const YEAR = daysFrom('2026-01-01', 365);
const DAILY = historyControls[0]!;
const manual = (id: string, everyDays: number, description: string): Control => ({
  id,
  title: description,
  objective: description,
  owner: 'security',
  type: 'manual',
  checks: [],
  manualEvidence: { description, everyDays },
  soc2: ['CC1.2'],
  iso27001: ['9.3'],
  links: [],
});
const QUARTERLY = manual('QTR-01', 90, 'access review sign-off');
const ANNUAL = manual('GOV-12', 365, 'management review minutes');
const CHANGES: Control = {
  id: 'GH-07',
  title: 'Changes are approved by someone other than their author',
  objective: 'No unreviewed change reaches production.',
  owner: 'engineering',
  type: 'automated',
  checks: ['github.pr.independent-approval'],
  soc2: ['CC8.1'],
  iso27001: ['A.8.32'],
  links: [],
};
const CONTROLS = [DAILY, QUARTERLY, ANNUAL, CHANGES];
const collectorOfCheck = new Map([
  ...widgetChecks,
  ['github.pr.independent-approval', 'github.pull-requests'],
]);
const collectors = [widgetsCollector(() => 'pass'), pullRequests];

const WIDGET_PLAN = (day: string) =>
  day === '2026-05-10'
    ? 'skip'
    : ['2026-07-04', '2026-08-10', '2026-08-11', '2026-08-12'].includes(day)
      ? 'fail'
      : 'pass';
const EXCEPTION: ExceptionGrant = {
  kind: 'grant',
  id: 'EXC-0123456789',
  control: DAILY.id,
  reason: 'widget w2 is being replaced',
  owner: 'platform',
  approvedBy: 'ciso',
  grantedAt: '2026-08-01T09:00:00.000Z',
  expiresAt: '2026-08-31T23:59:59.999Z',
};
const UPLOADS: [Control, string][] = [
  [QUARTERLY, '2026-02-15'],
  [QUARTERLY, '2026-05-20'],
  [QUARTERLY, '2026-11-03'],
  [ANNUAL, '2026-03-10'],
];
const MINUTES = Buffer.from('%PDF-1.4 minutes of the management review\n');

const MERGED = [
  { number: 40, author: 'alice', approvers: ['bob'], mergedAt: '2025-12-20T12:00:00.000Z', title: 'old' },
  {
    number: 41,
    author: 'alice',
    approvers: ['bob'],
    mergedAt: '2026-03-14T12:00:00.000Z',
    title: 'Add logging',
  },
  {
    number: 42,
    author: 'carol',
    approvers: [],
    mergedAt: '2026-03-15T16:00:00.000Z',
    title: 'Hotfix payments',
  },
];
/** Every 20 days from Jan 1, a 30-day look-back, none on 06-10 and 06-30 (a hole), and one on Dec 31. */
const PR_DAYS = [...YEAR.filter((_, i) => i % 20 === 0), '2026-12-31'].filter(
  (d) => d !== '2026-06-10' && d !== '2026-06-30',
);
const DAY_MS = 86_400_000;
function prSnapshot(day: string): PullRequestsSnapshot {
  const until = new Date(`${day}T10:00:00.000Z`);
  const since = new Date(until.getTime() - 30 * DAY_MS);
  const merged = MERGED.filter((p) => new Date(p.mergedAt) >= since && new Date(p.mergedAt) <= until).map(
    (p) => ({ ...p, approvers: { ok: true as const, value: p.approvers } }),
  );
  return {
    org: 'acme',
    since: since.toISOString(),
    until: until.toISOString(),
    repositories: [{ name: 'api', defaultBranch: 'main', merged: { ok: true, value: merged } }],
  };
}

type Row = Record<string, string>;
const csvRows = (text: string): Row[] => parse(text, { columns: true }) as Row[];

describe('a Type II archive of a year', () => {
  let dir: string;
  let out: string;
  let path: string;
  let deletedKey: string;
  let manifest: Awaited<ReturnType<typeof archiveToFile>>['manifest'];
  const read = (name: string) => readFile(join(out, name), 'utf8');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-type2-'));
    const store = await LocalStore.open(join(dir, 'store'));
    const signer = await LocalSigner.open(join(dir, 'store'));
    const record = (collector: string, id: string, collectedAt: string, snapshot: unknown) =>
      store.putArtifact({
        collector,
        scope: { source: 'manual', id },
        collectedAt,
        schemaVersion: 1,
        status: 'ok',
        snapshot,
      });
    await record(EXCEPTION_COLLECTOR, DAILY.id, EXCEPTION.grantedAt, EXCEPTION);
    for (const [control, day] of UPLOADS)
      await record(
        MANUAL_EVIDENCE_COLLECTOR,
        control.id,
        `${day}T10:00:00.000Z`,
        manualEvidenceSnapshot(control.id, 'minutes.pdf', MINUTES, 'alice'),
      );
    await writeHistory(store, YEAR, WIDGET_PLAN, undefined, [DAILY, QUARTERLY, ANNUAL]);
    const prCollector = (day: string) => ({ ...pullRequests, collect: async () => prSnapshot(day) });
    for (const day of PR_DAYS) {
      await collectTargets(
        store,
        [{ collector: prCollector(day), scope: { source: 'github', id: 'acme' }, session: null }],
        {
          now: () => new Date(`${day}T10:00:00.000Z`),
        },
      );
      await evaluateStore(store, [CHANGES], [pullRequests], `${day}T10:05:00.000Z`);
    }

    // The digests list every artifact written; then one collection disappears from the store.
    const all = await store.listArtifacts();
    const digests: DigestObject[] = [
      {
        key: 'digests/2026/digest.json',
        bytes: Buffer.from(
          JSON.stringify({ artifacts: all.map(({ key, sha256, size }) => ({ key, sha256, size })) }),
        ),
      },
    ];
    const victim = all.find((r) => r.collector === 'test.widgets' && r.collectedAt.startsWith('2026-09-15'))!;
    deletedKey = victim.key;
    const db = openSqlite(join(dir, 'store', 'index.sqlite'));
    db.prepare('DELETE FROM artifacts WHERE key = ?').run(victim.key);
    db.prepare('DELETE FROM control_evidence WHERE artifact_key = ?').run(victim.key);
    db.close();
    await chmod(store.pathOf(victim.key), 0o644);
    await rm(store.pathOf(victim.key));

    const exceptions: ArchiveException[] = [
      { ...EXCEPTION, createdAt: EXCEPTION.grantedAt, expiresAt: EXCEPTION.expiresAt },
    ];
    path = join(dir, 'soc2-2026.zip');
    ({ manifest } = await archiveToFile(path, store, signer, {
      from: '2026-01-01',
      to: '2026-12-31',
      controls: CONTROLS,
      collectorOfCheck,
      collectors,
      exceptions,
      digests,
      sample: { seed: 'auditor-2026' },
      now: () => new Date('2027-01-15T09:00:00.000Z'),
    }));
    await store.close();
    out = join(dir, 'unzipped');
    expect(run('unzip', ['-q', path, '-d', out], dir).status).toBe(0);
  }, 120_000);

  it('scores an annual, a quarterly and a daily control per expected occurrence, with the exception and the missed collections', async () => {
    const rows = new Map(csvRows(await read('controls.csv')).map((r) => [r.control, r]));
    // Daily: 365 slots; 05-10 not collected and 09-15 deleted (missed 2); failing 07-04 and 07-05 (until the
    // re-evaluation at 10:05); excepted 08-10..08-13 (excepted until the 10:05 re-evaluation of 08-13);
    // met 365 - 2 - 2 - 4 = 357 (97.8%).
    expect(rows.get('WID-01')).toMatchObject({
      occurrences_expected: '365',
      occurrences_met: '357',
      pct_met: '97.8',
      occurrences_failing: '2',
      occurrences_excepted: '4',
      occurrences_missed: '2',
      failing: '2026-07-04..2026-07-05',
      gaps: 'test.widgets 111122223333-global: not collected 2026-05-10, 2026-09-15',
    });
    // Quarterly: 365 / 90 → 4 quarters (the last 95 days); uploads in the 1st, 2nd and 4th.
    expect(rows.get('QTR-01')).toMatchObject({
      cadence: 'manual: every 90 days (manual evidence: access review sign-off), 4 expected',
      occurrences_expected: '4',
      occurrences_met: '3',
      pct_met: '75.0',
      occurrences_missed: '1',
      gaps: 'proofline.manual-evidence QTR-01: not collected 2026-06-30..2026-09-27',
    });
    // Annual: one occurrence in a 12-month period, met by the March upload.
    expect(rows.get('GOV-12')).toMatchObject({
      occurrences_expected: '1',
      occurrences_met: '1',
      pct_met: '100.0',
      gaps: '',
    });
    // Pull requests: #41 approved, #42 not, and the windows leave 05-21 10:00 to 06-20 10:00 unread.
    expect(rows.get('GH-07')).toMatchObject({
      cadence: 'event: each event in the period, 3 expected',
      occurrences_met: '1',
      occurrences_failing: '1',
      occurrences_missed: '1',
      failing: 'acme/api#42',
      gaps: 'github.pull-requests acme-global: not collected 2026-05-21T10:00:00.000Z..2026-06-20T10:00:00.000Z',
    });
    expect(manifest.period).toMatchObject({ from: '2026-01-01', to: '2026-12-31', days: 365 });
    expect(manifest.period.clipped).toBeUndefined();
  });

  it('lets an auditor find PR #42 and its missing approval in findings.csv and the GH-07 population', async () => {
    expect(await read('findings.csv')).toContain('carol');
    const findings = csvRows(await read('findings.csv')).filter((f) => f.control === 'GH-07');
    expect(findings).toEqual([
      expect.objectContaining({
        check: 'github.pr.independent-approval',
        severity: 'high',
        resource: 'acme/api#42',
        latest_reason:
          'merged 2026-03-15T16:00:00.000Z by carol into main without approval from anyone else: "Hotfix payments"',
        last_seen: 'fail',
      }),
    ]);
    const population = csvRows(await read('populations/GH-07.csv'));
    expect(population.map((r) => `${r.item} ${r.status}`)).toEqual([
      'acme/api#41 met',
      'acme/api#42 failing',
      'github.pull-requests acme-global 2026-05-21T10:00:00.000Z..2026-06-20T10:00:00.000Z missed',
    ]);
    expect(population[1]).toMatchObject({
      at: '2026-03-15T16:00:00.000Z',
      attributes: 'title=Hotfix payments; author=carol; approvers=; branch=main',
      evidence: expect.stringMatching(/^evidence\/source=github\/collector=github\.pull-requests\//),
    });
    // Samples are drawn from items: every event of this small population (40 for events by default).
    const samples = csvRows(await read('samples.csv')).filter(
      (r) => r.population_file === 'populations/GH-07.csv',
    );
    expect(samples.map((r) => r.item).sort()).toEqual(population.map((r) => `event ${r.item}`).sort());
    expect(
      csvRows(await read('samples.csv')).filter((r) => r.population_file === 'populations/GOV-12.csv'),
    ).toHaveLength(1);
    expect(
      csvRows(await read('samples.csv')).filter((r) => r.population_file === 'populations/QTR-01.csv'),
    ).toHaveLength(2);
    expect(
      csvRows(await read('samples.csv')).filter((r) => r.population_file === 'populations/WID-01.csv'),
    ).toHaveLength(25);
  });

  it('names the missed and the deleted collection in the completeness table', async () => {
    const rows = csvRows(await read('completeness.csv'));
    expect(rows.find((r) => r.collector === 'test.widgets')).toEqual({
      collector: 'test.widgets',
      scope: '111122223333-global',
      schedule: 'rate(1 day)',
      expected: '365',
      collected: '363',
      failed: '0',
      missing: '2',
      missing_slots: '2026-05-10 2026-09-15',
      failed_slots: '',
      deleted_from_store: deletedKey,
    });
  });

  it('ships uploaded documents as uploaded, examined in OSCAL, and all of it verifies offline', async () => {
    expect(manifest.uploads.map((u) => u.path)).toEqual([
      'uploads/QTR-01/20260215T100000Z-minutes.pdf',
      'uploads/GOV-12/20260310T100000Z-minutes.pdf',
      'uploads/QTR-01/20260520T100000Z-minutes.pdf',
      'uploads/QTR-01/20261103T100000Z-minutes.pdf',
    ]);
    expect(await readFile(join(out, 'uploads/GOV-12/20260310T100000Z-minutes.pdf'))).toEqual(MINUTES);

    const oscal = JSON.parse(await read('oscal/assessment-results.json'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(
      JSON.parse(
        await readFile(
          new URL('../../fixtures/oscal/oscal_assessment-results_schema.json', import.meta.url),
          'utf8',
        ),
      ),
    );
    expect(validate(oscal), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const observations = oscal['assessment-results'].results[0].observations as {
      description: string;
      methods: string[];
      props: { name: string; value: string }[];
    }[];
    const collectorOf = (o: (typeof observations)[number]) =>
      o.props.find((p) => p.name === 'collector')?.value;
    const upload = observations.find((o) => collectorOf(o) === MANUAL_EVIDENCE_COLLECTOR)!;
    expect(upload.methods).toEqual(['EXAMINE']);
    expect(upload.description).toContain('examined documentation: minutes.pdf (application/pdf), uploaded');
    expect(observations.find((o) => collectorOf(o) === 'test.widgets')!.methods).toEqual(['TEST']);

    const sums = run('sha256sum', ['-c', 'SHA256SUMS'], out);
    expect(sums.status, sums.stdout + sums.stderr).toBe(0);
    const signature = run(
      'openssl',
      ['dgst', '-sha256', '-verify', 'public-key.pem', '-signature', 'manifest.sig', 'signing-input.txt'],
      out,
    );
    expect(signature.stdout.trim()).toBe('Verified OK');
    // One file count: signing-input.txt counts the files of the zip, SHA256SUMS lists all but three of them.
    const zipEntries = run('bash', ['-c', `unzip -Z1 ${path} | wc -l`], dir).stdout.trim();
    expect(await read('signing-input.txt')).toContain(`archive-files: ${zipEntries}`);
    expect((await read('SHA256SUMS')).trim().split('\n')).toHaveLength(Number(zipEntries) - 3);
    expect(await read('README.txt')).toContain(`Files:       ${zipEntries} in this zip`);
    // The deleted collection is in the digest but not in the archive: verify names nothing missing from the
    // archive itself, and completeness.csv names the deletion.
    const report = await verifyArchive(path, { fingerprint: manifest.signing.fingerprint });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
