import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { openZip, readZipStructure } from '../../../core/archive/zip-structure.ts';
import { HashingZipWriter } from '../../../core/archive/zip-writer.ts';

/** CRC-32 (IEEE 802.3, as in zip), bit by bit: slow and obviously right. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Writes entries with the writer to a file; returns its path. */
async function writeZip(compress: boolean, fill: (writer: HashingZipWriter) => Promise<void>) {
  dir = await mkdtemp(join(tmpdir(), 'proofline-zip-writer-'));
  const path = join(dir, 'out.zip');
  const writer = new HashingZipWriter(createWriteStream(path), { mtime: new Date(0), compress });
  await fill(writer);
  await writer.finish();
  return { path, written: writer.written };
}

/** Every entry's name, CRC-32 and bytes, as yauzl reads them (it checks each CRC as it inflates). */
async function readBack(path: string) {
  const zip = await openZip(path);
  const structure = await readZipStructure(zip);
  const entries = new Map<string, { crc32: number; bytes: Buffer }>();
  for (const { name, entry } of structure.entries.values()) {
    const stream = await zip.openReadStreamPromise(entry);
    entries.set(name, { crc32: entry.crc32, bytes: Buffer.concat(await stream.toArray()) });
  }
  zip.close();
  return { problems: structure.problems, entries };
}

it.each([false, true])(
  'entries whole and streamed read back byte for byte with CRC-32 and SHA-256 right (compress: %s)',
  async (compress) => {
    const small = randomBytes(4096);
    const large = randomBytes(3_000_017); // several stream chunks and output blocks
    // Text in pieces, measured then encoded: multi-byte characters, a surrogate pair, a long piece and a lone
    // surrogate (written as U+FFFD, as Buffer.from writes it).
    const lines = Array.from({ length: 40_000 }, (_, i) => `${i},héllo → wörld 🙂\n`);
    lines.push('x'.repeat(400_000), '\ud800 lone\n', 'end\n');
    const linesText = Buffer.from(lines.join(''), 'utf8');
    const { path, written } = await writeZip(compress, async (writer) => {
      await writer.addBytes('a/small.json', small);
      await writer.add('b/large.bin', () =>
        Readable.from([large.subarray(0, 1_000_000), large.subarray(1_000_000)]),
      );
      await writer.addBytes('c/empty.txt', '');
      await writer.add('d/text.txt', () => ['héllo ', 'wörld']);
      await writer.addBytes('e/lines.csv', lines);
    });
    const text = Buffer.from('héllo wörld', 'utf8');
    expect(written).toEqual([
      { path: 'a/small.json', sha256: sha256(small), size: small.length },
      { path: 'b/large.bin', sha256: sha256(large), size: large.length },
      { path: 'c/empty.txt', sha256: sha256(Buffer.alloc(0)), size: 0 },
      { path: 'd/text.txt', sha256: sha256(text), size: text.length },
      { path: 'e/lines.csv', sha256: sha256(linesText), size: linesText.length },
    ]);
    const { problems, entries } = await readBack(path);
    expect(problems).toEqual([]);
    for (const [name, bytes] of [
      ['a/small.json', small],
      ['b/large.bin', large],
      ['c/empty.txt', Buffer.alloc(0)],
      ['d/text.txt', text],
      ['e/lines.csv', linesText],
    ] as const) {
      expect(entries.get(name)?.bytes.equals(bytes)).toBe(true);
      expect(entries.get(name)?.crc32).toBe(referenceCrc32(bytes));
    }
    const tested = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
    expect(tested.stdout).toContain('No errors detected');
    expect(tested.status).toBe(0);
  },
);

it('more than 65,535 entries: the zip64 end records carry the count, and every reader sees them all', async () => {
  const count = 70_000;
  const { path } = await writeZip(false, async (writer) => {
    for (let i = 0; i < count; i++) await writer.addBytes(`e/${i}.txt`, String(i));
  });
  const bytes = await readFile(path);
  expect(bytes.readUInt16LE(bytes.length - 22 + 10)).toBe(0xffff); // the classic record says "see zip64"
  const zip = await openZip(path); // yauzl, as verify reads archives: the count from the zip64 record
  expect(zip.entryCount).toBe(count);
  zip.close();
  const listed = spawnSync('unzip', ['-Z1', path], { encoding: 'utf8', maxBuffer: 1 << 24 });
  expect(listed.stdout.trim().split('\n')).toHaveLength(count);
  expect(spawnSync('unzip', ['-p', path, 'e/69999.txt'], { encoding: 'utf8' }).stdout).toBe('69999');
  expect(spawnSync('unzip', ['-t', '-q', path]).status).toBe(0);
}, 120_000);

it('a source that fails stops the writer: that entry and every later one reject with its error', async () => {
  dir = await mkdtemp(join(tmpdir(), 'proofline-zip-writer-'));
  const writer = new HashingZipWriter(createWriteStream(join(dir, 'out.zip')), { mtime: new Date(0) });
  await writer.addBytes('ok.txt', 'fine');
  const failing = new Readable({
    read() {
      this.destroy(new Error('disk read failed'));
    },
  });
  await expect(writer.add('bad.txt', () => failing)).rejects.toThrow('disk read failed');
  await expect(writer.addBytes('later.txt', 'x')).rejects.toThrow('disk read failed');
  await expect(writer.finish()).rejects.toThrow('disk read failed');
});
