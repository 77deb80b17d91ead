import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrityError } from '../../core/artifact.ts';
import { sha256Hex } from '../../core/canonical.ts';
import {
  type ChainVerification,
  type DigestBody,
  digestBodySchema,
  digestKey,
  signingInput,
  verifyChain,
  writeDueDigests,
} from '../../core/digest-chain.ts';
import type { ControlResult } from '../../core/model.ts';
import { publicKeyFingerprint, type Signer, verifySignature } from '../../core/signing.ts';
import type { ChainedStore } from '../../core/stores/open.ts';
import { describeAws } from '../support/aws.ts';
import {
  artifact,
  awsHarness,
  localHarness,
  resignDigest,
  type StoreHarness,
  type StoreInstance,
} from '../support/stores.ts';

// One set of cases, run against both implementations of EvidenceStore + DigestStorage.

const result = (
  control: string,
  status: ControlResult['status'],
  evidence: string[] = [],
): ControlResult => ({
  control,
  status,
  failing: status === 'failing' ? [{ check: 'c', resource: 'r', status: 'fail', reason: 'because' }] : [],
  findingCount: 1,
  resourceCount: 1,
  evidence,
  gaps: [],
});

const problems = (v: ChainVerification) =>
  v.periods.flatMap((p) => p.problems.map((x) => ({ period: p.periodEnd, kind: x.kind, key: x.key })));
const kinds = (v: ChainVerification) => [...new Set(problems(v).map((p) => p.kind))].sort();

const implementations: { harness: StoreHarness; suite: (name: string, body: () => void) => void }[] = [
  { harness: localHarness, suite: (name, body) => describe(name, body) },
  { harness: awsHarness, suite: describeAws },
];

