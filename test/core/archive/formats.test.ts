import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { evidenceCell } from '../../../core/archive/tables.ts';
import { ARCHIVE_FORMAT_VERSION, ARCHIVE_FORMAT_VERSIONS } from '../../../core/archive/types.ts';
import { verifyArchive } from '../../../core/archive/verify.ts';

const fixture = (name: string) => new URL(`../../fixtures/archive/${name}`, import.meta.url);

describe('archive format versions', () => {
  it.each(ARCHIVE_FORMAT_VERSIONS.map((v) => [v]))(
    'verify reads a version %i archive kept from when that version was current',
    async (version) => {
      const zip = await readFile(fixture(`v${version}.zip`));
      const fingerprint = (await readFile(fixture(`v${version}.fingerprint`), 'utf8')).trim();
      const report = await verifyArchive(zip, { fingerprint });
      expect(report.problems).toEqual([]);
      expect(report).toMatchObject({ ok: true, signatureValid: true, keyTrusted: true });
      expect(report.manifest?.formatVersion).toBe(version);
    },
  );

  it('the current version is the last one verify reads', () => {
    expect(ARCHIVE_FORMAT_VERSIONS.at(-1)).toBe(ARCHIVE_FORMAT_VERSION);
  });

  it('verify refuses a format version it does not know', async () => {
    const zip = await readFile(fixture(`v${ARCHIVE_FORMAT_VERSION}.zip`));
    const text = zip.toString('latin1');
    const header = `proofline-evidence-archive/${ARCHIVE_FORMAT_VERSION}\n`;
    expect(text).toContain(header);
    // Same length, so the zip stays readable; the signature no longer matches either.
    const future = Buffer.from(text.replace(header, 'proofline-evidence-archive/9\n'), 'latin1');
    const report = await verifyArchive(future);
    expect(report.ok).toBe(false);
    expect(report.problems).toContainEqual({
      file: 'signing-input.txt',
      message: expect.stringContaining(
        'not a signing input: does not start with "proofline-evidence-archive/1" or',
      ),
    });
  });
});

describe('CSV files of the archive', () => {
  it("name an occurrence's few evidence files, and count many by collector and day", () => {
    const key = (scope: string, day: string) =>
      `evidence/source=aws/collector=aws.s3.buckets/scope=${scope}/dt=${day}/${day.replace(/-/g, '')}T100000Z-${'a'.repeat(64)}.json`;
    expect(evidenceCell([key('1-global', '2026-03-04')])).toBe(key('1-global', '2026-03-04'));
    const many = ['1', '2', '3', '4'].map((a) => key(`${a}-global`, '2026-03-04'));
    expect(evidenceCell([...many, key('1-global', '2026-03-05')])).toBe(
      'evidence/source=aws/collector=aws.s3.buckets/scope=*/dt=2026-03-04 (4 files) ' +
        'evidence/source=aws/collector=aws.s3.buckets/scope=*/dt=2026-03-05 (1 file)',
    );
  });
});
