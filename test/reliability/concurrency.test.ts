import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../core/archive/verify.ts';
import { verifyChain, writeDueDigests } from '../../core/digest-chain.ts';
import { EXIT } from '../../core/errors.ts';
import type { ArtifactRef, Transition } from '../../core/model.ts';
import { LocalSigner, publicKeyFingerprint } from '../../core/signing.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { indexConsistency } from '../../core/stores/reindex.ts';
import { openSqlite, settledTake } from '../../core/stores/sqlite.ts';
import { StoreBusyError, storageFailure } from '../../core/stores/storage-errors.ts';
import { type GitHubStandIn, startGitHubStandIn } from '../../demo/github-stand-in.ts';
import { acmeSeed, DEMO_GITHUB_ORG } from '../../demo/seed-github.ts';
import { cliProcess, gateProxy, HAS_FAKETIME } from './concurrency-run.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proofline-concurrency-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const artifact = (i: number, collectedAt: string) => ({
  collector: 'aws.s3.buckets',
  scope: { source: 'aws' as const, id: '111122223333' },
  collectedAt,
  schemaVersion: 1,
  status: 'ok' as const,
  snapshot: { accountPublicAccessBlock: null, buckets: [], run: i },
});

/** Another process that holds an exclusive lock on `file` for `ms`; resolves once it holds it. */
async function holdLock(file: string, ms: number): Promise<{ released: Promise<unknown> }> {
  const script = `const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE'); db.exec('CREATE TABLE IF NOT EXISTS holder (x)');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)]);
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the lock holder exited (${code}) before locking`)));
  });
  return { released: exited };
}

