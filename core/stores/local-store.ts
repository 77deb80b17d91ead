import { createReadStream } from 'node:fs';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { decodeArtifact, encodeArtifact } from '../artifact.ts';
import type { Artifact, ArtifactRef, ControlResult, ControlState, Finding, Transition } from '../model.ts';
import { nextState } from '../state.ts';
import type { ArtifactQuery, EvidenceStore, PutResult } from './store.ts';

export const DEFAULT_STORE_DIR = '.proofline';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS artifacts (
  key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, size INTEGER NOT NULL, collector TEXT NOT NULL,
  source TEXT NOT NULL, scope_key TEXT NOT NULL, collected_at TEXT NOT NULL, status TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS artifacts_by_collector ON artifacts (collector, scope_key, collected_at);
CREATE INDEX IF NOT EXISTS artifacts_by_time ON artifacts (collected_at);
CREATE TABLE IF NOT EXISTS findings (artifact_key TEXT PRIMARY KEY, findings TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS control_state (control TEXT PRIMARY KEY, state TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS transitions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, control TEXT NOT NULL, at TEXT NOT NULL, transition TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transitions_by_control ON transitions (control, at);
CREATE INDEX IF NOT EXISTS transitions_by_time ON transitions (at);
CREATE TABLE IF NOT EXISTS control_evidence (
  control TEXT NOT NULL, collected_at TEXT NOT NULL, artifact_key TEXT NOT NULL,
  PRIMARY KEY (control, collected_at, artifact_key)
) WITHOUT ROWID;
`;

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
export class LocalStore implements EvidenceStore {
  readonly root: string;
  readonly location: string;
  private readonly db: Database.Database;

  private constructor(root: string, db: Database.Database) {
    this.root = root;
    this.location = root;
    this.db = db;
  }

  static async open(dir: string = DEFAULT_STORE_DIR): Promise<LocalStore> {
    const root = resolve(dir);
    await mkdir(root, { recursive: true });
    const db = new Database(join(root, 'index.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.exec(SCHEMA);
    return new LocalStore(root, db);
  }

  pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async putArtifact(artifact: Artifact): Promise<PutResult> {
    const { bytes, ref } = encodeArtifact(artifact);
    const path = this.pathOf(ref.key);
    if (!(await exists(path))) {
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await chmod(tmp, 0o444); // evidence is never rewritten
      await rename(tmp, path);
    }
    const inserted = this.db
      .prepare(
        `INSERT OR IGNORE INTO artifacts (key, sha256, size, collector, source, scope_key, collected_at, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
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
    const bytes = await readFile(this.pathOf(key));
    return { artifact: decodeArtifact(bytes, ref.sha256, key), ref };
  }

  async openArtifactStream(key: string): Promise<Readable> {
    return createReadStream(this.pathOf(key));
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
    // SQLite returns the row holding MAX() for the other bare columns of an aggregate query.
    const sql = `SELECT *, MAX(collected_at) FROM artifacts ${collector ? 'WHERE collector = ?' : ''}
                 GROUP BY collector, scope_key ORDER BY collector, scope_key`;
    const rows = this.db.prepare(sql).all(...(collector ? [collector] : [])) as ArtifactRow[];
    return rows.map(toRef);
  }

  async putFindings(artifactKey: string, findings: readonly Finding[]): Promise<void> {
    this.db
      .prepare('INSERT OR REPLACE INTO findings (artifact_key, findings) VALUES (?, ?)')
      .run(artifactKey, JSON.stringify(findings));
  }

  async getFindings(artifactKey: string): Promise<Finding[] | undefined> {
    const row = this.db.prepare('SELECT findings FROM findings WHERE artifact_key = ?').get(artifactKey) as
      | { findings: string }
      | undefined;
    return row && (JSON.parse(row.findings) as Finding[]);
  }

  async applyControlResults(results: readonly ControlResult[], evaluatedAt: string): Promise<Transition[]> {
    const getState = this.db.prepare('SELECT state FROM control_state WHERE control = ?');
    const putState = this.db.prepare('INSERT OR REPLACE INTO control_state (control, state) VALUES (?, ?)');
    const addTransition = this.db.prepare(
      'INSERT INTO transitions (control, at, transition) VALUES (?, ?, ?)',
    );
    const artifactTime = this.db.prepare('SELECT collected_at FROM artifacts WHERE key = ?');
    const linkEvidence = this.db.prepare(
      'INSERT OR IGNORE INTO control_evidence (control, collected_at, artifact_key) VALUES (?, ?, ?)',
    );
    const apply = this.db.transaction(() => {
      const transitions: Transition[] = [];
      for (const result of results) {
        const row = getState.get(result.control) as { state: string } | undefined;
        const previous = row ? (JSON.parse(row.state) as ControlState) : undefined;
        const next = nextState(previous, result, evaluatedAt);
        if (!next) continue;
        putState.run(result.control, JSON.stringify(next.state));
        if (next.transition) {
          addTransition.run(result.control, evaluatedAt, JSON.stringify(next.transition));
          transitions.push(next.transition);
        }
        for (const key of result.evidence) {
          const a = artifactTime.get(key) as { collected_at: string } | undefined;
          if (a) linkEvidence.run(result.control, a.collected_at, key);
        }
      }
      return transitions;
    });
    return apply.immediate();
  }

  async controlStates(): Promise<ControlState[]> {
    const rows = this.db.prepare('SELECT state FROM control_state ORDER BY control').all() as {
      state: string;
    }[];
    return rows.map((r) => JSON.parse(r.state) as ControlState);
  }

  async transitions(query: { control?: string; from?: string; to?: string } = {}): Promise<Transition[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (query.control) where.push('control = ?') && params.push(query.control);
    if (query.from) where.push('at >= ?') && params.push(query.from);
    if (query.to) where.push('at < ?') && params.push(query.to);
    const sql = `SELECT transition FROM transitions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
    return (this.db.prepare(sql).all(...params) as { transition: string }[]).map(
      (r) => JSON.parse(r.transition) as Transition,
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

  async close(): Promise<void> {
    this.db.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
