import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FILES, type Manifest } from '../../../core/archive/types.ts';
import { verifyArchive } from '../../../core/archive/verify.ts';
import { LocalSigner } from '../../../core/signing.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import {
  archiveToBuffer,
  reseal,
  resignWithKey,
  unzipToMemory,
  type ZipFileEntry,
  zipFromMemory,
} from '../../support/archive.ts';
import { daysFrom, writeHistory } from '../../support/evidence-history.ts';

/**
 * Tampering with a signed archive, at random but reproducibly (fixed seed): every mutation an attacker
 * without the signing key can make must be detected by verify, naming the file concerned. Mutations work on
 * the archive's files in memory and re-zip them, so a thousand runs take seconds.
 */
type Mutation =
  | { kind: 'flip'; file: number; offset: number; mask: number }
  | { kind: 'drop'; file: number }
  | { kind: 'add'; name: string; bytes: Uint8Array }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'edit-manifest'; edit: number; pick: number; resign: boolean }
  | { kind: 'replace-key'; forge: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    file: fc.nat(),
    offset: fc.nat(),
    mask: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant('drop' as const), file: fc.nat() }),
  fc.record({
    kind: fc.constant('add' as const),
    name: fc.oneof(
      fc.stringMatching(/^[a-z]{1,12}\.(json|txt|csv|pem)$/),
      fc.stringMatching(/^evidence\/source=aws\/collector=[a-z.]{1,20}\/[a-z0-9]{1,16}\.json$/),
      fc.stringMatching(/^digests\/[a-z0-9]{1,10}\.json$/),
    ),
    bytes: fc.uint8Array({ maxLength: 200 }),
  }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    kind: fc.constant('edit-manifest' as const),
    edit: fc.nat(),
    pick: fc.nat(),
    resign: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('replace-key' as const), forge: fc.boolean() }),
);

describe('tamper detection', () => {
  let original: ZipFileEntry[];
  let fingerprint: string;
  const attacker = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'proofline-mutations-'));
    const store = await LocalStore.open(dir);
    await writeHistory(store, daysFrom('2026-04-01', 4), (day) => (day === '2026-04-02' ? 'fail' : 'pass'));
    const refs = await store.listArtifacts();
    const digest = { artifacts: refs.map((r) => ({ key: r.key, sha256: r.sha256, size: r.size })) };
    const built = await archiveToBuffer(store, await LocalSigner.open(dir), {
      from: '2026-04-01',
      to: '2026-04-04',
      sample: { perControl: 2, seed: 'm' },
      digests: [{ key: 'digests/2026/04/digest.json', bytes: Buffer.from(JSON.stringify(digest)) }],
    });
    await store.close();
    original = await unzipToMemory(built.zip);
    fingerprint = built.fingerprint;
    // The untouched archive verifies: every detection below is caused by its mutation.
    expect((await verifyArchive(built.zip, { fingerprint })).problems).toEqual([]);
  });

  function apply(m: Mutation): { files: ZipFileEntry[]; touched: string[] } | undefined {
    const files = original.map((f) => ({ name: f.name, bytes: Buffer.from(f.bytes) }));
    const at = (n: number) => files[n % files.length]!;
    switch (m.kind) {
      case 'flip': {
        const f = at(m.file);
        const i = m.offset % f.bytes.length;
        f.bytes[i] = f.bytes[i]! ^ m.mask;
        return { files, touched: f.name === FILES.signingInput ? [f.name, FILES.signature] : [f.name] };
      }
      case 'drop': {
        const [f] = files.splice(m.file % files.length, 1);
        return { files, touched: [f!.name] };
      }
      case 'add': {
        if (files.some((f) => f.name === m.name)) return undefined;
        files.splice(m.name.length % files.length, 0, { name: m.name, bytes: Buffer.from(m.bytes) });
        return { files, touched: [m.name] };
      }
      case 'swap': {
        const a = at(m.a);
        const b = at(m.b);
        if (a.bytes.equals(b.bytes)) return undefined; // not a change
        [a.bytes, b.bytes] = [b.bytes, a.bytes];
        return { files, touched: [a.name, b.name] };
      }
      case 'edit-manifest': {
        const manifest = JSON.parse(at(files.findIndex((f) => f.name === FILES.manifest)).bytes.toString());
        const pick = <T>(list: T[]) => list[m.pick % list.length]!;
        const edits = [
          () =>
            ((pick(manifest.artifacts as Manifest['artifacts'][number][]) as { sha256: string }).sha256 =
              'f'.repeat(64)),
          () => ((pick(manifest.files) as { size: number }).size += 1),
          () => (manifest.period.to = '2026-12-31'),
          () => manifest.files.splice(m.pick % manifest.files.length, 1),
          () => manifest.files.push({ path: 'evidence/extra.json', sha256: '0'.repeat(64), size: 2 }),
          () => ((pick(manifest.artifacts) as { controls: string[] }).controls = []),
          () => (manifest.createdAt = '2027-01-01T00:00:00.000Z'),
          () => (manifest.evidence.count += 1),
        ];
        edits[m.edit % edits.length]!();
        const touched = [FILES.manifest];
        if (!m.resign) {
          const bytes = Buffer.from(`${JSON.stringify(manifest, null, 1)}\n`);
          return { files: files.map((f) => (f.name === FILES.manifest ? { ...f, bytes } : f)), touched };
        }
        // Resealed without the key: the signature no longer matches.
        return { files: reseal(files, manifest), touched: [...touched, FILES.signature] };
      }
      case 'replace-key': {
        const key = Buffer.from(attacker.publicKey);
        if (!m.forge) {
          const f = files.find((x) => x.name === FILES.publicKey)!;
          f.bytes = key;
          return { files, touched: [FILES.publicKey, FILES.signature] };
        }
        // A complete forgery with another key: consistent in itself, caught by the trusted fingerprint.
        return { files: resignWithKey(files, attacker), touched: [FILES.publicKey] };
      }
    }
  }

  it('detects 1,000 random mutations out of 1,000, naming the file tampered with', async () => {
    const seen: Record<string, number> = {};
    let detected = 0;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const mutated = apply(m);
        fc.pre(mutated !== undefined);
        const report = await verifyArchive(await zipFromMemory(mutated!.files), { fingerprint });
        expect(report.ok).toBe(false);
        const named = new Set(report.problems.map((p) => p.file));
        expect(
          mutated!.touched.some((f) => named.has(f)),
          `${JSON.stringify(m)} → ${JSON.stringify(report.problems)}`,
        ).toBe(true);
        seen[m.kind] = (seen[m.kind] ?? 0) + 1;
        detected++;
      }),
      { numRuns: 1000, seed: 20261127, endOnFailure: true },
    );
    expect(detected).toBe(1000);
    for (const kind of ['flip', 'drop', 'add', 'swap', 'edit-manifest', 'replace-key'])
      expect(seen[kind], kind).toBeGreaterThan(100);
  }, 120_000);
});
