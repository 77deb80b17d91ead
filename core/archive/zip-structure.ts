import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { isSafeArchivePath } from './manifest.ts';

/**
 * The structure of a zip, checked before any entry is read: what every extractor would see must be exactly
 * what the central directory says. An archive can be built so that two readers disagree — a name in an
 * Info-ZIP Unicode path field that differs from the entry's name, a local entry the central directory does not
 * list, two entries sharing one stream of bytes, a symlink or directory entry — and each of these is reported
 * here, so that nothing is hashed in a zip whose contents depend on who reads it.
 */

/** One file entry of the central directory, with its name decoded and checked. */
export interface ZipEntry {
  readonly name: string;
  readonly entry: yauzl.Entry;
}

export interface ZipProblem {
  readonly file: string;
  readonly message: string;
}

export interface ZipStructure {
  /** The file entries, by name (a name that appears twice is a problem and keeps its first entry). */
  readonly entries: ReadonlyMap<string, ZipEntry>;
  readonly problems: readonly ZipProblem[];
}

const ARCHIVE = '(archive)';
const CENTRAL_HEADER = 0x02014b50;
const CENTRAL_HEADER_SIZE = 46;
const END_RECORD = 0x06054b50;
const END_RECORD_SIZE = 22;
const ZIP64_LOCATOR = 0x07064b50;
const DATA_DESCRIPTOR = 0x08074b50;
const UNICODE_PATH = 0x7075;
const ZIP64_EXTRA = 0x0001;
const FLAG_ENCRYPTED = 0x1;
const FLAG_DATA_DESCRIPTOR = 0x8;
const UNIX = 3;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const DOS_DIRECTORY = 0x10;

/** Opens a zip (a file path or bytes) for reading entry by entry; the caller closes it. */
export function openZip(source: string | Buffer): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, decodeStrings: false, autoClose: false } as const;
  return typeof source === 'string'
    ? yauzl.openPromise(source, options)
    : yauzl.fromBufferPromise(source, options);
}

/** The offset of the central directory: where the entries' data must end. Read before the first entry. */
function centralDirectoryStart(zip: yauzl.ZipFile): number {
  // yauzl keeps it as the cursor of the next central directory record (typed as a boolean in @types/yauzl).
  return Number((zip as unknown as { readEntryCursor: number }).readEntryCursor);
}

/** The names an Info-ZIP Unicode path extra field gives (extractors that honour it write the entry there). */
function unicodePaths(extra: readonly { id: number; data: Buffer }[]): string[] {
  return extra
    .filter((f) => f.id === UNICODE_PATH && f.data.length >= 5)
    .map((f) => f.data.subarray(5).toString('utf8'));
}

/** What kind of entry the attributes say, when it is not a regular file. */
function notARegularFile(entry: yauzl.Entry, name: string): string | undefined {
  const unixMode = entry.versionMadeBy >> 8 === UNIX ? entry.externalFileAttributes >>> 16 : 0;
  const type = unixMode & S_IFMT;
  if (type === S_IFLNK) return 'a symbolic link';
  if (name.endsWith('/') || type === S_IFDIR || (entry.externalFileAttributes & DOS_DIRECTORY) !== 0)
    return 'a directory entry';
  if (type !== 0 && type !== S_IFREG) return `a special file (mode ${type.toString(8)})`;
  return undefined;
}

/**
 * The fields of a central record that yauzl reads past: the signature, and the disk the entry starts on (a
 * single-disk archive says 0; an extractor that honours another number looks for the entry elsewhere).
 */
async function checkCentralRecord(
  zip: yauzl.ZipFile,
  at: number,
  name: string,
  problem: (file: string, message: string) => void,
) {
  const record = await readRaw(zip, at, CENTRAL_HEADER_SIZE);
  if (record.length < CENTRAL_HEADER_SIZE || record.readUInt32LE(0) !== CENTRAL_HEADER)
    return problem(name, 'its central directory record has no header signature');
  const disk = record.readUInt16LE(34);
  if (disk !== 0) problem(name, `its central directory record says it starts on disk ${disk} (must be 0)`);
}

/**
 * The end record's fields yauzl does not check: a single disk holds the central directory and all its
 * records, and the directory's size is the bytes between its start and the end record (zip64 aside).
 */
