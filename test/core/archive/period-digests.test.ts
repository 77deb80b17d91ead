import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { DIGEST_READ_AHEAD, periodDigests } from '../../../core/archive/export.ts';
import { digestArchivePath } from '../../../core/archive/types.ts';
import { localHeaderSize } from '../../../core/archive/zip-writer.ts';
import { writeDueDigests } from '../../../core/digest-chain.ts';
import type { ChainedStore } from '../../../core/stores/open.ts';
import { artifact, localHarness } from '../../support/stores.ts';

/** A store with artifacts over ten hours and a digest for each of its 40 hours ahead of the first write. */
async function digestedStore() {
  const instance = await localHarness.create();
  let clock = '2026-01-05T00:10:00.000Z';
  const store = await instance.open(() => new Date(clock));
  for (let hour = 0; hour < 10; hour++) {
    clock = `2026-01-05T${String(hour).padStart(2, '0')}:10:00.000Z`;
    await store.putArtifact(artifact(clock, { hour }));
  }
  // Sealed as of the test's own clock, not the wall clock.
  await writeDueDigests(store, await instance.signer(), {
    upTo: '2026-01-06T16:00:00.000Z',
    now: new Date('2026-01-06T16:10:00.000Z'),
  });
  return { store, instance };
}

/** Each digest's key and bytes, as one object each or as the reading thread's batches lay them out. */
const collect = async (
  store: Parameters<typeof periodDigests>[0],
  period: { start: string; end: string },
) => {
  const digests: { key: string; bytes: Buffer }[] = [];
  for await (const digest of periodDigests(store, period)) {
    if (!('batch' in digest)) {
      digests.push({ key: digest.key, bytes: Buffer.from(digest.bytes) });
      continue;
    }
    for (const [j, { at, size, sha256 }] of digest.batch.files.entries()) {
      const key = digest.keys[j]!;
      const start = at + localHeaderSize(digestArchivePath(key));
      const bytes = Buffer.from(digest.batch.bytes.subarray(start, start + size));
      // Each comes with the hash of its very bytes.
      expect(sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      digests.push({ key, bytes });
    }
    digest.batch.release();
  }
  return digests;
};

it("an archive's digests are each digest's stored bytes, in period order, whether read as files on a worker thread, alone or with metadata", async () => {
  const { store } = await digestedStore();
  const period = { start: '2026-01-05T03:00:00.000Z', end: '2026-01-06T12:00:00.000Z' };
  const records = await store.digestRecords({ from: period.start, to: period.end });
  expect(records.length).toBeGreaterThan(DIGEST_READ_AHEAD); // more than one read-ahead window
  const digests = await collect(store, period);
  expect(digests.map((d) => d.key)).toEqual(records.map((r) => r.key));
  for (const digest of digests)
    expect(digest.bytes.equals((await store.readDigest(digest.key))!.bytes)).toBe(true);
  // A store without files on this machine reads each alone; one without the bytes-only read (the AWS store gets
  // metadata with the same GET) with its metadata: the same bytes either way.
  const bytesOnly: Pick<ChainedStore, 'digestRecords' | 'readDigest' | 'readDigestBytes'> = {
    digestRecords: (range) => store.digestRecords(range),
    readDigest: (key) => store.readDigest(key),
    readDigestBytes: (key) => store.readDigestBytes!(key),
  };
  const withMetadata: Pick<ChainedStore, 'digestRecords' | 'readDigest'> = {
    digestRecords: (range) => store.digestRecords(range),
    readDigest: (key) => store.readDigest(key),
  };
  expect(await collect(bytesOnly, period)).toEqual(digests);
  expect(await collect(withMetadata, period)).toEqual(digests);
  await store.close();
});

it('a digest recorded in the index but missing from storage is left out, not read as empty', async () => {
  const { store, instance } = await digestedStore();
  const period = { start: '2026-01-05T03:00:00.000Z', end: '2026-01-05T08:00:00.000Z' };
  const records = await store.digestRecords({ from: period.start, to: period.end });
  const missing = records[2]!.key;
  await instance.tamper.removeObject(missing);
  const digests = await collect(store, period);
  expect(digests.map((d) => d.key)).toEqual(records.map((r) => r.key).filter((k) => k !== missing));
  await store.close();
});
