import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../core/errors.ts';
import { EXCEPTION_COLLECTOR, type ExceptionView } from '../../core/exceptions.ts';
import type { Artifact } from '../../core/model.ts';
import type { StatusRow } from '../../core/report/status.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { dateIn, runCli, storeWithPublicBucket } from '../support/cli.ts';

async function putRecord(dir: string, artifact: Artifact) {
  const store = await LocalStore.open(dir);
  try {
    await store.putArtifact(artifact);
  } finally {
    await store.close();
  }
}

const statusOf = async (store: string, control: string) => {
  const { out } = await runCli(['--store', store, 'status', '--json']);
  return (JSON.parse(out) as StatusRow[]).find((r) => r.control === control)!;
};
const list = async (store: string) =>
  JSON.parse((await runCli(['--store', store, 'exception', 'list', '--json'])).out) as ExceptionView[];

const add = (store: string, ...extra: string[]) =>
  runCli([
    '--store',
    store,
    'exception',
    'add',
    '--control',
    'DATA-02',
    '--resource',
    'arn:aws:s3:::public-*',
    '--reason',
    'public website assets',
    '--owner',
    'platform',
    '--approved-by',
    'dana',
    ...extra,
  ]);

let store: string;
beforeEach(async () => {
  store = await storeWithPublicBucket();
});

describe('proofline exception add', () => {
  it('makes the failing control excepted, keeping the finding and naming the exception', async () => {
    await runCli(['--store', store, 'evaluate']);
    expect((await statusOf(store, 'DATA-02')).status).toBe('failing');
    const { code, out } = await add(store, '--expires', dateIn(30));
    expect(code).toBe(0);
    const id = /EXC-[0-9A-F]{10}/.exec(out)?.[0];
    expect(id).toBeDefined();
    expect(out).toContain('DATA-02: failing → excepted');
    const row = await statusOf(store, 'DATA-02');
    expect(row).toMatchObject({
      status: 'excepted',
      failingResources: [],
      exceptedResources: [{ resource: 'arn:aws:s3:::public-site', exception: id }],
    });
    const [view] = await list(store);
    expect(view).toMatchObject({ state: 'active', grant: { id, control: 'DATA-02', approvedBy: 'dana' } });
    expect(view?.key).toMatch(
      /^evidence\/source=manual\/collector=proofline\.exception\/scope=DATA-02-global\//,
    );
  });

  it('refuses an exception without an expiry', async () => {
    const { code, err } = await add(store);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('an exception needs an expiry date (--expires YYYY-MM-DD)');
    expect(await list(store)).toEqual([]);
  });

  it.each([
    ['a day that does not exist (not read as March 2)', '2027-02-30'],
    ['a US-style date', '12/31/2026'],
    ['a time without its zone', '2026-12-31T18:00'],
  ])('refuses %s as an expiry, in one line, exit 2', async (_, expires) => {
    const { code, err } = await add(store, '--expires', expires);
    expect(code).toBe(EXIT.usage);
    expect(err).toBe(
      `proofline: expiry "${expires}" is not a date: use YYYY-MM-DD (valid through the end of that UTC day) or an ISO 8601 time with its zone`,
    );
    expect(await list(store)).toEqual([]);
  });

  it('a bare day expires at the end of that UTC day, and says so', async () => {
    const day = dateIn(30);
    const { code, out } = await add(store, '--expires', day);
    expect(code).toBe(0);
    expect(out).toContain(`until ${day}T23:59:59.999Z (the end of ${day}, UTC)`);
  });

  it('refuses an expiry beyond the maximum (90 days by default, or as configured)', async () => {
    const beyond = await add(store, '--expires', dateIn(120));
    expect(beyond.code).toBe(EXIT.usage);
    expect(beyond.err).toContain('is beyond the maximum of 90 days');
    const config = join(store, 'proofline.config.yaml');
    await writeFile(config, 'exceptions:\n  maxDays: 180\n');
    expect((await add(store, '--expires', dateIn(120), '--config', config)).code).toBe(0);
    await writeFile(config, 'exceptions:\n  maxDays: 30\n');
    const tighter = await add(store, '--expires', dateIn(60), '--config', config);
    expect(tighter.err).toContain('is beyond the maximum of 30 days');
  });

  it('refuses an unknown control', async () => {
    const { code, err } = await runCli([
      '--store',
      store,
      'exception',
      'add',
      '--control',
      'NOPE-01',
      '--reason',
      'r',
      '--owner',
      'o',
      '--approved-by',
      'a',
      '--expires',
      dateIn(5),
    ]);
    expect(code).toBe(EXIT.usage);
    expect(err).toContain('unknown control "NOPE-01"');
  });
});

