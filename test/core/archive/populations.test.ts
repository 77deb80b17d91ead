import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_REVIEW_SCOPE, accessReview } from '../../../collectors/identity/access-review/index.ts';
import type {
  AccessReviewSnapshot,
  ReviewAccount,
} from '../../../collectors/identity/access-review/snapshot.ts';
import { entraUsers } from '../../../collectors/identity/entra/users/index.ts';
import { googleUsers } from '../../../collectors/identity/google/users/index.ts';
import { oktaUsers } from '../../../collectors/identity/okta/users/index.ts';
import type { OktaUser, OktaUsersSnapshot } from '../../../collectors/identity/okta/users/snapshot.ts';
import { parsePeriod } from '../../../core/archive/period.ts';
import { accountChanges, alertRows } from '../../../core/archive/populations.ts';
import { verifyArchive } from '../../../core/archive/verify.ts';
import type { AnyCollector } from '../../../core/collector.ts';
import type { ArtifactRef, Control, Transition } from '../../../core/model.ts';
import { collectTargets, evaluateStore } from '../../../core/pipeline.ts';
import { LocalSigner } from '../../../core/signing.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import { archiveToFile, run } from '../../support/archive.ts';
import {
  daysFrom,
  historyControls,
  collectorOfCheck as widgetChecks,
  widgetsCollector,
  writeHistory,
} from '../../support/evidence-history.ts';

/**
 * A month of evidence written with the product's own pipeline: widgets (one failing day: an alert and a
 * recovery), an Okta org collected daily (bob joins on 04-05, carol is deactivated on 04-12, dave is removed on
 * 04-20) and one access review (04-15) in which carol's IAM user is orphaned. The archive lists each control's
 * item populations and draws its samples from them.
 */
const APRIL = daysFrom('2026-04-01', 30);
const WIDGETS = historyControls[0]!;
const control = (id: string, checks: string[]): Control => ({
  id,
  title: id,
  objective: id,
  owner: 'security',
  type: 'automated',
  checks,
  soc2: ['CC6.2'],
  iso27001: ['A.5.18'],
  links: [],
});
const PEOPLE = control('IDP-01', ['okta.users.mfa-enrolled']);
const REVIEW = control('ACC-01', ['access-review.orphaned-access']);
const CONTROLS = [WIDGETS, PEOPLE, REVIEW];
const collectors: AnyCollector[] = [widgetsCollector(() => 'pass'), oktaUsers, accessReview];
const collectorOfCheck = new Map([
  ...widgetChecks,
  ['okta.users.mfa-enrolled', 'okta.users'],
  ['access-review.orphaned-access', 'proofline.access-review'],
]);

const oktaUser = (login: string, status = 'ACTIVE'): OktaUser => ({
  id: `00u-${login}`,
  login: `${login}@acme.example`,
  email: `${login}@acme.example`,
  status,
  created: '2025-01-01T00:00:00.000Z',
  lastLogin: null,
  statusChanged: null,
  factors: [{ factorType: 'token:software:totp', provider: 'GOOGLE', status: 'ACTIVE' }],
  adminRoles: [],
  assignedApps: [],
});
function oktaSnapshot(day: string): OktaUsersSnapshot {
  const users = [oktaUser('alice')];
  if (day >= '2026-04-05') users.push(oktaUser('bob'));
  users.push(oktaUser('carol', day >= '2026-04-12' ? 'DEPROVISIONED' : 'ACTIVE'));
  if (day < '2026-04-20') users.push(oktaUser('dave'));
  return { orgUrl: 'https://acme.okta.com', users };
}

