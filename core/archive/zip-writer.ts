import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { pipeline, Readable, Transform, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { ManifestFile } from './types.ts';

export type EntrySource = Readable | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Entries up to this size are read whole and added as one buffer: hashed, CRC'd and written in one step,
 * their sizes in the local header. Larger ones are streamed, their sizes in a data descriptor after them.
 */
export const WHOLE_ENTRY_BYTES = 1 << 20;

/** The zip goes to the output in blocks of about this size: a write per megabyte, not several per entry. */
const BLOCK_BYTES = 1 << 20;

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const VERSION_NEEDED = 20;
const VERSION_NEEDED_ZIP64 = 45;
const VERSION_MADE_BY = (3 << 8) | 63; // Unix, spec 6.3
const UTF8_NAME = 1 << 11;
const SIZES_AFTER_DATA = 1 << 3;
const STORED = 0;
const DEFLATED = 8;
const REGULAR_FILE_MODE = 0o100644;
/** Past this a size or offset needs the zip64 fields (0xffffffff itself means "see zip64"). */
const MAX_32 = 0xfffffffe;

/** One file of a laid-out buffer (`addLaidOut`): its header starts at `at`, its data follows the header. */
export interface LaidOutFile {
  readonly path: string;
  /** `path` as UTF-8. */
  readonly name: Buffer;
  readonly at: number;
  readonly size: number;
  readonly crc32: number;
  readonly sha256: string;
}

/** The fixed fields of a local header, before the entry's name. */
const LOCAL_HEADER_BYTES = 30;

/** The bytes of an entry's local header: its fixed fields and its name. */
export const localHeaderSize = (path: string): number => LOCAL_HEADER_BYTES + Buffer.byteLength(path, 'utf8');

/** What the central directory records of an entry once its bytes are written. */
interface Entry {
  readonly name: Buffer;
  readonly method: number;
  readonly offset: number;
  readonly crc32: number;
  readonly size: number;
  readonly compressedSize: number;
  readonly sizesAfterData: boolean;
}

const zip64 = (e: Entry) => e.size > MAX_32 || e.compressedSize > MAX_32 || e.offset > MAX_32;

function writeUInt64(buffer: Buffer, value: number, at: number): void {
  buffer.writeBigUInt64LE(BigInt(value), at);
}

/** MS-DOS date and time, in the local time zone as zip tools read them, clamped to what DOS can say. */
function dosDateTime(when: Date): { date: number; time: number } {
  const earliest = new Date(1980, 0, 1).getTime();
  const latest = new Date(2107, 11, 31, 23, 59, 58).getTime();
  const d = new Date(Math.min(Math.max(when.getTime(), earliest), latest));
  return {
    date: d.getDate() | ((d.getMonth() + 1) << 5) | ((d.getFullYear() - 1980) << 9),
    time: Math.floor(d.getSeconds() / 2) | (d.getMinutes() << 5) | (d.getHours() << 11),
  };
}

/**
 * Writes a zip as a stream, hashing every entry on its way in: each file is read once, its SHA-256 and size
 * computed from the very bytes written, and nothing is held in memory beyond an entry read whole, a stream
 * chunk and one output block. Entries are written one at a time, in the order they are added. The format is
 * the plain one every extractor reads: UTF-8 names, stored (or deflated), zip64 fields only where a size,
 * offset or count needs them.
 */
export class HashingZipWriter {
  private readonly output: Writable;
  private readonly method: number;
  private readonly dos: { date: number; time: number };
  private readonly unixTime: number;
  private readonly entries: Entry[] = [];
  private block: Buffer[] = [];
  private blockBytes = 0;
  private offset = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;
  readonly written: ManifestFile[] = [];

  constructor(output: Writable, options: { readonly mtime: Date; readonly compress?: boolean }) {
    this.output = output;
    this.method = options.compress ? DEFLATED : STORED;
    this.dos = dosDateTime(options.mtime);
    this.unixTime = Math.min(Math.max(Math.floor(options.mtime.getTime() / 1000), -0x80000000), 0x7fffffff);
    output.on('error', (error: Error) => this.fail(error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
  }

  /** Runs entry writes one after another, whatever the callers await. */
  private enqueue<T>(write: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.failure) throw this.failure;
      return write();
    });
    this.queue = run.catch(() => {});
    return run.catch((error: Error) => {
      this.fail(error);
      throw error;
    });
  }

  /** Queues bytes for the output; a full block is written, waiting while the output is full. */
  private async push(bytes: Buffer): Promise<void> {
    this.block.push(bytes);
    this.blockBytes += bytes.length;
    this.offset += bytes.length;
    if (this.blockBytes >= BLOCK_BYTES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.blockBytes === 0) return;
    const block = this.block;
    this.block = [];
    this.blockBytes = 0;
    // One vectored write where the output has one (a file does), not a copy into one buffer: a year's
    // evidence is hundreds of megabytes.
    let room = true;
    this.output.cork();
    for (const bytes of block) room = this.output.write(bytes);
    this.output.uncork();
    if (!room) await once(this.output, 'drain');
    if (this.failure) throw this.failure;
  }

  private localHeader(name: Buffer, known?: Pick<Entry, 'crc32' | 'size' | 'compressedSize'>): Buffer {
    const header = Buffer.alloc(LOCAL_HEADER_BYTES + name.length);
    this.writeLocalHeader(header, 0, name, known);
    return header;
  }

  private writeLocalHeader(
    target: Buffer,
    at: number,
    name: Buffer,
    known?: Pick<Entry, 'crc32' | 'size' | 'compressedSize'>,
  ): void {
    target.writeUInt32LE(LOCAL_HEADER, at);
    target.writeUInt16LE(VERSION_NEEDED, at + 4);
    target.writeUInt16LE(known ? UTF8_NAME : UTF8_NAME | SIZES_AFTER_DATA, at + 6);
    target.writeUInt16LE(this.method, at + 8);
    target.writeUInt16LE(this.dos.time, at + 10);
    target.writeUInt16LE(this.dos.date, at + 12);
    target.writeUInt32LE(known?.crc32 ?? 0, at + 14);
    target.writeUInt32LE(known?.compressedSize ?? 0, at + 18);
    target.writeUInt32LE(known?.size ?? 0, at + 22);
    target.writeUInt16LE(name.length, at + 26);
    target.writeUInt16LE(0, at + 28);
    name.copy(target, at + LOCAL_HEADER_BYTES);
  }

  /**
   * Entries already laid out in one buffer by a reader that hashed them: each file's data at `at` +
   * localHeaderSize(its path), the room before it for its header, written here. Stored, that is one write for
   * many small files instead of three each; deflated, each file is added on its own.
   */
  addLaidOut(bytes: Buffer, files: readonly LaidOutFile[]): Promise<ManifestFile[]> {
    return this.enqueue(async () => {
      if (this.method === DEFLATED) {
        const written: ManifestFile[] = [];
        for (const file of files) {
          const start = file.at + LOCAL_HEADER_BYTES + file.name.length;
          written.push(await this.writeWhole(file.path, bytes.subarray(start, start + file.size), file));
        }
        return written;
      }
      const written = files.map(({ path, name, at, size, crc32, sha256 }) => {
        const entry = {
          name,
          method: STORED,
          offset: this.offset + at,
          crc32,
          size,
          compressedSize: size,
          sizesAfterData: false,
        };
        this.writeLocalHeader(bytes, at, name, entry);
        return this.recorded(entry, { path, sha256, size });
      });
      await this.push(bytes);
      return written;
    });
  }

  /**
   * Streams one entry into the zip; resolves with its path, SHA-256 and size once every byte has been
   * written. `open` is called when the entry's turn comes, so sources are opened one at a time.
   */
  add(path: string, open: () => EntrySource | Promise<EntrySource>): Promise<ManifestFile> {
    return this.enqueue(async () => {
      const source = await open();
      const readable = source instanceof Readable ? source : Readable.from(source, { objectMode: false });
      const name = Buffer.from(path, 'utf8');
      const offset = this.offset;
      const hash = createHash('sha256');
      let crc32 = 0;
      let size = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          crc32 = zlib.crc32(chunk, crc32);
          size += chunk.length;
          done(null, chunk);
        },
      });
      const data =
        this.method === DEFLATED
          ? pipeline(readable, tap, zlib.createDeflateRaw(), () => {})
          : pipeline(readable, tap, () => {});
      await this.push(this.localHeader(name));
      let compressedSize = 0;
      for await (const chunk of data as AsyncIterable<Buffer>) {
        compressedSize += chunk.length;
        await this.push(chunk);
      }
      const entry = { name, method: this.method, offset, crc32, size, compressedSize, sizesAfterData: true };
      await this.push(dataDescriptor(entry));
      return this.recorded(entry, { path, sha256: hash.digest('hex'), size });
    });
  }

  /**
   * An entry already in memory (bytes, a string, or text in pieces such as a table's lines): hashed and
   * written in one step, its sizes in its local header.
   */
  addBytes(path: string, bytes: Uint8Array | string | readonly string[]): Promise<ManifestFile> {
    const buffer = entryBytes(bytes);
    return this.enqueue(() => this.writeWhole(path, buffer));
  }

  /** One entry in memory, hashed here unless `hashed` gives the SHA-256 and CRC-32 of exactly these bytes. */
  private async writeWhole(
    path: string,
    buffer: Buffer,
    hashed?: { readonly sha256: string; readonly crc32: number },
  ): Promise<ManifestFile> {
    const name = Buffer.from(path, 'utf8');
    const data = this.method === DEFLATED ? zlib.deflateRawSync(buffer) : buffer;
    const entry = {
      name,
      method: this.method,
      offset: this.offset,
      crc32: hashed?.crc32 ?? zlib.crc32(buffer),
      size: buffer.length,
      compressedSize: data.length,
      sizesAfterData: false,
    };
    await this.push(this.localHeader(name, entry));
    await this.push(data);
    const sha256 = hashed?.sha256 ?? createHash('sha256').update(buffer).digest('hex');
    return this.recorded(entry, { path, sha256, size: buffer.length });
  }

  private recorded(entry: Entry, file: ManifestFile): ManifestFile {
    this.entries.push(entry);
    this.written.push(file);
    return file;
  }

  /** Writes the central directory and waits until the output has every byte. */
  async finish(): Promise<void> {
    await this.enqueue(async () => {
      const start = this.offset;
      for (const entry of this.entries) await this.push(this.centralHeader(entry));
      await this.push(endOfCentralDirectory(this.entries.length, start, this.offset - start));
      await this.flush();
    });
    this.output.end();
    await finished(this.output);
    if (this.failure) throw this.failure;
  }

  /** Stops writing after a failure; the output is left incomplete (the caller discards it). */
  abort(error: Error): void {
    this.fail(error);
    this.output.destroy(error);
  }

  private centralHeader(entry: Entry): Buffer {
    const wide = zip64(entry);
    const extra = wide ? 9 + 28 : 9;
    const header = Buffer.alloc(46 + entry.name.length + extra);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION_MADE_BY, 4);
    header.writeUInt16LE(wide ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
    header.writeUInt16LE(entry.sizesAfterData ? UTF8_NAME | SIZES_AFTER_DATA : UTF8_NAME, 8);
    header.writeUInt16LE(entry.method, 10);
    header.writeUInt16LE(this.dos.time, 12);
    header.writeUInt16LE(this.dos.date, 14);
    header.writeUInt32LE(entry.crc32, 16);
    header.writeUInt32LE(wide ? 0xffffffff : entry.compressedSize, 20);
    header.writeUInt32LE(wide ? 0xffffffff : entry.size, 24);
    header.writeUInt16LE(entry.name.length, 28);
    header.writeUInt16LE(extra, 30);
    header.writeUInt32LE((REGULAR_FILE_MODE << 16) >>> 0, 38);
    header.writeUInt32LE(wide ? 0xffffffff : entry.offset, 42);
    let at = 46 + entry.name.copy(header, 46);
    // Info-ZIP universal time ("UT"): the modification time in Unix seconds.
    header.writeUInt16LE(0x5455, at);
    header.writeUInt16LE(5, at + 2);
    header.writeUInt8(0b11, at + 4);
    header.writeInt32LE(this.unixTime, at + 5);
    at += 9;
    if (wide) {
      header.writeUInt16LE(0x0001, at);
      header.writeUInt16LE(24, at + 2);
      writeUInt64(header, entry.size, at + 4);
      writeUInt64(header, entry.compressedSize, at + 12);
      writeUInt64(header, entry.offset, at + 20);
    }
    return header;
  }
}

