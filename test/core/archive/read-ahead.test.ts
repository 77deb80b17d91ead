import { expect, it } from 'vitest';
import yauzl from 'yauzl';
import { verifyArchive } from '../../../core/archive/verify.ts';
import { WHOLE_ENTRY_BYTES } from '../../../core/archive/zip-writer.ts';
import { IntegrityError } from '../../../core/artifact.ts';
import type { LocalSigner } from '../../../core/signing.ts';
import type { EvidenceStore } from '../../../core/stores/store.ts';
import { archiveToBuffer } from '../../support/archive.ts';
import { describeAws } from '../../support/aws.ts';
import { daysFrom, writeHistory } from '../../support/evidence-history.ts';
import { awsHarness, localHarness } from '../../support/stores.ts';

/** General-purpose flag bit 3: the entry's CRC-32 and sizes are in a data descriptor after its data. */
const DATA_DESCRIPTOR_FLAG = 1 << 3;
const DAYS = daysFrom('2026-03-01', 6);
const SCOPES = ['111122223333', '444455556666', '777788889999'].map((id) => ({ source: 'aws' as const, id }));

/**
 * The store, counting how many evidence reads are in flight at once: open streams and whole-file reads. Its
 * files are not offered as files on this machine, so the archive reads them file by file, as an object store's.
 */
