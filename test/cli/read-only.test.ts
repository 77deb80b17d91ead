import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorArtifact } from '../../core/artifact.ts';
import { EXIT } from '../../core/errors.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { openSqlite } from '../../core/stores/sqlite.ts';
import { runCli } from '../support/cli.ts';

/** Every file under `dir` (the index and its -wal/-shm included) → SHA-256 and mode. */
async function tree(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    files[relative(dir, path)] = entry.isFile()
      ? `${createHash('sha256')
          .update(await readFile(path))
          .digest('hex')} ${info.mode.toString(8)}`
      : `dir ${info.mode.toString(8)}`;
  }
  return files;
}

const today = () => new Date().toISOString().slice(0, 10);

describe('commands that read leave the store byte-identical', () => {
  let dir: string;
  let store: string;
  let key: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-read-only-'));
    store = join(dir, 'store');
    const s = await LocalStore.open(store);
    try {
      const scope = { source: 'aws' as const, id: '123456789012' };
      const denied = Object.assign(new Error('not authorized'), { name: 'AccessDenied' });
      key = (await s.putArtifact(errorArtifact('aws.s3.buckets', scope, new Date().toISOString(), denied)))
        .ref.key;
    } finally {
      await s.close();
    }
    // Writing commands: control states and transitions to read, and the store's signing key.
    expect((await runCli(['--store', store, 'evaluate'])).code).toBe(EXIT.ok);
    expect((await runCli(['--store', store, 'digest'])).code).toBe(EXIT.ok);
  });
  beforeEach(() => {
    // An index in rollback-journal mode, as an older Proofline left it: opening it for writing would switch
    // it to WAL (and create -wal/-shm files), so a read that opens it so shows here.
    const db = openSqlite(join(store, 'index.sqlite'));
    db.exec('PRAGMA journal_mode = DELETE');
    db.close();
  });

  const reading: [string, () => string[]][] = [
    ['status', () => ['status']],
    ['status --json', () => ['status', '--json']],
    ['findings', () => ['findings', '--format', 'ocsf', '--out', join(dir, 'findings.json')]],
    ['alerts', () => ['alerts']],
    ['alerts --digest', () => ['alerts', '--digest']],
    ['controls', () => ['controls']],
    ['controls --framework soc2', () => ['controls', '--framework', 'soc2']],
    ['soa', () => ['soa']],
    ['governance', () => ['governance']],
    ['access-review', () => ['access-review']],
    ['evidence list', () => ['evidence', 'list']],
    ['evidence show', () => ['evidence', 'show', key]],
    ['verify-chain', () => ['verify-chain']],
    [
      'export',
      () => [
        'export',
        '--framework',
        'soc2',
        '--from',
        today(),
        '--to',
        today(),
        '--out',
        join(dir, 'a.zip'),
      ],
    ],
  ];
  for (const [name, args] of reading) {
    it(`${name} changes no byte of the store`, async () => {
      const before = await tree(store);
      expect(Object.keys(before)).toContain('index.sqlite');
      const run = await runCli(['--store', store, ...args()]);
      expect(run.code, run.err).toBe(EXIT.ok);
      expect(await tree(store)).toEqual(before);
    });
  }

  it('verify reads the archive an export wrote, outside the store', async () => {
    const zip = join(dir, 'b.zip');
    const before = await tree(store);
    const exported = await runCli([
      '--store',
      store,
      'export',
      '--framework',
      'iso27001',
      '--from',
      today(),
      '--to',
      today(),
      '--out',
      zip,
    ]);
    expect(exported.code, exported.err).toBe(EXIT.ok);
    const fingerprint = /fingerprint ([0-9a-f]{64})/.exec(exported.out)![1]!;
    expect((await runCli(['verify', zip, '--fingerprint', fingerprint])).code).toBe(EXIT.ok);
    expect(await tree(store)).toEqual(before);
  });

  it('refuses a store that does not exist, in one line, creating nothing', async () => {
    const missing = join(dir, 'mistyped');
    for (const args of reading.map(([, a]) => a())) {
      const run = await runCli(['--store', missing, ...args]);
      expect(run.code, args.join(' ')).toBe(EXIT.error);
      expect(run.err).toBe(
        `proofline: no evidence store at ${missing} (no index.sqlite): check --store, or run "proofline collect" to create one`,
      );
      await expect(stat(missing)).rejects.toThrow(/ENOENT/);
    }
  });
});