const account = (over: Partial<ReviewAccount>): ReviewAccount => ({
  system: 'okta',
  scope: 'acme.okta.com',
  account: 'alice@acme.example',
  person: 'alice@acme.example',
  matchedBy: 'email',
  status: 'ACTIVE',
  active: true,
  admin: false,
  access: [],
  mfa: true,
  lastActivity: null,
  ...over,
});
const REVIEW_SNAPSHOT: AccessReviewSnapshot = {
  sources: [],
  notCollected: [],
  gaps: [],
  identityMap: null,
  idpEvidence: true,
  people: [
    { email: 'alice@acme.example', idpStatus: 'active' },
    { email: 'carol@acme.example', idpStatus: 'deactivated' },
  ],
  accounts: [
    account({}),
    account({
      account: 'carol@acme.example',
      person: 'carol@acme.example',
      status: 'DEPROVISIONED',
      active: false,
    }),
    account({
      system: 'aws-iam',
      scope: '111122223333',
      account: 'carol',
      person: 'carol@acme.example',
      status: 'console password',
      access: ['console password'],
      mfa: false,
    }),
  ],
  orphaned: [],
  adminsWithoutMfa: [],
};

type Row = Record<string, string>;
const csvRows = (text: string): Row[] => parse(text, { columns: true }) as Row[];

