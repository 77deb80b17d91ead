import zlib from 'node:zlib';

/**
 * A small zip writer for hostile archives: stored entries only, every header field under the test's control
 * (extra fields, Unix mode, a central record pointing at another entry's bytes, local entries the central
 * directory does not list). Layout as in APPNOTE.TXT 4.3: local header + name + extra + data per entry, then
 * the central directory and the end record. Without options it writes an ordinary, valid zip.
 */
export interface RawEntry {
  readonly name: string;
  readonly bytes: Buffer;
  /** Extra fields written in both the local header and the central record. */
  readonly extra?: readonly { readonly id: number; readonly data: Buffer }[];
  /** Unix mode in the external attributes (default 0o100644, a regular file). */
  readonly mode?: number;
  /** Written as a local entry only: the central directory does not list it. */
  readonly hidden?: boolean;
  /** No local entry: the central record points at the entry at this index (shares its bytes). */
  readonly sharesDataOf?: number;
}

/** An Info-ZIP Unicode Path Extra Field (0x7075) naming `unicodeName` for an entry whose header says `name`. */
export function unicodePathField(name: string, unicodeName: string) {
  const data = Buffer.alloc(5);
  data.writeUInt8(1, 0);
  data.writeUInt32LE(zlib.crc32(Buffer.from(name, 'utf8')), 1);
  return { id: 0x7075, data: Buffer.concat([data, Buffer.from(unicodeName, 'utf8')]) };
}

const extraBytes = (extra: RawEntry['extra'] = []) =>
  Buffer.concat(
    extra.map(({ id, data }) => {
      const head = Buffer.alloc(4);
      head.writeUInt16LE(id, 0);
      head.writeUInt16LE(data.length, 2);
      return Buffer.concat([head, data]);
    }),
  );

/** The fields local and central headers share (APPNOTE 4.3.7 from "version needed" to "extra length"). */
function common(name: Buffer, extra: Buffer, bytes: Buffer): Buffer {
  const b = Buffer.alloc(26);
  b.writeUInt16LE(20, 0); // version needed
  b.writeUInt16LE(0x800, 2); // flags: UTF-8 names
  b.writeUInt16LE(0, 4); // stored
  b.writeUInt16LE(0, 6); // time
  b.writeUInt16LE(0x21, 8); // date: 1980-01-01
  b.writeUInt32LE(zlib.crc32(bytes), 10);
  b.writeUInt32LE(bytes.length, 14);
  b.writeUInt32LE(bytes.length, 18);
  b.writeUInt16LE(name.length, 22);
  b.writeUInt16LE(extra.length, 24);
  return b;
}

export function writeRawZip(entries: readonly RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const e of entries) {
    offsets.push(offset);
    if (e.sharesDataOf !== undefined) continue; // no bytes of its own
    const name = Buffer.from(e.name, 'utf8');
    const extra = extraBytes(e.extra);
    const signature = Buffer.alloc(4);
    signature.writeUInt32LE(0x04034b50, 0);
    const local = Buffer.concat([signature, common(name, extra, e.bytes), name, extra, e.bytes]);
    parts.push(local);
    offset += local.length;
  }
  const directoryStart = offset;
  let listed = 0;
  entries.forEach((e, i) => {
    if (e.hidden) return;
    const source = entries[e.sharesDataOf ?? i]!;
    const name = Buffer.from(e.name, 'utf8');
    const extra = extraBytes(e.extra);
    const head = Buffer.alloc(6);
    head.writeUInt32LE(0x02014b50, 0);
    head.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, version 2.0
    const tail = Buffer.alloc(16);
    tail.writeUInt16LE(0, 0); // comment length
    tail.writeUInt16LE(0, 2); // disk
    tail.writeUInt16LE(0, 4); // internal attributes
    tail.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 6);
    tail.writeUInt32LE(offsets[e.sharesDataOf ?? i]!, 10);
    const record = Buffer.concat([
      head,
      common(name, extra, source.bytes),
      tail.subarray(0, 14),
      name,
      extra,
    ]);
    parts.push(record);
    offset += record.length;
    listed++;
  });
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(listed, 8);
  end.writeUInt16LE(listed, 10);
  end.writeUInt32LE(offset - directoryStart, 12);
  end.writeUInt32LE(directoryStart, 16);
  return Buffer.concat([...parts, end]);
}