describe('two writers on one embedded store', () => {
  it('opening waits for a lock another process holds while it creates the index, rather than failing', async () => {
    const store = join(dir, 'created-by-another');
    await mkdir(store);
    const { released } = await holdLock(join(store, 'index.sqlite'), 800);
    const opened = await LocalStore.open(store);
    try {
      const { created } = await opened.putArtifact(artifact(1, '2027-03-02T10:00:00.000Z'));
      expect(created).toBe(true);
      expect(await opened.listArtifacts()).toHaveLength(1);
      // In WAL mode, as the other process's lock did not stop the switch: readers never block this writer.
      expect(existsSync(join(store, 'index.sqlite-wal'))).toBe(true);
    } finally {
      await opened.close();
      await released;
    }
  });

  it('a write that waits longer than the busy timeout is one line saying the store is busy, exit 1', async () => {
    const store = join(dir, 'busy');
    await (await LocalStore.open(store)).close();
    const holder = openSqlite(join(store, 'index.sqlite'));
    const waiter = openSqlite(join(store, 'index.sqlite'));
    try {
      holder.exec('BEGIN IMMEDIATE');
      waiter.exec('PRAGMA busy_timeout = 0'); // the 10 s wait itself is not what is tested
      let thrown: unknown;
      try {
        waiter.exec('BEGIN IMMEDIATE');
      } catch (error) {
        thrown = error;
      }
      const failure = storageFailure(thrown);
      expect(failure).toBeInstanceOf(StoreBusyError);
      expect(failure?.message).toMatch(
        /^the store is busy: another process held its index for more than 10 s; /,
      );
      expect(failure?.message).not.toContain('\n');
      expect(failure?.exitCode).toBe(EXIT.error);
    } finally {
      holder.close();
      waiter.close();
    }
  });

  it('processes opening a new store at once share one signing key (created once, never half-written)', async () => {
    const store = join(dir, 'keys-race');
    const signers = await Promise.all([1, 2, 3, 4].map(() => LocalSigner.open(store)));
    const pems = await Promise.all(signers.map((s) => s.publicKeyPem()));
    expect(new Set(pems).size).toBe(1);
    const onDisk = await readFile(join(store, 'keys', 'public-key.pem'), 'utf8');
    expect(publicKeyFingerprint(onDisk)).toBe(publicKeyFingerprint(pems[0]!));
    expect((await stat(join(store, 'keys', 'signing-key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readdir(store)).toEqual(['keys']);
  });

  it('a copy of the index taken beside a writer that commits and closes is never a mix of two states', async () => {
    const file = join(dir, 'copied.sqlite');
    const db = openSqlite(file);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB); CREATE INDEX t_b ON t (b)');
    db.exec('BEGIN');
    const insert = db.prepare('INSERT INTO t (b) VALUES (randomblob(1000))');
    for (let i = 0; i < 4000; i++) insert.run();
    db.exec('COMMIT');
    db.close();
    // Another process opens the index, changes rows across it, commits and closes (a checkpoint into the
    // file), again and again; a copy read while a checkpoint writes would hold pages of two states.
    const writes = `const { DatabaseSync } = require('node:sqlite'); const end = Date.now() + 3000;
      while (Date.now() < end) { const db = new DatabaseSync(process.argv[1]);
        db.exec('PRAGMA busy_timeout = 10000'); db.exec('BEGIN IMMEDIATE');
        const update = db.prepare('UPDATE t SET b = randomblob(1000) WHERE id = ?');
        for (let i = 0; i < 20; i++) update.run(1 + Math.floor(Math.random() * 4000));
        db.exec('COMMIT'); db.close(); }`;
    const writer = spawn(process.execPath, ['-e', writes, file], { stdio: 'ignore' });
    let running = true;
    const exited = once(writer, 'exit').then(() => (running = false));
    const mixed: string[] = [];
    let copies = 0;
    while (running) {
      // As the read-only open takes its private copy.
      if (!(await settledTake(file, () => copyFile(file, `${file}.copy`).then(() => true)))) continue;
      copies++;
      const copy = openSqlite(`${file}.copy`);
      try {
        const check = copy.prepare('PRAGMA quick_check').get() as { quick_check: string };
        if (check.quick_check !== 'ok') mixed.push(check.quick_check);
      } catch (error) {
        mixed.push((error as Error).message);
      } finally {
        copy.close();
      }
    }
    await exited;
    expect(mixed, `${mixed.length} of ${copies} copies`).toEqual([]);
    // With the writer gone, the file holds still and is copied.
    expect(await settledTake(file, () => copyFile(file, `${file}.copy`).then(() => true))).toBe(true);
    expect((await stat(`${file}.copy`)).size).toBe((await stat(file)).size);
  });

  it('two connections sealing the same periods at once write each digest once, and the chain verifies', async () => {
    const store = join(dir, 'sealing');
    let written = Date.parse('2027-03-01T00:00:00Z');
    const seeded = await LocalStore.open(store, { now: () => new Date(written) });
    for (let hour = 0; hour < 24; hour++) {
      written = Date.parse('2027-03-01T00:01:00Z') + hour * 3_600_000;
      await seeded.putArtifact(artifact(hour, new Date(written).toISOString()));
    }
    await seeded.close();
    const signer = await LocalSigner.open(store);
    const stores = await Promise.all([LocalStore.open(store), LocalStore.open(store)]);
    const options = { upTo: '2027-03-02T00:00:00.000Z', now: new Date('2027-03-02T01:00:00Z') };
    try {
      const runs = await Promise.all(stores.map((s) => writeDueDigests(s, signer, options)));
      // Both continue one chain: whichever wrote a period's digest, the other adopted it.
      expect(runs[0]!.map((d) => d.sha256)).toEqual(runs[1]!.map((d) => d.sha256));
      expect(runs[0]).toHaveLength(24);
      expect(await stores[0]!.listDigestKeys()).toHaveLength(24);
      const chain = await verifyChain(stores[0]!, [await signer.publicKeyPem()], { to: options.upTo });
      expect(chain.problems).toBe(0);
    } finally {
      for (const s of stores) await s.close();
    }
  });

  it('a reading command sees the index as it was when it opened, while a writer commits', async () => {
    const store = join(dir, 'snapshot');
    const writer = await LocalStore.open(store);
    try {
      await writer.putArtifact(artifact(1, '2027-03-02T10:00:00.000Z'));
      const reader = await LocalStore.openReadOnly(store);
      try {
        await writer.putArtifact(artifact(2, '2027-03-02T10:05:00.000Z'));
        expect((await reader.listArtifacts()).map((r) => r.collectedAt)).toEqual([
          '2027-03-02T10:00:00.000Z',
        ]);
        expect(await reader.latestArtifacts()).toHaveLength(1);
      } finally {
        await reader.close();
      }
      const later = await LocalStore.openReadOnly(store);
      expect(await later.listArtifacts()).toHaveLength(2);
      await later.close();
    } finally {
      await writer.close();
    }
  });
});

/** Transitions of one control recorded twice, or out of step (a `from` that is not the previous `to`). */
function brokenHistories(transitions: readonly Transition[]): string[] {
  const last = new Map<string, string>();
  const problems: string[] = [];
  for (const t of transitions) {
    const previous = last.get(t.control);
    if ((t.from ?? 'new') !== (previous ?? 'new'))
      problems.push(`${t.control}: ${t.from ?? 'new'} → ${t.to} at ${t.at} after ${previous ?? 'nothing'}`);
    last.set(t.control, t.to);
  }
  return problems;
}

const collectedIn = (refs: readonly ArtifactRef[], at: Date) =>
  refs.filter((r) => Math.abs(Date.parse(r.collectedAt) - at.getTime()) < 120_000);

describe.skipIf(!HAS_FAKETIME)(
  'CLI processes at once on one store (libfaketime gives each its clock)',
  () => {
    let github: GitHubStandIn;
    beforeAll(async () => {
      github = await startGitHubStandIn(acmeSeed(new Date('2027-03-01T00:00:00Z')));
    });
    afterAll(async () => {
      await github.stop();
    });

    it('two collects, a digest and an export during them: nothing lost, nothing twice, chain and archive verify', async () => {
      // Members and repositories are held at the gate: both collects are mid-run, their store open, when the
      // digest and the export start; the gate opens once the export has opened the store.
      const gate = await gateProxy(github.url, [/\/orgs\/acme\/members/, /\/orgs\/acme\/repos/]);
      const store = join(dir, 'processes');
      const config = join(dir, 'processes.yaml');
      await writeFile(
        config,
        `scope:\n  github:\n    orgs: [${DEMO_GITHUB_ORG}]\n    baseUrl: ${gate.url}\n`,
      );
      const base = ['--store', store, '--config', config];
      const at = (h: number, m: number) => new Date(Date.UTC(2027, 2, 2, h, m));
      const collect = (collectors: string[], clock: Date) =>
        cliProcess([...base, 'collect', ...collectors.flatMap((c) => ['--collector', c])], clock);
      const clocks = { first: at(10, 0), second: at(10, 5) };
      const first = collect(['github.org.settings', 'github.org.members'], clocks.first);
      const second = collect(['github.org.settings', 'github.repos'], clocks.second);
      const archive = join(dir, 'during-collect.zip');
      await Promise.race([gate.holding(), first, second]);
      const digestRun = cliProcess([...base, 'digest'], at(10, 10));
      const exportRun = cliProcess(
        [...base, 'export', '--framework', 'soc2', '--from', '2027-02-01', '--to', '2027-03-02'].concat([
          '--seed',
          '1',
          '--out',
          archive,
        ]),
        at(10, 15),
        (err) => err.includes("store's first day of evidence") && gate.open(),
      );
      // At the latest when the export ends, or well within the GitHub client's 60 s request timeout.
      const latest = setTimeout(() => gate.open(), 20_000);
      void exportRun.finally(() => gate.open());
      const runs = await Promise.all([first, second, digestRun, exportRun]);
      clearTimeout(latest);
      await gate.stop();
      for (const run of runs) expect(run.code, `${run.args.slice(4).join(' ')}\n${run.err}`).toBe(0);

      // Seal the hour the collects wrote, as a digest an hour later would, and check the chain.
      const signer = await LocalSigner.open(store);
      const writer = await LocalStore.open(store);
      await writeDueDigests(writer, signer, { upTo: at(11, 0).toISOString(), now: at(12, 0) });
      await writer.close();

      const opened = await LocalStore.openReadOnly(store);
      try {
        const refs = await opened.listArtifacts();
        // Each collect's collections, every one indexed once, with its file.
        const slots = (rs: readonly ArtifactRef[]) => rs.map((r) => `${r.collector} ${r.scopeKey}`).sort();
        expect(slots(collectedIn(refs, clocks.first))).toEqual([
          'github.org.members acme-global',
          'github.org.settings acme-global',
        ]);
        expect(slots(collectedIn(refs, clocks.second))).toEqual([
          'github.org.settings acme-global',
          'github.repos acme-global',
        ]);
        expect(refs.every((r) => r.status === 'ok')).toBe(true);
        expect(await indexConsistency(opened)).toMatchObject({
          rows: 4,
          files: 4,
          rowsWithoutFile: [],
          filesWithoutRow: [],
          tempFiles: 0,
        });
        for (const ref of refs) expect((await opened.getArtifact(ref.key)).ref).toEqual(ref);
        expect(brokenHistories(await opened.transitions())).toEqual([]);

        const chain = await verifyChain(opened, [await signer.publicKeyPem()], {
          to: at(11, 0).toISOString(),
        });
        expect(chain.problems, JSON.stringify(chain.periods.flatMap((p) => p.problems))).toBe(0);

        // The export read one state of the store: what it lists is complete, and the archive verifies.
        const fingerprint = publicKeyFingerprint(await signer.publicKeyPem());
        const report = await verifyArchive(archive, { fingerprint });
        expect(report.outcome, JSON.stringify(report.problems)).toBe('verified');
        const byKey = new Map(refs.map((r) => [r.key, r]));
        for (const listed of report.manifest?.artifacts ?? [])
          expect(byKey.get(listed.key)?.sha256, listed.key).toBe(listed.sha256);
      } finally {
        await opened.close();
      }
    }, 180_000);
  },
);
