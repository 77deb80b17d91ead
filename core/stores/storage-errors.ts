import { join } from 'node:path';
import { ProoflineError } from '../errors.ts';
import { BUSY_TIMEOUT_MS } from './sqlite.ts';

export const INDEX_FILE = 'index.sqlite';

/** The embedded store's index cannot be read: SQLite found it corrupt or not a database at all. */
export class DamagedIndexError extends ProoflineError {
  override name = 'DamagedIndexError';
}

/** The filesystem under a store is full: the write that failed was not counted. */
export class StorageFullError extends ProoflineError {
  override name = 'StorageFullError';
}

/** Another process held the embedded store's index lock for longer than the busy timeout. */
export class StoreBusyError extends ProoflineError {
  override name = 'StoreBusyError';
}

/** SQLite's result codes for a file that is damaged (SQLITE_CORRUPT) or not a database (SQLITE_NOTADB). */
const DAMAGED_CODES = new Set([11, 26]);
const SQLITE_FULL = 13;
const SQLITE_BUSY = 5;

const sqliteCode = (error: unknown): number | undefined => {
  const e = error as { code?: string; errcode?: number } | undefined;
  return e?.code === 'ERR_SQLITE_ERROR' ? (e.errcode ?? 0) & 0xff : undefined;
};

/** Whether a thrown error is SQLite reporting a damaged index file. */
export const isDamagedIndex = (error: unknown): boolean => DAMAGED_CODES.has(sqliteCode(error) ?? -1);

/** The one line a damaged index is reported with, naming the command that rebuilds it. */
export function damagedIndexError(error: unknown, root?: string): DamagedIndexError {
  const where = root ? join(root, INDEX_FILE) : `the store's ${INDEX_FILE}`;
  const store = root ? ` --store ${root}` : '';
  return new DamagedIndexError(
    `${where} is damaged (${(error as Error).message}): run "proofline reindex${store}" to rebuild it from the evidence and digest files`,
    { cause: error },
  );
}

/**
 * A storage failure as the one line the CLI prints, or undefined for any other error: a damaged index, a
 * full disk (ENOSPC, EDQUOT, SQLITE_FULL), after which nothing half-written counts (evidence and digests are
 * published whole by link(), index rows in transactions), or an index another process kept locked for longer
 * than the busy timeout (SQLITE_BUSY).
 */
export function storageFailure(error: unknown): ProoflineError | undefined {
  if (isDamagedIndex(error)) return damagedIndexError(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || sqliteCode(error) === SQLITE_FULL) {
    const path = (error as NodeJS.ErrnoException).path;
    return new StorageFullError(
      `no space left${path ? ` writing ${path}` : " on the store's disk"}: the write was not recorded; free space and run the command again`,
      { cause: error },
    );
  }
  if (sqliteCode(error) === SQLITE_BUSY)
    return new StoreBusyError(
      `the store is busy: another process held its index for more than ${BUSY_TIMEOUT_MS / 1000} s; the write that waited was not recorded; run the command again when the other one is done`,
      { cause: error },
    );
  return undefined;
}
