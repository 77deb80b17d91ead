import { describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../../core/digest-chain.ts';
import { openSigner } from '../../core/stores/open.ts';
import { handler as digest } from '../../functions/digest.ts';
import { closeEvidenceStore, evidenceStore, storeSpec } from '../../functions/shared/store.ts';
import { describeAws } from '../support/aws.ts';
import { afterThisHour, runAt } from '../support/clock.ts';
import { artifact, createAwsStoreResources, createKmsSigningKey } from '../support/stores.ts';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

describe('the store the functions open', () => {
  it('is the deployed bucket, table, signing key and retention', () => {
    const spec = storeSpec({
      EVIDENCE_BUCKET: 'proofline-evidence',
      INDEX_TABLE: 'proofline-index',
      SIGNING_KEY_ID: '1234abcd-12ab-34cd-56ef-1234567890ab',
      RETENTION_DAYS: '731',
    });
    expect(spec).toBe(
      's3://proofline-evidence?table=proofline-index&key=1234abcd-12ab-34cd-56ef-1234567890ab&retention=731',
    );
  });

  it('PROOFLINE_STORE overrides it; a missing variable is named', () => {
    expect(storeSpec({ PROOFLINE_STORE: '/tmp/store' })).toBe('/tmp/store');
    expect(() => storeSpec({ EVIDENCE_BUCKET: 'b', SIGNING_KEY_ID: 'k' })).toThrow(
      'environment variable INDEX_TABLE is not set',
    );
  });
});

describeAws('digest handler (moto)', () => {
  it('signs the due digests of the deployed store with the KMS key, and adds nothing when run again', async () => {
    const { bucket, table } = await createAwsStoreResources('digestfn');
    const key = await createKmsSigningKey();
    Object.assign(process.env, { EVIDENCE_BUCKET: bucket, INDEX_TABLE: table, SIGNING_KEY_ID: key });
    delete process.env.PROOFLINE_STORE;
    try {
      const store = await evidenceStore();
      await store.putArtifact(artifact(new Date(Date.now() - 60_000).toISOString(), { buckets: [] }));
      const later = afterThisHour();
      const upTo = new Date(later.getTime() - 61_000).toISOString();
      const first = await runAt(later, () => digest({}));
      expect(first.written.length).toBeGreaterThan(0);
      expect(first.written.every((k) => k.startsWith('digests/dt='))).toBe(true);
      expect((await runAt(later, () => digest({ upTo }))).written).toEqual([]);
      const chain = await verifyChain(store, [await (await openSigner(storeSpec())).publicKeyPem()], {
        now: new Date(upTo),
      });
      expect(chain.ok).toBe(true);
    } finally {
      await closeEvidenceStore();
      for (const name of ['EVIDENCE_BUCKET', 'INDEX_TABLE', 'SIGNING_KEY_ID']) delete process.env[name];
    }
  });
});
