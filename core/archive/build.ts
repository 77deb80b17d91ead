import { Readable, type Writable } from 'node:stream';
import { IntegrityError } from '../artifact.ts';
import { canonicalJson } from '../canonical.ts';
import type { Control } from '../model.ts';
import { publicKeyFingerprint, type Signer } from '../signing.ts';
import { type SoaRow, soaCsv } from '../soa.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { batched, isSafeArchivePath, manifestJson, sha256sums, signingInput } from './manifest.ts';
import { oscalAssessmentResults } from './oscal.ts';
import {
  ArchiveInputError,
  compareIds,
  mappedRequirements,
  parsePeriod,
  requirementsFromControls,
} from './period.ts';
import { type ControlPeriodStatus, controlPeriodStatus } from './period-status.ts';
import { readmeText } from './readme.ts';
import { drawSample } from './sample.ts';
import { selectEvidence } from './select.ts';
import { controlsCsv, exceptionsCsv, samplesCsv } from './tables.ts';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  type ArchiveException,
  type DigestObject,
  FILES,
  FRAMEWORKS,
  type Framework,
  type Manifest,
  type Period,
  type Requirement,
  SIGNATURE_ALGORITHM,
} from './types.ts';
import { HashingZipWriter } from './zip-writer.ts';

export interface BuildArchiveInput {
  readonly store: EvidenceStore;
  readonly signer: Signer;
  /** Where the zip goes: a file, an S3 upload stream… It receives the archive as it is made. */
  readonly output: Writable;
  readonly framework: Framework;
  /** First and last day of the audit period, YYYY-MM-DD, both included. */
  readonly from: string;
  readonly to: string;
  /** The internal control catalog; controls mapping to no requirement of the framework are left out. */
  readonly controls: readonly Control[];
  /** check id → collector id, from the collector registry. */
  readonly collectorOfCheck: ReadonlyMap<string, string>;
  /** The framework's requirements with titles (default: the ids the controls map to, without titles). */
  readonly requirements?: readonly Requirement[];
  /** Only these internal controls (default: every control mapped to the framework). */
  readonly onlyControls?: readonly string[];
  /** Only these scopes: a scope key (`123456789012-us-east-1`) or an account/tenant id (default: all). */
  readonly scopes?: readonly string[];
  /** Draw this many evidence items per control with this seed, into samples.csv. */
  readonly sample?: { readonly perControl: number; readonly seed: string };
  /** Statement of Applicability rows, written to soa.csv (ISO 27001). */
  readonly soaRows?: readonly SoaRow[];
  /** The evidence store's signed digests covering the period, archived under digests/. */
  readonly digests?: AsyncIterable<DigestObject> | Iterable<DigestObject>;
  /** Exception records; those in force during the period go to exceptions.csv. */
  readonly exceptions?: readonly ArchiveException[];
  readonly generator: { readonly name: string; readonly version: string };
  /** Deflate entries (smaller, slower); default: stored, as evidence is read once and hashed on the way. */
  readonly compress?: boolean;
  readonly now?: () => Date;
  /** Evidence files opened ahead of the one being written (default READ_AHEAD; 0: each on its turn). */
  readonly readAhead?: number;
  /** The browsable report written as index.html, from what the archive computed (its evidence is linked). */
  readonly report?: (archive: {
    readonly period: Period;
    readonly status: ReadonlyMap<string, ControlPeriodStatus>;
    readonly evidence: ReadonlySet<string>;
  }) => Promise<string>;
  readonly onProgress?: (event: {
    readonly done: number;
    readonly total: number;
    readonly bytes: number;
  }) => void;
}

export interface BuildArchiveResult {
  readonly manifest: Manifest;
  readonly manifestSha256: string;
  readonly fingerprint: string;
  /** Per control, what controls.csv says. */
  readonly status: ReadonlyMap<string, ControlPeriodStatus>;
}

function chooseControls(input: BuildArchiveInput): Control[] {
  if (!FRAMEWORKS.includes(input.framework))
    throw new ArchiveInputError(`unknown framework "${input.framework}"; use ${FRAMEWORKS.join(' or ')}`);
  const mapped = input.controls.filter((c) => mappedRequirements(c, input.framework).length > 0);
  if (!input.onlyControls?.length) return mapped;
  const problems: string[] = [];
  for (const id of input.onlyControls) {
    const control = input.controls.find((c) => c.id === id);
    if (!control) problems.push(`unknown control "${id}"`);
    else if (!mapped.includes(control))
      problems.push(`control ${id} maps to no ${input.framework} requirement`);
  }
  if (problems.length) throw new ArchiveInputError(problems.join('; '));
  return mapped.filter((c) => input.onlyControls!.includes(c.id));
}