function countingOpens(store: EvidenceStore) {
  let open = 0;
  let most = 0;
  const opened = () => {
    most = Math.max(most, ++open);
  };
  const counted = new Proxy(store, {
    get(target, property) {
      if (property === 'artifactFile') return undefined;
      if (property === 'openArtifactStream')
        return async (key: string) => {
          const stream = await target.openArtifactStream!(key);
          opened();
          stream.once('close', () => open--);
          return stream;
        };
      if (property === 'readArtifactBytes' && target.readArtifactBytes)
        return async (key: string) => {
          opened();
          try {
            return await target.readArtifactBytes!(key);
          } finally {
            open--;
          }
        };
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: counted, most: () => most };
}

it('opens evidence ahead of the file being written, and only as far as asked', async () => {
  const instance = await localHarness.create();
  const store = await instance.open();
  await writeHistory(store, DAYS, () => 'pass', SCOPES);
  const signer = (await instance.signer()) as LocalSigner;
  const period = { from: DAYS[0]!, to: DAYS.at(-1)! };
  const ahead = countingOpens(store);
  await archiveToBuffer(ahead.store, signer, { ...period, readAhead: 8 });
  const onTurn = countingOpens(store);
  await archiveToBuffer(onTurn.store, signer, { ...period, readAhead: 0 });
  expect(ahead.most()).toBeGreaterThan(4);
  // On its turn, a file is opened as the previous one is closing: never more than two at once.
  expect(onTurn.most()).toBeLessThanOrEqual(2);
});

describeAws('archives of the AWS store read evidence ahead (moto)', () => {
  it('the archive holds the same files, byte for byte, whether evidence is opened ahead or on its turn', async () => {
    const instance = await awsHarness.create();
    const store = await instance.open();
    await writeHistory(store, DAYS, (day) => (day === DAYS[2] ? 'fail' : 'pass'), SCOPES);
    // The archive signs with the store's KMS key; the helper's type names the local one.
    const signer = (await instance.signer()) as LocalSigner;
    const period = { from: DAYS[0]!, to: DAYS.at(-1)! };
    const onTurn = await archiveToBuffer(store, signer, { ...period, readAhead: 0 });
    const ahead = await archiveToBuffer(store, signer, { ...period, readAhead: 8 });
    expect(onTurn.manifest.evidence.count).toBe(DAYS.length * SCOPES.length);
    // ECDSA signatures are randomized: compare everything the signature covers.
    expect(ahead.manifestSha256).toBe(onTurn.manifestSha256);
    expect(ahead.manifest.files).toEqual(onTurn.manifest.files);
  });

  it('a missing evidence object opened ahead stops the export with an IntegrityError naming it', async () => {
    const instance = await awsHarness.create();
    const store = await instance.open();
    await writeHistory(store, DAYS, () => 'pass', SCOPES);
    const refs = await store.listArtifacts();
    const removed = refs[3]!.key;
    await instance.tamper.removeObject(removed);
    const signer = (await instance.signer()) as LocalSigner;
    const built = archiveToBuffer(store, signer, { from: DAYS[0]!, to: DAYS.at(-1)!, readAhead: 8 });
    await expect(built).rejects.toThrow(IntegrityError);
    await expect(built).rejects.toThrow(removed);
  });
});

/** Two days of small evidence and, on the third, one collection larger than an entry read whole. */
async function storeWithLargeEvidence() {
  const instance = await localHarness.create();
  const store = await instance.open();
  await writeHistory(store, DAYS.slice(0, 2), () => 'pass');
  const { ref: large } = await store.putArtifact({
    collector: 'test.widgets',
    scope: SCOPES[0]!,
    collectedAt: `${DAYS[2]}T10:00:00.000Z`,
    schemaVersion: 1,
    status: 'ok',
    snapshot: { widgets: [], filler: 'x'.repeat(WHOLE_ENTRY_BYTES) },
  });
  expect(large.size).toBeGreaterThan(WHOLE_ENTRY_BYTES);
  const signer = (await instance.signer()) as LocalSigner;
  return { instance, store, signer, large, period: { from: DAYS[0]!, to: DAYS[2]! } };
}

it('evidence larger than an entry read whole is streamed into the zip, byte for byte as stored', async () => {
  const { store, signer, large, period } = await storeWithLargeEvidence();
  const built = await archiveToBuffer(store, signer, period);
  expect(built.manifest.files).toContainEqual({ path: large.key, sha256: large.sha256, size: large.size });
  const flags = new Map<string, number>();
  const zip = await yauzl.fromBufferPromise(built.zip);
  for await (const entry of zip.eachEntry()) flags.set(entry.fileName, entry.generalPurposeBitFlag);
  zip.close();
  // Streamed: its CRC-32 and sizes follow its data (a data descriptor); the small files' are in their headers.
  expect(flags.get(large.key)! & DATA_DESCRIPTOR_FLAG).toBe(DATA_DESCRIPTOR_FLAG);
  const small = built.manifest.files.filter((f) => f.path.startsWith('evidence/') && f.path !== large.key);
  expect(small.length).toBeGreaterThan(0);
  for (const f of small) expect(flags.get(f.path)! & DATA_DESCRIPTOR_FLAG).toBe(0);
  expect((await verifyArchive(built.zip, { fingerprint: built.fingerprint })).outcome).toBe('verified');
  await store.close();
});

it('a streamed evidence file whose stored bytes no longer match the index stops the export', async () => {
  const { instance, store, signer, large, period } = await storeWithLargeEvidence();
  const bytes = Buffer.concat(await (await store.openArtifactStream!(large.key)).toArray());
  bytes[bytes.length - 10]! ^= 1;
  await instance.tamper.replaceObject(large.key, bytes);
  const attempt = archiveToBuffer(store, signer, period);
  await expect(attempt).rejects.toThrow(IntegrityError);
  await expect(attempt).rejects.toThrow(`${large.key}: the stored file has SHA-256`);
  await store.close();
});

it('a streamed evidence file gone from the store folder stops the export, naming it', async () => {
  const { instance, store, signer, large, period } = await storeWithLargeEvidence();
  await instance.tamper.removeObject(large.key);
  const attempt = archiveToBuffer(store, signer, period);
  await expect(attempt).rejects.toThrow(IntegrityError);
  await expect(attempt).rejects.toThrow(`${large.key}: indexed, but`);
  await store.close();
});

it('the archive holds the same files whether the evidence is read in batches on a worker thread or file by file', async () => {
  // Small files, then one streamed on its turn between two runs of batches.
  const { store, signer, period } = await storeWithLargeEvidence();
  await writeHistory(store, [DAYS[3]!], () => 'pass');
  const batched = await archiveToBuffer(store, signer, { ...period, to: DAYS[3]! });
  const fileByFile = await archiveToBuffer(store, signer, { ...period, to: DAYS[3]!, readAhead: 0 });
  expect(batched.manifest.evidence.count).toBe(fileByFile.manifest.evidence.count);
  expect(batched.manifest.files).toEqual(fileByFile.manifest.files);
  expect(batched.manifestSha256).toBe(fileByFile.manifestSha256);
  expect((await verifyArchive(batched.zip, { fingerprint: batched.fingerprint })).outcome).toBe('verified');
  await store.close();
});
