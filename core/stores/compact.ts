import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { Finding, Transition } from '../model.ts';
import { immediateTransaction, type SqliteDatabase, type SqliteStatement } from './sqlite.ts';

/**
 * The embedded index's bulky rows, compact. A day's findings are mostly the day before's (the same resources,
 * the same verdicts, a few reasons changed), so each distinct finding is stored once, as JSON, and each distinct
 * list of findings once, as the ids of its findings, under the SHA-256 of the list's JSON; every artifact points
 * at its list. A year keeps ~70,000 findings and ~1,400 lists, not the 1.7 million findings its artifacts hold,
 * and a reader walking the year parses each finding once. A list's id is never reused (AUTOINCREMENT), so a
 * reader may cache lists by id. A transition's findings (its control's failing ones, the newly failing and the
 * recovered) are lists the same way: a year's transitions repeat the same failing findings hundreds of thousands
 * of times. Nothing is deflated any more: inflating a small row cost more than reading it (an older index's
 * deflated rows are read as they are, and moved by its next writer).
 */
export const FINDINGS_SCHEMA = `
CREATE TABLE IF NOT EXISTS distinct_findings (id INTEGER PRIMARY KEY, hash BLOB NOT NULL, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS distinct_findings_by_hash ON distinct_findings (hash);
CREATE TABLE IF NOT EXISTS finding_id_lists (id INTEGER PRIMARY KEY AUTOINCREMENT, sha256 BLOB NOT NULL UNIQUE, ids BLOB NOT NULL, varints INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS artifact_findings (artifact_key TEXT PRIMARY KEY, list INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS artifact_findings_by_list ON artifact_findings (list);
`;

const hasTable = (db: SqliteDatabase, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** UTF-8 bytes as text; ASCII (most lists) decodes as Latin-1, the same text made more cheaply. */
const utf8Text = (bytes: Buffer): string => bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
/** A stored JSON value: text, or deflated bytes as an older index wrote it. */
export const unpackJson = (stored: Uint8Array | string): unknown =>
  JSON.parse(typeof stored === 'string' ? stored : utf8Text(inflateRawSync(stored)));

/**
 * A list's finding ids: each as the varint of its zigzagged difference from the one before. Ids of a list mostly
 * follow one another, so most take one byte. (Lists an older index wrote are deflated besides, `varints` 0:
 * deflating halved them, but inflating a list cost 40 µs, most of reading one.)
 */
export function packIds(ids: readonly number[]): Uint8Array {
  const bytes: number[] = [];
  let previous = 0;
  for (const id of ids) {
    const delta = id - previous;
    previous = id;
    let zigzag = delta >= 0 ? delta * 2 : -delta * 2 - 1;
    while (zigzag >= 0x80) {
      bytes.push((zigzag % 0x80) | 0x80);
      zigzag = Math.floor(zigzag / 0x80);
    }
    bytes.push(zigzag);
  }
  return Uint8Array.from(bytes);
}

/** A list's ids as its row holds them: varints, or (an older index's) deflated varints. */
export interface StoredIds {
  readonly ids: Uint8Array;
  readonly varints: number;
}

export function unpackIds({ ids: packed, varints }: StoredIds): Float64Array {
  const bytes = varints ? packed : inflateRawSync(packed);
  let count = 0;
  for (const byte of bytes) if (byte < 0x80) count++;
  const ids = new Float64Array(count);
  let previous = 0;
  for (let i = 0, n = 0; n < count; n++) {
    let zigzag = 0;
    let scale = 1;
    for (;;) {
      const byte = bytes[i++]!;
      zigzag += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    previous += zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
    ids[n] = previous;
  }
  return ids;
}

interface FindingStatements {
  readonly findList: SqliteStatement;
  readonly insertList: SqliteStatement;
  readonly findFinding: SqliteStatement;
  readonly insertFinding: SqliteStatement;
  readonly listOf: SqliteStatement;
  readonly link: SqliteStatement;
  readonly dropList: SqliteStatement;
  readonly idsOf: SqliteStatement;
  readonly texts: SqliteStatement;
}

/** Prepared once per database: an evaluation writes, and an archive reads, thousands of lists. */
const prepared = new WeakMap<SqliteDatabase, FindingStatements>();
function statements(db: SqliteDatabase): FindingStatements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      findList: db.prepare('SELECT id FROM finding_id_lists WHERE sha256 = ?'),
      insertList: db.prepare('INSERT INTO finding_id_lists (id, sha256, ids, varints) VALUES (?, ?, ?, 1)'),
      findFinding: db.prepare('SELECT id FROM distinct_findings WHERE hash = ? AND json = ?'),
      insertFinding: db.prepare('INSERT INTO distinct_findings (hash, json) VALUES (?, ?)'),
      listOf: db.prepare('SELECT list FROM artifact_findings WHERE artifact_key = ?'),
      link: db.prepare('INSERT OR REPLACE INTO artifact_findings (artifact_key, list) VALUES (?, ?)'),
      dropList: db.prepare(
        `DELETE FROM finding_id_lists WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM artifact_findings WHERE list = ?1)
         AND NOT EXISTS (SELECT 1 FROM transitions WHERE ?1 IN (failing, newly_failing, recovered))`,
      ),
      idsOf: db.prepare('SELECT ids, varints FROM finding_id_lists WHERE id = ?'),
      texts: db.prepare('SELECT id, json FROM distinct_findings WHERE id BETWEEN ? AND ?'),
    };
    prepared.set(db, s);
  }
  return s;
}