async function checkEndRecord(
  zip: yauzl.ZipFile,
  directoryStart: number,
  problem: (file: string, message: string) => void,
) {
  const comment = zip.comment as unknown as Buffer;
  const at = zip.fileSize - END_RECORD_SIZE - comment.length;
  const [locator, end] = [
    await readRaw(zip, Math.max(0, at - 20), 4),
    await readRaw(zip, at, END_RECORD_SIZE),
  ];
  if (end.length < END_RECORD_SIZE || end.readUInt32LE(0) !== END_RECORD) return;
  const zip64 = at >= 20 && locator.readUInt32LE(0) === ZIP64_LOCATOR;
  if (end.readUInt16LE(6) !== 0 && !(zip64 && end.readUInt16LE(6) === 0xffff))
    problem(ARCHIVE, `the end record says the central directory starts on disk ${end.readUInt16LE(6)}`);
  if (end.readUInt16LE(8) !== end.readUInt16LE(10))
    problem(ARCHIVE, 'the end record counts a different number of entries on this disk than in all');
  if (!zip64 && end.readUInt32LE(12) !== at - directoryStart)
    problem(
      ARCHIVE,
      `the end record gives the central directory ${end.readUInt32LE(12)} bytes, not ${at - directoryStart}`,
    );
}

/** Reads the central directory: every entry a regular file, named once, safely, by one name only. */
async function readCentralDirectory(zip: yauzl.ZipFile, problem: (file: string, message: string) => void) {
  const entries = new Map<string, ZipEntry>();
  const all: ZipEntry[] = [];
  let record = centralDirectoryStart(zip);
  for await (const entry of zip.eachEntry()) {
    const name = (entry.fileName as unknown as Buffer).toString('utf8');
    await checkCentralRecord(zip, record, name, problem);
    record += CENTRAL_HEADER_SIZE + entry.fileNameLength + entry.extraFieldLength + entry.fileCommentLength;
    const kind = notARegularFile(entry, name);
    all.push({ name, entry });
    if (kind) problem(name, `${kind}, which the manifest cannot list`);
    else if (!isSafeArchivePath(name))
      problem(name, 'unsafe file name (absolute, "..", or unusual characters)');
    for (const other of unicodePaths(entry.extraFields))
      if (other !== name) problem(name, `its Info-ZIP Unicode path field names another file, ${other}`);
    if ((entry.generalPurposeBitFlag & FLAG_ENCRYPTED) !== 0) problem(name, 'encrypted');
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
      problem(name, `compression method ${entry.compressionMethod} (only stored and deflated are read)`);
    if (entries.has(name)) problem(name, 'appears twice in the zip');
    else if (!kind) entries.set(name, { name, entry });
  }
  return { entries, all };
}