describe('item populations in the archive', () => {
  let dir: string;
  let out: string;
  let path: string;
  const read = (name: string) => readFile(join(out, name), 'utf8');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-populations-'));
    const store = await LocalStore.open(join(dir, 'store'));
    const signer = await LocalSigner.open(join(dir, 'store'));
    await writeHistory(store, APRIL, (day) => (day === '2026-04-10' ? 'fail' : 'pass'), undefined, [WIDGETS]);
    for (const day of APRIL) {
      const at = `${day}T10:00:00.000Z`;
      const okta = { ...oktaUsers, collect: async () => oktaSnapshot(day) };
      await collectTargets(
        store,
        [{ collector: okta, scope: { source: 'okta', id: 'acme.okta.com' }, session: null }],
        {
          now: () => new Date(at),
        },
      );
      await evaluateStore(store, [PEOPLE], [oktaUsers], `${day}T10:05:00.000Z`);
    }
    const review = { ...accessReview, collect: async () => REVIEW_SNAPSHOT };
    await collectTargets(store, [{ collector: review, scope: ACCESS_REVIEW_SCOPE, session: null }], {
      now: () => new Date('2026-04-15T12:00:00.000Z'),
    });
    await evaluateStore(store, [REVIEW], [accessReview], '2026-04-15T12:05:00.000Z');

    path = join(dir, 'soc2-april.zip');
    await archiveToFile(path, store, signer, {
      from: '2026-04-01',
      to: '2026-04-30',
      controls: CONTROLS,
      collectorOfCheck,
      collectors,
      sample: { seed: 'auditor-april' },
      now: () => new Date('2026-05-15T09:00:00.000Z'),
    });
    await store.close();
    out = join(dir, 'unzipped');
    expect(run('unzip', ['-q', path, '-d', out], dir).status).toBe(0);
  }, 120_000);

  it('lists the joiners and leavers between consecutive Okta collections, each with the two files that show it', async () => {
    const rows = csvRows(await read('populations/joiners-leavers/IDP-01.csv'));
    expect(rows.map((r) => `${r.at} ${r.status} ${r.detail}`)).toEqual([
      '2026-04-05T10:00:00.000Z joined absent at 2026-04-04T10:00:00.000Z → ACTIVE at 2026-04-05T10:00:00.000Z',
      '2026-04-12T10:00:00.000Z deactivated ACTIVE at 2026-04-11T10:00:00.000Z → DEPROVISIONED at 2026-04-12T10:00:00.000Z',
      '2026-04-20T10:00:00.000Z removed ACTIVE at 2026-04-19T10:00:00.000Z → absent at 2026-04-20T10:00:00.000Z',
    ]);
    expect(rows.map((r) => r.item)).toEqual([
      'okta.users acme.okta.com-global bob@acme.example 2026-04-05T10:00:00.000Z',
      'okta.users acme.okta.com-global carol@acme.example 2026-04-12T10:00:00.000Z',
      'okta.users acme.okta.com-global dave@acme.example 2026-04-20T10:00:00.000Z',
    ]);
    expect(rows[0]).toMatchObject({ control: 'IDP-01', feed: 'account-change' });
    // Reproducible from the archive: bob is not in the first file the row names and is in the second.
    const [before, after] = rows[0]!.evidence!.split(' ');
    const logins = async (key: string) =>
      (JSON.parse(await read(key)).snapshot as OktaUsersSnapshot).users.map((u) => u.login);
    expect(await logins(before!)).not.toContain('bob@acme.example');
    expect(await logins(after!)).toContain('bob@acme.example');
  });

  it('lists every account of the access review, the orphaned one with its reason', async () => {
    const rows = csvRows(await read('populations/access-review/ACC-01.csv'));
    expect(rows.map((r) => `${r.item} ${r.status}`)).toEqual([
      'aws-iam:111122223333:carol 2026-04-15T12:00:00.000Z active',
      'okta:acme.okta.com:alice@acme.example 2026-04-15T12:00:00.000Z active',
      'okta:acme.okta.com:carol@acme.example 2026-04-15T12:00:00.000Z inactive',
    ]);
    expect(rows[0]!.attributes).toContain(
      'orphaned=aws-iam account carol (111122223333) is active: console password, but carol@acme.example is deactivated in the identity provider',
    );
    expect(rows[1]!.attributes).toContain('orphaned=no');
    expect(rows[0]!.evidence).toMatch(/^evidence\/source=manual\/collector=proofline\.access-review\//);
  });

  it('lists every resource a check judged with its verdict counts, and every alert raised', async () => {
    const resources = csvRows(await read('populations/resources/WID-01.csv'));
    expect(resources.map((r) => `${r.item} ${r.status} ${r.attributes}`)).toEqual([
      'test.widgets.locked 111122223333/w1 pass check=test.widgets.locked; resource=111122223333/w1; pass=30; fail=0; not_applicable=0; last_judged=2026-04-30T10:00:00.000Z',
      'test.widgets.locked 111122223333/w2 pass check=test.widgets.locked; resource=111122223333/w2; pass=29; fail=1; not_applicable=0; last_judged=2026-04-30T10:00:00.000Z',
    ]);
    const alerts = csvRows(await read('populations/alerts/WID-01.csv'));
    expect(alerts.map((r) => `${r.item} | ${r.detail}`)).toEqual([
      'Control Failing 2026-04-10T10:05:00.000Z | passing → failing; newly failing: 111122223333/w2: unlocked',
      'Control Recovered 2026-04-11T10:05:00.000Z | failing → passing; recovered: 111122223333/w2',
    ]);
    const controls = csvRows(await read('controls.csv')).find((r) => r.control === 'WID-01')!;
    expect(controls.population).toBe(
      'populations/WID-01.csv populations/resources/WID-01.csv populations/alerts/WID-01.csv',
    );
  });

  it('draws a sample from each population that an auditor redraws with sha256sum', async () => {
    const samples = csvRows(await read('samples.csv'));
    const joiners = samples.filter((r) => r.population_file === 'populations/joiners-leavers/IDP-01.csv');
    // A population of items is sampled as events (40 by default): all three here.
    expect(joiners.map((r) => r.item).sort()).toEqual(
      csvRows(await read('populations/joiners-leavers/IDP-01.csv'))
        .map((r) => `account-change ${r.item}`)
        .sort(),
    );
    expect(joiners[0]).toMatchObject({ frequency: 'many_per_day', population: '3', sample_size: '3' });
    // The first draw of each population, recomputed by hand.
    for (const row of samples.filter((r) => r.draw === '1')) {
      const args = [row.seed!, row.control!, row.item!];
      const rank = run('bash', ['-c', 'printf "%s\\n%s\\n%s" "$0" "$1" "$2" | sha256sum', ...args], dir);
      expect(rank.stdout.split(' ')[0]).toBe(row.rank);
    }
    // Every population file has its rows in samples.csv, and the archive still verifies.
    const files = new Set(samples.map((r) => r.population_file));
    for (const p of ['joiners-leavers/IDP-01', 'access-review/ACC-01', 'resources/WID-01', 'alerts/WID-01'])
      expect(files).toContain(`populations/${p}.csv`);
    // Every evidence file a population row names is in the archive.
    const manifest = JSON.parse(await read('manifest.json')) as { files: { path: string }[] };
    const archived = new Set(manifest.files.map((f) => f.path));
    for (const file of files) {
      if (!file) continue;
      const keys = csvRows(await read(file)).flatMap((r) => r.evidence!.split(' ').filter(Boolean));
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) expect(archived, `${file}: ${key}`).toContain(key);
    }
    expect(run('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], out).status).toBe(0);
    expect((await verifyArchive(path)).problems).toEqual([]);
  });
});

