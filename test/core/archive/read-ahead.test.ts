import { expect, it } from 'vitest';
import { IntegrityError } from '../../../core/artifact.ts';
import type { LocalSigner } from '../../../core/signing.ts';
import { archiveToBuffer } from '../../support/archive.ts';
import { describeAws } from '../../support/aws.ts';
import { daysFrom, writeHistory } from '../../support/evidence-history.ts';
import { awsHarness } from '../../support/stores.ts';

const DAYS = daysFrom('2026-03-01', 6);
const SCOPES = ['111122223333', '444455556666', '777788889999'].map((id) => ({ source: 'aws' as const, id }));

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
