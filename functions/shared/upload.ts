import type { Transform } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { hashingStream } from '../../core/hashing-stream.ts';

export interface UploadedObject {
  readonly size: number;
  /** SHA-256 of the whole object, hex. */
  readonly sha256: string;
  readonly versionId?: string;
}

export interface ObjectUpload {
  /** Write the object here and end it. */
  readonly output: Transform;
  /** Resolves once S3 holds every byte. */
  done(): Promise<UploadedObject>;
  /** Discards the upload: no partial object appears. */
  abort(error: Error): Promise<void>;
}

/**
 * Streams a new S3 object of unknown length: multipart (8 MiB parts, at most four in memory), each part with
 * a SHA-256 checksum (an Object Lock bucket refuses writes without one), the whole object hashed on the way.
 */
export function uploadObject(
  client: S3Client,
  target: { readonly bucket: string; readonly key: string; readonly contentType: string },
): ObjectUpload {
  const { stream: output, result } = hashingStream();
  const upload = new Upload({
    client,
    params: {
      Bucket: target.bucket,
      Key: target.key,
      Body: output,
      ContentType: target.contentType,
      ChecksumAlgorithm: 'SHA256',
    },
    partSize: 8 * 1024 * 1024,
    queueSize: 4,
  });
  const uploaded = upload.done();
  // A failed upload must stop the writer rather than leave it waiting on a stream nobody reads.
  uploaded.catch((error: Error) => output.destroy(error));
  return {
    output,
    async done() {
      const { VersionId } = await uploaded;
      return { ...result(), ...(VersionId ? { versionId: VersionId } : {}) };
    },
    async abort(error) {
      output.destroy(error);
      await upload.abort().catch(() => {});
      await uploaded.catch(() => {});
    },
  };
}
