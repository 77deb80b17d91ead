import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { hashingStream } from '../hashing-stream.ts';
import { useNativeCrc32 } from './native-crc32.ts';
import type { ManifestFile } from './types.ts';

export type EntrySource = Readable | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * Entries up to this size are read whole and added as one buffer: a zip entry streamed through yazl costs a
 * chain of five streams, while a buffer is hashed and written in one step. Larger ones are streamed.
 */
export const WHOLE_ENTRY_BYTES = 1 << 20;

/**
 * Writes a zip as a stream (yazl), hashing every entry on its way in: each file is read once, its SHA-256
 * and size computed from the very bytes written, and nothing is held in memory beyond a stream chunk. Entries
 * are added one at a time (each `add` resolves once its bytes have passed), so at most one source is open.
 */
export class HashingZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly finished: Promise<void>;
  private failure: Error | undefined;
  private readonly entryOptions: { mtime: Date; compress: boolean; mode: number };
  readonly written: ManifestFile[] = [];

  constructor(output: Writable, options: { readonly mtime: Date; readonly compress?: boolean }) {
    useNativeCrc32();
    this.entryOptions = { mtime: options.mtime, compress: options.compress ?? false, mode: 0o100644 };
    this.zip.on('error', (error: Error) => this.fail(error));
    this.finished = pipeline(this.zip.outputStream as unknown as Readable, output);
    this.finished.catch((error: Error) => this.fail(error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
  }

  /**
   * Streams one entry into the zip; resolves with its path, SHA-256 and size once every byte has been read.
   * `open` is called when the entry's turn comes, so sources are opened one at a time.
   */
  add(path: string, open: () => EntrySource | Promise<EntrySource>): Promise<ManifestFile> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ManifestFile>((resolve, reject) => {
      this.zip.addReadStreamLazy(path, this.entryOptions, (callback) => {
        Promise.resolve()
          .then(open)
          .then((source) => {
            const readable =
              source instanceof Readable ? source : Readable.from(source, { objectMode: false });
            const { stream: tap } = hashingStream(({ sha256, size }) => {
              const file = { path, sha256, size };
              this.written.push(file);
              resolve(file);
            });
            readable.once('error', (error) => {
              this.fail(error);
              tap.destroy(error);
              reject(error);
            });
            callback(null, readable.pipe(tap));
          })
          .catch((error: Error) => {
            this.fail(error);
            reject(error);
            callback(error, Readable.from([]));
          });
      });
    });
  }

  /**
   * A small entry already in memory, hashed and queued at once (its CRC-32 and sizes go in its local header).
   * Resolves when the output has room again, so a fast reader cannot pile the archive up in memory.
   */
  async addBytes(path: string, bytes: Uint8Array | string): Promise<ManifestFile> {
    if (this.failure) throw this.failure;
    const buffer =
      typeof bytes === 'string'
        ? Buffer.from(bytes, 'utf8')
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const file = { path, sha256: createHash('sha256').update(buffer).digest('hex'), size: buffer.length };
    this.zip.addBuffer(buffer, path, this.entryOptions);
    this.written.push(file);
    const queued = this.zip.outputStream as unknown as Readable & Writable;
    if (queued.writableNeedDrain) await Promise.race([once(queued, 'drain'), this.finished]);
    if (this.failure) throw this.failure;
    return file;
  }

  /** Writes the central directory and waits until the output has every byte. */
  async finish(): Promise<void> {
    if (this.failure) throw this.failure;
    this.zip.end();
    await this.finished;
    if (this.failure) throw this.failure;
  }

  /** Stops writing after a failure; the output is left incomplete (the caller discards it). */
  abort(error: Error): void {
    this.fail(error);
    (this.zip.outputStream as unknown as Readable).destroy(error);
  }
}