/** The id of a list of findings, storing it (and any finding not stored yet) when it is new. */
const storeFindings = (db: SqliteDatabase, findings: readonly Finding[]): number =>
  storeList(
    db,
    findings.map((f) => JSON.stringify(f)),
  );

/** The id of the list with this JSON, storing it (and any finding not stored yet) when it is new. */
function storeList(db: SqliteDatabase, texts: readonly string[], id: number | null = null): number {
  const s = statements(db);
  const hash = sha256(`[${texts.join(',')}]`);
  const stored = s.findList.get(hash) as { id: number } | undefined;
  if (stored) return stored.id;
  const ids = texts.map((json) => {
    const key = sha256(json).subarray(0, 8);
    const found = s.findFinding.get(key, json) as { id: number } | undefined;
    return found ? found.id : Number(s.insertFinding.run(key, json).lastInsertRowid);
  });
  return Number(s.insertList.run(id, hash, packIds(ids)).lastInsertRowid);
}

/**
 * Points `artifactKey` at its list of findings, storing the list if it is new; a list no artifact points at any
 * more (the artifact was re-evaluated) is removed. Its findings stay: finding which other list holds them would
 * mean reading every list, and a re-evaluation that changes an artifact's findings is rare. The caller runs it in
 * a transaction.
 */
export function linkFindings(db: SqliteDatabase, artifactKey: string, findings: readonly Finding[]): void {
  const s = statements(db);
  const list = storeFindings(db, findings);
  const previous = s.listOf.get(artifactKey) as { list: number } | undefined;
  s.link.run(artifactKey, list);
  if (previous && previous.list !== list) s.dropList.run(previous.list);
}

/**
 * Parsed findings by id, each frozen and handed to every list holding it, so a reader walking a period parses
 * each distinct finding once and can remember what it made of one finding object; and the lists read last, so
 * the artifacts sharing one (a collector × scope's collections while nothing changes) get the same array.
 * Bounded: past its capacity it starts again (a reader then parses some findings twice, nothing worse).
 */
export class FindingsCache {
  private readonly byId = new Map<number, Finding>();
  private readonly lists = new Map<number, readonly Finding[]>();
  constructor(
    private readonly capacity = 250_000,
    private readonly listCapacity = 64,
  ) {}

  /** The list with this id: `ids` is read only when the list is not cached. */
  listById(db: SqliteDatabase, id: number, ids: () => StoredIds | undefined): readonly Finding[] | undefined {
    let list = this.lists.get(id);
    if (list) this.lists.delete(id);
    else {
      const stored = ids();
      if (!stored) return undefined;
      list = Object.freeze(this.list(db, unpackIds(stored)));
      if (this.lists.size >= this.listCapacity) this.lists.delete(this.lists.keys().next().value!);
    }
    this.lists.set(id, list);
    return list;
  }

