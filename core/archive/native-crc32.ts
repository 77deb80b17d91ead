import { createRequire } from 'node:module';
import zlib from 'node:zlib';

interface BufferCrc32 {
  unsigned(buffer: Buffer | string, previous?: number | Buffer): number;
}

let installed = false;

/**
 * The zip container needs a CRC-32 of every byte written. yazl computes it with buffer-crc32, a byte-at-a-time
 * JavaScript loop (~110 MB/s here, slower than SHA-256); Node's own zlib.crc32 (Node ≥ 20.15) is ~20× faster.
 * This routes the buffer-crc32 instance yazl loads to zlib.crc32, same inputs and results (the archive tests
 * compare both and run `unzip -t`, which checks every CRC). Without zlib.crc32 nothing changes.
 */
export function useNativeCrc32(): boolean {
  if (installed) return true;
  if (typeof zlib.crc32 !== 'function') return false;
  const fromYazl = createRequire(createRequire(import.meta.url).resolve('yazl'));
  const crc32 = fromYazl('buffer-crc32') as BufferCrc32;
  const js = crc32.unsigned;
  crc32.unsigned = (buffer, previous) => {
    if (typeof buffer === 'string' || Buffer.isBuffer(previous)) return js(buffer, previous);
    return zlib.crc32(buffer, previous ?? 0);
  };
  installed = true;
  return true;
}
