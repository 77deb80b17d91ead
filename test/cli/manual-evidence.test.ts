import { createHash } from 'node:crypto';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MANUAL_EVIDENCE_COLLECTOR, type ManualEvidenceSnapshot } from '../../core/manual-evidence.ts';
import type { StatusRow } from '../../core/report/status.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { runCli, tempStore } from '../support/cli.ts';

let store: string;
beforeEach(async () => {
  store = await tempStore();
});

const statusOf = async (control: string) => {
  const { out } = await runCli(['--store', store, 'status', '--json']);
  return (JSON.parse(out) as StatusRow[]).find((r) => r.control === control);
};
const upload = (file: string, control = 'GOV-02', ...extra: string[]) =>
  runCli(['--store', store, 'evidence', 'upload', '--control', control, file, ...extra]);

describe('proofline evidence upload', () => {
  it('stores any file as an artifact with its bytes, name, media type, size, SHA-256 and uploader', async () => {
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]);
    const file = join(store, 'board-minutes.pdf');
    await writeFile(file, bytes);
    const { code, out } = await upload(file, 'GOV-02', '--uploader', 'Alex Morgan');
    expect(code).toBe(0);
    expect(out).toContain('GOV-02: not evaluated → passing');
    const key = /stored as (\S+)/.exec(out)![1]!;
    expect(key).toMatch(
      /^evidence\/source=manual\/collector=proofline\.manual-evidence\/scope=GOV-02-global\//,
    );
    const shown = JSON.parse((await runCli(['--store', store, 'evidence', 'show', key])).out);
    const snapshot = shown.snapshot as ManualEvidenceSnapshot;
    expect(snapshot).toMatchObject({
      control: 'GOV-02',
      fileName: 'board-minutes.pdf',
      mediaType: 'application/pdf',
      size: 7,
      uploader: 'Alex Morgan',
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    expect(Buffer.from(snapshot.contentBase64, 'base64')).toEqual(bytes);
    expect(await statusOf('GOV-02')).toMatchObject({ status: 'passing' });
  });

  it('keeps a control manual_due while its latest upload is older than its cadence', async () => {
    const s = await LocalStore.open(store);
    await s.putArtifact({
      collector: MANUAL_EVIDENCE_COLLECTOR,
      scope: { source: 'manual', id: 'GOV-02' },
      collectedAt: new Date(Date.now() - 200 * 86_400_000).toISOString(), // GOV-02 wants one every 180 days
      schemaVersion: 1,
      status: 'ok',
      snapshot: { fileName: 'old.pdf' },
    });
    await s.close();
    await runCli(['--store', store, 'evaluate']);
    expect(await statusOf('GOV-02')).toMatchObject({ status: 'manual_due' });
    const file = join(store, 'new.txt');
    await writeFile(file, 'minutes');
    await upload(file);
    expect(await statusOf('GOV-02')).toMatchObject({ status: 'passing' });
  });

  it('refuses an empty file', async () => {
    const file = join(store, 'empty.pdf');
    await writeFile(file, '');
    const { code, err } = await upload(file);
    expect(code).toBe(1);
    expect(err).toBe(`proofline: ${file} is empty: there is nothing to upload`);
  });

  it('refuses files it cannot read: missing, a folder, a dangling link, a path through a file', async () => {
    const missing = join(store, 'missing.pdf');
    expect((await upload(missing)).err).toBe(`proofline: cannot read ${missing}: no such file`);
    const folder = join(store, 'folder');
    await mkdir(folder);
    expect((await upload(folder)).err).toBe(`proofline: cannot read ${folder}: not a regular file`);
    const link = join(store, 'link.pdf');
    await symlink(join(store, 'gone.pdf'), link);
    expect((await upload(link)).err).toBe(`proofline: cannot read ${link}: no such file`);
    const plain = join(store, 'plain.txt');
    await writeFile(plain, 'x');
    const through = join(plain, 'child.pdf');
    const result = await upload(through);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`proofline: cannot read ${through}:`);
    const s = await LocalStore.open(store);
    expect(await s.listArtifacts({ collector: MANUAL_EVIDENCE_COLLECTOR })).toEqual([]);
    await s.close();
  });

  it('refuses an unknown control as a usage error', async () => {
    const file = join(store, 'a.txt');
    await writeFile(file, 'x');
    const { code, err } = await upload(file, 'NOPE-01');
    expect(code).toBe(2);
    expect(err).toContain('unknown control "NOPE-01"');
  });
});
