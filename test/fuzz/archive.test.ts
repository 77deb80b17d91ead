import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../core/archive/verify.ts';
import { LocalSigner } from '../../core/signing.ts';
import { LocalStore } from '../../core/stores/local-store.ts';
import { archiveToBuffer } from '../support/archive.ts';
import { daysFrom, writeHistory } from '../support/evidence-history.ts';

/**
 * Archive verification on random damage to the zip's bytes (seeded): a byte changed anywhere, bytes cut off
 * or inserted, an entry renamed in its local header, its central record or both. With the trusted
 * fingerprint, every change is rejected except one inside the header fields that are not evidence — entry
 * times and dates, the spec version in "version made by", internal attributes, permission bits — which verification ignores
 * (docs/auditor-guide.md says so); the test also shows that changing those alone still verifies.
 */
type Range = readonly [number, number];

/**
 * The header bits that carry no evidence (APPNOTE 4.3.7 and 4.3.12), as offset → ignorable bits: entry times
 * and dates, the spec version of "version made by", internal attributes, the DOS attributes other than
 * "directory" and the Unix permission bits (never the file type).
 */
function metadataBits(zip: Buffer): Map<number, number> {
  const bits = new Map<number, number>();
  const all = (from: number, to: number) => {
    for (let i = from; i < to; i++) bits.set(i, 0xff);
  };
  for (let i = 0; i + 46 <= zip.length; i++) {
    const signature = zip.readUInt32LE(i);
    if (signature === 0x04034b50) all(i + 10, i + 14); // local: time, date
    if (signature === 0x02014b50) {
      all(i + 4, i + 5); // central: the spec version of "version made by"
      all(i + 12, i + 16); // time, date
      all(i + 36, i + 38); // internal attributes
      bits.set(i + 38, 0xff & ~0x10); // DOS attributes but "directory"
      bits.set(i + 39, 0xff);
      bits.set(i + 40, 0xff); // Unix permissions 0-7
      bits.set(i + 41, 0x0f); // Unix permissions 8-11 (the high nibble is the file type)
    }
  }
  return bits;
}

type Damage =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'rename'; entry: number; char: number; where: 'local' | 'central' | 'both' }
  | { kind: 'crc'; entry: number; value: number }
  | { kind: 'field'; field: HeaderField; entry: number; value: number };

/**
 * Header fields yauzl reads past, each at its offset in a central record or the end record (APPNOTE 4.3.12,
 * 4.3.16): a targeted change, so seeded runs reach them (a byte flip lands there about once in 5,000 runs).
 */
const HEADER_FIELDS = {
  'central disk number start': { record: 'central', offset: 34 },
  'end record disk of the central directory': { record: 'end', offset: 6 },
  'end record entries on this disk': { record: 'end', offset: 8 },
  'end record central directory size': { record: 'end', offset: 12 },
} as const;
type HeaderField = keyof typeof HEADER_FIELDS;
const headerField = fc.constantFrom(...(Object.keys(HEADER_FIELDS) as HeaderField[]));

const damage: fc.Arbitrary<Damage> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      mask: fc.integer({ min: 1, max: 255 }),
    }),
  },
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('crc' as const), entry: fc.nat(), value: fc.nat() }),
  fc.record({
    kind: fc.constant('field' as const),
    field: headerField,
    entry: fc.nat(),
    value: fc.integer({ min: 1, max: 0xffff }),
  }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('rename' as const),
      entry: fc.nat(),
      char: fc.nat(),
      where: fc.constantFrom('local' as const, 'central' as const, 'both' as const),
    }),
  },
);

/** Offsets of each entry's name in the local headers and in the central directory. */
function nameOffsets(zip: Buffer) {
  const local: Range[] = [];
  const central: Range[] = [];
  const crcs: number[] = [];
  const centrals: number[] = [];
  for (let i = 0; i + 46 <= zip.length; i++) {
    const signature = zip.readUInt32LE(i);
    if (signature === 0x04034b50) local.push([i + 30, i + 30 + zip.readUInt16LE(i + 26)]);
    if (signature === 0x02014b50) {
      central.push([i + 46, i + 46 + zip.readUInt16LE(i + 28)]);
      crcs.push(i + 16);
      centrals.push(i);
    }
  }
  return { local, central, crcs, centrals };
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return [...b];
};

