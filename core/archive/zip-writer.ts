import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { hashingStream } from '../hashing-stream.ts';
import { useNativeCrc32 } from './native-crc32.ts';
import type { ManifestFile } from './types.ts';

export type EntrySource = Readable | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

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

  /** A small entry already in memory. */
  addBytes(path: string, bytes: Uint8Array | string): Promise<ManifestFile> {
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
    return this.add(path, () => [buffer]);
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
