import { spawn } from 'node:child_process';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sealEndedPeriods } from '../../cli/chain.ts';
import { digestKey, verifyChain } from '../../core/digest-chain.ts';
import type { Artifact } from '../../core/model.ts';
import { LocalSigner, publicKeyInfo } from '../../core/signing.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { indexConsistency } from '../../core/stores/reindex.ts';
import { tempStore } from '../support/cli.ts';

const WRITER = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
const HOUR = 3_600_000;

/** Runs the writer that kills itself at the crash point of `mode` (see crash-writer.ts); resolves with its exit signal. */
const writeUntilKilled = (mode: 'seal' | 'put', dir: string, now: Date, artifact?: Artifact) =>
  new Promise<{ signal: NodeJS.Signals | null; out: string }>((resolve, reject) => {
    const args = [WRITER, mode, dir, now.toISOString(), ...(artifact ? [JSON.stringify(artifact)] : [])];
    const child = spawn(process.execPath, ['--import', 'tsx', ...args]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, out }));
  });

/** An artifact collected nine minutes into `hour`. */
const collectedIn = (hour: number): Artifact => ({
  collector: 'aws.s3.buckets',
  scope: { source: 'aws', id: '111122223333' },
  collectedAt: new Date(hour + 9 * 60_000).toISOString(),
  schemaVersion: 1,
  status: 'ok',
  snapshot: { accountPublicAccessBlock: null, buckets: [] },
});

/** Seals `hour` as the next writer does, and verifies the chain: one valid digest listing one artifact. */
async function expectHourSealedWithOneArtifact(store: LocalStore, hour: number): Promise<void> {
  const signer = await LocalSigner.open(store.root);
  const written = await sealEndedPeriods(store, signer, { now: new Date(hour + HOUR + 5 * 60_000) });
  expect(written.map((d) => d.periodEnd)).toEqual([new Date(hour + HOUR).toISOString()]);
  const chain = await verifyChain(store, [(await publicKeyInfo(signer)).pem], {
    now: new Date(hour + HOUR + 20 * 60_000),
  });
  expect(chain.ok, JSON.stringify(chain.periods)).toBe(true);
  expect(chain.periods.map((p) => p.artifacts)).toEqual([1]);
}

describe('kill -9 in the middle of a write', () => {
  it('between publishing a digest and its signature leaves a period verify-chain reports as not yet digested, which the next digest seals validly', async () => {
    // An hour two hours back on this process's clock: nothing here compares a literal date with the wall clock.
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    const dir = await tempStore();
    const writer = await LocalStore.open(dir, { now: () => new Date(hour + 10 * 60_000) });
    const { ref } = await writer.putArtifact(collectedIn(hour));
    await writer.close();

    const killed = await writeUntilKilled('seal', dir, new Date(hour + HOUR + 2 * 60_000));
    expect(killed.signal, killed.out).toBe('SIGKILL');

    const signer = await LocalSigner.open(dir);
    const key = (await publicKeyInfo(signer)).pem;
    const verify = async () => {
      const store = await LocalStore.openReadOnly(dir);
      try {
        return await verifyChain(store, [key], { now: new Date(hour + HOUR + 20 * 60_000) });
      } finally {
        await store.close();
      }
    };
    const periodEnd = new Date(hour + HOUR).toISOString();
    const crashed = await verify();
    expect(crashed.periods.flatMap((p) => p.problems.map((q) => q.kind)).sort()).toEqual([
      'artifact-not-in-digest',
      'digest-missing',
    ]);
    expect(crashed.periods.map((p) => p.periodEnd)).toEqual([periodEnd]);

    const store = await LocalStore.open(dir);
    try {
      const written = await sealEndedPeriods(store, signer, { now: new Date(hour + HOUR + 5 * 60_000) });
      expect(written.map((d) => d.periodEnd)).toEqual([periodEnd]);
    } finally {
      await store.close();
    }
    const repaired = await verify();
    expect(repaired.ok, JSON.stringify(repaired.periods)).toBe(true);
    expect(repaired.periods.map((p) => [p.periodEnd, p.artifacts])).toEqual([[periodEnd, 1]]);
    expect(ref.key).toMatch(/^evidence\//);
  }, 60_000);

  it('between publishing an evidence file and indexing it leaves a file the next digest lists', async () => {
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    const writtenAt = new Date(hour + 10 * 60_000);
    const dir = await tempStore();
    const artifact = collectedIn(hour);
    const killed = await writeUntilKilled('put', dir, writtenAt, artifact);
    expect(killed.signal, killed.out).toBe('SIGKILL');

    const store = await LocalStore.open(dir);
    try {
      const [orphan] = (await indexConsistency(store)).filesWithoutRow;
      expect(orphan).toMatch(/^evidence\//);
      // The file is stamped by the real clock; the kill is placed in the hour the injected clock wrote it.
      await utimes(store.pathOf(orphan!), writtenAt, writtenAt);
      await expectHourSealedWithOneArtifact(store, hour);
      expect(await indexConsistency(store)).toMatchObject({ filesWithoutRow: [], rowsWithoutFile: [] });
    } finally {
      await store.close();
    }
  }, 60_000);

  it('by a writer that published the digest before its signature leaves a digest the next writer replaces', async () => {
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    const dir = await tempStore();
    const store = await LocalStore.open(dir, { now: () => new Date(hour + 10 * 60_000) });
    try {
      await store.putArtifact(collectedIn(hour));
      // What such a writer killed between its two steps left: the digest, with neither signature nor index record.
      const periodEnd = new Date(hour + HOUR).toISOString();
      const unsigned = store.pathOf(digestKey(periodEnd));
      await mkdir(dirname(unsigned), { recursive: true });
      await writeFile(unsigned, JSON.stringify({ periodEnd, artifacts: [] }));
      await expectHourSealedWithOneArtifact(store, hour);
    } finally {
      await store.close();
    }
  }, 60_000);
});
