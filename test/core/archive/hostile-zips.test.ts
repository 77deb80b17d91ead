import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES } from '../../../core/archive/types.ts';
import { verificationError, verifyArchive } from '../../../core/archive/verify.ts';
import { LocalSigner } from '../../../core/signing.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import {
  archiveToBuffer,
  resignWithKey,
  unzipToMemory,
  type ZipFileEntry,
  zipFromMemory,
} from '../../support/archive.ts';
import { daysFrom, writeHistory } from '../../support/evidence-history.ts';
import { type RawEntry, unicodePathField, writeRawZip } from '../../support/raw-zip.ts';

/**
 * Zips built so that two readers see different files, or that make a verifier read far more than the archive
 * holds. Each starts from a signed archive whose files are untouched: only the zip structure is hostile, so
 * every rejection below comes from the structure check, and nothing is hashed before it passes.
 */
describe('verify rejects hostile zip structures', () => {
  let files: ZipFileEntry[];
  let fingerprint: string;
  let baseline: { filesChecked: number; bytesChecked: number };

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-hostile-'));
    const store = await LocalStore.open(dir);
    await writeHistory(store, daysFrom('2026-04-01', 2), () => 'pass');
    const built = await archiveToBuffer(store, await LocalSigner.open(dir), {
      from: '2026-04-01',
      to: '2026-04-02',
      sample: { perControl: 1, seed: 'h' },
    });
    await store.close();
    files = await unzipToMemory(built.zip);
    fingerprint = built.fingerprint;
  });

  const entries = (): RawEntry[] => files.map((f) => ({ name: f.name, bytes: f.bytes }));
  const verify = (zip: Buffer) => verifyArchive(zip, { fingerprint });
  const evidence = () => entries().filter((e) => e.name.startsWith('evidence/'));

  it('verifies the same files rewritten by the test zip writer (the writer itself makes valid zips)', async () => {
    const report = await verify(writeRawZip(entries()));
    expect(report.problems).toEqual([]);
    expect(report.outcome).toBe('verified');
    baseline = { filesChecked: report.filesChecked, bytesChecked: report.bytesChecked };
    expect(baseline.filesChecked).toBe(files.length);
  });

  it('rejects two entries whose Info-ZIP Unicode path fields swap their names', async () => {
    const [a, b] = evidence();
    const swapped = entries().map((e) =>
      e.name === a!.name
        ? { ...e, extra: [unicodePathField(e.name, b!.name)] }
        : e.name === b!.name
          ? { ...e, extra: [unicodePathField(e.name, a!.name)] }
          : e,
    );
    const report = await verify(writeRawZip(swapped));
    expect(report.outcome).toBe('failed');
    expect(report.problems).toContainEqual({
      file: a!.name,
      message: `its Info-ZIP Unicode path field names another file, ${b!.name}`,
    });
    expect(report.problems).toContainEqual({
      file: b!.name,
      message: `its Info-ZIP Unicode path field names another file, ${a!.name}`,
    });
    expect(report.bytesChecked).toBe(0);
  });

  it('rejects a local entry the central directory does not list', async () => {
    const hidden = { name: 'evidence/hidden.json', bytes: Buffer.from('{"planted":true}'), hidden: true };
    const report = await verify(writeRawZip([...entries().slice(0, 3), hidden, ...entries().slice(3)]));
    expect(report.outcome).toBe('failed');
    expect(report.problems).toEqual([
      {
        file: '(archive)',
        message: expect.stringMatching(/^bytes \d+–\d+ belong to no entry of the central directory$/),
      },
    ]);
    expect(report.bytesChecked).toBe(0);
  });

  it('rejects a listed file stored as a symbolic link, though its bytes are the signed ones', async () => {
    const linked = entries().map((e) => (e.name === FILES.readme ? { ...e, mode: 0o120777 } : e));
    const report = await verify(writeRawZip(linked));
    expect(report.problems).toContainEqual({
      file: FILES.readme,
      message: 'a symbolic link, which the manifest cannot list',
    });
    expect(report.outcome).toBe('failed');
  });

  it('rejects a directory entry, which the manifest cannot list', async () => {
    const withDirectory = [{ name: 'evidence/', bytes: Buffer.alloc(0), mode: 0o040755 }, ...entries()];
    const report = await verify(writeRawZip(withDirectory));
    expect(report.problems).toEqual([
      { file: 'evidence/', message: 'a directory entry, which the manifest cannot list' },
    ]);
  });

  it('rejects many entries pointing at one large stream without reading it', async () => {
    const big = { name: 'evidence/big.bin', bytes: Buffer.alloc(8 << 20, 1) };
    const copies = Array.from({ length: 100 }, (_, i) => ({
      name: `evidence/copy-${i}.bin`,
      bytes: Buffer.alloc(0),
      sharesDataOf: files.length,
    }));
    const report = await verify(writeRawZip([...entries(), big, ...copies]));
    expect(report.outcome).toBe('failed');
    expect(report.problems.filter((p) => p.message.startsWith('overlaps '))).toHaveLength(100);
    expect(report.filesChecked).toBe(0);
    expect(report.bytesChecked).toBe(0);
  });

  it('reports an unlisted digest as added without reading it, and a file of the wrong size unhashed', async () => {
    const unlisted = { name: 'digests/huge.json', bytes: Buffer.alloc(16 << 20, 0x20) };
    const grown = entries().map((e) =>
      e.name === FILES.readme ? { ...e, bytes: Buffer.concat([e.bytes, Buffer.from('\n')]) } : e,
    );
    const report = await verify(writeRawZip([...grown, unlisted]));
    const readme = files.find((f) => f.name === FILES.readme)!;
    expect(report.problems).toEqual([
      {
        file: FILES.signingInput,
        message: `archive-files is ${files.length}, the zip holds ${files.length + 1}`,
      },
      {
        file: FILES.readme,
        message: `${readme.bytes.length + 1} bytes, the manifest says ${readme.bytes.length} bytes`,
      },
      { file: 'digests/huge.json', message: 'not listed in the manifest (added)' },
    ]);
    expect(report.filesChecked).toBe(baseline.filesChecked - 1);
    expect(report.bytesChecked).toBe(baseline.bytesChecked - readme.bytes.length);
  });
});

