import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../core/archive/verify.ts';
import { verifyChain } from '../../core/digest-chain.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { openSqlite } from '../../core/stores/sqlite.ts';
import { StoreBusyError } from '../../core/stores/storage-errors.ts';

/** Stores and archives written by released versions (test/fixtures/compat/write.ts writes one per release). */
const COMPAT = join(import.meta.dirname, '..', 'fixtures', 'compat');
const releases = readdirSync(COMPAT, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

interface Fixture {
  version: string;
  from: string;
  to: string;
  artifacts: number;
  sealedAt: string;
  fingerprint: string;
}

describe.each(releases)('what Proofline %s wrote, read by this version', (release) => {
  const dir = join(COMPAT, release);
  const fixture = JSON.parse(readFileSync(join(dir, 'fixture.json'), 'utf8')) as Fixture;

  it('opens the store read-only: every artifact re-hashes to its key, control states and history are there', async () => {
    const store = await LocalStore.openReadOnly(join(dir, 'store'));
    try {
      const refs = await store.listArtifacts();
      expect(refs).toHaveLength(fixture.artifacts);
      expect(new Set(refs.map((r) => r.status))).toEqual(new Set(['ok', 'error']));
      for (const ref of refs) expect((await store.getArtifact(ref.key)).ref).toEqual(ref);
      expect((await store.controlStates()).length).toBeGreaterThan(0);
      expect((await store.transitions()).map((t) => t.to)).toContain('failing');
    } finally {
      await store.close();
    }
  });

  it('verifies its digest chain with its public key', async () => {
    const store = await LocalStore.openReadOnly(join(dir, 'store'));
    try {
      const publicKey = readFileSync(join(dir, 'store', 'keys', 'public-key.pem'), 'utf8');
      const chain = await verifyChain(store, [publicKey], { now: new Date(fixture.sealedAt) });
      expect(chain.ok, JSON.stringify(chain, null, 1).slice(0, 2000)).toBe(true);
      expect(chain.periods.length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('while a writer of that version is active, a read-only open is one line saying so, not an SQL error', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'proofline-compat-'));
    try {
      cpSync(join(dir, 'store'), copy, { recursive: true });
      // That version's writer: its index in WAL mode, with a commit not yet checkpointed into the file.
      const writer = openSqlite(join(copy, 'index.sqlite'));
      try {
        writer.exec('PRAGMA journal_mode = WAL');
        writer.exec('PRAGMA wal_autocheckpoint = 0');
        writer.exec('CREATE TABLE writer_was_here (x)');
        const open = LocalStore.openReadOnly(copy);
        await expect(open).rejects.toThrow(StoreBusyError);
        await expect(open).rejects.toThrow(
          /index\.sqlite is being written by an earlier version of Proofline \(the index has no \w+\.\w+ yet\): run the command again when that process is done$/,
        );
      } finally {
        writer.close();
      }
      // Once that writer is done, the index is read from a private copy, migrated there.
      const store = await LocalStore.openReadOnly(copy);
      expect(await store.listArtifacts()).toHaveLength(fixture.artifacts);
      await store.close();
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('verifies its archive against the fingerprint it was signed with, and refuses another', async () => {
    const archive = join(dir, 'archive.zip');
    const report = await verifyArchive(archive, { fingerprint: fixture.fingerprint });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const other = await verifyArchive(archive, { fingerprint: '0'.repeat(64) });
    expect(other.ok).toBe(false);
  });
});
