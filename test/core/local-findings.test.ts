import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding, Transition } from '../../core/model.ts';
import { packIds, unpackIds, unpackJson } from '../../core/stores/compact.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { openSqlite } from '../../core/stores/sqlite.ts';
import { artifact } from '../support/stores.ts';

const COMPAT_STORE = join(import.meta.dirname, '..', 'fixtures', 'compat', '0.1.0', 'store');

const fail = (resource: string): Finding => ({
  check: 'aws.s3.encryption',
  resource,
  status: 'fail',
  reason: `bucket "${resource}" has no default encryption — ünïcode kept`,
});

/** Rows of one table of a store's index, read beside the store's own connection. */
function count(dir: string, sql: string): number {
  const db = openSqlite(join(dir, 'index.sqlite'), { readOnly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Three artifacts a day apart, by key. */
async function threeArtifacts(store: LocalStore): Promise<[string, string, string]> {
  const keys: string[] = [];
  for (const day of ['01', '02', '03']) {
    const { ref } = await store.putArtifact(artifact(`2026-01-${day}T09:00:00.000Z`, { day }));
    keys.push(ref.key);
  }
  return keys as [string, string, string];
}

describe('the embedded index keeps findings compact', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-findings-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads JSON as an older index stored it, deflated, and as text', () => {
    const findings = Array.from({ length: 500 }, (_, i) => fail(`bucket-${i}`));
    const json = JSON.stringify(findings);
    expect(unpackJson(deflateRawSync(json))).toEqual(findings);
    expect(unpackJson(json)).toEqual(findings);
  });

  it('round-trips the finding ids of a list, in any order and of any size, mostly one byte each', () => {
    const ids = [1, 2, 3, 70_000, 4, 5, 2 ** 40, 6, ...Array.from({ length: 3_000 }, (_, i) => 100 + i)];
    expect([...unpackIds({ ids: packIds(ids), varints: 1 })]).toEqual(ids);
    expect([...unpackIds({ ids: packIds([]), varints: 1 })]).toEqual([]);
    expect(packIds(ids).length).toBeLessThan(ids.length + 20);
    // As an older index stored them: the same varints, deflated.
    expect([...unpackIds({ ids: deflateRawSync(packIds(ids)), varints: 0 })]).toEqual(ids);
  });

  it("reads an older index's deflated id lists where they are, and its next writer stores them as varints", async () => {
    const store = await LocalStore.open(dir);
    const [a, b] = await threeArtifacts(store);
    await store.putFindings(a, [fail('logs'), fail('data')]);
    await store.putFindings(b, [fail('data')]);
    await store.close();
    const db = openSqlite(join(dir, 'index.sqlite'));
    for (const row of db.prepare('SELECT id, ids FROM finding_id_lists').all() as {
      id: number;
      ids: Uint8Array;
    }[])
      db.prepare('UPDATE finding_id_lists SET ids = ?, varints = 0 WHERE id = ?').run(
        deflateRawSync(row.ids),
        row.id,
      );
    db.close();

    const reader = await LocalStore.openReadOnly(dir);
    expect(await reader.getFindings(a)).toEqual([fail('logs'), fail('data')]);
    await reader.close();
    expect(count(dir, 'SELECT COUNT(*) AS n FROM finding_id_lists WHERE varints = 0')).toBe(2);

    const writer = await LocalStore.open(dir);
    try {
      expect(count(dir, 'SELECT COUNT(*) AS n FROM finding_id_lists WHERE varints = 0')).toBe(0);
      expect(await writer.getFindings(a)).toEqual([fail('logs'), fail('data')]);
      expect(await writer.getFindings(b)).toEqual([fail('data')]);
    } finally {
      await writer.close();
    }
  });

  it('stores a list that several artifacts share once, and drops it when no artifact points at it', async () => {
    const store = await LocalStore.open(dir);
    try {
      const [a, b, c] = await threeArtifacts(store);
      const same = [fail('logs'), fail('data')];
      await store.putFindings(a, same);
      await store.putFindings(b, same);
      await store.putFindings(c, [fail('logs')]);
      expect(count(dir, 'SELECT COUNT(*) AS n FROM finding_id_lists')).toBe(2);
      // Each distinct finding is stored once, whatever the lists holding it.
      expect(count(dir, 'SELECT COUNT(*) AS n FROM distinct_findings')).toBe(2);
      expect(await store.getFindings(a)).toEqual(same);
      expect(await store.getFindings(b)).toEqual(same);
      expect(await store.getFindings(c)).toEqual([fail('logs')]);

      // Re-evaluating c to the shared list leaves its old list unused: it is removed.
      await store.putFindings(c, same);
      expect(count(dir, 'SELECT COUNT(*) AS n FROM finding_id_lists')).toBe(1);
      // Re-evaluating a alone keeps the shared list that b still points at; its new list does not take the
      // removed list's id, which the store's cache of lists read still holds.
      await store.putFindings(a, []);
      expect(count(dir, 'SELECT COUNT(*) AS n FROM finding_id_lists')).toBe(2);
      expect(await store.getFindings(a)).toEqual([]);
      expect(await store.getFindings(b)).toEqual(same);
    } finally {
      await store.close();
    }
  });

  it("stores a transition's findings as lists, shared with the artifacts': read back whole, in its order, never dropped", async () => {
    const store = await LocalStore.open(dir);
    try {
      const [a] = await threeArtifacts(store);
      await store.putFindings(a, [fail('logs'), fail('data')]);
      const failing = {
        control: 'DATA-01',
        status: 'failing' as const,
        failing: [fail('logs'), fail('data')],
        findingCount: 2,
        resourceCount: 2,
        evidence: [a],
        gaps: [],
      };
      const [recorded] = await store.applyControlResults([failing], '2026-01-01T10:00:00.000Z');
      const [read] = await store.transitions();
      expect(JSON.stringify(read)).toBe(JSON.stringify(recorded));
      // Its failing findings are the artifact's own objects: parsed once for both.
      const findings = await store.getFindings(a);
      expect(read!.failing[0]).toBe(findings![0]);
      expect(count(dir, 'SELECT COUNT(*) AS n FROM distinct_findings')).toBe(2);
      // The artifact re-evaluated, its old list is the transition's still: it stays.
      await store.putFindings(a, []);
      const again = await LocalStore.openReadOnly(dir);
      expect(await again.transitions()).toEqual([recorded]);
      await again.close();
    } finally {
      await store.close();
    }
  });

  it('hands out each distinct finding as one frozen object in every list holding it, and a re-evaluated artifact its new list', async () => {
    const store = await LocalStore.open(dir);
    try {
      const [a, b, c] = await threeArtifacts(store);
      await store.putFindings(a, [fail('logs'), fail('data')]);
      await store.putFindings(b, [fail('logs'), fail('data')]);
      await store.putFindings(c, [fail('data'), fail('logs')]);
      const first = await store.getFindings(a);
      const third = await store.getFindings(c);
      expect(third).toEqual([fail('data'), fail('logs')]);
      expect(third![1]).toBe(first![0]);
      expect(third![0]).toBe(first![1]);
      expect((await store.getFindings(b))![0]).toBe(first![0]);
      expect(Object.isFrozen(first) && first!.every((f) => Object.isFrozen(f))).toBe(true);
      expect(() => (first as Finding[]).push(fail('x'))).toThrow(TypeError);
      // Re-evaluated, b points at another list: it reads that one, not the list it shared with a.
      await store.putFindings(b, [fail('data')]);
      expect(await store.getFindings(b)).toEqual([fail('data')]);
      expect(await store.getFindings(a)).toEqual([fail('logs'), fail('data')]);
    } finally {
      await store.close();
    }
  });

  it('migrates the deflated JSON lists of an index written after 0.1.0, keeping the findings of every artifact', async () => {
    const store = await LocalStore.open(dir);
    const [a, b, c] = await threeArtifacts(store);
    await store.close();
    const lists: [string, Finding[]][] = [
      [a, [fail('logs'), fail('data')]],
      [b, [fail('logs'), fail('data')]],
      [c, [fail('data')]],
    ];
    // The earlier layout: each distinct list deflated under its id, artifacts pointing at ids.
    const db = openSqlite(join(dir, 'index.sqlite'));
    db.exec(
      'CREATE TABLE findings_lists (id INTEGER PRIMARY KEY, sha256 BLOB NOT NULL UNIQUE, body BLOB NOT NULL)',
    );
    const json = (f: Finding[]) => JSON.stringify(f);
    const ids = new Map([...new Set(lists.map(([, f]) => json(f)))].map((text, i) => [text, 7 + i]));
    for (const [text, id] of ids)
      db.prepare('INSERT INTO findings_lists (id, sha256, body) VALUES (?, ?, ?)').run(
        id,
        Buffer.from(text),
        deflateRawSync(text),
      );
    for (const [key, findings] of lists)
      db.prepare('INSERT INTO artifact_findings (artifact_key, list) VALUES (?, ?)').run(
        key,
        ids.get(json(findings))!,
      );
    db.close();

    const reader = await LocalStore.openReadOnly(dir);
    for (const [key, findings] of lists) expect(await reader.getFindings(key)).toEqual(findings);
    await reader.close();
    const writer = await LocalStore.open(dir);
    try {
      for (const [key, findings] of lists) expect(await writer.getFindings(key)).toEqual(findings);
      expect(
        count(
          dir,
          "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'findings_lists'",
        ),
      ).toBe(0);
      expect(count(dir, 'SELECT COUNT(*) AS n FROM finding_id_lists')).toBe(2);
      expect(count(dir, 'SELECT COUNT(*) AS n FROM distinct_findings')).toBe(2);
    } finally {
      await writer.close();
    }
  });

  it('migrates an index written by 0.1.0: same findings per artifact and same transitions, stored compact', async () => {
    await cp(COMPAT_STORE, dir, { recursive: true });
    const legacy = openSqlite(join(dir, 'index.sqlite'), { readOnly: true });
    const before = new Map(
      (
        legacy.prepare('SELECT artifact_key, findings FROM findings').all() as {
          artifact_key: string;
          findings: string;
        }[]
      ).map((r) => [r.artifact_key, JSON.parse(r.findings) as Finding[]]),
    );
    const history = (
      legacy.prepare('SELECT transition FROM transitions ORDER BY seq').all() as {
        transition: string;
      }[]
    ).map((r) => JSON.parse(r.transition) as unknown);
    legacy.close();
    expect(before.size).toBeGreaterThan(0);
    expect(history.length).toBeGreaterThan(0);

    // A read-only open reads the older rows as they are, from its private copy: the index is not touched.
    const indexBytes = await readFile(join(dir, 'index.sqlite'));
    const reader = await LocalStore.openReadOnly(dir);
    for (const [key, findings] of before) expect(await reader.getFindings(key)).toEqual(findings);
    expect(await reader.transitions()).toEqual(history);
    await reader.close();
    expect(await readFile(join(dir, 'index.sqlite'))).toEqual(indexBytes);

    const store = await LocalStore.open(dir);
    try {
      for (const [key, findings] of before) expect(await store.getFindings(key)).toEqual(findings);
      expect(await store.transitions()).toEqual(history);
      expect(
        count(dir, "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'findings'"),
      ).toBe(0);
      expect(count(dir, 'SELECT COUNT(*) AS n FROM transitions WHERE failing IS NULL')).toBe(0);
      // One list per distinct list of findings, an artifact's or a transition's.
      const lists = [
        ...before.values(),
        ...(history as Transition[]).flatMap((t) => [t.failing, t.newlyFailing, t.recovered]),
      ];
      expect(count(dir, 'SELECT COUNT(*) AS n FROM finding_id_lists')).toBe(
        new Set(lists.map((f) => JSON.stringify(f))).size,
      );
    } finally {
      await store.close();
    }
    // Opening the migrated index again reads the same findings.
    const again = await LocalStore.open(dir);
    for (const [key, findings] of before) expect(await again.getFindings(key)).toEqual(findings);
    await again.close();
  });
});
