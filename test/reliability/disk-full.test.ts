import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../core/stores/local-store.ts';
import { indexConsistency } from '../../core/stores/reindex.ts';
import { runCli } from '../support/cli.ts';

/** A 2 MiB tmpfs (mounting needs root: elsewhere the test is skipped, saying why). */
let mount: string | undefined;
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'proofline-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'ignore' });
    mount = dir;
  } catch {
    await rm(dir, { recursive: true, force: true });
  }
});
afterAll(async () => {
  if (!mount) return;
  execFileSync('umount', [mount]);
  await rm(mount, { recursive: true, force: true });
});

describe('a store on a full disk (2 MiB tmpfs; skipped where mounting needs root)', () => {
  it('an upload that does not fit is one line, exit 1, and leaves nothing counted or half-written', async (ctx) => {
    if (!mount) ctx.skip();
    const store = join(mount!, 'store');
    await (await LocalStore.open(store)).close();
    const file = join(await mkdtemp(join(tmpdir(), 'proofline-upload-')), 'big.pdf');
    await writeFile(file, Buffer.alloc(3 << 20, 'x'));
    const run = await runCli(['--store', store, 'evidence', 'upload', '--control', 'GOV-02', file]);
    expect(run.code).toBe(1);
    expect(run.err.split('\n')).toHaveLength(1);
    expect(run.err).toMatch(
      /^proofline: no space left (writing .*|on the store's disk): the write was not recorded; free space/,
    );
    const opened = await LocalStore.openReadOnly(store);
    try {
      expect(await indexConsistency(opened)).toMatchObject({
        rows: 0,
        files: 0,
        rowsWithoutFile: [],
        filesWithoutRow: [],
        tempFiles: 0,
      });
    } finally {
      await opened.close();
    }
  });
});