describe('proofline exception revoke', () => {
  it('appends a revocation: the grant stays in the evidence, the control fails again', async () => {
    const id = /EXC-[0-9A-F]{10}/.exec((await add(store, '--expires', dateIn(30))).out)![0];
    const revoke = await runCli([
      '--store',
      store,
      'exception',
      'revoke',
      id,
      '--reason',
      'bucket made private',
      '--by',
      'dana',
    ]);
    expect(revoke.code).toBe(0);
    expect(revoke.out).toContain('DATA-02: excepted → failing');
    expect((await statusOf(store, 'DATA-02')).status).toBe('failing');
    const [view] = await list(store);
    expect(view).toMatchObject({
      state: 'revoked',
      revocation: { reason: 'bucket made private', revokedBy: 'dana' },
    });
    const s = await LocalStore.open(store);
    expect(await s.listArtifacts({ collector: EXCEPTION_COLLECTOR })).toHaveLength(2);
    await s.close();
    const again = await runCli(['--store', store, 'exception', 'revoke', id, '--reason', 'x']);
    expect(again.code).toBe(EXIT.usage);
    expect(again.err).toContain(`${id} is already revoked`);
  });

  it('refuses an unknown id and a revocation without a reason', async () => {
    expect(
      (await runCli(['--store', store, 'exception', 'revoke', 'EXC-0000000000', '--reason', 'x'])).err,
    ).toContain('no exception EXC-0000000000');
    const id = /EXC-[0-9A-F]{10}/.exec((await add(store, '--expires', dateIn(30))).out)![0];
    expect((await runCli(['--store', store, 'exception', 'revoke', id])).err).toContain(
      'a revocation needs a reason',
    );
  });
});

describe('an expired exception', () => {
  it('stops applying and is reported by status, exception list and governance', async () => {
    const grantedAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const expiresAt = new Date(Date.now() - 86_400_000).toISOString();
    await putRecord(store, {
      collector: EXCEPTION_COLLECTOR,
      scope: { source: 'manual', id: 'DATA-02' },
      collectedAt: grantedAt,
      schemaVersion: 1,
      status: 'ok',
      snapshot: {
        kind: 'grant',
        id: 'EXC-00000000EE',
        control: 'DATA-02',
        reason: 'migration',
        owner: 'platform',
        approvedBy: 'dana',
        grantedAt,
        expiresAt,
      },
    });
    await runCli(['--store', store, 'evaluate']);
    expect(await statusOf(store, 'DATA-02')).toMatchObject({
      status: 'failing',
      failingResources: ['arn:aws:s3:::public-site'],
      expiredExceptions: ['EXC-00000000EE'],
    });
    const table = (await runCli(['--store', store, 'status'])).out;
    expect(table).toContain('! exception EXC-00000000EE has expired and no longer applies');
    expect((await list(store))[0]?.state).toBe('expired');
    const report = JSON.parse((await runCli(['--store', store, 'governance', '--json'])).out);
    expect(report.expiredExceptions.map((e: ExceptionView) => e.grant.id)).toEqual(['EXC-00000000EE']);
  });
});
