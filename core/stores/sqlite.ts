import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The embedded index's SQLite: `node:sqlite`, built into Node (≥ 22.13 without a flag), so installing
 * Proofline compiles nothing. Only the part of its API the store uses is typed here.
 */
export interface SqliteStatement {
  run(...params: SqliteValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: SqliteValue[]): unknown;
  all(...params: SqliteValue[]): unknown[];
}

export type SqliteValue = string | number | bigint | null | Uint8Array;

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): SqliteStatement;
  close(): void;
}

interface NodeSqlite {
  DatabaseSync: new (path: string, options?: { readOnly?: boolean }) => SqliteDatabase;
}

let loaded: NodeSqlite | undefined;

/**
 * Loads `node:sqlite` on first use. Node 22 flags the module as experimental with a warning on every load
 * (24 and 26 do not); the store contract suite is what we rely on, so that warning is not printed to every
 * CLI command.
 */
function nodeSqlite(): NodeSqlite {
  if (loaded) return loaded;
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    loaded = createRequire(import.meta.url)('node:sqlite') as NodeSqlite;
  } catch (error) {
    throw new Error(
      `the embedded store needs node:sqlite (Node ≥ 22.13); this is Node ${process.versions.node}: ${(error as Error).message}`,
    );
  } finally {
    process.emitWarning = emitWarning;
  }
  return loaded;
}

/**
 * How long a statement waits for another process's lock before failing with SQLITE_BUSY: a second `collect`,
 * `digest` or `evidence upload` on the same store waits for the first one's write to commit (each holds the
 * lock for one statement or one short transaction) rather than failing.
 */
export const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (and creates, unless `readOnly`) the SQLite database in `file`. The busy timeout is set before any
 * other statement: even switching a new index to WAL mode needs a lock another process may hold.
 */
export function openSqlite(
  file: string,
  options: { readOnly?: boolean; immutable?: boolean } = {},
): SqliteDatabase {
  const { DatabaseSync } = nodeSqlite();
  // Immutable: no lock taken and no file made beside it; SQLite trusts that nothing changes the file.
  const name = options.immutable ? `${pathToFileURL(file).href}?immutable=1` : file;
  const db = new DatabaseSync(name, options.readOnly || options.immutable ? { readOnly: true } : {});
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  return db;
}

/** Runs `fn` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws. */
export function immediateTransaction<T>(db: SqliteDatabase, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

export const walInUse = (file: string) =>
  stat(`${file}-wal`).then(
    (s) => s.size > 0,
    () => false,
  );

/** Size, inode and modification time (ns) of a file: what changes when a checkpoint writes into it. */
export const identity = async (file: string) => {
  const s = await stat(file, { bigint: true });
  return `${s.ino}:${s.size}:${s.mtimeNs}`;
};

/**
 * Takes a WAL-mode database file (`take` reads or copies it) without SQLite's locks (a lock would create `-wal`
 * and `-shm` files beside it); undefined while a writer uses it (its WAL holds commits the file lacks). A
 * writer that opens, commits and closes during the take checkpoints into the file under it, leaving pages from
 * two states, which SQLite reports as a damaged index: the take counts only when the file and its WAL are the
 * same after it as before, else it is taken again. Throws ENOENT when there is no file.
 */
export async function settledTake<T>(
  file: string,
  take: () => Promise<T>,
  attempts = 5,
): Promise<T | undefined> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const before = await identity(file);
    if (await walInUse(file)) return undefined;
    const taken = await take();
    if (!(await walInUse(file)) && (await identity(file)) === before) return taken;
  }
  return undefined;
}