function chooseRequirements(input: BuildArchiveInput, controls: readonly Control[]): Requirement[] {
  const derived = requirementsFromControls(controls, input.framework);
  if (!input.requirements) return derived;
  const given = input.requirements.filter((r) => r.framework === input.framework);
  const ids = new Set(given.map((r) => r.id));
  // With --control, only the requirements those controls meet; otherwise the whole framework.
  const wanted = input.onlyControls?.length ? new Set(derived.map((r) => r.id)) : undefined;
  return [...given.filter((r) => !wanted || wanted.has(r.id)), ...derived.filter((r) => !ids.has(r.id))].sort(
    (a, b) => compareIds(a.id, b.id),
  );
}

async function openEvidence(store: EvidenceStore, key: string): Promise<Readable> {
  if (store.openArtifactStream) return store.openArtifactStream(key);
  const { artifact } = await store.getArtifact(key);
  return Readable.from([Buffer.from(canonicalJson(artifact), 'utf8')]);
}

/** Evidence files opened ahead of their turn: enough to hide an object store's latency per request. */
export const READ_AHEAD = 8;

/**
 * Opens the evidence `depth` files ahead of the one being written, so a remote store's round trips overlap
 * the writing. Memory stays bounded: an opened stream holds one buffer until it is read (backpressure).
 */
function readAhead(store: EvidenceStore, keys: readonly string[], depth: number) {
  const opened: Promise<Readable>[] = [];
  let next = 0;
  const open = (key: string) => {
    const stream = openEvidence(store, key).then((readable) => {
      // Until its turn, an error is kept on the stream (`errored`) rather than thrown unheard.
      readable.on('error', () => {});
      return readable;
    });
    stream.catch(() => {});
    return stream;
  };
  const fill = () => {
    while (opened.length < depth && next < keys.length) opened.push(open(keys[next++]!));
  };
  return {
    /** The next file's stream, in `keys` order. */
    async take(): Promise<Readable> {
      const stream = opened.shift() ?? open(keys[next++]!);
      fill();
      const readable = await stream;
      if (readable.errored) throw readable.errored;
      return readable;
    },
    /** Releases what was opened but not written (an export that stopped half-way). */
    close(): void {
      for (const stream of opened.splice(0))
        stream.then(
          (r) => r.destroy(),
          () => {},
        );
    },
  };
}

/**
 * Builds a signed evidence archive for one framework and period, streaming it to `output`. Evidence files are
 * streamed from the store into the zip and hashed on the way (each read once); a file whose bytes no longer
 * match the store's index stops the export with an IntegrityError rather than ship altered evidence.
 * An empty period gives a complete archive that says so.
 */
