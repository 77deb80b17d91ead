import { describe, expect, it, vi } from 'vitest';
import { DigestChainUnavailable, handler as digest } from '../../functions/digest.ts';
import { storeSpec } from '../../functions/shared/store.ts';

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

describe('digest handler', () => {
  it('fails loudly while the digest chain is not part of the build, so the gap is alarmed', async () => {
    await expect(digest({})).rejects.toBeInstanceOf(DigestChainUnavailable);
  });
});
