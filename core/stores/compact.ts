import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Finding } from '../model.ts';
import { immediateTransaction, type SqliteDatabase, type SqliteStatement } from './sqlite.ts';

/**
 * The embedded index's bulky rows, compact. Each distinct findings list is stored once, deflated, under the
 * SHA-256 of its JSON, and every artifact points at its list: a day's findings are mostly the day before's (the
 * same resources, the same verdicts), so a year keeps a few hundred lists, not one per artifact. Transitions,
 * which carry their control's failing findings, are stored deflated.
 */
export const FINDINGS_SCHEMA = `
CREATE TABLE IF NOT EXISTS findings_lists (id INTEGER PRIMARY KEY, sha256 BLOB NOT NULL UNIQUE, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS artifact_findings (artifact_key TEXT PRIMARY KEY, list INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS artifact_findings_by_list ON artifact_findings (list);
`;

const LEGACY_FINDINGS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'findings'";

const sha256 = (json: string) => createHash('sha256').update(json).digest();

/** JSON text as the index stores it: deflated. */
export const packJson = (json: string): Uint8Array => deflateRawSync(json);
/** UTF-8 bytes as text; ASCII (most lists) decodes as Latin-1, the same text made more cheaply. */
const utf8Text = (bytes: Buffer): string => bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
/** A stored JSON value: deflated bytes, or text as an older index wrote it. */
export const unpackJson = (stored: Uint8Array | string): unknown =>
  JSON.parse(typeof stored === 'string' ? stored : utf8Text(inflateRawSync(stored)));

/**
 * Points `artifactKey` at the list with this JSON, storing the list if it is new; a list no artifact points at
 * any more (the artifact was re-evaluated) is removed. The caller runs it in a transaction.
 */
export function linkFindings(db: SqliteDatabase, artifactKey: string, json: string): void {
  const hash = sha256(json);
  const find = db.prepare('SELECT id FROM findings_lists WHERE sha256 = ?');
  let row = find.get(hash) as { id: number } | undefined;
  if (!row) {
    db.prepare('INSERT INTO findings_lists (sha256, body) VALUES (?, ?)').run(hash, packJson(json));
    row = find.get(hash) as { id: number };
  }
  const previous = db.prepare('SELECT list FROM artifact_findings WHERE artifact_key = ?').get(artifactKey) as
    | { list: number }
    | undefined;
  db.prepare('INSERT OR REPLACE INTO artifact_findings (artifact_key, list) VALUES (?, ?)').run(
    artifactKey,
    row.id,
  );
  if (previous && previous.list !== row.id) {
    db.prepare(
      'DELETE FROM findings_lists WHERE id = ? AND NOT EXISTS (SELECT 1 FROM artifact_findings WHERE list = ?)',
    ).run(previous.list, previous.list);
  }
}

/**
 * Parsed findings lists by the SHA-256 of their JSON, the most recently read first out. Artifacts share lists,
 * so a reader walking a period (an archive's judgement) inflates and parses each list once, and gets the same
 * array for every artifact pointing at it. The arrays are frozen: one caller cannot change another's.
 */
export class FindingsListCache {
  private readonly lists = new Map<string, Finding[]>();
  constructor(private readonly capacity = 64) {}

  /**
   * The list with this SHA-256: `body` is read only when it is not cached, and the list is kept only when
   * `shared` (more than one artifact points at it). A year's largest lists are each one day's alone: kept,
   * they would outlive the young generation and make most of the export's garbage-collection time.
   */
  get(sha256: Uint8Array, body: () => Uint8Array, shared: () => boolean): Finding[] {
    const id = Buffer.from(sha256.buffer, sha256.byteOffset, sha256.byteLength).toString('hex');
    let list = this.lists.get(id);
    if (list) this.lists.delete(id);
    else {
      list = unpackJson(body()) as Finding[];
      for (const f of list) Object.freeze(f);
      Object.freeze(list);
      if (!shared()) return list;
      if (this.lists.size >= this.capacity) this.lists.delete(this.lists.keys().next().value!);
    }
    this.lists.set(id, list);
    return list;
  }
}

