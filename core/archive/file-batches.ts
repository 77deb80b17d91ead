import { Worker } from 'node:worker_threads';

/** One file the reading thread laid out: its zip header goes at `at`, its `size` bytes of data right after. */
export interface BatchedFile {
  readonly at: number;
  readonly size: number;
  readonly sha256: string;
  readonly crc32: number;
}

/** Files read and hashed on the reading thread, laid out one after another in `bytes`. */
export interface FileBatch {
  readonly bytes: Buffer;
  readonly files: readonly BatchedFile[];
  /** Tells the reading thread the batch is written, so it may read further ahead. */
  release(): void;
}

/** A file the reading thread could not read: the files before it came in batches, those after it follow. */
export interface FileReadError {
  readonly error: Error & { code?: string };
}

/** How far the reading thread may get ahead of the writer: the bytes of batches sent and not yet written. */
export const BATCH_READ_AHEAD_BYTES = 8 << 20;
/** A batch's buffer: about a megabyte of files (one larger file gets a batch of its own size). */
const BATCH_BYTES = 1 << 20;

/**
 * The reading thread: opens each file, reads it whole into the batch's buffer after `headerSize` bytes left
 * for the zip header the writer fills in, hashes it, and sends each full batch (its buffer given away, not
 * copied), waiting while `budget` bytes are sent and not written. A batch ends where a run of files ends (a
 * file read otherwise comes between). Plain JavaScript run with `eval`: no file of its own beside a bundle.
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, fstatSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { crc32 } = require('node:zlib');
const { paths, headerSizes, runStarts, budget, batchBytes, ahead } = workerData;
let buffer;
let used = 0;
let files = [];
const send = () => {
  if (!buffer) return;
  Atomics.add(ahead, 0, buffer.byteLength);
  parentPort.postMessage({ buffer, length: used, files }, [buffer]);
  buffer = undefined;
  used = 0;
  files = [];
};
for (let i = 0; i < paths.length; i++) {
  if (runStarts[i]) send();
  let fd;
  try {
    fd = openSync(paths[i], 'r');
    const size = fstatSync(fd).size;
    const need = headerSizes[i] + size;
    if (buffer && used + need > buffer.byteLength) send();
    if (!buffer) {
      for (let n = Atomics.load(ahead, 0); n > budget; n = Atomics.load(ahead, 0)) Atomics.wait(ahead, 0, n);
      buffer = new ArrayBuffer(Math.max(batchBytes, need));
    }
    const data = new Uint8Array(buffer, used + headerSizes[i], size);
    let got = 0;
    for (let n = 1; got < size && n > 0; got += n) n = readSync(fd, data, got, size - got, got);
    const read = data.subarray(0, got);
    files.push({ at: used, size: got, sha256: createHash('sha256').update(read).digest('hex'), crc32: crc32(read) });
    used += headerSizes[i] + got;
  } catch (error) {
    send();
    parentPort.postMessage({ error: { code: error.code, message: error.message } });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
send();
`;

type Message =
  | { readonly buffer: ArrayBuffer; readonly length: number; readonly files: readonly BatchedFile[] }
  | { readonly error: { readonly code?: string; readonly message: string } };

/**
 * Reads `files` in order on a worker thread, in batches laid out for the zip (room for each file's header
 * before its data), at most `budget` bytes ahead of the batches released: an export's evidence is read and
 * hashed on another core while this one judges the period, and this one writes a megabyte of files at a time.
 * `runStart` marks a file that must begin a batch (the file before it is read some other way).
 */
export function fileBatches(
  files: readonly { readonly path: string; readonly headerSize: number; readonly runStart: boolean }[],
  budget = BATCH_READ_AHEAD_BYTES,
) {
  const ahead = new Int32Array(new SharedArrayBuffer(4));
  const arrived: Message[] = [];
  let waiting: ((message: Message) => void) | undefined;
  let delivered = 0;
  let stopped: Error | undefined;
  const worker = new Worker(READER, {
    eval: true,
    workerData: {
      paths: files.map((f) => f.path),
      headerSizes: files.map((f) => f.headerSize),
      runStarts: files.map((f) => f.runStart),
      budget,
      batchBytes: BATCH_BYTES,
      ahead,
    },
  });
  const deliver = (message: Message) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(message);
    } else arrived.push(message);
  };
  worker.on('message', (message: Message) => {
    delivered += 'error' in message ? 1 : message.files.length;
    deliver(message);
  });
  const stop = (error: Error) => {
    stopped ??= error;
    deliver({ error: { message: stopped.message } });
  };
  worker.on('error', stop);
  // Every message is delivered before 'exit'.
  worker.on('exit', () => {
    if (delivered < files.length) stop(new Error('the reading thread stopped before every file was read'));
  });
  return {
    /** The next batch, or the next file's read error. */
    async next(): Promise<FileBatch | FileReadError> {
      const message =
        arrived.shift() ??
        (stopped
          ? { error: { message: stopped.message } }
          : await new Promise<Message>((resolve) => {
              waiting = resolve;
            }));
      if ('error' in message)
        return { error: Object.assign(new Error(message.error.message), { code: message.error.code }) };
      const { buffer, length } = message;
      return {
        bytes: Buffer.from(buffer, 0, length),
        files: message.files,
        release() {
          // The reading thread waits only once it is more than `budget` ahead: wake it only then.
          if (Atomics.sub(ahead, 0, buffer.byteLength) > budget) Atomics.notify(ahead, 0);
        },
      };
    },
    /** Stops the reading thread (an export that stopped half-way). */
    close(): Promise<number> {
      return worker.terminate();
    },
  };
}
