import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

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

export function verifySignature(publicKeyPem: string, message: Uint8Array, signature: Uint8Array): boolean {
  return verify('sha256', message, createPublicKey(publicKeyPem), signature);
}

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
    const privatePath = join(keyDir, 'signing-key.pem');
    const publicPath = join(keyDir, 'public-key.pem');
    try {
      return new LocalSigner(await readFile(privatePath, 'utf8'), await readFile(publicPath, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    await mkdir(keyDir, { recursive: true, mode: 0o700 });
    await writeFile(privatePath, privateKey, { mode: 0o600, flag: 'wx' });
    await writeFile(publicPath, publicKey, { flag: 'wx' });
    await chmod(privatePath, 0o600);
    return new LocalSigner(privateKey, publicKey);
  }

  async publicKeyPem(): Promise<string> {
    return this.publicPem;
  }

  async sign(message: Uint8Array): Promise<Buffer> {
    return sign('sha256', message, this.privateKeyPem);
  }
}