for (const { harness, suite } of implementations) {
  suite(`EvidenceStore contract: ${harness.name}`, () => {
    let instance: StoreInstance;
    let store: ChainedStore;
    let clock: string;
    const opened: ChainedStore[] = [];
    const open = async () => {
      const s = await instance.open(() => new Date(clock));
      opened.push(s);
      return s;
    };
    beforeEach(async () => {
      instance = await harness.create();
      clock = '2026-01-05T10:00:00.000Z';
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    describe('evidence', () => {
      it('stores an artifact under its content-addressed key and reads it back verified', async () => {
        const a = artifact('2026-01-05T09:59:00.000Z', { buckets: [{ name: 'logs' }] });
        const { ref, created } = await store.putArtifact(a);
        expect(created).toBe(true);
        expect(ref.key).toMatch(
          /^evidence\/source=aws\/collector=aws\.s3\.buckets\/scope=111122223333-global\/dt=2026-01-05\/20260105T095900Z-[0-9a-f]{64}\.json$/,
        );
        expect(await store.hashObject(ref.key)).toEqual({ sha256: ref.sha256, size: ref.size });
        expect(await store.getArtifact(ref.key)).toEqual({ artifact: a, ref });
        expect(await store.getArtifactRef(ref.key)).toEqual(ref);
        expect(await store.getArtifactRef(ref.key.replace(/[0-9a-f]{64}/, '0'.repeat(64)))).toBeUndefined();
      });

      it('is idempotent: the same content again adds nothing and keeps the first write time', async () => {
        const first = await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 1 }));
        clock = '2026-01-05T12:00:00.000Z';
        const again = await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 1 }));
        expect(again).toEqual({ ref: first.ref, created: false });
        expect(await store.listArtifacts()).toEqual([first.ref]);
        expect(await store.artifactsWritten('2026-01-05T00:00:00.000Z', '2026-01-06T00:00:00.000Z')).toEqual([
          {
            key: first.ref.key,
            sha256: first.ref.sha256,
            size: first.ref.size,
            writtenAt: '2026-01-05T10:00:00.000Z',
          },
        ]);
      });

      it('records one artifact when two writers put the same content at once', async () => {
        const other = await open();
        const a = artifact('2026-01-05T09:59:00.000Z', { n: 2 });
        const puts = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? store : other).putArtifact(a)));
        expect(puts.filter((p) => p.created)).toHaveLength(1);
        expect(new Set(puts.map((p) => p.ref.key)).size).toBe(1);
        expect(await store.listArtifacts()).toHaveLength(1);
        expect((await store.latestArtifacts()).map((r) => r.key)).toEqual([puts[0]!.ref.key]);
      });

      it('lists by collector, scope and period, oldest first, and finds the latest per collector × scope', async () => {
        const put = (at: string, n: number, opts: Record<string, string> = {}) =>
          store.putArtifact(artifact(at, { n }, opts)).then((r) => r.ref);
        const a1 = await put('2026-01-01T00:00:00.000Z', 1);
        const a2 = await put('2026-01-02T00:00:00.500Z', 2);
        const b1 = await put('2026-01-03T00:00:00.000Z', 3, { scopeId: '444455556666' });
        const c1 = await put('2026-01-02T12:00:00.000Z', 4, {
          collector: 'aws.iam.users',
          region: 'eu-west-1',
        });
        expect(await store.listArtifacts()).toEqual([a1, a2, c1, b1]);
        expect(
          await store.listArtifacts({ from: '2026-01-02T00:00:00.500Z', to: '2026-01-03T00:00:00.000Z' }),
        ).toEqual([a2, c1]);
        expect(
          await store.listArtifacts({ collector: 'aws.s3.buckets', to: '2026-01-02T00:00:00.500Z' }),
        ).toEqual([a1]);
        expect(
          await store.listArtifacts({
            collector: 'aws.s3.buckets',
            scopeKey: '111122223333-global',
            from: '2026-01-01T00:00:00.001Z',
          }),
        ).toEqual([a2]);
        expect(await store.listArtifacts({ scopeKey: '111122223333-eu-west-1' })).toEqual([c1]);
        expect(await store.latestArtifacts()).toEqual([c1, a2, b1]);
        expect(await store.latestArtifacts('aws.s3.buckets')).toEqual([a2, b1]);
        // An older artifact arriving late does not displace the latest.
        await put('2025-12-31T00:00:00.000Z', 0);
        expect(await store.latestArtifacts('aws.s3.buckets')).toEqual([a2, b1]);
      });

      it('refuses an artifact whose stored bytes were altered', async () => {
        const { ref } = await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 3 }));
        await instance.tamper.replaceObject(ref.key, Buffer.from('{"tampered":true}'));
        await expect(store.getArtifact(ref.key)).rejects.toBeInstanceOf(IntegrityError);
      });

      it('reads an artifact against the SHA-256 its key names, not only the index row', async () => {
        const { ref } = await store.putArtifact(artifact('2026-01-05T09:00:00.000Z', { n: 1 }));
        // The file and its index row edited together: they agree, but not with the key.
        const forged = Buffer.from('{"snapshot":"forged"}');
        await instance.tamper.replaceObject(ref.key, forged);
        await instance.tamper.editIndexItem(ref.key, sha256Hex(forged), forged.length);
        await expect(store.getArtifact(ref.key)).rejects.toThrow(
          new IntegrityError(
            `${ref.key}: the index records SHA-256 ${sha256Hex(forged)}, but the key names ${ref.sha256}`,
          ),
        );
      });

      it('stores findings per artifact and replaces them on re-evaluation', async () => {
        const { ref } = await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 4 }));
        expect(await store.getFindings(ref.key)).toBeUndefined();
        const f = { check: 'aws.s3.encryption', resource: 'logs', status: 'fail' as const, reason: 'off' };
        await store.putFindings(ref.key, [f]);
        expect(await store.getFindings(ref.key)).toEqual([f]);
        await store.putFindings(ref.key, []);
        expect(await store.getFindings(ref.key)).toEqual([]);
      });
    });

    describe('control state', () => {
      it('records each transition once, even when the same evaluation is applied twice', async () => {
        const at = '2026-01-05T10:00:00.000Z';
        expect(await store.applyControlResults([result('IAM-01', 'failing')], at)).toHaveLength(1);
        expect(await store.applyControlResults([result('IAM-01', 'failing')], at)).toEqual([]);
        const recovered = await store.applyControlResults(
          [result('IAM-01', 'passing')],
          '2026-01-05T11:00:00.000Z',
        );
        expect(recovered).toMatchObject([{ control: 'IAM-01', from: 'failing', to: 'passing' }]);
        expect(await store.controlStates()).toMatchObject([
          { control: 'IAM-01', status: 'passing', since: '2026-01-05T11:00:00.000Z' },
        ]);
        expect((await store.transitions({ control: 'IAM-01' })).map((t) => t.to)).toEqual([
          'failing',
          'passing',
        ]);
        expect(
          (await store.transitions({ from: '2026-01-05T10:30:00.000Z', to: '2026-01-05T12:00:00.000Z' })).map(
            (t) => t.to,
          ),
        ).toEqual(['passing']);
      });

      it('records each transition exactly once when two evaluations race', async () => {
        const other = await open();
        const controls = Array.from({ length: 30 }, (_, i) => `CTL-${String(i).padStart(2, '0')}`);
        const results = controls.map((c) => result(c, 'failing'));
        const [a, b] = await Promise.all([
          store.applyControlResults(results, '2026-01-05T10:00:00.000Z'),
          other.applyControlResults(results, '2026-01-05T10:00:00.000Z'),
        ]);
        const recorded = (await store.transitions()).map((t) => t.control).sort();
        // Never two transitions for one control (an alert sent twice), on any backend.
        expect(new Set(recorded).size).toBe(recorded.length);
        // Exactly one each, returned to exactly one writer, where the backend isolates racing transactions as
        // SQLite and DynamoDB do; moto applies a transaction's items without a lock and may lose one to the race.
        if (harness.serializesRacingWrites) {
          expect(recorded).toEqual(controls);
          expect([...a, ...b].map((t) => t.control).sort()).toEqual(controls);
        }
        expect((await store.controlStates()).map((s) => s.status)).toEqual(Array(30).fill('failing'));
      });

      it('ignores a result older than the stored state', async () => {
        await store.applyControlResults([result('IAM-01', 'passing')], '2026-01-05T12:00:00.000Z');
        expect(
          await store.applyControlResults([result('IAM-01', 'failing')], '2026-01-05T11:00:00.000Z'),
        ).toEqual([]);
        expect((await store.controlStates())[0]?.status).toBe('passing');
      });

      it('lists open failures: failing controls only, until they recover', async () => {
        await store.applyControlResults(
          [result('A-01', 'failing'), result('B-01', 'passing'), result('C-01', 'failing')],
          '2026-01-05T10:00:00.000Z',
        );
        expect((await store.openFailures()).map((s) => s.control)).toEqual(['A-01', 'C-01']);
        await store.applyControlResults([result('A-01', 'passing')], '2026-01-05T11:00:00.000Z');
        expect(await store.openFailures()).toMatchObject([{ control: 'C-01', status: 'failing' }]);
      });

      it('answers which artifacts stood behind a control in a period', async () => {
        const { ref: early } = await store.putArtifact(artifact('2026-01-05T00:00:00.000Z', { n: 1 }));
        const { ref: late } = await store.putArtifact(artifact('2026-01-06T00:00:00.000Z', { n: 2 }));
        await store.applyControlResults(
          [result('DATA-01', 'passing', [early.key])],
          '2026-01-05T01:00:00.000Z',
        );
        await store.applyControlResults(
          [result('DATA-01', 'passing', [late.key])],
          '2026-01-06T01:00:00.000Z',
        );
        expect(
          await store.controlEvidence('DATA-01', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
        ).toEqual([early.key, late.key]);
        expect(
          await store.controlEvidence('DATA-01', '2026-01-05T00:00:00.000Z', '2026-01-06T00:00:00.000Z'),
        ).toEqual([early.key]);
        expect(
          await store.controlEvidence('DATA-01', '2026-01-07T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
        ).toEqual([]);
      });
    });

    describe('digest chain', () => {
      let signer: Signer;
      let trusted: string[];
      /** Artifacts written at 10:10, 10:50 and 12:05 (collected 11:59: a collection across an hour); digests up to 14:00. */
      const buildChain = async () => {
        const refs = [];
        clock = '2026-01-05T10:10:00.000Z';
        refs.push((await store.putArtifact(artifact('2026-01-05T10:09:00.000Z', { n: 1 }))).ref);
        clock = '2026-01-05T10:50:00.000Z';
        refs.push(
          (await store.putArtifact(artifact('2026-01-05T10:49:00.000Z', { n: 2 }, { scopeId: '2' }))).ref,
        );
        clock = '2026-01-05T12:05:00.000Z';
        refs.push((await store.putArtifact(artifact('2026-01-05T11:59:00.000Z', { n: 3 }))).ref);
        const written = await writeDueDigests(store, signer, { upTo: '2026-01-05T14:00:00.000Z' });
        return { refs, written };
      };
      /** Verifies up to `to`, as if run at `to` plus the grace time (the clock the chain is judged by). */
      const verify = (to = '2026-01-05T14:00:00.000Z') =>
        verifyChain(store, trusted, { to, now: new Date(Date.parse(to) + 900_000) });
      const readBody = async (key: string): Promise<DigestBody> =>
        digestBodySchema.parse(JSON.parse((await store.readDigest(key))!.bytes.toString()));

      beforeEach(async () => {
        signer = await instance.signer();
        trusted = [await signer.publicKeyPem()];
      });

      it('writes one signed digest per hour from the first write, empty periods included, once', async () => {
        const { refs, written } = await buildChain();
        expect(written.map((r) => [r.periodStart, r.periodEnd, r.key])).toEqual([
          [
            '2026-01-05T10:00:00.000Z',
            '2026-01-05T11:00:00.000Z',
            'digests/dt=2026-01-05/20260105T110000Z-digest.json',
          ],
          [
            '2026-01-05T11:00:00.000Z',
            '2026-01-05T12:00:00.000Z',
            'digests/dt=2026-01-05/20260105T120000Z-digest.json',
          ],
          [
            '2026-01-05T12:00:00.000Z',
            '2026-01-05T13:00:00.000Z',
            'digests/dt=2026-01-05/20260105T130000Z-digest.json',
          ],
          [
            '2026-01-05T13:00:00.000Z',
            '2026-01-05T14:00:00.000Z',
            'digests/dt=2026-01-05/20260105T140000Z-digest.json',
          ],
        ]);
        expect(await writeDueDigests(store, signer, { upTo: '2026-01-05T14:00:00.000Z' })).toEqual([]);
        expect(await store.digestRecords()).toEqual(written);

        const [first, second, third] = await Promise.all(written.slice(0, 3).map((r) => readBody(r.key)));
        expect(first!.artifacts).toEqual(
          [refs[0]!, refs[1]!]
            .map((r, i) => ({
              key: r.key,
              sha256: r.sha256,
              size: r.size,
              writtenAt: ['2026-01-05T10:10:00.000Z', '2026-01-05T10:50:00.000Z'][i]!,
            }))
            .sort((a, b) => (a.key < b.key ? -1 : 1)),
        );
        expect(first).toMatchObject({
          previousDigestKey: null,
          previousDigestSha256: null,
          previousDigestSignature: null,
        });
        expect(second!.artifacts).toEqual([]);
        // An artifact is in the digest of the hour it was written, not collected.
        expect(third!.artifacts.map((a) => a.key)).toEqual([refs[2]!.key]);
        expect(second).toMatchObject({
          previousDigestKey: written[0]!.key,
          previousDigestSha256: written[0]!.sha256,
          previousDigestSignature: written[0]!.signature,
          keyFingerprint: publicKeyFingerprint(trusted[0]!),
        });

        // The signature in the object metadata verifies over the CloudTrail-style signing input.
        const stored = (await store.readDigest(written[1]!.key))!;
        expect(sha256Hex(stored.bytes)).toBe(written[1]!.sha256);
        expect(stored.metadata).toMatchObject({
          signature: written[1]!.signature,
          'signature-algorithm': 'SHA256withECDSA',
        });
        const input = signingInput(
          written[1]!.periodEnd,
          written[1]!.key,
          written[1]!.sha256,
          written[0]!.signature,
        );
        expect(
          verifySignature(trusted[0]!, Buffer.from(input), Buffer.from(stored.metadata.signature!, 'hex')),
        ).toBe(true);

        const verification = await verify();
        expect(problems(verification)).toEqual([]);
        expect(verification.periods.map((p) => p.artifacts)).toEqual([2, 0, 1, 0]);
      });

      it('starts a chain on an empty store with an empty digest, and follows a changed period length', async () => {
        const [genesis] = await writeDueDigests(store, signer, { upTo: '2026-01-05T10:20:00.000Z' });
        expect(genesis).toMatchObject({
          periodStart: '2026-01-05T09:00:00.000Z',
          periodEnd: '2026-01-05T10:00:00.000Z',
        });
        const quarter = await writeDueDigests(store, signer, {
          upTo: '2026-01-05T10:31:00.000Z',
          periodSeconds: 900,
        });
        expect(quarter.map((r) => r.periodEnd)).toEqual([
          '2026-01-05T10:15:00.000Z',
          '2026-01-05T10:30:00.000Z',
        ]);
        expect((await verifyChain(store, trusted, { to: '2026-01-05T10:30:00.000Z' })).ok).toBe(true);
      });

      it('gives two concurrent digest writers one chain', async () => {
        await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 1 }));
        const other = await open();
        const [a, b] = await Promise.all([
          writeDueDigests(store, signer, { upTo: '2026-01-05T16:00:00.000Z' }),
          writeDueDigests(other, signer, { upTo: '2026-01-05T16:00:00.000Z' }),
        ]);
        expect(a.map((r) => r.signature)).toEqual(b.map((r) => r.signature).slice(-a.length));
        expect(await store.digestRecords()).toHaveLength(6);
        expect((await verify('2026-01-05T16:00:00.000Z')).ok).toBe(true);
      });

      it('reports digests missing for periods that ended without one', async () => {
        await buildChain();
        const v = await verify('2026-01-05T16:30:00.000Z');
        expect(problems(v)).toEqual([
          {
            period: '2026-01-05T15:00:00.000Z',
            kind: 'digest-missing',
            key: digestKey('2026-01-05T15:00:00.000Z'),
          },
          {
            period: '2026-01-05T16:00:00.000Z',
            kind: 'digest-missing',
            key: digestKey('2026-01-05T16:00:00.000Z'),
          },
        ]);
        expect(v.ok).toBe(false);
      });

      it('catches a removed index item', async () => {
        const { refs } = await buildChain();
        await instance.tamper.removeIndexItem(refs[0]!.key);
        expect(problems(await verify())).toEqual([
          { period: '2026-01-05T11:00:00.000Z', kind: 'artifact-missing', key: refs[0]!.key },
        ]);
      });

      it('catches an artifact replaced after it was digested', async () => {
        const { refs } = await buildChain();
        await instance.tamper.replaceObject(refs[2]!.key, Buffer.from('{"snapshot":"rewritten"}'));
        expect(problems(await verify())).toEqual([
          { period: '2026-01-05T13:00:00.000Z', kind: 'artifact-altered', key: refs[2]!.key },
        ]);
      });

      it('catches an artifact removed from storage', async () => {
        const { refs } = await buildChain();
        await instance.tamper.removeObject(refs[1]!.key);
        expect(problems(await verify())).toEqual([
          { period: '2026-01-05T11:00:00.000Z', kind: 'artifact-missing', key: refs[1]!.key },
        ]);
      });

      it('catches a dropped digest, whether or not its index record went too', async () => {
        const { written } = await buildChain();
        await instance.tamper.removeObject(written[1]!.key);
        expect(problems(await verify())).toEqual([
          { period: written[1]!.periodEnd, kind: 'digest-missing', key: written[1]!.key },
        ]);
        await instance.tamper.removeDigestRecord(written[1]!.periodEnd);
        expect(problems(await verify())).toEqual([
          { period: written[1]!.periodEnd, kind: 'digest-missing', key: written[1]!.key },
        ]);
      });

      it('catches a digest re-signed with another key', async () => {
        const { written } = await buildChain();
        const key = written[1]!.key;
        const forged = await resignDigest(await readBody(key), key, await instance.otherSigner());
        await instance.tamper.replaceObject(key, forged.bytes, forged.metadata);
        const v = await verify();
        expect(
          problems(v)
            .filter((p) => p.period === written[1]!.periodEnd)
            .map((p) => p.kind),
        ).toContain('unknown-key');
        // The same forgery verifies once its key is trusted: the problem is the key, not the format.
        const withOtherKey = await verifyChain(
          store,
          [...trusted, await (await instance.otherSigner()).publicKeyPem()],
          {
            to: '2026-01-05T14:00:00.000Z',
          },
        );
        expect(kinds(withOtherKey)).not.toContain('unknown-key');
        expect(kinds(withOtherKey)).not.toContain('signature-invalid');
      });

      it('catches a signature made with another key that claims the trusted key', async () => {
        const { written } = await buildChain();
        const key = written[2]!.key;
        const forged = await resignDigest(
          await readBody(key),
          key,
          await instance.otherSigner(),
          (b) => b,
          publicKeyFingerprint(trusted[0]!),
        );
        await instance.tamper.replaceObject(key, forged.bytes, forged.metadata);
        expect(problems(await verify())).toContainEqual({
          period: written[2]!.periodEnd,
          kind: 'signature-invalid',
          key,
        });
      });

      it('catches a digest edited after signing', async () => {
        const { refs, written } = await buildChain();
        const key = written[0]!.key;
        const stored = (await store.readDigest(key))!;
        const body = await readBody(key);
        const edited = { ...body, artifacts: body.artifacts.filter((a) => a.key !== refs[0]!.key) };
        await instance.tamper.replaceObject(key, Buffer.from(JSON.stringify(edited)), stored.metadata);
        const v = await verify();
        expect(problems(v)).toEqual(
          expect.arrayContaining([
            { period: written[0]!.periodEnd, kind: 'signature-invalid', key },
            { period: written[0]!.periodEnd, kind: 'artifact-not-in-digest', key: refs[0]!.key },
            { period: written[1]!.periodEnd, kind: 'chain-broken', key: written[1]!.key },
          ]),
        );
      });

      it('catches an artifact indexed into a period after its digest was written', async () => {
        await buildChain();
        clock = '2026-01-05T11:30:00.000Z';
        const { ref } = await store.putArtifact(artifact('2026-01-05T11:29:00.000Z', { slipped: true }));
        expect(problems(await verify())).toEqual([
          { period: '2026-01-05T12:00:00.000Z', kind: 'artifact-not-in-digest', key: ref.key },
        ]);
      });

      it('re-hashes the artifacts no digest covers yet, and reports an altered one', async () => {
        await buildChain();
        clock = '2026-01-05T14:20:00.000Z';
        const { ref } = await store.putArtifact(artifact('2026-01-05T14:19:00.000Z', { n: 4 }));
        const now = new Date('2026-01-05T14:30:00.000Z');
        const fresh = await verifyChain(store, trusted, { now });
        expect(fresh.uncovered).toEqual({
          from: '2026-01-05T14:00:00.000Z',
          to: '2026-01-05T15:30:00.000Z',
          artifacts: 1,
          problems: [],
        });
        expect(fresh.ok).toBe(true);
        await instance.tamper.replaceObject(ref.key, Buffer.from('{"snapshot":"rewritten"}'));
        const altered = await verifyChain(store, trusted, { now });
        expect(altered.uncovered.problems.map((p) => [p.kind, p.key])).toEqual([
          ['artifact-altered', ref.key],
        ]);
        expect(altered.ok).toBe(false);
      });

      it('names a back-dated artifact: collected inside a digested period, written later', async () => {
        await buildChain();
        clock = '2026-01-05T14:20:00.000Z';
        const { ref } = await store.putArtifact(artifact('2026-01-05T10:30:00.000Z', { backDated: true }));
        const before = await verifyChain(store, trusted, { now: new Date('2026-01-05T14:30:00.000Z') });
        expect(before.uncovered.problems.map((p) => [p.kind, p.key])).toEqual([
          ['artifact-back-dated', ref.key],
        ]);
        // Once digested (in the hour it was written), the digest that lists it names it.
        await writeDueDigests(store, signer, {
          upTo: '2026-01-05T15:00:00.000Z',
          now: new Date('2026-01-05T15:05:00.000Z'),
        });
        expect(problems(await verify('2026-01-05T15:00:00.000Z'))).toEqual([
          { period: '2026-01-05T15:00:00.000Z', kind: 'artifact-back-dated', key: ref.key },
        ]);
      });

      it('refuses an index row whose key points outside evidence/, never reading it', async () => {
        await buildChain();
        clock = '2026-01-05T14:20:00.000Z';
        const { ref } = await store.putArtifact(artifact('2026-01-05T14:19:00.000Z', { n: 4 }));
        const outside = 'evidence/../keys/signing-key.pem';
        await instance.tamper.copyIndexItem(ref.key, outside);
        const v = await verifyChain(store, trusted, { now: new Date('2026-01-05T14:30:00.000Z') });
        expect(v.uncovered.problems.map((p) => [p.kind, p.key])).toEqual([['artifact-key-invalid', outside]]);
        await expect(store.getArtifact(outside)).rejects.toThrow(/not an evidence key|no artifact/);
        await expect(store.openArtifactStream!(outside)).rejects.toThrow(IntegrityError);
      });

      it('refuses to seal a period that has not ended', async () => {
        await store.putArtifact(artifact('2026-01-05T10:09:00.000Z', { n: 1 }));
        await expect(
          writeDueDigests(store, signer, {
            upTo: '2026-01-05T11:00:00.000Z',
            now: new Date('2026-01-05T10:59:30.000Z'),
          }),
        ).rejects.toThrow(/cannot seal periods up to 2026-01-05T11:00:00.000Z/);
        expect(await store.digestRecords()).toEqual([]);
      });

      it("starts a range that begins before the chain at the chain's first period, not with missing digests", async () => {
        await buildChain();
        const v = await verifyChain(store, trusted, {
          from: '2026-01-01T00:00:00.000Z',
          to: '2026-01-05T14:00:00.000Z',
          now: new Date('2026-01-05T14:15:00.000Z'),
        });
        expect(problems(v)).toEqual([]);
        expect(v.from).toBe('2026-01-05T10:00:00.000Z');
        expect(v.periods.map((p) => p.periodStart)).toEqual([
          '2026-01-05T10:00:00.000Z',
          '2026-01-05T11:00:00.000Z',
          '2026-01-05T12:00:00.000Z',
          '2026-01-05T13:00:00.000Z',
        ]);
        // A range inside the chain starts where it is asked to.
        const inside = await verifyChain(store, trusted, {
          from: '2026-01-05T12:00:00.000Z',
          to: '2026-01-05T14:00:00.000Z',
          now: new Date('2026-01-05T14:15:00.000Z'),
        });
        expect(inside.ok).toBe(true);
        expect(inside.periods.map((p) => p.periodStart)).toEqual([
          '2026-01-05T12:00:00.000Z',
          '2026-01-05T13:00:00.000Z',
        ]);
      });

      it('lists only the evidence collected from a given day on, for a range check', async () => {
        clock = '2026-01-01T10:00:00.000Z';
        const early = (await store.putArtifact(artifact('2026-01-01T09:59:00.000Z', { n: 1 }))).ref;
        clock = '2026-01-05T10:00:00.000Z';
        const late = (await store.putArtifact(artifact('2026-01-05T09:59:00.000Z', { n: 2 }))).ref;
        const keys = async (range?: { fromDay: string }) => {
          const out: string[] = [];
          for await (const o of store.listEvidenceObjects(range)) out.push(o.key);
          return out.sort();
        };
        expect(await keys()).toEqual([early.key, late.key].sort());
        expect(await keys({ fromDay: '2026-01-04' })).toEqual([late.key]);
        expect(await keys({ fromDay: '2026-01-01' })).toEqual([early.key, late.key].sort());
      });

      it('catches an object put straight into storage, past the index, in a digested period', async () => {
        // Real time here: storage stamps objects with the real clock.
        clock = new Date().toISOString();
        const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
        const upTo = new Date(hour.getTime() + 3_600_000).toISOString();
        await store.putArtifact(artifact(clock, { n: 1 }));
        await writeDueDigests(store, signer, { upTo, now: new Date(Date.parse(upTo) + 60_000) });
        const planted = artifact(clock, { planted: true });
        const key = `evidence/source=aws/collector=aws.s3.buckets/scope=111122223333-global/dt=${clock.slice(0, 10)}/${clock.slice(0, 19).replace(/[-:]/g, '')}Z-${'a'.repeat(64)}.json`;
        await instance.tamper.replaceObject(key, Buffer.from(JSON.stringify(planted)));
        const v = await verifyChain(store, trusted, { to: upTo });
        expect(problems(v)).toEqual([{ period: upTo, kind: 'artifact-not-in-digest', key }]);
      });
    });
  });
}