/** The statements readFindings runs, prepared once per database: an archive reads thousands of lists. */
const findingsStatements = new WeakMap<SqliteDatabase, Record<'list' | 'body' | 'shared', SqliteStatement>>();
function findingsQueries(db: SqliteDatabase) {
  let queries = findingsStatements.get(db);
  if (!queries) {
    queries = {
      list: db.prepare(
        'SELECT id, sha256 FROM artifact_findings JOIN findings_lists ON id = list WHERE artifact_key = ?',
      ),
      body: db.prepare('SELECT body FROM findings_lists WHERE id = ?'),
      shared: db.prepare(
        'SELECT count(*) AS n FROM (SELECT 1 FROM artifact_findings WHERE list = ? LIMIT 2)',
      ),
    };
    findingsStatements.set(db, queries);
  }
  return queries;
}

export function readFindings(
  db: SqliteDatabase,
  artifactKey: string,
  cache?: FindingsListCache,
): readonly Finding[] | undefined {
  const queries = findingsQueries(db);
  const row = queries.list.get(artifactKey) as { id: number; sha256: Uint8Array } | undefined;
  if (row) {
    const body = () => (queries.body.get(row.id) as { body: Uint8Array }).body;
    if (!cache) return unpackJson(body()) as Finding[];
    return cache.get(row.sha256, body, () => (queries.shared.get(row.id) as { n: number }).n > 1);
  }
  // A read-only open leaves an older index's findings where they are: moving them is the next writer's job.
  if (!db.prepare(LEGACY_FINDINGS).get()) return undefined;
  const legacy = db.prepare('SELECT findings FROM findings WHERE artifact_key = ?').get(artifactKey) as
    | { findings: string }
    | undefined;
  return legacy && (unpackJson(legacy.findings) as Finding[]);
}

/**
 * Transitions carry the failing findings of their control: they are kept deflated too. Those an older index
 * wrote as text are deflated in place (in pages). Returns whether there was anything to deflate.
 */
export function migrateTransitions(db: SqliteDatabase): boolean {
  const page = db.prepare(
    "SELECT seq, transition FROM transitions WHERE typeof(transition) = 'text' ORDER BY seq LIMIT 500",
  );
  if (!db.prepare("SELECT 1 FROM transitions WHERE typeof(transition) = 'text' LIMIT 1").get()) return false;
  const update = db.prepare('UPDATE transitions SET transition = ? WHERE seq = ?');
  immediateTransaction(db, () => {
    for (let rows = page.all(); rows.length > 0; rows = page.all()) {
      for (const row of rows as { seq: number; transition: string }[])
        update.run(packJson(row.transition), row.seq);
    }
  });
  return true;
}

/**
 * Indexes written before findings were kept compact hold one JSON text per artifact in `findings`: each is
 * moved to its list (in pages, so a year's findings are never all in memory) and the old table dropped.
 * Returns whether there was anything to move.
 */
export function migrateFindingsTable(db: SqliteDatabase): boolean {
  const legacy = db.prepare(LEGACY_FINDINGS);
  if (!legacy.get()) return false;
  const page = db.prepare(
    'SELECT artifact_key, findings FROM findings WHERE artifact_key > ? ORDER BY artifact_key LIMIT 500',
  );
  return immediateTransaction(db, () => {
    // Another writer opening the store at the same time may have moved them first.
    if (!legacy.get()) return false;
    let after = '';
    for (;;) {
      const rows = page.all(after) as { artifact_key: string; findings: string }[];
      for (const row of rows) linkFindings(db, row.artifact_key, row.findings);
      if (rows.length < 500) break;
      after = rows[rows.length - 1]!.artifact_key;
    }
    db.exec('DROP TABLE findings');
    return true;
  });
}
