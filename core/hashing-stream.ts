import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** A pass-through that hashes (SHA-256) and counts every byte on its way; `onEnd` gets both once all passed. */
export function hashingStream(onEnd?: (result: { sha256: string; size: number }) => void) {
  const hash = createHash('sha256');
  let size = 0;
  let sha256: string | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      sha256 = hash.digest('hex');
      onEnd?.({ sha256, size });
      done();
    },
  });
  return {
    stream,
    /** The SHA-256 (hex) and size, once the stream has ended. */
    result(): { sha256: string; size: number } {
      if (sha256 === undefined) throw new Error('the stream has not ended');
      return { sha256, size };
    },
  };
}