  /** The findings with these ids, reading the ones not cached in runs of consecutive ids. */
  private list(db: SqliteDatabase, ids: ArrayLike<number>): Finding[] {
    const list = new Array<Finding>(ids.length);
    const missing: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const finding = this.byId.get(ids[i]!);
      if (finding) list[i] = finding;
      else missing.push(i);
    }
    if (missing.length === 0) return list;
    this.read(
      db,
      [...new Set(missing.map((i) => ids[i]!))].sort((a, b) => a - b),
    );
    for (const i of missing) {
      const finding = this.byId.get(ids[i]!);
      if (!finding) throw new Error(`index: finding ${ids[i]} of a findings list is missing`);
      list[i] = finding;
    }
    return list;
  }

  /** Reads and caches the findings with these ids (ascending), one query per run of consecutive ids. */
  private read(db: SqliteDatabase, ids: readonly number[]): void {
    if (this.byId.size + ids.length > this.capacity) this.byId.clear();
    for (let i = 0; i < ids.length; ) {
      let j = i;
      while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
      for (const row of statements(db).texts.all(ids[i]!, ids[j]!) as { id: number; json: string }[])
        this.byId.set(row.id, Object.freeze(JSON.parse(row.json) as Finding));
      i = j + 1;
    }
  }
}

export function readFindings(
  db: SqliteDatabase,
  artifactKey: string,
  cache: FindingsCache,
): readonly Finding[] | undefined {
  const row = statements(db).listOf.get(artifactKey) as { list: number } | undefined;
  // A read-only open leaves an older index's findings where they are: moving them is the next writer's job.
  return (row && listOf(db, row.list, cache)) ?? legacyFindings(db, artifactKey);
}

const listOf = (db: SqliteDatabase, id: number, cache: FindingsCache) =>
  cache.listById(db, id, () => statements(db).idsOf.get(id) as StoredIds | undefined);

/**
 * An artifact's findings as an older index holds them: deflated JSON lists (development versions after 0.1.0)
 * or one JSON text per artifact (0.1.0).
 */
function legacyFindings(db: SqliteDatabase, artifactKey: string): readonly Finding[] | undefined {
  if (hasTable(db, 'findings_lists')) {
    const row = db
      .prepare('SELECT body FROM artifact_findings JOIN findings_lists ON id = list WHERE artifact_key = ?')
      .get(artifactKey) as { body: Uint8Array } | undefined;
    if (row) return unpackJson(row.body) as Finding[];
  }
  if (!hasTable(db, 'findings')) return undefined;
  const legacy = db.prepare('SELECT findings FROM findings WHERE artifact_key = ?').get(artifactKey) as
    | { findings: string }
    | undefined;
  return legacy && (unpackJson(legacy.findings) as Finding[]);
}

/** A transition's row: its findings lists' ids, null in a row an older index wrote (the lists are in its JSON). */
export interface TransitionRow {
  readonly transition: Uint8Array | string;
  readonly failing: number | null;
  readonly newly_failing: number | null;
  readonly recovered: number | null;
}

/**
 * The values of a transition's row (transition, failing, newly_failing, recovered): its three findings lists
 * stored as lists, the rest as JSON keeping the lists' places (null), so it reads back in its order. (Without
 * its findings a transition is mostly evidence keys, which deflating shrank by a third.)
 */
export function packTransition(db: SqliteDatabase, t: Transition): [string, number, number, number] {
  const rest = { ...t, failing: null, newlyFailing: null, recovered: null };
  return [
    JSON.stringify(rest),
    storeFindings(db, t.failing),
    storeFindings(db, t.newlyFailing),
    storeFindings(db, t.recovered),
  ];
}

