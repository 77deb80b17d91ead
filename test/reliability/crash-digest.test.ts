import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sealEndedPeriods } from '../../cli/chain.ts';
import { verifyChain } from '../../core/digest-chain.ts';
import { LocalSigner, publicKeyInfo } from '../../core/signing.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { tempStore } from '../support/cli.ts';

const WRITER = fileURLToPath(new URL('./crash-digest-writer.ts', import.meta.url));
const HOUR = 3_600_000;

/** Runs the digest writer that kills itself between a digest's two files; resolves with its exit signal. */
const sealUntilKilled = (dir: string, now: Date) =>
  new Promise<{ signal: NodeJS.Signals | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir, now.toISOString()]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, out }));
  });

describe('kill -9 between publishing a digest and its signature', () => {
  it('leaves a period verify-chain reports as not yet digested, which the next digest seals validly', async () => {
    // An hour two hours back on this process's clock: nothing here compares a literal date with the wall clock.
    const hour = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    const dir = await tempStore();
    const writer = await LocalStore.open(dir, { now: () => new Date(hour + 10 * 60_000) });
    const { ref } = await writer.putArtifact({
      collector: 'aws.s3.buckets',
      scope: { source: 'aws', id: '111122223333' },
      collectedAt: new Date(hour + 9 * 60_000).toISOString(),
      schemaVersion: 1,
      status: 'ok',
      snapshot: { accountPublicAccessBlock: null, buckets: [] },
    });
    await writer.close();

    const killed = await sealUntilKilled(dir, new Date(hour + HOUR + 2 * 60_000));
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
});
