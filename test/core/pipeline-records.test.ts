import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.ts';
import { EXCEPTION_COLLECTOR, type ExceptionRecord } from '../../core/exceptions.ts';
import { MANUAL_EVIDENCE_COLLECTOR, manualEvidenceSnapshot } from '../../core/manual-evidence.ts';
import type { Artifact } from '../../core/model.ts';
import { evaluateStore } from '../../core/pipeline.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { control } from '../support/catalog.ts';

const block = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
const bucket = (name: string, blocked: boolean) => ({
  name,
  region: 'us-east-1',
  encryption: null,
  publicAccessBlock: blocked ? block : null,
  versioning: 'Enabled',
  logging: null,
  policy: null,
});
const s3Artifact = (collectedAt: string): Artifact => ({
  collector: 'aws.s3.buckets',
  scope: { source: 'aws', id: '111122223333' },
  collectedAt,
  schemaVersion: 1,
  status: 'ok',
  snapshot: {
    accountPublicAccessBlock: null,
    buckets: [bucket('public-site', false), bucket('private-data', true)],
  },
});
const manualArtifact = (
  collector: string,
  scopeId: string,
  collectedAt: string,
  snapshot: unknown,
): Artifact => ({
  collector,
  scope: { source: 'manual', id: scopeId },
  collectedAt,
  schemaVersion: 1,
  status: 'ok',
  snapshot,
});

const controls = [
  control({ id: 'DATA-02', type: 'automated', checks: ['aws.s3.public-access-block'], soc2: ['CC6.6'] }),
  control({
    id: 'GOV-02',
    manualEvidence: { description: 'board minutes', everyDays: 180 },
    soc2: ['CC1.2'],
  }),
  control({
    id: 'AST-07',
    type: 'hybrid',
    checks: ['aws.s3.versioning'],
    manualEvidence: { description: 'DLP review', everyDays: 180 },
    soc2: ['CC6.7'],
  }),
];
const grant: ExceptionRecord = {
  kind: 'grant',
  id: 'EXC-00000000AB',
  control: 'DATA-02',
  resource: 'arn:aws:s3:::public-*',
  reason: 'static website',
  owner: 'platform',
  approvedBy: 'dana',
  grantedAt: '2026-11-01T00:00:00.000Z',
  expiresAt: '2026-12-15T23:59:59.999Z',
};

describe('evaluateStore with exceptions and manual evidence', () => {
  let store: LocalStore;
  beforeEach(async () => {
    store = await LocalStore.open(await mkdtemp(join(tmpdir(), 'proofline-records-')));
    await store.putArtifact(s3Artifact('2026-11-26T00:00:00.000Z'));
  });
  afterEach(() => store.close());

  const statusAt = async (at: string, record = true) => {
    const { results } = await evaluateStore(store, controls, collectors, at, { record });
    return Object.fromEntries(results.map((r) => [r.control, r]));
  };

  it('without records: the public bucket fails DATA-02, GOV-02 is manual_due, the hybrid is manual_due', async () => {
    const r = await statusAt('2026-11-27T00:00:00.000Z');
    expect(r['DATA-02']?.status).toBe('failing');
    expect(r['GOV-02']?.status).toBe('manual_due');
    expect(r['AST-07']?.status).toBe('manual_due');
  });

  it('an active exception makes DATA-02 excepted, keeping the finding with status fail; after expiry it fails again', async () => {
    const { ref } = await store.putArtifact(
      manualArtifact(EXCEPTION_COLLECTOR, 'DATA-02', grant.grantedAt, grant),
    );
    const during = (await statusAt('2026-11-27T00:00:00.000Z'))['DATA-02']!;
    expect(during.status).toBe('excepted');
    expect(during.excepted).toEqual([
      expect.objectContaining({
        resource: 'arn:aws:s3:::public-site',
        status: 'fail',
        exception: 'EXC-00000000AB',
      }),
    ]);
    expect(during.evidence).toContain(ref.key);
    const after = (await statusAt('2026-12-16T00:00:00.000Z'))['DATA-02']!;
    expect(after.status).toBe('failing');
    expect(after.expiredExceptions).toEqual(['EXC-00000000AB']);
  });

  it('a revocation record ends the exception', async () => {
    await store.putArtifact(manualArtifact(EXCEPTION_COLLECTOR, 'DATA-02', grant.grantedAt, grant));
    await store.putArtifact(
      manualArtifact(EXCEPTION_COLLECTOR, 'DATA-02', '2026-11-20T00:00:00.000Z', {
        kind: 'revoke',
        id: 'EXC-00000000AB',
        reason: 'bucket made private',
        revokedBy: 'dana',
        revokedAt: '2026-11-20T00:00:00.000Z',
      }),
    );
    expect((await statusAt('2026-11-27T00:00:00.000Z'))['DATA-02']?.status).toBe('failing');
  });

  it('an upload makes GOV-02 and the hybrid pass until their cadence runs out', async () => {
    const snapshot = (id: string) => manualEvidenceSnapshot(id, 'minutes.pdf', Buffer.from('%PDF'), 'dana');
    const { ref } = await store.putArtifact(
      manualArtifact(MANUAL_EVIDENCE_COLLECTOR, 'GOV-02', '2026-11-01T00:00:00.000Z', snapshot('GOV-02')),
    );
    await store.putArtifact(
      manualArtifact(MANUAL_EVIDENCE_COLLECTOR, 'AST-07', '2026-11-01T00:00:00.000Z', snapshot('AST-07')),
    );
    const fresh = await statusAt('2026-11-27T00:00:00.000Z');
    expect(fresh['GOV-02']).toMatchObject({ status: 'passing', lastEvidenceAt: '2026-11-01T00:00:00.000Z' });
    expect(fresh['GOV-02']?.evidence).toEqual([ref.key]);
    expect(fresh['AST-07']?.status).toBe('passing');
    const later = await statusAt('2027-05-01T00:00:00.000Z');
    expect(later['GOV-02']?.status).toBe('manual_due');
    expect(later['AST-07']?.status).toBe('manual_due');
  });

  it('with record: false computes the results without storing state or transitions', async () => {
    await statusAt('2026-11-27T00:00:00.000Z', false);
    expect(await store.controlStates()).toEqual([]);
    expect(await store.transitions()).toEqual([]);
    await statusAt('2026-11-27T00:00:00.000Z', true);
    expect((await store.controlStates()).map((s) => s.control).sort()).toEqual([
      'AST-07',
      'DATA-02',
      'GOV-02',
    ]);
  });
});
