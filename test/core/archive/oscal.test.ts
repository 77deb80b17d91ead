import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { oscalControlId } from '../../../core/archive/oscal.ts';
import { LocalSigner } from '../../../core/signing.ts';
import { LocalStore } from '../../../core/stores/local-store.ts';
import { archiveToBuffer, unzipToMemory } from '../../support/archive.ts';
import { daysFrom, writeHistory } from '../../support/evidence-history.ts';

const SCHEMA = new URL('../../fixtures/oscal/oscal_assessment-results_schema.json', import.meta.url);

interface Oscal {
  'assessment-results': {
    metadata: { 'oscal-version': string };
    results: {
      observations?: { uuid: string; collected: string; 'relevant-evidence': { href: string }[] }[];
      findings: {
        title: string;
        target: { 'target-id': string; status: { state: string; reason: string } };
        'related-observations'?: { 'observation-uuid': string }[];
      }[];
    }[];
    'back-matter'?: {
      resources: {
        uuid: string;
        rlinks: { href: string; hashes: { algorithm: string; value: string }[] }[];
      }[];
    };
  };
}

describe('OSCAL assessment-results', () => {
  let validate: ValidateFunction;
  let store: LocalStore;
  let signer: LocalSigner;
  beforeAll(async () => {
    const text = await readFile(SCHEMA, 'utf8');
    // The copy under test/fixtures is NIST's published file, unmodified (see its README).
    expect(createHash('sha256').update(text).digest('hex')).toBe(
      '4f9e277a177adbcca9527612ce450a33dc6096773fa229d413d801d196c61985',
    );
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    validate = ajv.compile(JSON.parse(text));
    const dir = await mkdtemp(join(tmpdir(), 'proofline-oscal-'));
    store = await LocalStore.open(dir);
    signer = await LocalSigner.open(dir);
    await writeHistory(store, daysFrom('2026-05-01', 5), (day) =>
      day === '2026-05-02' ? 'fail' : day === '2026-05-04' ? 'error' : 'pass',
    );
    return () => store.close();
  });

  const oscalOf = async (options: Parameters<typeof archiveToBuffer>[2]) => {
    const { zip, manifest } = await archiveToBuffer(store, signer, options);
    const entry = (await unzipToMemory(zip)).find((f) => f.name === 'oscal/assessment-results.json')!;
    return { oscal: JSON.parse(entry.bytes.toString('utf8')) as Oscal, manifest };
  };
  const errors = () => JSON.stringify(validate.errors?.slice(0, 5), null, 1);

  it('validates against NIST’s official v1.2.1 schema: one observation per artifact, one finding per requirement', async () => {
    const { oscal, manifest } = await oscalOf({ from: '2026-05-01', to: '2026-05-05' });
    expect(validate(oscal), errors()).toBe(true);
    const ar = oscal['assessment-results'];
    expect(ar.metadata['oscal-version']).toBe('1.2.1');
    const [result] = ar.results;
    expect(result!.observations).toHaveLength(manifest.artifacts.length);
    expect(result!.findings.map((f) => f.target['target-id'])).toEqual(['cc6.1', 'cc6.6', 'cc7.2']);

    // Each observation's relevant evidence resolves to a back-matter resource with the file's path and SHA-256.
    const resources = new Map(ar['back-matter']!.resources.map((r) => [`#${r.uuid}`, r.rlinks[0]!]));
    result!.observations!.forEach((observation, i) => {
      const artifact = manifest.artifacts[i]!;
      expect(observation.collected).toBe(artifact.collectedAt);
      const link = resources.get(observation['relevant-evidence'][0]!.href)!;
      expect(link.href).toBe(`../${artifact.path}`);
      expect(link.hashes).toEqual([{ algorithm: 'SHA-256', value: artifact.sha256 }]);
    });
    // A failing day and a failed collection: not satisfied, for a failure.
    expect(result!.findings[0]!.target.status).toEqual(
      expect.objectContaining({ state: 'not-satisfied', reason: 'fail' }),
    );
    expect(result!.findings[0]!['related-observations']).toHaveLength(manifest.artifacts.length);
  });

  it('validates for an empty period (no observations) and for ISO 27001 clauses, which are not OSCAL tokens', async () => {
    const empty = await oscalOf({ from: '2020-01-01', to: '2020-01-02' });
    expect(validate(empty.oscal), errors()).toBe(true);
    expect(empty.oscal['assessment-results'].results[0]!.observations).toBeUndefined();
    expect(empty.oscal['assessment-results'].results[0]!.findings[0]!.target.status).toEqual(
      expect.objectContaining({ state: 'not-satisfied', reason: 'other' }),
    );

    const iso = await oscalOf({ from: '2026-05-01', to: '2026-05-05', framework: 'iso27001' });
    expect(validate(iso.oscal), errors()).toBe(true);
    expect(iso.oscal['assessment-results'].results[0]!.findings.map((f) => f.target['target-id'])).toEqual([
      'clause-9.2',
      'a.8.5',
    ]);
  });

  it('marks a requirement satisfied only when its controls passed on every day', async () => {
    const { oscal } = await oscalOf({ from: '2026-05-05', to: '2026-05-05' });
    expect(validate(oscal), errors()).toBe(true);
    expect(oscal['assessment-results'].results[0]!.findings.map((f) => f.target.status.state)).toEqual([
      'satisfied',
      'satisfied',
      'satisfied',
    ]);
  });

  it('the validator rejects a document missing a required field (so the checks above can fail)', async () => {
    const { oscal } = await oscalOf({ from: '2026-05-01', to: '2026-05-05' });
    delete (oscal['assessment-results'].results[0]!.observations![0] as { collected?: string }).collected;
    expect(validate(oscal)).toBe(false);
    expect(validate.errors?.some((e) => e.message?.includes("'collected'"))).toBe(true);
  });

  it('turns requirement ids into OSCAL tokens', () => {
    expect(['CC6.1', 'A.8.5', '9.2', 'PI1.5'].map(oscalControlId)).toEqual([
      'cc6.1',
      'a.8.5',
      'clause-9.2',
      'pi1.5',
    ]);
  });
});
