import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrityError } from '../../core/artifact.ts';
import { storeEvidenceView } from '../../core/evidence-view.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { artifact } from '../support/stores.ts';

describe('the evidence view', () => {
  let dir: string;
  let store: LocalStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-view-'));
    store = await LocalStore.open(dir);
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes an artifact from bytes already read instead of reading the store again', async () => {
    const { ref } = await store.putArtifact(artifact('2026-01-01T09:00:00.000Z', { buckets: ['logs'] }));
    const bytes = await readFile(store.pathOf(ref.key));
    let reads = 0;
    const counting = {
      getArtifact: (key: string) => {
        reads++;
        return store.getArtifact(key);
      },
      getFindings: (key: string) => store.getFindings(key),
    };
    const view = storeEvidenceView(counting, [ref], new Map([[ref.key, bytes]]));
    expect(await view.snapshot(ref)).toEqual({ buckets: ['logs'] });
    expect(reads).toBe(0);
    // Without the bytes, the store is read.
    expect(await storeEvidenceView(counting, [ref]).snapshot(ref)).toEqual({ buckets: ['logs'] });
    expect(reads).toBe(1);
  });

  it('refuses bytes already read that are not the ones the key names', async () => {
    const { ref } = await store.putArtifact(artifact('2026-01-01T09:00:00.000Z', { buckets: ['logs'] }));
    const altered = Buffer.from((await readFile(store.pathOf(ref.key), 'utf8')).replace('logs', 'l0gs'));
    const view = storeEvidenceView(store, [ref], new Map([[ref.key, altered]]));
    await expect(view.snapshot(ref)).rejects.toThrow(IntegrityError);
  });
});