export async function buildArchive(input: BuildArchiveInput): Promise<BuildArchiveResult> {
  const period = parsePeriod(input.from, input.to);
  const controls = chooseControls(input);
  const requirements = chooseRequirements(input, controls);
  if (requirements.length === 0)
    throw new ArchiveInputError(`no internal control maps to a ${input.framework} requirement`);
  const scopes = [...(input.scopes ?? [])];
  if (input.sample && (!Number.isInteger(input.sample.perControl) || input.sample.perControl < 1))
    throw new ArchiveInputError(`sample size must be a positive integer, got ${input.sample.perControl}`);

  const controlsByRequirement = new Map<string, Control[]>(requirements.map((r) => [r.id, []]));
  for (const control of controls)
    for (const id of mappedRequirements(control, input.framework))
      controlsByRequirement.get(id)?.push(control);

  const { store } = input;
  const selection = await selectEvidence(store, {
    controls,
    framework: input.framework,
    collectorOfCheck: input.collectorOfCheck,
    period,
    scopes,
  });
  for (const { ref } of selection.artifacts)
    if (!isSafeArchivePath(ref.key))
      throw new IntegrityError(`evidence key is not a safe file path: ${ref.key}`);

  const status = new Map<string, ControlPeriodStatus>();
  for (const control of controls) {
    status.set(
      control.id,
      await controlPeriodStatus({
        control,
        period,
        evidence: selection.byControl.get(control.id) ?? [],
        collectors: selection.collectorsOf.get(control.id) ?? new Set(),
        transitions: await store.transitions({ control: control.id, to: period.end }),
        findingsOf: (key) => store.getFindings(key),
      }),
    );
  }

  const createdAt = (input.now?.() ?? new Date()).toISOString();
  const publicKeyPem = await input.signer.publicKeyPem();
  const fingerprint = publicKeyFingerprint(publicKeyPem);
  const writer = new HashingZipWriter(input.output, { mtime: new Date(createdAt), compress: input.compress });
  const evidence = readAhead(
    store,
    selection.artifacts.map(({ ref }) => ref.key),
    input.readAhead ?? READ_AHEAD,
  );
  try {
    let bytes = 0;
    const total = selection.artifacts.length;
    for (const [i, { ref }] of selection.artifacts.entries()) {
      const file = await writer.add(ref.key, () => evidence.take());
      if (file.sha256 !== ref.sha256 || file.size !== ref.size)
        throw new IntegrityError(
          `${ref.key}: the stored file has SHA-256 ${file.sha256} (${file.size} bytes) but the index says ${ref.sha256} (${ref.size} bytes); not exporting altered evidence`,
        );
      bytes += file.size;
      input.onProgress?.({ done: i + 1, total, bytes });
    }

    const digests: { path: string; key: string }[] = [];
    for await (const digest of input.digests ?? []) {
      const path = digest.key.startsWith('digests/') ? digest.key : `digests/${digest.key}`;
      if (!isSafeArchivePath(path))
        throw new IntegrityError(`digest key is not a safe file path: ${digest.key}`);
      await writer.addBytes(path, digest.bytes);
      digests.push({ path, key: digest.key });
    }

    await writer.addBytes(
      FILES.controls,
      controlsCsv(requirements, controlsByRequirement, status, selection.byControl, period.days.length),
    );
    await writer.addBytes(FILES.exceptions, exceptionsCsv(input.exceptions ?? [], period.start, period.end));
    if (input.sample) {
      const { perControl, seed } = input.sample;
      const samples = controls.map((c) => {
        const population = selection.byControl.get(c.id) ?? [];
        return {
          control: c.id,
          population: population.length,
          items: drawSample(c.id, population, perControl, seed),
        };
      });
      await writer.addBytes(FILES.samples, samplesCsv(samples, seed));
    }
    if (input.soaRows?.length) await writer.addBytes(FILES.soa, soaCsv(input.soaRows));
    await writer.add(FILES.oscal, () =>
      batched(
        oscalAssessmentResults({
          framework: input.framework,
          period,
          createdAt,
          generator: input.generator,
          keyFingerprint: fingerprint,
          scope: scopes,
          requirements,
          controlsByRequirement,
          status,
          artifacts: selection.artifacts,
        }),
      ),
    );
    await writer.addBytes(
      FILES.readme,
      readmeText({
        framework: input.framework,
        period,
        scope: scopes,
        controls: controls.length,
        requirements: requirements.length,
        evidenceCount: total,
        evidenceBytes: bytes,
        digests: digests.length,
        createdAt,
        generator: input.generator,
        keyId: input.signer.keyId,
        fingerprint,
        sample: input.sample ?? null,
        hasSoa: !!input.soaRows?.length,
      }),
    );
    await writer.addBytes(FILES.publicKey, publicKeyPem);
    if (input.report)
      await writer.addBytes(
        FILES.report,
        await input.report({ period, status, evidence: new Set(selection.artifacts.map((a) => a.ref.key)) }),
      );

    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      generator: input.generator,
      createdAt,
      framework: input.framework,
      period: {
        from: period.from,
        to: period.to,
        start: period.start,
        end: period.end,
        days: period.days.length,
      },
      scope: scopes,
      controls: controls.map((c) => c.id),
      requirements: requirements.map((r) => r.id),
      signing: { keyId: input.signer.keyId, fingerprint, algorithm: SIGNATURE_ALGORITHM },
      sample: input.sample ?? null,
      evidence: { count: total, bytes, empty: total === 0 },
      files: [...writer.written],
      artifacts: selection.artifacts.map(({ ref, controls: ids, requirements: reqs }) => ({
        path: ref.key,
        sha256: ref.sha256,
        size: ref.size,
        key: ref.key,
        collector: ref.collector,
        source: ref.source,
        scope: ref.scopeKey,
        collectedAt: ref.collectedAt,
        status: ref.status,
        controls: ids,
        requirements: reqs,
      })),
      digests,
    };
    const manifestFile = await writer.add(FILES.manifest, () => manifestJson(manifest));
    const sums = await writer.addBytes(FILES.sums, sha256sums([...manifest.files, manifestFile]));
    const statement = signingInput(manifest, { manifest: manifestFile, sums });
    await writer.addBytes(FILES.signingInput, statement);
    await writer.addBytes(FILES.signature, await input.signer.sign(Buffer.from(statement, 'utf8')));
    await writer.finish();
    return { manifest, manifestSha256: manifestFile.sha256, fingerprint, status };
  } catch (error) {
    evidence.close();
    writer.abort(error as Error);
    throw error;
  }
}
