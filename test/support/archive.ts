import { spawnSync } from 'node:child_process';
import { createHash, sign } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { type BuildArchiveInput, buildArchive } from '../../core/archive/build.ts';
import { sha256sums, signingInput } from '../../core/archive/manifest.ts';
import { FILES, type Manifest, type ManifestFile } from '../../core/archive/types.ts';
import { type LocalSigner, publicKeyFingerprint } from '../../core/signing.ts';
import type { EvidenceStore } from '../../core/stores/store.ts';
import { collectorOfCheck, historyControls, widgetsCollector } from './evidence-history.ts';

/** The registry an archive of the widget history reads check titles and schedules from. */
export const historyCollectors = [widgetsCollector(() => 'pass')];

export const GENERATOR = { name: 'proofline', version: '0.0.0-test' };

export interface ZipFileEntry {
  readonly name: string;
  readonly bytes: Buffer;
}

/** Builds an archive of the store's evidence into memory. */
export async function archiveToBuffer(
  store: EvidenceStore,
  signer: LocalSigner,
  options: Partial<BuildArchiveInput> & Pick<BuildArchiveInput, 'from' | 'to'>,
) {
  const chunks: Buffer[] = [];
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const result = await buildArchive({
    store,
    signer,
    output,
    framework: 'soc2',
    controls: historyControls,
    collectorOfCheck,
    collectors: historyCollectors,
    generator: GENERATOR,
    now: () => new Date('2026-11-27T12:00:00.000Z'),
    ...options,
  });
  return { ...result, zip: Buffer.concat(chunks) };
}

export async function archiveToFile(
  path: string,
  store: EvidenceStore,
  signer: LocalSigner,
  options: Partial<BuildArchiveInput> & Pick<BuildArchiveInput, 'from' | 'to'>,
) {
  return buildArchive({
    store,
    signer,
    output: createWriteStream(path),
    framework: 'soc2',
    controls: historyControls,
    collectorOfCheck,
    collectors: historyCollectors,
    generator: GENERATOR,
    now: () => new Date('2026-11-27T12:00:00.000Z'),
    ...options,
  });
}

/** Every file of a zip, in order, read with yauzl. */
export async function unzipToMemory(zip: Buffer): Promise<ZipFileEntry[]> {
  const file = await yauzl.fromBufferPromise(zip);
  const out: ZipFileEntry[] = [];
  for await (const entry of file.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await file.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    out.push({ name: entry.fileName, bytes: Buffer.concat(chunks) });
  }
  return out;
}

/** A zip of the given files, in memory, written with yazl. */
export function zipFromMemory(files: readonly ZipFileEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addBuffer(f.bytes, f.name, { compress: false, mtime: new Date(0) });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Runs an external tool; the tests that use one fail (never skip) when it is missing. */
export function run(command: string, args: readonly string[], cwd: string) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`${command} could not run (${r.error.message}); install it (see .ci/run)`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const fileOf = (name: string, bytes: Buffer): ManifestFile => ({
  path: name,
  sha256: sha256(bytes),
  size: bytes.length,
});

/** Rewrites SHA256SUMS and signing-input.txt after a manifest change, as an attacker would; signs if given a key. */
export function reseal(files: ZipFileEntry[], manifest: Manifest, privateKeyPem?: string): ZipFileEntry[] {
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
  const sums = Buffer.from(sha256sums([...manifest.files, fileOf(FILES.manifest, manifestBytes)]));
  const statement = Buffer.from(
    signingInput(manifest, {
      manifest: fileOf(FILES.manifest, manifestBytes),
      sums: fileOf(FILES.sums, sums),
    }),
  );
  const replaced: Record<string, Buffer> = {
    [FILES.manifest]: manifestBytes,
    [FILES.sums]: sums,
    [FILES.signingInput]: statement,
  };
  if (privateKeyPem) replaced[FILES.signature] = sign('sha256', statement, privateKeyPem);
  return files.map((f) => ({ name: f.name, bytes: replaced[f.name] ?? f.bytes }));
}

/**
 * A complete forgery: the archive's key replaced by another, the manifest and statement rewritten to name it
 * and signed with it; `edit` changes files first (the manifest's entries follow their new bytes).
 */
export function resignWithKey(
  files: readonly ZipFileEntry[],
  key: { readonly publicKey: string; readonly privateKey: string },
  edit: (file: ZipFileEntry) => Buffer = (f) => f.bytes,
): ZipFileEntry[] {
  const publicKey = Buffer.from(key.publicKey);
  const edited = files.map((f) => ({
    name: f.name,
    bytes: f.name === FILES.publicKey ? publicKey : edit(f),
  }));
  const bytesOf = new Map(edited.map((f) => [f.name, f.bytes]));
  const manifest = JSON.parse(bytesOf.get(FILES.manifest)!.toString()) as Manifest;
  const forged = {
    ...manifest,
    signing: { ...manifest.signing, fingerprint: publicKeyFingerprint(key.publicKey) },
    files: manifest.files.map((f) => fileOf(f.path, bytesOf.get(f.path) ?? Buffer.alloc(0))),
    artifacts: manifest.artifacts.map((a) => ({
      ...a,
      ...fileOf(a.path, bytesOf.get(a.path) ?? Buffer.alloc(0)),
    })),
  };
  return reseal(edited, forged, key.privateKey);
}
