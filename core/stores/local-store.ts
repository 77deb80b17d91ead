import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  constants as fsConstants,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import {
  chmod,
  copyFile,
  link,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { decodeArtifact, encodeArtifact, missingEvidence } from '../artifact.ts';
import { ProoflineError } from '../errors.ts';
import type { Artifact, ArtifactRef, ControlResult, ControlState, Finding, Transition } from '../model.ts';
import { nextState } from '../state.ts';
import {
  FINDINGS_SCHEMA,
  FindingsCache,
  linkFindings,
  migrateFindingsTable,
  migrateIdLists,
  migrateTransitions,
  packTransition,
  readFindings,
  type TransitionRow,
  unpackTransition,
} from './compact.ts';
import {
  DIGEST_PREFIX,
  type DigestRecord,
  type DigestStorage,
  daysBetweenInclusive,
  type EvidenceRange,
  isDigestKey,
  type StoredDigest,
  type WrittenArtifact,
} from './digest-storage.ts';
import {
  identity,
  immediateTransaction,
  openSqlite,
  type SqliteDatabase,
  settledTake,
  walInUse,
} from './sqlite.ts';
import { StoreBusyError } from './storage-errors.ts';
import {
  type ArtifactQuery,
  type EvidenceStore,
  evidenceKeySha256,
  expectedSha256,
  type PutResult,
} from './store.ts';

export const DEFAULT_STORE_DIR = '.proofline';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS artifacts (
  key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, collector TEXT NOT NULL,
  source TEXT NOT NULL, scope_key TEXT NOT NULL, collected_at TEXT NOT NULL, status TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS artifacts_by_collector ON artifacts (collector, scope_key, collected_at);
CREATE INDEX IF NOT EXISTS artifacts_by_time ON artifacts (collected_at);
CREATE TABLE IF NOT EXISTS control_state (control TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS transitions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, control TEXT NOT NULL, at TEXT NOT NULL, transition TEXT NOT NULL,
  failing INTEGER, newly_failing INTEGER, recovered INTEGER
);
CREATE INDEX IF NOT EXISTS transitions_by_control ON transitions (control, at);
CREATE INDEX IF NOT EXISTS transitions_by_time ON transitions (at);
CREATE TABLE IF NOT EXISTS control_evidence (
  control TEXT NOT NULL, collected_at TEXT NOT NULL, artifact_key TEXT NOT NULL,
  PRIMARY KEY (control, collected_at, artifact_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS digests (
  period_end TEXT PRIMARY KEY, key TEXT NOT NULL, period_start TEXT NOT NULL, sha256 TEXT NOT NULL,
  signature TEXT NOT NULL, previous_key TEXT, key_id TEXT NOT NULL, key_fingerprint TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Stores created before write times were indexed: their rows take the collection time as write time. */
const MIGRATE_WRITTEN_AT = `
ALTER TABLE artifacts ADD COLUMN written_at TEXT;
UPDATE artifacts SET written_at = collected_at WHERE written_at IS NULL;
`;

/** Stores created before transitions' findings were lists: their rows are moved by `migrateTransitions`. */
const MIGRATE_TRANSITION_LISTS = `
ALTER TABLE transitions ADD COLUMN failing INTEGER;
ALTER TABLE transitions ADD COLUMN newly_failing INTEGER;
ALTER TABLE transitions ADD COLUMN recovered INTEGER;
`;

interface DigestRow {
  period_end: string;
  key: string;
  period_start: string;
  sha256: string;
  signature: string;
  previous_key: string | null;
  key_id: string;
  key_fingerprint: string;
}

const toDigestRecord = (r: DigestRow): DigestRecord => ({
  key: r.key,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  sha256: r.sha256,
  signature: r.signature,
  previousKey: r.previous_key,
  keyId: r.key_id,
  keyFingerprint: r.key_fingerprint,
});

export interface LocalStoreOptions {
  /** The clock that stamps write times. Default: the system clock. */
  readonly now?: () => Date;
}

/** A reading command named a folder that holds no store: nothing is created there. */
export class StoreNotFoundError extends ProoflineError {
  override name = 'StoreNotFoundError';
}

/** The header bytes (file format write/read versions) that mark a SQLite database as being in WAL mode. */
const WAL_HEADER_BYTES = [18, 19] as const;

/**
 * The index read in place while a writer is active, in one read transaction for the connection's life: the
 * command reads the index as it was when it opened (as it does from a copy), not a mix of states while a
 * collect commits between its queries.
 */
function openInPlace(file: string): SqliteDatabase {
  const db = holdReadTransaction(openSqlite(file, { readOnly: true }));
  const missing = missingColumn(db);
  if (missing) {
    db.close();
    // The writer is an earlier version: its index is migrated only by a write open, after it is done.
    throw new StoreBusyError(
      `${file} is being written by an earlier version of Proofline (the index has no ${missing} yet): run the command again when that process is done`,
    );
  }
  return db;
}

const columnsOf = (db: SqliteDatabase, table: string) =>
  (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

let currentSchema: readonly (readonly [table: string, columns: readonly string[]])[] | undefined;

/** Each table of the current schema with its columns, read once from an empty index built in memory. */
function currentColumns() {
  if (!currentSchema) {
    const db = openSqlite(':memory:');
    try {
      migrate(db, { compact: false });
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      currentSchema = tables.map(({ name }) => [name, columnsOf(db, name)] as const);
    } finally {
      db.close();
    }
  }
  return currentSchema;
}

/** The first `table.column` of the current schema that an index lacks: an earlier version's, not migrated. */
function missingColumn(db: SqliteDatabase): string | undefined {
  for (const [table, columns] of currentColumns()) {
    const has = new Set(columnsOf(db, table));
    const lacking = columns.find((c) => !has.has(c));
    if (lacking) return `${table}.${lacking}`;
  }
  return undefined;
}

/**
 * One read transaction for the connection's life: a snapshot, and a statement then takes no lock of its own
 * (outside a transaction each takes and drops the file's lock and checks for a hot journal: 6× the cost of an
 * indexed lookup).
 */
function holdReadTransaction(db: SqliteDatabase): SqliteDatabase {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  return db;
}

/**
 * The index copied to `copy` (by the kernel, a clone where the file system can: the bytes never pass through
 * the process) and opened there out of WAL mode, so a read-only open costs little more for a year's index than
 * for a month's. An older index's schema is migrated in the copy only, its rows read as they are (making a
 * year's findings compact would cost every read command seconds).
 */
async function openPrivateCopy(copy: string): Promise<SqliteDatabase> {
  const handle = await open(copy, 'r+');
  try {
    const header = Buffer.alloc(WAL_HEADER_BYTES.length);
    await handle.read(header, 0, header.length, WAL_HEADER_BYTES[0]);
    for (const [i, b] of header.entries()) if (b === 2) header[i] = 1;
    await handle.write(header, 0, header.length, WAL_HEADER_BYTES[0]);
  } finally {
    await handle.close();
  }
  const db = openSqlite(copy);
  migrate(db, { compact: false });
  db.exec('PRAGMA query_only = ON');
  // Nothing else writes a private copy, so it can be read as mapped memory: an export's thousands of lookups
  // then make no read call each. (Not the shared index: a writer's VACUUM may shrink a file mapped under it.)
  db.exec(`PRAGMA mmap_size = ${1 << 30}`);
  return holdReadTransaction(db);
}

/** A directory's entries; none when it does not exist. */
function listSync(path: string) {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The one block `hashObject` reads into: reads are synchronous, so no two use it at once. */
const HASH_BLOCK = Buffer.allocUnsafe(1 << 20);

interface ArtifactRow {
  key: string;
  sha256: string;
  size: number;
  collector: string;
  source: ArtifactRef['source'];
  scope_key: string;
  collected_at: string;
  status: ArtifactRef['status'];
}

const toRef = (r: ArtifactRow): ArtifactRef => ({
  key: r.key,
  sha256: r.sha256,
  size: r.size,
  collector: r.collector,
  source: r.source,
  scopeKey: r.scope_key,
  collectedAt: r.collected_at,
  status: r.status,
});

/**
 * The embedded store: evidence files in the same key layout as the S3 bucket, under one folder, with a
 * SQLite index (WAL mode, so a `status` can read while a `collect` writes).
 */
export class LocalStore implements EvidenceStore, DigestStorage {
  readonly root: string;
  readonly location: string;
  /** Opened by `openReadOnly`: every write is refused before it touches a file. */
  readonly readOnly: boolean;
  private readonly db: SqliteDatabase;
  private readonly now: () => Date;
  private readonly findings = new FindingsCache();
  /** Opened by `openImmutable`: the index file's identity when it was opened. */
  private readonly openedAs?: string;

  private constructor(
    root: string,
    db: SqliteDatabase,
    now: () => Date,
    readOnly: boolean,
    openedAs?: string,
  ) {
    this.root = root;
    this.location = root;
    this.db = db;
    this.now = now;
    this.readOnly = readOnly;
    if (openedAs) this.openedAs = openedAs;
  }

  /** Opens the store for writing: creates the folder and index when absent, migrates an older index. */
  static async open(dir: string = DEFAULT_STORE_DIR, options: LocalStoreOptions = {}): Promise<LocalStore> {
    const root = resolve(dir);
    await mkdir(root, { recursive: true });
    const db = openSqlite(join(root, 'index.sqlite'));
    db.exec('PRAGMA journal_mode = WAL');
    // Findings and transitions moved to their compact form leave the old pages free: give the space back once.
    if (migrate(db)) db.exec('VACUUM');
    return new LocalStore(root, db, options.now ?? (() => new Date()), false);
  }

  /**
   * Opens an existing store for reading without changing a byte of it. When no writer is active (no WAL
   * file), a private copy of the index is queried (in the temporary folder, removed once open; read again if
   * a writer checkpointed into the file meanwhile, `settledTake`): even a read-only SQLite
   * connection would create `-wal` and `-shm` files beside it. While a writer is active, the index is opened
   * read-only in place, in one read transaction: the commits made before the open are seen, none made after
   * (SQLite then updates the read marks in the writer's `-shm`).
   */
  static async openReadOnly(
    dir: string = DEFAULT_STORE_DIR,
    options: LocalStoreOptions = {},
  ): Promise<LocalStore> {
    const root = resolve(dir);
    const file = join(root, 'index.sqlite');
    let db: SqliteDatabase;
    const copyDir = await mkdtemp(join(tmpdir(), 'proofline-index-'));
    try {
      const copy = join(copyDir, 'index.sqlite');
      // A clone where the file system supports it; a copy taken while a writer checkpoints is taken again.
      const copied = await settledTake(file, () =>
        copyFile(file, copy, fsConstants.COPYFILE_FICLONE).then(() => true),
      ).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR')
          throw new StoreNotFoundError(
            `no evidence store at ${root} (no index.sqlite): check --store, or run "proofline collect" to create one`,
          );
        throw error;
      });
      db = copied ? await openPrivateCopy(copy) : openInPlace(file);
    } finally {
      // The open connection keeps reading the unlinked copy; nothing is left behind.
      await rm(copyDir, { recursive: true, force: true });
    }
    return new LocalStore(root, db, options.now ?? (() => new Date()), true);
  }

  /**
   * Opens the index where it is, copying nothing and taking no lock (SQLite's immutable mode), for a reader
   * that can start over (`readStoreSnapshot`): undefined while a writer is active (its WAL holds commits the
   * file lacks) or when there is no index. A writer changes the file only by a checkpoint, so
   * `unchangedSinceOpen()` tells whether everything read was the index as it was at the open. Undefined too
   * for an earlier version's index, which only a private copy can migrate.
   */
  static async openImmutable(
    dir: string = DEFAULT_STORE_DIR,
    options: LocalStoreOptions = {},
  ): Promise<LocalStore | undefined> {
    const root = resolve(dir);
    const file = join(root, 'index.sqlite');
    const openedAs = await identity(file).catch(() => undefined);
    if (openedAs === undefined || (await walInUse(file))) return undefined;
    const db = openSqlite(file, { immutable: true });
    if (missingColumn(db)) {
      db.close(); // an earlier version's index: read from a private copy, migrated there
      return undefined;
    }
    return new LocalStore(root, db, options.now ?? (() => new Date()), true, openedAs);
  }

  /** Opened by `openImmutable`: whether the index file is as it was at the open (no writer checkpointed). */
  async unchangedSinceOpen(): Promise<boolean> {
    if (!this.openedAs) throw new Error('unchangedSinceOpen: the store was not opened immutable');
    const file = join(this.root, 'index.sqlite');
    return (await identity(file).catch(() => undefined)) === this.openedAs;
  }

  /** The file of an evidence or digest key; refuses any other key, so no index row can point outside. */
  pathOf(key: string): string {
    return join(this.root, ...storedKey(key).split('/'));
  }

  private writable(what: string): void {
    if (this.readOnly) throw new Error(`${this.location} is open read-only; cannot ${what}`);
  }

  async putArtifact(artifact: Artifact): Promise<PutResult> {
    this.writable('store evidence');
    const { bytes, ref } = encodeArtifact(artifact);
    const path = this.pathOf(ref.key);
    if (!(await exists(path))) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(tmp, bytes);
      await publish(tmp, path);
    }
    return this.indexArtifact(ref);
  }

  /** A temporary file on the store's filesystem, for `putArtifactFile`: an interrupted write leaves a `.tmp`. */
  tempFile(): string {
    return join(this.root, `upload.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  }

  /**
   * Stores evidence whose canonical bytes were written (and hashed into `ref`) to `tmp` from `tempFile()`, so a
   * large upload is never held in memory; `tmp` is moved into place or removed.
   */
  async putArtifactFile(ref: ArtifactRef, tmp: string): Promise<PutResult> {
    this.writable('store evidence');
    const path = this.pathOf(ref.key);
    if (await exists(path)) await unlink(tmp);
    else {
      await mkdir(dirname(path), { recursive: true });
      await publish(tmp, path);
    }
    return this.indexArtifact(ref);
  }

  /**
   * Indexes an evidence file already in place, written at `writtenAt`, through the same insert as a put: its
   * bytes must match the SHA-256 its key names and be the canonical form stored under that key. Returns why
   * not when the file cannot be indexed (what is not evidence stays out of the index, for verify-chain to name).
   */
  async indexStoredFile(key: string, writtenAt: string): Promise<string | undefined> {
    this.writable('index evidence');
    let ref: ArtifactRef;
    try {
      const artifact = decodeArtifact(await readFile(this.pathOf(key)), evidenceKeySha256(key), key);
      ref = encodeArtifact(artifact).ref;
    } catch (error) {
      return (error as Error).message.replace(`${key}: `, '');
    }
    if (ref.key !== key) return 'not stored in canonical form under its own key';
    this.indexArtifact(ref, writtenAt);
    return undefined;
  }

  private indexArtifact(ref: ArtifactRef, writtenAt = this.now().toISOString()): PutResult {
    const inserted = this.db
      .prepare(
        `INSERT OR IGNORE INTO artifacts
         (key, sha256, size, collector, source, scope_key, collected_at, status, written_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        ref.key,
        ref.sha256,
        ref.size,
        ref.collector,
        ref.source,
        ref.scopeKey,
        ref.collectedAt,
        ref.status,
        writtenAt,
      );
    return { ref, created: inserted.changes === 1 };
  }

  async getArtifactRef(key: string): Promise<ArtifactRef | undefined> {
    const row = this.db.prepare('SELECT * FROM artifacts WHERE key = ?').get(key) as ArtifactRow | undefined;
    return row && toRef(row);
  }

  async getArtifact(key: string): Promise<{ artifact: Artifact; ref: ArtifactRef }> {
    const ref = await this.getArtifactRef(key);
    if (!ref) throw new Error(`no artifact with key ${key} in ${this.location}`);
    const sha256 = expectedSha256(ref);
    const path = this.pathOf(key);
    const bytes = await readFile(path).catch(missingEvidence(key, path));
    return { artifact: decodeArtifact(bytes, sha256, key), ref };
  }

  async openArtifactStream(key: string): Promise<Readable> {
    evidenceKeySha256(key);
    const path = this.pathOf(key);
    return (await open(path).catch(missingEvidence(key, path))).createReadStream();
  }

  /**
   * Read synchronously: an evidence file read whole is at most a megabyte, and readFile's four thread-pool round
   * trips (open, fstat, read, close) cost more than the read itself.
   */
  async readArtifactBytes(key: string): Promise<Uint8Array> {
    evidenceKeySha256(key);
    const path = this.pathOf(key);
    try {
      return readFileSync(path);
    } catch (error) {
      return missingEvidence(key, path)(error as NodeJS.ErrnoException);
    }
  }

  artifactFile(key: string): string {
    evidenceKeySha256(key);
    return this.pathOf(key);
  }

  async listArtifacts(query: ArtifactQuery = {}): Promise<ArtifactRef[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (query.collector) where.push('collector = ?') && params.push(query.collector);
    if (query.scopeKey) where.push('scope_key = ?') && params.push(query.scopeKey);
    if (query.from) where.push('collected_at >= ?') && params.push(query.from);
    if (query.to) where.push('collected_at < ?') && params.push(query.to);
    const sql = `SELECT * FROM artifacts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY collected_at, key`;
    return (this.db.prepare(sql).all(...params) as ArtifactRow[]).map(toRef);
  }

  async latestArtifacts(collector?: string): Promise<ArtifactRef[]> {
    // One index seek per collector × scope for its newest row and one to the next pair, never a scan of the
    // index: the cost follows the number of pairs, not the years of evidence behind them. (A row-value bound
    // `(collector, scope_key) > (?, ?)` would seek on the collector only and walk the pair's rows.)
    const newest = this.db.prepare(
      `SELECT * FROM artifacts WHERE collector = ? AND scope_key = ?
       ORDER BY collected_at DESC, key DESC LIMIT 1`,
    );
    const nextScope = this.db.prepare(
      'SELECT collector, scope_key FROM artifacts WHERE collector = ? AND scope_key > ? ORDER BY scope_key LIMIT 1',
    );
    const nextCollector = this.db.prepare(
      'SELECT collector, scope_key FROM artifacts WHERE collector > ? ORDER BY collector, scope_key LIMIT 1',
    );
    type Pair = { collector: string; scope_key: string } | undefined;
    const refs: ArtifactRef[] = [];
    let pair = (collector === undefined ? nextCollector.get('') : nextScope.get(collector, '')) as Pair;
    while (pair) {
      refs.push(toRef(newest.get(pair.collector, pair.scope_key) as ArtifactRow));
      const sameCollector = nextScope.get(pair.collector, pair.scope_key) as Pair;
      pair =
        sameCollector ?? (collector === undefined ? (nextCollector.get(pair.collector) as Pair) : undefined);
    }
    return refs;
  }

  async putFindings(artifactKey: string, findings: readonly Finding[]): Promise<void> {
    immediateTransaction(this.db, () => linkFindings(this.db, artifactKey, findings));
  }

  async getFindings(artifactKey: string): Promise<readonly Finding[] | undefined> {
    return readFindings(this.db, artifactKey, this.findings);
  }

  async applyControlResults(results: readonly ControlResult[], evaluatedAt: string): Promise<Transition[]> {
    const getState = this.db.prepare('SELECT state FROM control_state WHERE control = ?');
    const putState = this.db.prepare('INSERT OR REPLACE INTO control_state (control, state) VALUES (?, ?)');
    const addTransition = this.db.prepare(
      'INSERT INTO transitions (control, at, transition, failing, newly_failing, recovered) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const artifactTime = this.db.prepare('SELECT collected_at FROM artifacts WHERE key = ?');
    const linkEvidence = this.db.prepare(
      'INSERT OR IGNORE INTO control_evidence (control, collected_at, artifact_key) VALUES (?, ?, ?)',
    );
    return immediateTransaction(this.db, () => {
      const transitions: Transition[] = [];
      for (const result of results) {
        const row = getState.get(result.control) as { state: string } | undefined;
        const previous = row ? (JSON.parse(row.state) as ControlState) : undefined;
        const next = nextState(previous, result, evaluatedAt);
        if (!next) continue;
        putState.run(result.control, JSON.stringify(next.state));
        if (next.transition) {
          addTransition.run(result.control, evaluatedAt, ...packTransition(this.db, next.transition));
          transitions.push(next.transition);
        }
        for (const key of result.evidence) {
          const a = artifactTime.get(key) as { collected_at: string } | undefined;
          if (a) linkEvidence.run(result.control, a.collected_at, key);
        }
      }
      return transitions;
    });
  }

  async controlStates(): Promise<ControlState[]> {
    const rows = this.db.prepare('SELECT state FROM control_state ORDER BY control').all() as {
      state: string;
    }[];
    return rows.map((r) => JSON.parse(r.state) as ControlState);
  }

  async openFailures(): Promise<ControlState[]> {
    const rows = this.db
      .prepare(
        "SELECT state FROM control_state WHERE json_extract(state, '$.status') = 'failing' ORDER BY control",
      )
      .all() as { state: string }[];
    return rows.map((r) => JSON.parse(r.state) as ControlState);
  }

  async transitions(query: { control?: string; from?: string; to?: string } = {}): Promise<Transition[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (query.control) where.push('control = ?') && params.push(query.control);
    if (query.from) where.push('at >= ?') && params.push(query.from);
    if (query.to) where.push('at < ?') && params.push(query.to);
    const sql = `SELECT transition, failing, newly_failing, recovered FROM transitions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    return (this.db.prepare(sql).all(...params) as TransitionRow[]).map((r) =>
      unpackTransition(this.db, r, this.findings),
    );
  }

  /** The artifacts that stood behind a control's results in [from, to). */
  async controlEvidence(control: string, from: string, to: string): Promise<string[]> {
    const rows = this.db
      .prepare(
        'SELECT artifact_key FROM control_evidence WHERE control = ? AND collected_at >= ? AND collected_at < ? ORDER BY collected_at',
      )
      .all(control, from, to) as { artifact_key: string }[];
    return rows.map((r) => r.artifact_key);
  }

  // ── digest storage ──────────────────────────────────────────────────────────────────────────────────────

  async artifactsWritten(from: string, to: string): Promise<WrittenArtifact[]> {
    return this.db
      .prepare(
        `SELECT key, sha256, size, written_at AS writtenAt FROM artifacts
         WHERE written_at >= ? AND written_at < ? ORDER BY written_at, key`,
      )
      .all(from, to) as WrittenArtifact[];
  }

  async indexedArtifacts(keys: readonly string[]): Promise<Map<string, WrittenArtifact>> {
    const found = new Map<string, WrittenArtifact>();
    const unique = [...new Set(keys)];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = this.db
        .prepare(
          `SELECT key, sha256, size, written_at AS writtenAt FROM artifacts
           WHERE key IN (${chunk.map(() => '?').join(',')})`,
        )
        .all(...chunk) as WrittenArtifact[];
      for (const row of rows) found.set(row.key, row);
    }
    return found;
  }

  async firstWriteAt(): Promise<string | undefined> {
    const row = this.db.prepare('SELECT MIN(written_at) AS first FROM artifacts').get() as {
      first: string | null;
    };
    return row.first ?? undefined;
  }

  async adoptUnindexed(from: string, to: string): Promise<number> {
    const fromDay = new Date(Date.parse(from) - 86_400_000).toISOString().slice(0, 10);
    const stored: { key: string; lastModified: string }[] = [];
    for await (const object of this.listEvidenceObjects({ fromDay }))
      if (object.lastModified >= from && object.lastModified < to) stored.push(object);
    const indexed = await this.indexedArtifacts(stored.map((o) => o.key));
    let adopted = 0;
    for (const object of stored)
      if (!indexed.has(object.key) && !(await this.indexStoredFile(object.key, object.lastModified)))
        adopted++;
    return adopted;
  }

  /** Read synchronously in 1 MiB blocks: most evidence files are tens of kilobytes, read in one block. */
  async hashObject(key: string): Promise<{ sha256: string; size: number } | undefined> {
    let fd: number;
    try {
      fd = openSync(this.pathOf(key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const hash = createHash('sha256');
    let size = 0;
    try {
      for (let n = readSync(fd, HASH_BLOCK); n > 0; n = readSync(fd, HASH_BLOCK)) {
        hash.update(HASH_BLOCK.subarray(0, n));
        size += n;
      }
    } finally {
      closeSync(fd);
    }
    return { sha256: hash.digest('hex'), size };
  }

  /**
   * Walked synchronously: a period's listing is a few hundred small directories, which the thread pool's
   * round trips would make several times slower.
   */
  async *listEvidenceObjects(
    range: EvidenceRange = {},
  ): AsyncIterable<{ key: string; lastModified: string }> {
    // evidence/source=…/collector=…/scope=…/dt=YYYY-MM-DD/<file>: days before the range are never opened.
    const firstDay = range.fromDay === undefined ? undefined : `dt=${range.fromDay}`;
    const objects: { key: string; lastModified: string }[] = [];
    const walk = (key: string, depth: number) => {
      for (const entry of listSync(join(this.root, ...key.split('/')))) {
        const name = entry.name;
        if (entry.isDirectory()) {
          const skipped = depth === 3 && firstDay !== undefined && name < firstDay && name.startsWith('dt=');
          if (!skipped) walk(`${key}/${name}`, depth + 1);
        } else if (entry.isFile() && name.endsWith('.json')) {
          const child = `${key}/${name}`;
          objects.push({ key: child, lastModified: statSync(this.pathOf(child)).mtime.toISOString() });
        }
      }
    };
    walk('evidence', 0);
    yield* objects;
  }

  async listDigestKeys(fromDay?: string, toDay?: string): Promise<string[]> {
    const base = join(this.root, ...DIGEST_PREFIX.split('/'));
    const days =
      fromDay && toDay
        ? daysBetweenInclusive(fromDay, toDay).map((d) => `dt=${d}`)
        : await readdir(base).catch(() => [] as string[]);
    const keys: string[] = [];
    for (const day of days) {
      const names = await readdir(join(base, day)).catch(() => [] as string[]);
      for (const name of names)
        if (name.endsWith('-digest.json')) keys.push(`${DIGEST_PREFIX}${day}/${name}`);
    }
    return keys.sort();
  }

  /** Read synchronously: a digest is under a kilobyte, and a year of them reads 2–3× faster than with readFile. */
  async readDigestBytes(key: string): Promise<Buffer | undefined> {
    try {
      return readFileSync(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  digestFile(key: string): string {
    if (!isDigestKey(key)) throw new Error(`not a digest key: ${key}`);
    return this.pathOf(key);
  }

  /** Read synchronously, as `readDigestBytes`. */
  async readDigest(key: string): Promise<StoredDigest | undefined> {
    const bytes = await this.readDigestBytes(key);
    if (!bytes) return undefined;
    let metadata: Record<string, string> = {};
    try {
      metadata = JSON.parse(readFileSync(`${this.pathOf(key)}.meta.json`, 'utf8')) as Record<string, string>;
    } catch {}
    return { bytes, metadata };
  }

  /**
   * Write-once, and never a digest without its signature: the signature file gets its final name first and the
   * digest is published after it with link(), both under the index's write lock. A writer killed between the
   * two leaves a signature file without its digest (the period simply has no digest yet), which the next writer
   * of that period replaces; no other writer can be between the two steps while the lock is held. Writers before
   * that order published the digest first: one killed before the signature left a digest with neither signature
   * nor index record, never valid, which is replaced too (one with its record lost its signature afterwards).
   */
  async putDigestObject(key: string, bytes: Buffer, metadata: Record<string, string>): Promise<boolean> {
    this.writable('write a digest');
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const suffix = `${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    return immediateTransaction(this.db, () => {
      if (existsSync(path)) {
        const recorded = this.db.prepare('SELECT 1 FROM digests WHERE key = ?').get(key);
        if (existsSync(`${path}.meta.json`) || recorded) return false;
        unlinkSync(path);
      }
      const metaTmp = `${path}.meta.json.${suffix}`;
      writeFileSync(metaTmp, JSON.stringify(metadata, null, 2), { mode: 0o444 });
      renameSync(metaTmp, `${path}.meta.json`);
      const tmp = `${path}.${suffix}`;
      writeFileSync(tmp, bytes, { mode: 0o444 });
      try {
        linkSync(tmp, path);
      } finally {
        unlinkSync(tmp);
      }
      return true;
    });
  }

  async putDigestRecord(record: DigestRecord): Promise<boolean> {
    const inserted = this.db
      .prepare(
        `INSERT OR IGNORE INTO digests
         (period_end, key, period_start, sha256, signature, previous_key, key_id, key_fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        record.periodEnd,
        record.key,
        record.periodStart,
        record.sha256,
        record.signature,
        record.previousKey,
        record.keyId,
        record.keyFingerprint,
      );
    return inserted.changes === 1;
  }

  async digestRecords(range: { from?: string; to?: string } = {}): Promise<DigestRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM digests WHERE period_end > ? AND period_end <= ? ORDER BY period_end')
      .all(range.from ?? '', range.to ?? '\uffff') as DigestRow[];
    return rows.map(toDigestRecord);
  }

  async latestDigest(): Promise<DigestRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM digests ORDER BY period_end DESC LIMIT 1').get() as
      | DigestRow
      | undefined;
    return row && toDigestRecord(row);
  }

  #closed = false;

  /** Closing twice is harmless (a command's wrapper and its caller may both close). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.db.close();
  }
}

/** Evidence and digest keys only: any other key (say `../x` from an edited index row) is refused. */
function storedKey(key: string): string {
  if (!isDigestKey(key)) evidenceKeySha256(key);
  return key;
}

/**
 * Brings an index of any earlier version to the current schema and, unless `compact` is false, moves its
 * findings and transitions to their compact form; true when rows were moved.
 */
function migrate(db: SqliteDatabase, { compact = true } = {}): boolean {
  db.exec(SCHEMA);
  db.exec(FINDINGS_SCHEMA);
  const hasColumn = (table: string, name: string) => columnsOf(db, table).includes(name);
  if (!hasColumn('artifacts', 'written_at')) db.exec(MIGRATE_WRITTEN_AT);
  if (!hasColumn('transitions', 'failing')) db.exec(MIGRATE_TRANSITION_LISTS);
  if (!hasColumn('finding_id_lists', 'varints'))
    db.exec('ALTER TABLE finding_id_lists ADD COLUMN varints INTEGER NOT NULL DEFAULT 0');
  db.exec('CREATE INDEX IF NOT EXISTS artifacts_by_write ON artifacts (written_at, key)');
  if (!compact) return false;
  const movedFindings = migrateFindingsTable(db);
  const movedTransitions = migrateTransitions(db);
  return migrateIdLists(db) || movedTransitions || movedFindings;
}

/** Publishes a written temporary file as read-only evidence; link() keeps the first writer's file of a key. */
async function publish(tmp: string, path: string): Promise<void> {
  await chmod(tmp, 0o444); // evidence is never rewritten
  await link(tmp, path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  await unlink(tmp);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