export function unpackTransition(db: SqliteDatabase, row: TransitionRow, cache: FindingsCache): Transition {
  const t = unpackJson(row.transition) as { -readonly [K in keyof Transition]: Transition[K] };
  if (row.failing == null || row.newly_failing == null || row.recovered == null) return t;
  const list = (id: number) => {
    const findings = listOf(db, id, cache);
    if (!findings) throw new Error(`index: findings list ${id} of a ${t.control} transition is missing`);
    return findings;
  };
  t.failing = list(row.failing);
  t.newlyFailing = list(row.newly_failing);
  t.recovered = list(row.recovered);
  return t;
}

/**
 * Stores the findings of the transitions an older index wrote (as JSON text, or deflated with their lists
 * inside) as lists, in pages. Returns whether there was anything to move.
 */
export function migrateTransitions(db: SqliteDatabase): boolean {
  const page = db.prepare(
    'SELECT seq, transition FROM transitions WHERE failing IS NULL ORDER BY seq LIMIT 500',
  );
  if (!db.prepare('SELECT 1 FROM transitions WHERE failing IS NULL LIMIT 1').get()) return false;
  const update = db.prepare(
    'UPDATE transitions SET transition = ?, failing = ?, newly_failing = ?, recovered = ? WHERE seq = ?',
  );
  immediateTransaction(db, () => {
    for (let rows = page.all(); rows.length > 0; rows = page.all()) {
      for (const row of rows as { seq: number; transition: Uint8Array | string }[])
        update.run(...packTransition(db, unpackJson(row.transition) as Transition), row.seq);
    }
  });
  return true;
}

/** An older index's deflated id lists as plain varints, in pages. Returns whether there was anything to do. */
export function migrateIdLists(db: SqliteDatabase): boolean {
  if (!db.prepare('SELECT 1 FROM finding_id_lists WHERE varints = 0 LIMIT 1').get()) return false;
  const page = db.prepare('SELECT id, ids, varints FROM finding_id_lists WHERE varints = 0 LIMIT 500');
  const update = db.prepare('UPDATE finding_id_lists SET ids = ?, varints = 1 WHERE id = ?');
  immediateTransaction(db, () => {
    for (let rows = page.all(); rows.length > 0; rows = page.all())
      for (const row of rows as (StoredIds & { id: number })[])
        update.run(packIds([...unpackIds(row)]), row.id);
  });
  return true;
}

/**
 * Moves an older index's findings to distinct findings and id lists, in pages (a year's findings are never all
 * in memory), and drops the old table: the deflated JSON lists of development versions after 0.1.0
 * (`findings_lists`, whose list ids the artifacts keep), and 0.1.0's one JSON text per artifact (`findings`).
 * Returns whether there was anything to move.
 */
export function migrateFindingsTable(db: SqliteDatabase): boolean {
  const movedLists = moveInPages(
    db,
    { table: 'findings_lists', key: 'id', body: 'body', first: 0 },
    (row) => {
      const texts = (unpackJson(row.body) as Finding[]).map((f) => JSON.stringify(f));
      storeList(db, texts, Number(row.key));
    },
  );
  const movedTexts = moveInPages(
    db,
    { table: 'findings', key: 'artifact_key', body: 'findings', first: '' },
    (row) => linkFindings(db, String(row.key), unpackJson(row.body) as Finding[]),
  );
  return movedLists || movedTexts;
}

/** Runs `move` on every row of an older table, in pages in key order, then drops the table. */
function moveInPages(
  db: SqliteDatabase,
  old: { table: string; key: string; body: string; first: string | number },
  move: (row: { key: string | number; body: Uint8Array | string }) => void,
): boolean {
  if (!hasTable(db, old.table)) return false;
  const page = db.prepare(
    `SELECT ${old.key} AS key, ${old.body} AS body FROM ${old.table} WHERE ${old.key} > ? ORDER BY ${old.key} LIMIT 500`,
  );
  return immediateTransaction(db, () => {
    // Another writer opening the store at the same time may have moved them first.
    if (!hasTable(db, old.table)) return false;
    let after = old.first;
    for (;;) {
      const rows = page.all(after) as { key: string | number; body: Uint8Array | string }[];
      for (const row of rows) move(row);
      if (rows.length < 500) break;
      after = rows[rows.length - 1]!.key;
    }
    db.exec(`DROP TABLE ${old.table}`);
    return true;
  });
}
