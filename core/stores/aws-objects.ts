import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorName, httpStatus } from './aws-marshalling.ts';

export function isMissingObject(error: unknown): boolean {
  return ['NoSuchKey', 'NotFound', 'NoSuchVersion'].includes(errorName(error)) || httpStatus(error) === 404;
}

/** The evidence bucket: objects written once under Object Lock, read back as bytes or streams, listed. */
export class EvidenceBucket {
  constructor(
    readonly s3: S3Client,
    readonly name: string,
    /** Object Lock retention (compliance mode) of every locked object, in days. */
    readonly retentionDays: number,
  ) {}

  /** Writes an object once, locked; false when the key already holds an object. */
  async putOnce(
    key: string,
    bytes: Buffer,
    sha256Hex: string,
    writtenAt: string,
    metadata: Record<string, string> = {},
  ): Promise<boolean> {
    const retainUntil = new Date(Date.parse(writtenAt) + this.retentionDays * 86_400_000);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.s3.send(
          new PutObjectCommand({
            Bucket: this.name,
            Key: key,
            Body: bytes,
            ContentType: 'application/json',
            // S3 checks the bytes against our SHA-256 and keeps it with the object version.
            ChecksumAlgorithm: 'SHA256',
            ChecksumSHA256: Buffer.from(sha256Hex, 'hex').toString('base64'),
            ObjectLockMode: 'COMPLIANCE',
            ObjectLockRetainUntilDate: retainUntil,
            IfNoneMatch: '*',
            Metadata: metadata,
          }),
        );
        return true;
      } catch (error) {
        if (httpStatus(error) === 412 || errorName(error) === 'PreconditionFailed') return false;
        // 409: a concurrent conditional write to the same key is in flight; the next attempt sees its result.
        if (httpStatus(error) === 409 && attempt < 5) {
          await sleep(50 * attempt);
          continue;
        }
        throw this.lockError(error);
      }
    }
  }

  private lockError(error: unknown): unknown {
    if (!/object ?lock/i.test((error as Error).message ?? '')) return error;
    return new Error(
      `s3://${this.name} cannot hold locked evidence (${(error as Error).message}); create it with Object Lock enabled`,
      { cause: error },
    );
  }

  /** Writes an object that is not evidence (no lock, may be replaced). */
  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.name,
        Key: key,
        Body: body,
        ContentType: contentType,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
  }

  /** The object's body and user metadata, or undefined when there is no object at the key. */
  async get(key: string) {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.name, Key: key }));
      return { body: response.Body!, metadata: response.Metadata ?? {} };
    } catch (error) {
      if (isMissingObject(error)) return undefined;
      throw error;
    }
  }

  async getBytes(key: string): Promise<Buffer | undefined> {
    const object = await this.get(key);
    return object ? Buffer.from(await object.body.transformToByteArray()) : undefined;
  }

  /** SHA-256 (hex) and size of the object's bytes, hashed as they stream past. */
  async hash(key: string): Promise<{ sha256: string; size: number } | undefined> {
    const object = await this.get(key);
    if (!object) return undefined;
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of object.body as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  }

  async *list(prefix: string): AsyncIterable<{ key: string; lastModified: string }> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.name,
          Prefix: prefix,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key)
          yield { key: object.Key, lastModified: (object.LastModified ?? new Date(0)).toISOString() };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
