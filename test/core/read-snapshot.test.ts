import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../core/stores/local-store.ts';
import { readStoreSnapshot } from '../../core/stores/open.ts';
import { artifact } from '../support/stores.ts';

const at = (day: number) => new Date(Date.UTC(2026, 0, day, 9)).toISOString();

/** The store folder's files with their bytes: a read that changes or adds any shows here. */
async function files(dir: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      found[path] = (await readFile(path)).toString('base64');
    }
  return found;
}

describe('a read that can start over reads the embedded index in place', () => {
  it("never reads an earlier version's index in place: a private copy is migrated and read", async () => {
    const released = join(import.meta.dirname, '..', 'fixtures', 'compat', '0.1.0', 'store');
    const before = await files(released);
    expect(await LocalStore.openImmutable(released)).toBeUndefined();
    let reads = 0;
    const transitions = await readStoreSnapshot(released, async (store) => {
      reads++;
      return (await store.transitions()).length;
    });
    expect([reads, transitions > 0]).toEqual([1, true]);
    expect(await files(released)).toEqual(before);
  });

  let dir: string;
  let first: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-snapshot-'));
    const store = await LocalStore.open(dir);
    first = (await store.putArtifact(artifact(at(1), { day: 1 }))).ref.key;
    await store.close();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens an idle index where it is: the same answers, and no file changed or made beside it', async () => {
    const before = await files(dir);
    const store = await LocalStore.openImmutable(dir);
    expect(store).toBeDefined();
    expect((await store!.getArtifactRef(first))?.key).toBe(first);
    expect(await store!.unchangedSinceOpen()).toBe(true);
    await store!.close();
    expect(await files(dir)).toEqual(before);
  });

  it('is not used while a writer holds commits in its WAL that the index file lacks', async () => {
    const writer = await LocalStore.open(dir);
    try {
      await writer.putArtifact(artifact(at(2), { day: 2 }));
      expect(await LocalStore.openImmutable(dir)).toBeUndefined();
    } finally {
      await writer.close();
    }
    expect(await LocalStore.openImmutable(dir).then((s) => s?.close().then(() => true))).toBe(true);
  });

  it('reads again from a private copy when a writer changed the index during the read, and answers from that', async () => {
    let reads = 0;
    const answer = await readStoreSnapshot(dir, async (store) => {
      reads++;
      if (reads === 1) {
        // A collect that commits and closes meanwhile checkpoints into the index file.
        const writer = await LocalStore.open(dir);
        await writer.putArtifact(artifact(at(2), { day: 2 }));
        await writer.close();
      }
      return (await store.listArtifacts()).length;
    });
    expect(reads).toBe(2);
    expect(answer).toBe(2);
  });

  it('keeps the in-place answer when nothing changed, and reads again when the read failed there', async () => {
    let reads = 0;
    const count = await readStoreSnapshot(dir, async (store) => {
      reads++;
      return (await store.listArtifacts()).length;
    });
    expect([reads, count]).toEqual([1, 1]);
    let attempts = 0;
    const answer = await readStoreSnapshot(dir, async (store) => {
      attempts++;
      if (attempts === 1) throw new Error('a read that failed in place');
      return (await store.listArtifacts()).length;
    });
    expect([attempts, answer]).toEqual([2, 1]);
  });
});
