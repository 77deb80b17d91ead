import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type FileBatch, type FileReadError, fileBatches } from '../../../core/archive/file-batches.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'proofline-file-batches-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `count` files of `size` random bytes (the first one empty), each with room for a header of `headerSize`. */
async function files(prefix: string, count: number, size: number, headerSize = 40) {
  const written: { path: string; bytes: Buffer; headerSize: number; runStart: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${prefix}-${i}`);
    const bytes = i === 0 ? Buffer.alloc(0) : randomBytes(size);
    await writeFile(path, bytes);
    written.push({ path, bytes, headerSize, runStart: false });
  }
  return written;
}

const isBatch = (next: FileBatch | FileReadError): next is FileBatch => !('error' in next);

/** Every file of the batches, in order, as the batches lay them out; each batch released once read. */
async function readAll(reads: ReturnType<typeof fileBatches>, count: number) {
  const read: { bytes: Buffer; at: number; sha256: string; crc32: number; batch: number }[] = [];
  for (let batch = 0; read.length < count; batch++) {
    const next = await reads.next();
    if (!isBatch(next)) throw next.error;
    for (const f of next.files)
      read.push({ ...f, bytes: next.bytes.subarray(f.at, f.at + 40 + f.size), batch });
    next.release();
  }
  return read;
}

it('reads the files in order on a worker thread, laid out after room for each header, hashed', async () => {
  // More files than fit a megabyte, small and larger.
  const all = [...(await files('small', 300, 300)), ...(await files('large', 40, 64 << 10))];
  const reads = fileBatches(all);
  const read = await readAll(reads, all.length);
  expect(read).toHaveLength(all.length);
  for (const [i, { bytes }] of all.entries()) {
    const data = read[i]!.bytes.subarray(40);
    expect(data.equals(bytes)).toBe(true);
    expect(read[i]!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(read[i]!.crc32).toBe(crc32(bytes));
  }
  // Several batches, each about a megabyte: not one file per message.
  const batches = new Set(read.map((r) => r.batch)).size;
  expect(batches).toBeGreaterThan(1);
  expect(batches).toBeLessThan(all.length / 10);
});

it('starts a new batch where a run of files starts', async () => {
  const all = await files('runs', 6, 100);
  all[3]!.runStart = true;
  const reads = fileBatches(all);
  const first = await reads.next();
  const second = await reads.next();
  expect(isBatch(first) && first.files.length).toBe(3);
  expect(isBatch(second) && second.files.length).toBe(3);
});

it('a file that cannot be read comes as an error in its place, with the code fs gives, and the others still arrive', async () => {
  const [first, second, third] = await files('gone', 3, 100);
  await rm(second!.path);
  const reads = fileBatches([first!, second!, third!]);
  const before = await reads.next();
  expect(isBatch(before) && before.files.length).toBe(1);
  expect(await reads.next()).toMatchObject({ error: { code: 'ENOENT' } });
  const after = await reads.next();
  expect(isBatch(after) && after.bytes.subarray(after.files[0]!.at + 40).equals(third!.bytes)).toBe(true);
});

it('reads no further than its budget ahead of the batches released', async () => {
  const size = 64 << 10;
  const all = await files('budget', 200, size);
  const budget = 1 << 20;
  const reads = fileBatches(all, budget);
  try {
    // Nothing released: it sends past its budget (the batch that crosses it), then waits however long it is given.
    const held: FileBatch[] = [];
    let files = 0;
    const hold = (next: FileBatch | FileReadError) => {
      if (!isBatch(next)) throw next.error;
      held.push(next);
      files += next.files.length;
    };
    while (held.reduce((sum, b) => sum + b.bytes.length, 0) <= budget) hold(await reads.next());
    let pending = reads.next();
    for (;;) {
      const next = await Promise.race([pending, sleep(500).then(() => undefined)]);
      if (!next) break;
      hold(next);
      pending = reads.next();
    }
    const bytes = held.reduce((sum, b) => sum + b.bytes.length, 0);
    expect(bytes).toBeGreaterThan(budget);
    expect(bytes).toBeLessThanOrEqual(budget + 2 * (1 << 20));
    expect(files).toBeLessThan(all.length);
    // Released, it goes on to the last file.
    for (const batch of held) batch.release();
    const waited = await pending;
    if (!isBatch(waited)) throw waited.error;
    waited.release();
    const rest = await readAll(reads, all.length - files - waited.files.length);
    expect(rest.at(-1)!.bytes.subarray(40).equals(all.at(-1)!.bytes)).toBe(true);
  } finally {
    await reads.close();
  }
});
