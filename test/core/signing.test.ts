import { execFileSync } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  KmsSigner,
  LocalSigner,
  publicKeyFingerprint,
  publicKeyInfo,
  SigningKeyError,
  verifySignature,
} from '../../core/signing.ts';
import { awsConfig, describeAws } from '../support/aws.ts';
import { createKmsSigningKey } from '../support/stores.ts';

const message = Buffer.from(
  '2026-01-05T11:00:00.000Z\ndigests/dt=2026-01-05/20260105T110000Z-digest.json\nab\nnull',
);

/** The check an auditor runs by hand (docs/storage.md): openssl over the PEM, the DER signature and the input. */
function opensslVerifies(dir: string): boolean {
  try {
    execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      join(dir, 'public-key.pem'),
      '-signature',
      join(dir, 'sig.der'),
      join(dir, 'signing-input.txt'),
    ]);
    return true;
  } catch {
    return false;
  }
}

describe('LocalSigner', () => {
  it('keeps one key pair in the store folder and signs so that openssl verifies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-signer-'));
    const signer = await LocalSigner.open(dir);
    expect((await LocalSigner.open(dir)).keyId).toBe(signer.keyId);
    const signature = await signer.sign(message);
    await writeFile(join(dir, 'public-key.pem'), await signer.publicKeyPem());
    await writeFile(join(dir, 'sig.der'), signature);
    await writeFile(join(dir, 'signing-input.txt'), message);
    expect(opensslVerifies(dir)).toBe(true);
    await writeFile(join(dir, 'signing-input.txt'), Buffer.concat([message, Buffer.from('x')]));
    expect(opensslVerifies(dir)).toBe(false);
  });
});

describeAws('KmsSigner', () => {
  let kms: KMSClient;
  let keyId: string;
  beforeAll(async () => {
    kms = new KMSClient(awsConfig());
    keyId = await createKmsSigningKey(kms);
  });

  it('signs the RAW message with ECDSA_SHA_256: the DER signature verifies offline with node:crypto', async () => {
    const requests: Record<string, unknown>[] = [];
    kms.middlewareStack.add(
      (next) => (args) => {
        requests.push(args.input as Record<string, unknown>);
        return next(args);
      },
      { step: 'initialize', name: 'recordRequests' },
    );
    const signer = await KmsSigner.open(kms, keyId);
    const signature = await signer.sign(message);
    expect(requests.at(-1)).toMatchObject({ MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    expect(signature[0]).toBe(0x30); // a DER SEQUENCE (r, s)

    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    const der = Buffer.from(PublicKey!);
    expect(
      verify('sha256', message, createPublicKey({ key: der, format: 'der', type: 'spki' }), signature),
    ).toBe(true);
    expect(
      verify(
        'sha256',
        Buffer.from('other'),
        createPublicKey({ key: der, format: 'der', type: 'spki' }),
        signature,
      ),
    ).toBe(false);
  });

  it('gives the public key as PEM with its key ARN and the SHA-256 fingerprint of the DER key', async () => {
    const signer = await KmsSigner.open(kms, keyId);
    const info = await publicKeyInfo(signer);
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    expect(info.keyId).toMatch(new RegExp(`^arn:aws:kms:us-east-1:\\d{12}:key/${keyId}$`));
    expect(info.pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(info.fingerprint).toBe(createHash('sha256').update(PublicKey!).digest('hex'));
    expect(publicKeyFingerprint(info.pem)).toBe(info.fingerprint);
    expect(verifySignature(info.pem, message, await signer.sign(message))).toBe(true);

    const dir = await mkdtemp(join(tmpdir(), 'proofline-kms-'));
    await writeFile(join(dir, 'public-key.pem'), info.pem);
    await writeFile(join(dir, 'sig.der'), await signer.sign(message));
    await writeFile(join(dir, 'signing-input.txt'), message);
    expect(opensslVerifies(dir)).toBe(true);
  });

  it('refuses keys that cannot sign with ECDSA P-256, naming the problem', async () => {
    const rsa = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
    await expect(KmsSigner.open(kms, rsa.KeyMetadata!.KeyId!)).rejects.toThrow(/ECC_NIST_P256 key is needed/);
    const symmetric = await kms.send(new CreateKeyCommand({}));
    await expect(KmsSigner.open(kms, symmetric.KeyMetadata!.KeyId!)).rejects.toBeInstanceOf(SigningKeyError);
    await expect(KmsSigner.open(kms, 'alias/does-not-exist')).rejects.toThrow(/alias\/does-not-exist/);
  });

  it('refuses a message larger than KMS signs raw', async () => {
    const signer = await KmsSigner.open(kms, keyId);
    await expect(signer.sign(Buffer.alloc(4097))).rejects.toThrow(/at most 4096 bytes/);
  });
});
