import { readdir, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../canonical.ts';
import { digestBodySchema } from '../digest-chain.ts';
import { compactTimestamp } from '../evidence-key.ts';
import type { DigestRecord } from './digest-storage.ts';
import { LocalStore, StoreNotFoundError } from './local-store.ts';
import { INDEX_FILE } from './storage-errors.ts';

export interface ReindexResult {
  /** Where the previous index was moved (kept for inspection), when there was one. */
  readonly previousIndex?: string;
  /** Artifacts indexed, and how many of them took their write time from a digest (the rest: the file's time). */
  readonly artifacts: number;
  readonly datedByDigest: number;
  readonly digests: number;
  /** Files that were not indexed, and why (verify-chain names any a digest lists). */
  readonly skipped: readonly { key: string; reason: string }[];
  /** Temporary files of interrupted writes, removed. */
  readonly tempFilesRemoved: number;
}

/**
 * Rebuilds the embedded store's index from its files, which are the truth: every digest is recorded again, and
 * every evidence file whose bytes match the SHA-256 its name carries is indexed with the write time the digest
 * that lists it records (else the file's modification time, which is when it was published). The previous index
 * is moved aside, never deleted. Findings, control state, the transitions between states and the links from
 * past results to their evidence are not in the files: the caller re-evaluates (the history is lost).
 */
export async function reindexStore(dir: string): Promise<ReindexResult> {
  const root = resolve(dir);
  const hasFiles = await Promise.all(
    ['evidence', 'digests', INDEX_FILE].map((name) =>
      stat(join(root, name)).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!hasFiles.some(Boolean))
    throw new StoreNotFoundError(`no evidence store at ${root}: nothing to reindex (check --store)`);
  const previousIndex = await moveIndexAside(root);
  const store = await LocalStore.open(root);
  try {
    const { digests, dated } = await recordDigests(store);
    const skipped: { key: string; reason: string }[] = [];
    let artifacts = 0;
    let datedByDigest = 0;
    for await (const object of store.listEvidenceObjects()) {
      const reason = await store.indexStoredFile(object.key, dated.get(object.key) ?? object.lastModified);
      if (reason) skipped.push({ key: object.key, reason });
      else {
        artifacts++;
        if (dated.has(object.key)) datedByDigest++;
      }
    }
    const tempFilesRemoved = await removeTempFiles(root);
    return {
      ...(previousIndex ? { previousIndex } : {}),
      artifacts,
      datedByDigest,
      digests,
      skipped,
      tempFilesRemoved,
    };
  } finally {
    await store.close();
  }
}

/** Moves `index.sqlite` and its WAL files aside as `index.sqlite.replaced-<time>`; undefined when absent. */
async function moveIndexAside(root: string): Promise<string | undefined> {
  const file = join(root, INDEX_FILE);
  const aside = `${file}.replaced-${compactTimestamp(new Date().toISOString())}`;
  const moved = await rename(file, aside).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  for (const suffix of ['-wal', '-shm'])
    await rename(`${file}${suffix}`, `${aside}${suffix}`).catch(() => {});
  return moved ? aside : undefined;
}

/** Records every readable digest; returns how many, and the write time each lists for its artifacts. */
async function recordDigests(store: LocalStore): Promise<{ digests: number; dated: Map<string, string> }> {
  const dated = new Map<string, string>();
  let digests = 0;
  for (const key of await store.listDigestKeys()) {
    const stored = await store.readDigest(key);
    if (!stored) continue;
    let parsed: ReturnType<typeof digestBodySchema.safeParse>;
    try {
      parsed = digestBodySchema.safeParse(JSON.parse(stored.bytes.toString('utf8')));
    } catch {
      continue; // verify-chain reports an unreadable digest; the index cannot use it
    }
    if (!parsed.success) continue;
    const body = parsed.data;
    for (const a of body.artifacts) dated.set(a.key, a.writtenAt);
    const record: DigestRecord = {
      key,
      periodStart: body.periodStart,
      periodEnd: body.periodEnd,
      sha256: sha256Hex(stored.bytes),
      signature: stored.metadata.signature ?? '',
      previousKey: body.previousDigestKey,
      keyId: body.keyId,
      keyFingerprint: body.keyFingerprint,
    };
    if (await store.putDigestRecord(record)) digests++;
  }
  return { digests, dated };
}

/** The `.tmp` files interrupted writes leave under the store (evidence is published by link, so none is evidence). */
async function tempFilesOf(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.tmp')).map((e) => join(e.parentPath, e.name));
}

/** Removes the store's temporary files; returns how many. */
async function removeTempFiles(root: string): Promise<number> {
  const files = await tempFilesOf(root);
  for (const file of files) await unlink(file);
  return files.length;
}

/** How the index and the files of an embedded store agree. */
export interface IndexConsistency {
  readonly rows: number;
  readonly files: number;
  /** Index rows whose evidence file does not exist: nothing explains these. */
  readonly rowsWithoutFile: readonly string[];
  /** Evidence files the index has no row for: a write interrupted between publishing and indexing; reindex adopts them. */
  readonly filesWithoutRow: readonly string[];
  /** Temporary files of interrupted writes (never evidence; reindex removes them). */
  readonly tempFiles: number;
}

/** Compares the index with the files (read-only): what `reindex` would change. */
export async function indexConsistency(store: LocalStore): Promise<IndexConsistency> {
  const rows = await store.listArtifacts();
  const indexed = new Set(rows.map((r) => r.key));
  const files = new Set<string>();
  for await (const object of store.listEvidenceObjects()) files.add(object.key);
  return {
    rows: rows.length,
    files: files.size,
    rowsWithoutFile: [...indexed].filter((key) => !files.has(key)),
    filesWithoutRow: [...files].filter((key) => !indexed.has(key)),
    tempFiles: (await tempFilesOf(store.root)).length,
  };
}
