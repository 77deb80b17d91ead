import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeArtifact } from '../../core/artifact.ts';
import {
  encodeUploadArtifact,
  MANUAL_EVIDENCE_COLLECTOR,
  ManualEvidenceError,
  manualEvidenceSnapshot,
  type UploadRequest,
} from '../../core/manual-evidence.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proofline-upload-'));
});

const request = (fileName: string, maxBytes = 64 << 20): UploadRequest => ({
  control: 'GOV-02',
  fileName,
  mediaType: 'application/pdf',
  uploader: 'Dana "D" Ng',
  collectedAt: '2026-11-27T12:00:00.000Z',
  maxBytes,
});

describe('encodeUploadArtifact (streamed upload)', () => {
  // Sizes around the 3-byte groups of base64 and the 256 KiB read chunks (1 MiB is four), where a streamed encoding could split.
  it.each([1, 2, 3, 4, 5, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 2])(
    'writes the same canonical bytes and key as the in-memory encoding for a %i-byte file',
    async (size) => {
      const bytes = randomBytes(size);
      const file = join(dir, `minutes-${size}.pdf`);
      const target = join(dir, `artifact-${size}.json`);
      await writeFile(file, bytes);
      const streamed = await encodeUploadArtifact(file, request('minutes "Q4"\u2028.pdf'), target);
      const expected = encodeArtifact({
        collector: MANUAL_EVIDENCE_COLLECTOR,
        scope: { source: 'manual', id: 'GOV-02' },
        collectedAt: '2026-11-27T12:00:00.000Z',
        schemaVersion: 1,
        status: 'ok',
        snapshot: manualEvidenceSnapshot(
          'GOV-02',
          'minutes "Q4"\u2028.pdf',
          bytes,
          'Dana "D" Ng',
          'application/pdf',
        ),
      });
      expect(streamed.ref).toEqual(expected.ref);
      expect((await readFile(target)).equals(expected.bytes)).toBe(true);
      expect(streamed.summary.size).toBe(size);
    },
  );

  it('refuses a file over the cap and leaves no partial artifact behind', async () => {
    const file = join(dir, 'big.bin');
    const target = join(dir, 'big.json');
    await writeFile(file, randomBytes(4096));
    await expect(encodeUploadArtifact(file, request('big.bin', 4095), target)).rejects.toThrow(
      `${file} is 4096 bytes; uploads are limited to 4095 bytes`,
    );
    await expect(stat(target)).rejects.toThrow(/ENOENT/);
  });

  it('names a missing file with its control characters made printable', async () => {
    const file = join(dir, 'evil\n\u001b[31mname.pdf');
    const error = await encodeUploadArtifact(file, request('x.pdf'), join(dir, 'evil.json')).catch((e) => e);
    expect(error).toBeInstanceOf(ManualEvidenceError);
    expect(error.message).toBe(`cannot read ${join(dir, 'evil\uFFFD\uFFFD[31mname.pdf')}: no such file`);
  });
});