describe('verify without a trusted key', () => {
  it('never reports a tampered archive re-signed with another key as verified: a distinct outcome', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-resigned-'));
    const store = await LocalStore.open(dir);
    await writeHistory(store, daysFrom('2026-04-01', 1), () => 'pass');
    const built = await archiveToBuffer(store, await LocalSigner.open(dir), {
      from: '2026-04-01',
      to: '2026-04-01',
    });
    await store.close();
    const attacker = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const forged = await zipFromMemory(
      resignWithKey(await unzipToMemory(built.zip), attacker, (f) =>
        f.name === FILES.readme ? Buffer.from('Every control passed.\n') : f.bytes,
      ),
    );

    const untrusted = await verifyArchive(forged);
    expect(untrusted).toMatchObject({
      ok: false,
      outcome: 'signer-untrusted',
      signatureValid: true,
      keyTrusted: false,
      problems: [],
    });
    expect(verificationError(untrusted, 'forged.zip')).toMatchObject({
      code: 'signer-untrusted',
      exitCode: 5,
    });
    const checked = await verifyArchive(forged, { fingerprint: built.fingerprint });
    expect(checked.outcome).toBe('failed');
    expect(verificationError(checked, 'forged.zip')).toMatchObject({ code: 'archive-invalid', exitCode: 4 });
    const genuine = await verifyArchive(built.zip, { fingerprint: built.fingerprint });
    expect(genuine).toMatchObject({ ok: true, outcome: 'verified' });
    expect(verificationError(genuine, 'genuine.zip')).toBeUndefined();
  });
});
