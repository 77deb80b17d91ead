import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KMSClient } from '@aws-sdk/client-kms';
import { ProoflineError } from './errors.ts';

/**
 * Signs small signing inputs with ECDSA P-256 / SHA-256, DER-encoded, so anyone can verify with
 * `openssl dgst -sha256 -verify public-key.pem -signature file.sig signing-input.txt`.
 */
export interface Signer {
  readonly keyId: string;
  publicKeyPem(): Promise<string>;
  sign(message: Uint8Array): Promise<Buffer>;
}

/** SHA-256 of the DER (SPKI) public key, hex: the key's identity for people and verifiers. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** Verifies a signature; pass a parsed key (`createPublicKey`) when checking many signatures by one key. */
export function verifySignature(
  publicKey: string | KeyObject,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  return verify(
    'sha256',
    message,
    typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey,
    signature,
  );
}

const PRIVATE_KEY_FILE = 'signing-key.pem';
const PUBLIC_KEY_FILE = 'public-key.pem';

/** A key pair kept in the store folder, created on first use; the private key is readable by its owner only. */
export class LocalSigner implements Signer {
  readonly keyId: string;
  private constructor(
    private readonly privateKeyPem: string,
    private readonly publicPem: string,
  ) {
    this.keyId = `local:${publicKeyFingerprint(publicPem).slice(0, 16)}`;
  }

  static async open(dir: string): Promise<LocalSigner> {
    const keyDir = join(dir, 'keys');
    const existing = await LocalSigner.read(keyDir);
    if (existing) return existing;
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    // Written whole in a folder of its own, then renamed into place: of two processes creating the store's
    // key at once, the first rename wins and the other adopts its pair; no reader sees half a key.
    const tmp = join(dir, `keys.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    await mkdir(tmp, { recursive: true, mode: 0o700 });
    await writeFile(join(tmp, PRIVATE_KEY_FILE), privateKey, { mode: 0o600 });
    await writeFile(join(tmp, PUBLIC_KEY_FILE), publicKey);
    await rename(tmp, keyDir).catch(async (error: NodeJS.ErrnoException) => {
      await rm(tmp, { recursive: true, force: true });
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
    const created = await LocalSigner.read(keyDir);
    if (!created)
      throw new SigningKeyError(
        `${keyDir} holds no complete key pair (${PRIVATE_KEY_FILE} and ${PUBLIC_KEY_FILE}): restore both from a backup`,
      );
    return created;
  }

  /** The key pair in `keyDir`, or undefined when either half is missing. */
  private static async read(keyDir: string): Promise<LocalSigner | undefined> {
    try {
      const privatePem = await readFile(join(keyDir, PRIVATE_KEY_FILE), 'utf8');
      return new LocalSigner(privatePem, await readFile(join(keyDir, PUBLIC_KEY_FILE), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return undefined;
    }
  }

  async publicKeyPem(): Promise<string> {
    return this.publicPem;
  }

  async sign(message: Uint8Array): Promise<Buffer> {
    return sign('sha256', message, this.privateKeyPem);
  }
}

/** A signer's public half, as verifiers and people need it. */
export interface PublicKeyInfo {
  readonly keyId: string;
  readonly fingerprint: string;
  readonly pem: string;
}

export async function publicKeyInfo(signer: Signer): Promise<PublicKeyInfo> {
  const pem = await signer.publicKeyPem();
  return { keyId: signer.keyId, fingerprint: publicKeyFingerprint(pem), pem };
}

export class SigningKeyError extends ProoflineError {
  override name = 'SigningKeyError';
}

/** KMS signs a RAW message of at most 4096 bytes; signing inputs are small by design. */
const KMS_RAW_LIMIT = 4096;

/**
 * Signs with an asymmetric KMS key (key spec ECC_NIST_P256, ECDSA_SHA_256). The message goes to KMS as RAW,
 * never as a precomputed DIGEST: KMS then hashes it exactly as `openssl dgst -sha256 -verify` does, and an
 * emulator that re-hashes digests cannot produce signatures that only verify inside itself.
 */
export class KmsSigner implements Signer {
  private constructor(
    private readonly kms: KMSClient,
    /** The key's ARN, as KMS reports it. */
    readonly keyId: string,
    private readonly publicPem: string,
  ) {}

  /** Resolves the key (id, ARN or alias) and checks that it can sign with ECDSA P-256. */
  static async open(kms: KMSClient, keyId: string): Promise<KmsSigner> {
    // Loaded when a KMS key is used: commands signing with a local key never load the KMS client.
    const { DescribeKeyCommand, GetPublicKeyCommand } = await import('@aws-sdk/client-kms');
    const [response, description] = await Promise.all([
      kms.send(new GetPublicKeyCommand({ KeyId: keyId })),
      kms.send(new DescribeKeyCommand({ KeyId: keyId })),
    ]).catch((error: Error) => {
      throw new SigningKeyError(`KMS key ${keyId}: ${error.name}: ${error.message}`, { cause: error });
    });
    if (!response.PublicKey) throw new SigningKeyError(`KMS key ${keyId} returned no public key`);
    if (response.KeyUsage && response.KeyUsage !== 'SIGN_VERIFY') {
      throw new SigningKeyError(
        `KMS key ${keyId} has usage ${response.KeyUsage}; a SIGN_VERIFY key is needed`,
      );
    }
    const publicKey = createPublicKey({ key: Buffer.from(response.PublicKey), format: 'der', type: 'spki' });
    const curve = publicKey.asymmetricKeyDetails?.namedCurve;
    if (publicKey.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
      throw new SigningKeyError(
        `KMS key ${keyId} is ${response.KeySpec ?? publicKey.asymmetricKeyType}${curve ? ` (${curve})` : ''}; an ECC_NIST_P256 key is needed`,
      );
    }
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    // The ARN names the key unambiguously in digests (an alias can be moved to another key).
    return new KmsSigner(kms, description.KeyMetadata?.Arn ?? response.KeyId ?? keyId, pem);
  }

  async publicKeyPem(): Promise<string> {
    return this.publicPem;
  }

  async sign(message: Uint8Array): Promise<Buffer> {
    if (message.length > KMS_RAW_LIMIT) {
      throw new SigningKeyError(`KMS signs at most ${KMS_RAW_LIMIT} bytes raw; got ${message.length}`);
    }
    const { SignCommand } = await import('@aws-sdk/client-kms');
    const { Signature } = await this.kms.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: message,
        MessageType: 'RAW',
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    if (!Signature) throw new SigningKeyError(`KMS key ${this.keyId} returned no signature`);
    return Buffer.from(Signature);
  }
}
