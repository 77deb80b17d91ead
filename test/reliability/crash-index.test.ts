import { readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StatusRow } from '../../core/report/status.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { runCli, tempStore } from '../support/cli.ts';
import { afterThisHour, runAt } from '../support/clock.ts';

/** A store with S3 evidence, an upload and a sealed digest over both. */
async function sealedStore(): Promise<{ store: string; uploaded: string }> {
  const store = await tempStore();
  const s3 = await LocalStore.open(store);
  await s3.putArtifact({
    collector: 'aws.s3.buckets',
    scope: { source: 'aws', id: '111122223333' },
    collectedAt: new Date().toISOString(),
    schemaVersion: 1,
    status: 'ok',
    snapshot: { accountPublicAccessBlock: null, buckets: [] },
  });
  await s3.close();
  const file = join(store, 'minutes.txt');
  await writeFile(file, 'board minutes');
  const upload = await runCli(['--store', store, 'evidence', 'upload', '--control', 'GOV-02', file]);
  expect(upload.code).toBe(0);
  const uploaded = /stored as (\S+)/.exec(upload.out)![1]!;
  await runAt(afterThisHour(), async () => {
    expect((await runCli(['--store', store, 'digest'])).code).toBe(0);
  });
  return { store, uploaded };
}

const statuses = async (store: string) =>
  (JSON.parse((await runCli(['--store', store, 'status', '--json'])).out) as StatusRow[]).map(
    (r) => `${r.control}:${r.status}`,
  );
const verify = (store: string) => runAt(afterThisHour(), () => runCli(['--store', store, 'verify-chain']));

describe('a damaged index', () => {
  it('is named in one line that points to reindex, for reading and for writing commands', async () => {
    const { store } = await sealedStore();
    await writeFile(join(store, 'index.sqlite'), Buffer.alloc(8192, 0x5a));
    for (const args of [['status'], ['evaluate'], ['verify-chain']]) {
      const run = await runCli(['--store', store, ...args]);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.err).toBe(
        `proofline: ${join(store, 'index.sqlite')} is damaged (file is not a database): run "proofline reindex --store ${store}" to rebuild it from the evidence and digest files`,
      );
    }
  });

  it('is rebuilt by reindex from the files: verify-chain passes and the controls read as before', async () => {
    const { store } = await sealedStore();
    const before = await statuses(store);
    expect((await verify(store)).code).toBe(0);
    await writeFile(join(store, 'index.sqlite'), Buffer.alloc(8192, 0x5a));
    await writeFile(join(store, 'upload.123.abc.tmp'), 'an interrupted upload');
    const run = await runCli(['--store', store, 'reindex']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/previous index kept as .*index\.sqlite\.replaced-\d{8}T\d{6}Z/);
    expect(run.out).toContain('indexed 2 artifacts (2 with the write time their digest records, 0 with');
    expect(run.out).toContain('removed 1 temporary files left by interrupted writes');
    expect(run.out).toContain('not rebuilt (not in the files): the history of status transitions');
    const verified = await verify(store);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toContain('chain valid');
    expect(await statuses(store)).toEqual(before);
    expect((await readdir(store)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves a file whose bytes do not match its name unindexed, and verify-chain names it', async () => {
    const { store, uploaded } = await sealedStore();
    const path = join(store, ...uploaded.split('/'));
    await unlink(path);
    await writeFile(path, '{"tampered":true}');
    const run = await runCli(['--store', store, 'reindex']);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain(`not indexed: ${uploaded}: SHA-256 is`);
    const verified = await verify(store);
    expect(verified.code).toBe(4);
    expect(verified.out).toMatch(
      new RegExp(`artifact-(altered|missing): ${uploaded.replace(/[.]/g, '\\.')}`),
    );
  });
});