/**
 * An in-memory entry as one buffer. Text pieces are measured, then encoded one by one into a buffer of their
 * exact size: joining tens of megabytes of lines into one string and encoding that costs more than the
 * encoding itself.
 */
function entryBytes(bytes: Uint8Array | string | readonly string[]): Buffer {
  if (typeof bytes === 'string') return Buffer.from(bytes, 'utf8');
  if (Buffer.isBuffer(bytes)) return bytes;
  if (bytes instanceof Uint8Array) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let size = 0;
  for (const piece of bytes) size += Buffer.byteLength(piece, 'utf8');
  const buffer = Buffer.allocUnsafe(size);
  let at = 0;
  for (const piece of bytes) at += buffer.write(piece, at, 'utf8');
  return buffer;
}

/** CRC-32 and sizes after a streamed entry's data, 8-byte sizes when its central record is zip64. */
function dataDescriptor(entry: Entry): Buffer {
  const wide = zip64(entry);
  const descriptor = Buffer.alloc(wide ? 24 : 16);
  descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
  descriptor.writeUInt32LE(entry.crc32, 4);
  if (wide) {
    writeUInt64(descriptor, entry.compressedSize, 8);
    writeUInt64(descriptor, entry.size, 16);
  } else {
    descriptor.writeUInt32LE(entry.compressedSize, 8);
    descriptor.writeUInt32LE(entry.size, 12);
  }
  return descriptor;
}

/** The end records: zip64 ones first when the count, size or offset of the directory needs them. */
function endOfCentralDirectory(count: number, start: number, size: number): Buffer {
  const wide = count >= 0xffff || start > MAX_32 || size > MAX_32;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(wide ? 0xffff : count, 8);
  end.writeUInt16LE(wide ? 0xffff : count, 10);
  end.writeUInt32LE(wide ? 0xffffffff : size, 12);
  end.writeUInt32LE(wide ? 0xffffffff : start, 16);
  if (!wide) return end;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(ZIP64_END_OF_CENTRAL_DIRECTORY, 0);
  writeUInt64(record, 56 - 12, 4);
  record.writeUInt16LE(VERSION_MADE_BY, 12);
  record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
  writeUInt64(record, count, 24);
  writeUInt64(record, count, 32);
  writeUInt64(record, size, 40);
  writeUInt64(record, start, 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(ZIP64_LOCATOR, 0);
  writeUInt64(locator, start + size, 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}