/** Bytes of the zip at a position, without decompressing. */
async function readRaw(zip: yauzl.ZipFile, position: number, length: number): Promise<Buffer> {
  // Not openReadStreamLowLevelPromise: yauzl 3.4's promise form calls openReadStream.
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStreamLowLevel(position, length, 0, length, false, null, (error, s) =>
      error ? reject(error) : resolve(s),
    ),
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface Span {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Checks one entry's local header against its central record and returns the bytes it spans: header, data
 * and data descriptor.
 */
async function localSpan(
  zip: yauzl.ZipFile,
  { name, entry }: ZipEntry,
  limit: number,
  problem: (file: string, message: string) => void,
): Promise<Span | undefined> {
  const local = await zip.readLocalFileHeaderPromise(entry);
  const localName = local.fileName.toString('utf8');
  if (localName !== name) problem(name, `its local header names another file, ${localName}`);
  for (const other of unicodePaths(yauzl.parseExtraFields(local.extraField)))
    if (other !== name) problem(name, `its local Info-ZIP Unicode path field names another file, ${other}`);
  if (local.compressionMethod !== entry.compressionMethod)
    problem(name, 'its local header and the central directory give different compression methods');
  if (local.generalPurposeBitFlag !== entry.generalPurposeBitFlag)
    problem(
      name,
      'its local header and the central directory give different flags (encryption, data descriptor)',
    );
  if (local.versionNeededToExtract !== entry.versionNeededToExtract || entry.versionNeededToExtract > 45)
    problem(
      name,
      `it needs zip version ${entry.versionNeededToExtract / 10} to extract (local header: ${local.versionNeededToExtract / 10}; at most 4.5)`,
    );
  const dataEnd = local.fileDataStart + entry.compressedSize;
  if ((local.generalPurposeBitFlag & FLAG_DATA_DESCRIPTOR) === 0) {
    const zip64 = local.compressedSize === 0xffffffff || local.uncompressedSize === 0xffffffff;
    if (
      !zip64 &&
      (local.crc32 !== entry.crc32 ||
        local.compressedSize !== entry.compressedSize ||
        local.uncompressedSize !== entry.uncompressedSize)
    )
      problem(name, 'its local header and the central directory give different sizes or CRC-32');
    return { name, start: entry.relativeOffsetOfLocalHeader, end: dataEnd };
  }
  // A data descriptor follows the data: CRC-32 and sizes, 4 or 8 bytes each, optionally signed. The local
  // header then holds zeros in their place (APPNOTE 4.4.4), so no byte of it goes unchecked.
  if (local.crc32 !== 0 || local.compressedSize !== 0 || local.uncompressedSize !== 0)
    problem(name, 'its local header gives a CRC-32 or sizes where a data descriptor follows (must be zero)');
  const wide = entry.extraFields.some((f) => f.id === ZIP64_EXTRA);
  const descriptor = await readRaw(zip, dataEnd, Math.min(wide ? 24 : 16, Math.max(0, limit - dataEnd)));
  const signed = descriptor.length >= 4 && descriptor.readUInt32LE(0) === DATA_DESCRIPTOR;
  const at = signed ? 4 : 0;
  const length = at + (wide ? 20 : 12);
  if (descriptor.length < length) {
    problem(name, 'its data descriptor runs into the central directory');
    return undefined;
  }
  const sizes = wide
    ? [Number(descriptor.readBigUInt64LE(at + 4)), Number(descriptor.readBigUInt64LE(at + 12))]
    : [descriptor.readUInt32LE(at + 4), descriptor.readUInt32LE(at + 8)];
  if (
    descriptor.readUInt32LE(at) !== entry.crc32 ||
    sizes[0] !== entry.compressedSize ||
    sizes[1] !== entry.uncompressedSize
  )
    problem(name, 'its data descriptor and the central directory give different sizes or CRC-32');
  return { name, start: entry.relativeOffsetOfLocalHeader, end: dataEnd + length };
}

/**
 * The entries must tile the zip from its first byte to the central directory: a gap holds bytes no listed
 * entry owns (a local entry the central directory does not list), an overlap means two entries share bytes
 * (one stream read many times over).
 */
function checkTiling(
  spans: Span[],
  directoryStart: number,
  problem: (file: string, message: string) => void,
) {
  spans.sort((a, b) => a.start - b.start);
  let cursor = 0;
  let previous: Span | undefined;
  for (const span of spans) {
    if (span.start > cursor)
      problem(ARCHIVE, `bytes ${cursor}–${span.start - 1} belong to no entry of the central directory`);
    else if (span.start < cursor)
      problem(span.name, `overlaps ${previous?.name ?? 'the start of the zip'} (shares its bytes)`);
    cursor = Math.max(cursor, span.end);
    previous = span;
  }
  if (cursor < directoryStart)
    problem(ARCHIVE, `bytes ${cursor}–${directoryStart - 1} belong to no entry of the central directory`);
  else if (cursor > directoryStart) problem(ARCHIVE, 'an entry runs into the central directory');
}

/** Reads and checks the zip's structure; nothing is decompressed or hashed. */
export async function readZipStructure(zip: yauzl.ZipFile): Promise<ZipStructure> {
  const problems: ZipProblem[] = [];
  const problem = (file: string, message: string) => problems.push({ file, message });
  const directoryStart = centralDirectoryStart(zip);
  await checkEndRecord(zip, directoryStart, problem);
  const { entries, all } = await readCentralDirectory(zip, problem);
  const spans: Span[] = [];
  for (const entry of all) {
    try {
      const span = await localSpan(zip, entry, directoryStart, problem);
      if (span) spans.push(span);
    } catch (error) {
      problem(entry.name, `its local header cannot be read: ${(error as Error).message}`);
    }
  }
  checkTiling(spans, directoryStart, problem);
  return { entries, problems };
}
