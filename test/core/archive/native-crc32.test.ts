import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
import { useNativeCrc32 } from '../../../core/archive/native-crc32.ts';

/** CRC-32 (IEEE 802.3, as in zip), bit by bit: slow and obviously right. */
function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

it('yazl’s CRC-32, routed to zlib, equals the reference on whole buffers and across chunks', () => {
  expect(useNativeCrc32()).toBe(true);
  const crc32 = createRequire(createRequire(import.meta.url).resolve('yazl'))('buffer-crc32') as {
    unsigned(buffer: Buffer, previous?: number): number;
  };
  for (const size of [0, 1, 7, 4096, 100_003]) {
    const data = randomBytes(size);
    expect(crc32.unsigned(data)).toBe(referenceCrc32(data));
    let running = 0;
    for (let at = 0; at < size; at += 1000) running = crc32.unsigned(data.subarray(at, at + 1000), running);
    expect(running).toBe(referenceCrc32(data));
  }
  expect(crc32.unsigned(Buffer.from('123456789'))).toBe(0xcbf43926); // the standard check value
});