describe('item population rules', () => {
  const ref = (day: string): ArtifactRef =>
    ({
      key: `evidence/${day}.json`,
      collector: 'okta.users',
      scopeKey: 'acme-global',
      collectedAt: `${day}T10:00:00.000Z`,
      status: 'ok',
    }) as ArtifactRef;
  const item = (account: string, active = true) => ({
    account,
    status: active ? 'ACTIVE' : 'SUSPENDED',
    active,
  });

  it('the first collection is the baseline; a reactivated account and one joining inactive are changes too', async () => {
    const rows = await accountChanges([
      { ref: ref('2026-04-01'), accounts: [item('a'), item('b', false)] },
      { ref: ref('2026-04-02'), accounts: [item('a'), item('b'), item('c', false)] },
    ]);
    expect(rows.map((r) => `${r.attributes?.account} ${r.status}`)).toEqual([
      'b reactivated',
      'c joined inactive',
    ]);
    expect(await accountChanges([{ ref: ref('2026-04-01'), accounts: [item('a')] }])).toEqual([]);
  });

  it('each identity provider names its accounts and says which can be used', () => {
    const entra = entraUsers.directory!({
      tenantId: 't',
      users: [true, false].map((accountEnabled) => ({
        id: String(accountEnabled),
        userPrincipalName: `${accountEnabled ? 'on' : 'off'}@acme.example`,
        mail: null,
        displayName: null,
        accountEnabled,
        userType: 'Member',
        createdDateTime: null,
        lastSignIn: null,
        mfaCapable: null,
        mfaRegistered: null,
        methodsRegistered: [],
        directoryRoles: [],
      })),
    });
    expect(entra).toEqual([
      { account: 'on@acme.example', status: 'enabled Member', active: true },
      { account: 'off@acme.example', status: 'disabled Member', active: false },
    ]);
    const google = googleUsers.directory!({
      customer: 'c',
      users: [
        [false, false],
        [true, false],
        [false, true],
      ].map(([suspended, archived], i) => ({
        id: String(i),
        primaryEmail: `u${i}@acme.example`,
        suspended: suspended!,
        archived: archived!,
        isAdmin: false,
        isDelegatedAdmin: false,
        isEnrolledIn2Sv: true,
        isEnforcedIn2Sv: true,
        lastLoginTime: null,
        creationTime: null,
      })),
    });
    expect(google.map((a) => `${a.account} ${a.status} ${a.active}`)).toEqual([
      'u0@acme.example active true',
      'u1@acme.example suspended false',
      'u2@acme.example archived false',
    ]);
    expect(oktaUsers.directory!(oktaSnapshot('2026-04-12')).filter((a) => !a.active)).toEqual([
      { account: 'carol@acme.example', status: 'DEPROVISIONED', active: false },
    ]);
  });

  it('alerts are the transitions in the period that raise one (a first passing evaluation raises none), naming only archived evidence', () => {
    const period = parsePeriod('2026-04-01', '2026-04-30');
    const t = (at: string, from: Transition['from'], to: Transition['to']): Transition => ({
      control: 'X-01',
      from,
      to,
      at,
      since: at,
      failing: [],
      newlyFailing: [],
      recovered: [],
      evidence: ['evidence/before-the-period.json', 'evidence/in-the-period.json'],
    });
    const rows = alertRows(
      [
        t('2026-03-31T23:00:00.000Z', 'passing', 'failing'),
        t('2026-04-01T00:00:00.000Z', null, 'passing'),
        t('2026-04-02T00:00:00.000Z', 'passing', 'no_evidence'),
        t('2026-05-01T00:00:00.000Z', 'no_evidence', 'failing'),
      ],
      period,
      (key) => key === 'evidence/in-the-period.json',
    );
    expect(rows.map((r) => r.label)).toEqual(['Evidence Missing 2026-04-02T00:00:00.000Z']);
    expect(rows[0]!.evidence).toEqual(['evidence/in-the-period.json']);
  });
});
