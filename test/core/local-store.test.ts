import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrityError } from '../../core/artifact.ts';
import { sha256Hex } from '../../core/canonical.ts';
import type { Artifact, ControlResult } from '../../core/model.ts';
import { LocalStore } from '../../core/stores/local-store.ts';

const artifact = (collectedAt: string, snapshot: unknown, scopeId = '111122223333'): Artifact => ({
  collector: 'aws.s3.buckets',
  scope: { source: 'aws', id: scopeId },
  collectedAt,
  schemaVersion: 1,
  status: 'ok',
  snapshot,
});

const result = (
  control: string,
  status: ControlResult['status'],
  evidence: string[] = [],
): ControlResult => ({
  control,
  status,
  failing: [],
  findingCount: 1,
  evidence,
  gaps: [],
});

describe('LocalStore', () => {
  let dir: string;
  let store: LocalStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-store-'));
    store = await LocalStore.open(dir);
  });
  afterEach(() => store.close());

  it('stores an artifact under its content-addressed key, with a file whose SHA-256 matches', async () => {
    const { ref, created } = await store.putArtifact(artifact('2026-11-27T19:36:00.000Z', { buckets: [] }));
    expect(created).toBe(true);
    expect(ref.key).toMatch(
      /^evidence\/source=aws\/collector=aws\.s3\.buckets\/scope=111122223333-global\/dt=2026-11-27\/20261127T193600Z-[0-9a-f]{64}\.json$/,
    );
    const bytes = await readFile(join(dir, ref.key));
    expect(sha256Hex(bytes)).toBe(ref.sha256);
    expect(ref.key).toContain(ref.sha256);
    expect((await store.getArtifact(ref.key)).artifact).toEqual(
      artifact('2026-11-27T19:36:00.000Z', { buckets: [] }),
    );
  });

  it('is idempotent: the same content twice is one artifact', async () => {
    const a = artifact('2026-11-27T19:36:00.000Z', { buckets: [{ name: 'x' }] });
    const first = await store.putArtifact(a);
    const second = await store.putArtifact(
      artifact('2026-11-27T19:36:00.000Z', { buckets: [{ name: 'x' }] }),
    );
    expect(second).toEqual({ ref: first.ref, created: false });
    expect(await store.listArtifacts()).toHaveLength(1);
  });

  it('lists by collector, scope and period and finds the latest per collector × scope', async () => {
    await store.putArtifact(artifact('2026-11-01T00:00:00.000Z', { n: 1 }));
    await store.putArtifact(artifact('2026-11-02T00:00:00.000Z', { n: 2 }));
    await store.putArtifact(artifact('2026-11-03T00:00:00.000Z', { n: 3 }, '444455556666'));
    const period = await store.listArtifacts({
      from: '2026-11-02T00:00:00.000Z',
      to: '2026-11-03T00:00:00.000Z',
    });
    expect(period.map((r) => r.collectedAt)).toEqual(['2026-11-02T00:00:00.000Z']);
    expect(await store.listArtifacts({ scopeKey: '444455556666-global' })).toHaveLength(1);
    const latest = await store.latestArtifacts('aws.s3.buckets');
    expect(latest.map((r) => [r.scopeKey, r.collectedAt])).toEqual([
      ['111122223333-global', '2026-11-02T00:00:00.000Z'],
      ['444455556666-global', '2026-11-03T00:00:00.000Z'],
    ]);
  });

  it('refuses an artifact whose file was altered', async () => {
    const { ref } = await store.putArtifact(artifact('2026-11-27T19:36:00.000Z', { buckets: [] }));
    const path = join(dir, ref.key);
    await chmod(path, 0o644);
    await writeFile(path, '{"tampered":true}');
    await expect(store.getArtifact(ref.key)).rejects.toBeInstanceOf(IntegrityError);
  });

  it('records each control transition once, even when the same evaluation is applied twice', async () => {
    const at = '2026-11-27T10:00:00.000Z';
    expect(await store.applyControlResults([result('IAM-01', 'failing')], at)).toHaveLength(1);
    expect(await store.applyControlResults([result('IAM-01', 'failing')], at)).toHaveLength(0);
    const recovered = await store.applyControlResults(
      [result('IAM-01', 'passing')],
      '2026-11-27T11:00:00.000Z',
    );
    expect(recovered).toMatchObject([{ control: 'IAM-01', from: 'failing', to: 'passing' }]);
    const [state] = await store.controlStates();
    expect(state).toMatchObject({ status: 'passing', since: '2026-11-27T11:00:00.000Z' });
    expect((await store.transitions({ control: 'IAM-01' })).map((t) => t.to)).toEqual(['failing', 'passing']);
  });

  it('ignores a result older than the stored state (a late, out-of-order evaluation)', async () => {
    await store.applyControlResults([result('IAM-01', 'passing')], '2026-11-27T12:00:00.000Z');
    expect(
      await store.applyControlResults([result('IAM-01', 'failing')], '2026-11-27T11:00:00.000Z'),
    ).toEqual([]);
    expect((await store.controlStates())[0]?.status).toBe('passing');
  });

  it('answers which artifacts stood behind a control in a period', async () => {
    const { ref } = await store.putArtifact(artifact('2026-11-05T00:00:00.000Z', { n: 1 }));
    await store.applyControlResults([result('DATA-01', 'passing', [ref.key])], '2026-11-05T01:00:00.000Z');
    expect(
      await store.controlEvidence('DATA-01', '2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'),
    ).toEqual([ref.key]);
    expect(
      await store.controlEvidence('DATA-01', '2026-11-06T00:00:00.000Z', '2026-12-01T00:00:00.000Z'),
    ).toEqual([]);
  });
});