/** The damaged copy, and whether the change stayed inside metadata fields. */
function apply(zip: Buffer, d: Damage, metadata: ReadonlyMap<number, number>) {
  const bytes = Buffer.from(zip);
  switch (d.kind) {
    case 'flip': {
      const at = d.at % bytes.length;
      bytes[at] = (bytes[at] as number) ^ d.mask;
      return { bytes, metadataOnly: (d.mask & ~(metadata.get(at) ?? 0)) === 0 };
    }
    case 'crc': {
      // The central record's CRC-32 and the data descriptor's, changed alike: only the bytes can tell.
      const { crcs } = nameOffsets(bytes);
      const at = crcs[d.entry % crcs.length] as number;
      const old = bytes.readUInt32LE(at);
      const value = d.value === old ? old ^ 1 : d.value;
      bytes.writeUInt32LE(value, at);
      const descriptor = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08, ...u32(old)]));
      if (descriptor >= 0) bytes.writeUInt32LE(value, descriptor + 4);
      return { bytes, metadataOnly: false };
    }
    case 'field': {
      const { record, offset } = HEADER_FIELDS[d.field];
      const { centrals } = nameOffsets(bytes);
      const at =
        (record === 'central'
          ? (centrals[d.entry % centrals.length] as number)
          : bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))) + offset;
      // Added to the field's value (never 0 added), so the field always changes.
      bytes.writeUInt16LE((bytes.readUInt16LE(at) + d.value) % 0x10000 || 1, at);
      return { bytes, metadataOnly: false };
    }
    case 'cut':
      return { bytes: bytes.subarray(0, d.at % bytes.length), metadataOnly: false };
    case 'insert': {
      const at = d.at % bytes.length;
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), d.bytes, bytes.subarray(at)]),
        metadataOnly: false,
      };
    }
    case 'rename': {
      const names = nameOffsets(bytes);
      const n = d.entry % names.central.length;
      for (const [where, list] of [
        ['local', names.local],
        ['central', names.central],
      ] as const) {
        if (d.where !== where && d.where !== 'both') continue;
        const [a, b] = list[n] as Range;
        const at = a + (d.char % (b - a));
        // Another printable character, never the same one.
        bytes[at] = 0x21 + (((bytes[at] as number) - 0x21 + 1 + (d.char % 90)) % 94);
      }
      return { bytes, metadataOnly: false };
    }
  }
}

describe('fuzz: archive verification on damaged zip bytes', () => {
  let dir: string;
  let zip: Buffer;
  let fingerprint: string;
  let metadata: Map<number, number>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'proofline-fuzz-archive-'));
    const store = await LocalStore.open(dir);
    await writeHistory(store, daysFrom('2026-04-01', 3), () => 'pass');
    const built = await archiveToBuffer(store, await LocalSigner.open(dir), {
      from: '2026-04-01',
      to: '2026-04-03',
    });
    await store.close();
    zip = built.zip;
    fingerprint = built.fingerprint;
    metadata = metadataBits(zip);
    expect((await verifyArchive(zip, { fingerprint })).outcome).toBe('verified');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('rejects every change outside the header fields that are not evidence', async () => {
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const { bytes, metadataOnly } = apply(zip, d, metadata);
        if (metadataOnly) return;
        const report = await verifyArchive(bytes, { fingerprint });
        const at = d.kind === 'flip' ? d.at % zip.length : -1;
        expect(
          report.outcome,
          `${JSON.stringify(d)} at ${at}: ${zip.subarray(Math.max(0, at - 30), at + 4).toString('hex')}`,
        ).toBe('failed');
        expect(report.problems.length).toBeGreaterThan(0);
        rejected++;
      }),
      { seed: 19, numRuns: Number(process.env.PROOFLINE_FUZZ_ARCHIVE_RUNS ?? 300) },
    );
    if (process.env.PROOFLINE_FUZZ_REPORT)
      console.log(`archive fuzz: ${rejected} damaged archives tried, ${rejected} rejected`);
    expect(rejected).toBeGreaterThan(200);
  }, 120_000);

  it.each(Object.keys(HEADER_FIELDS) as HeaderField[])('rejects a changed %s', async (field) => {
    const { bytes } = apply(zip, { kind: 'field', field, entry: 1, value: 1 }, metadata);
    const report = await verifyArchive(bytes, { fingerprint });
    expect(report.outcome).toBe('failed');
    expect(report.problems.map((p) => p.message).join('; ')).toMatch(/disk|entries|central directory/);
  });

  it('ignores entry times, dates and attributes: an archive differing only there still verifies', async () => {
    const bytes = Buffer.from(zip);
    for (const [at, ignorable] of metadata) bytes[at] = (bytes[at] as number) ^ (0x5a & ignorable);
    expect((await verifyArchive(bytes, { fingerprint })).outcome).toBe('verified');
  });
});
