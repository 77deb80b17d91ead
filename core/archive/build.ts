import { createHash } from 'node:crypto';
import { Readable, type Writable } from 'node:stream';
import { IntegrityError, missingEvidence } from '../artifact.ts';
import { canonicalJson } from '../canonical.ts';
import { type AnyCollector, checkCatalog } from '../collector.ts';
import { compactTimestamp } from '../evidence-key.ts';
import { type EvidenceView, latestPerCollection, storeEvidenceView } from '../evidence-view.ts';
import { archiveFindingRows, findingsCsv } from '../findings-export/rows.ts';
import { MANUAL_EVIDENCE_COLLECTOR, type ManualEvidenceSnapshot } from '../manual-evidence.ts';
import type { ArtifactRef, Control, ControlStatus } from '../model.ts';
import { publicKeyFingerprint, type Signer } from '../signing.ts';
import { type SoaRow, soaCsv } from '../soa.ts';
import { type EvidenceStore, expectedSha256 } from '../stores/store.ts';
import { completenessTable } from './completeness.ts';
import { type FileBatch, fileBatches } from './file-batches.ts';
import { type FailedFinding, judgedFindings } from './findings.ts';
import { judgePeriod, scheduleResolver } from './judge-period.ts';
import { batched, isSafeArchivePath, manifestJson, sha256sums, signingInput } from './manifest.ts';
import { oscalAssessmentResults } from './oscal.ts';
import {
  ArchiveInputError,
  compareIds,
  mappedRequirements,
  parsePeriod,
  requirementsFromControls,
} from './period.ts';
import { type ControlPeriodStatus, type Frequency, RECORD_COLLECTORS } from './period-status.ts';
import { itemPopulations, populationFiles } from './populations.ts';
import { READ_AHEAD } from './read-ahead.ts';
import { readmeText } from './readme.ts';
import { DEFAULT_SAMPLE_SIZES } from './sample.ts';
import { type EvidenceSelection, scopeMatcher, selectEvidence } from './select.ts';
import {
  type CheckInfo,
  checksCsv,
  completenessCsv,
  controlPopulationFiles,
  controlsCsv,
  evidenceFolders,
  exceptionsCsv,
  populationCsv,
  samplesCsv,
} from './tables.ts';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  type ArchiveException,
  archiveFileCount,
  type DigestBatch,
  type DigestEntry,
  type DigestObject,
  digestArchivePath,
  FILES,
  FRAMEWORKS,
  type Framework,
  type Manifest,
  type ManifestArtifact,
  type ManifestFile,
  type ManifestUpload,
  type Period,
  type Requirement,
  readJsonDigest,
  SIGNATURE_ALGORITHM,
} from './types.ts';
import { HashingZipWriter, localHeaderSize, WHOLE_ENTRY_BYTES } from './zip-writer.ts';

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
  /**
   * The collector registry: check titles, severities and procedures for checks.csv, each collector's source
   * and schedule, and the event populations its checks judge. Without it checks.csv names checks only and
   * every collection is expected daily.
   */
  readonly collectors?: readonly AnyCollector[];
  /** Collector id → schedule expression, where the deployment overrides the collector's default. */
  readonly schedules?: ReadonlyMap<string, string>;
  /** The framework's requirements with titles (default: the ids the controls map to, without titles). */
  readonly requirements?: readonly Requirement[];
  /** Only these internal controls (default: every control mapped to the framework). */
  readonly onlyControls?: readonly string[];
  /** Only these scopes: a scope key (`123456789012-us-east-1`) or an account/tenant id (default: all). */
  readonly scopes?: readonly string[];
  /**
   * The sample's seed (default: derived from the archive's creation time and key), and `perControl` items per
   * control instead of the size for each control's frequency.
   */
  readonly sample?: { readonly perControl?: number; readonly seed: string };
  /** Sample sizes by frequency (default DEFAULT_SAMPLE_SIZES). */
  readonly sampleSizes?: Partial<Record<Frequency, number>>;
  /** The Statement of Applicability (ISO 27001), from each control's status at the end of the period. */
  readonly soa?: (statusAtEnd: (control: string) => ControlStatus) => readonly SoaRow[];
  /** The evidence store's signed digests covering the period, archived under digests/. */
  readonly digests?: AsyncIterable<DigestObject | DigestBatch> | Iterable<DigestObject>;
  /** Exception records; those in force during the period go to exceptions.csv. */
  readonly exceptions?: readonly ArchiveException[];
  /** More files from what the archive judged: the ISMS records (core/isms/archive.ts). */
  readonly isms?: (archive: {
    readonly period: Period;
    readonly status: ReadonlyMap<string, ControlPeriodStatus>;
    readonly findings: readonly FailedFinding[];
    /** The archive's clock: the records as they stood at the end of the period, or now when it ends later. */
    readonly now: Date;
  }) => Promise<readonly { readonly path: string; readonly text: string }[]>;
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
  /**
   * The generated governance files (request list, system description, contradictions), from each control's
   * status at the end of the period, the latest evidence of the period and the archive files of each control.
   */
  readonly governanceFiles?: (
    archive: GovernanceFileInput,
  ) => Promise<readonly { path: string; text: string; summary?: string }[]>;
  readonly onProgress?: (event: {
    readonly done: number;
    readonly total: number;
    readonly bytes: number;
  }) => void;
}

export interface GovernanceFileInput {
  readonly controls: readonly Control[];
  readonly statusAtEnd: (control: string) => ControlStatus;
  /** The latest evidence of each collection in the period. */
  readonly evidence: EvidenceView;
  /** The archive files answering a control: its evidence folders, populations and uploads. */
  readonly filesOf: (control: string) => readonly string[];
}

export interface BuildArchiveResult {
  readonly manifest: Manifest;
  readonly manifestSha256: string;
  readonly fingerprint: string;
  /** Per control, what controls.csv says. */
  readonly status: ReadonlyMap<string, ControlPeriodStatus>;
  /** What the generated governance files found, one line each (e.g. the contradictions). */
  readonly governance: readonly string[];
}

/**
 * The period an archive can judge: one that ends after the store's last collection, or in the future, is
 * clipped to the day of the last collection (and today), with the reason; one that starts after it is refused.
 */
export function judgeablePeriod(
  from: string,
  to: string,
  lastCollection: string | undefined,
  now: Date,
): { period: Period; clipped?: string } {
  const asked = parsePeriod(from, to);
  const today = now.toISOString().slice(0, 10);
  const lastDay = lastCollection?.slice(0, 10);
  const limit = lastDay && lastDay < today ? lastDay : today;
  if (asked.to <= limit) return { period: asked };
  const why =
    limit === lastDay && lastDay !== today
      ? `the store's last collection was at ${lastCollection}`
      : `${today} is today (UTC)`;
  if (limit < asked.from)
    throw new ArchiveInputError(
      `the period ${asked.from} to ${asked.to} starts after the evidence ends: ${why}; choose an earlier --from`,
    );
  return {
    period: parsePeriod(from, limit),
    clipped: `--to ${asked.to} is after what can be judged (${why}): the period ends ${limit}`,
  };
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'upload';

/** Where an upload's original file goes: uploads/<control>/<upload time>-<its name>. */
const uploadPath = (control: string, uploadedAt: string, fileName: string) =>
  `uploads/${safeName(control)}/${compactTimestamp(uploadedAt)}-${safeName(fileName)}`;

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

/** A manifest entry for an evidence file, with the controls and requirements it evidences. */
function manifestArtifact({
  ref,
  controls,
  requirements,
}: {
  readonly ref: ArtifactRef;
  readonly controls: readonly string[];
  readonly requirements: readonly string[];
}): ManifestArtifact {
  return {
    path: ref.key,
    sha256: ref.sha256,
    size: ref.size,
    key: ref.key,
    collector: ref.collector,
    source: ref.source,
    scope: ref.scopeKey,
    collectedAt: ref.collectedAt,
    status: ref.status,
    controls,
    requirements,
  };
}

/** Last, the seal: manifest.json, SHA256SUMS, the signing input naming both, and its signature. */
async function seal(writer: HashingZipWriter, manifest: Manifest, signer: Signer): Promise<ManifestFile> {
  const manifestFile = await writer.add(FILES.manifest, () => manifestJson(manifest));
  const sums = await writer.addBytes(FILES.sums, sha256sums([...manifest.files, manifestFile]));
  const statement = signingInput(manifest, { manifest: manifestFile, sums });
  await writer.addBytes(FILES.signingInput, statement);
  await writer.addBytes(FILES.signature, await signer.sign(Buffer.from(statement, 'utf8')));
  await writer.finish();
  return manifestFile;
}

/**
 * The period's evidence, each file checked against the index as it is written; returns the uploads' records
 * and, for the keys in `keep` read whole, their checked bytes (what the governance files read again).
 */
async function writeEvidence(
  writer: HashingZipWriter,
  artifacts: readonly { readonly ref: ArtifactRef }[],
  evidence: EvidenceReader,
  { onProgress, keep }: { onProgress: BuildArchiveInput['onProgress']; keep: ReadonlySet<string> },
): Promise<{ bytes: number; uploadRefs: ArtifactRef[]; kept: Map<string, Uint8Array> }> {
  let bytes = 0;
  const uploadRefs: ArtifactRef[] = [];
  const kept = new Map<string, Uint8Array>();
  for (let done = 0; done < artifacts.length; ) {
    const piece = await evidence.take();
    const refs = artifacts
      .slice(done, done + ('batch' in piece ? piece.batch.files.length : 1))
      .map((a) => a.ref);
    const files = await writePiece(writer, piece, refs);
    for (const [j, { file, bytes: whole }] of files.entries()) {
      const ref = refs[j]!;
      if (file.sha256 !== ref.sha256 || file.size !== ref.size)
        throw new IntegrityError(
          `${ref.key}: the stored file has SHA-256 ${file.sha256} (${file.size} bytes) but the index says ${ref.sha256} (${ref.size} bytes); not exporting altered evidence`,
        );
      if (ref.collector === MANUAL_EVIDENCE_COLLECTOR && ref.status === 'ok') uploadRefs.push(ref);
      // A copy: a view into a batch would keep the whole batch in memory for the governance files.
      if (keep.has(ref.key) && whole) kept.set(ref.key, Buffer.from(whole));
      bytes += file.size;
      onProgress?.({ done: done + j + 1, total: artifacts.length, bytes });
    }
    done += files.length;
  }
  return { bytes, uploadRefs, kept };
}

/** Writes one piece of evidence: each file's record, and its bytes unless it was streamed. */
async function writePiece(
  writer: HashingZipWriter,
  piece: EvidencePiece,
  refs: readonly ArtifactRef[],
): Promise<readonly { file: ManifestFile; bytes?: Uint8Array }[]> {
  if ('batch' in piece)
    return writeBatch(
      writer,
      piece.batch,
      refs.map((r) => r.key),
    );
  const { source } = piece;
  const path = refs[0]!.key;
  if (source instanceof Readable) return [{ file: await writer.add(path, () => source) }];
  return [{ file: await writer.addBytes(path, source), bytes: source }];
}

/**
 * Writes a batch the reading thread laid out, its `j`th file as `paths[j]`, and releases it; returns each file's
 * record and bytes (views into the batch).
 */
async function writeBatch(
  writer: HashingZipWriter,
  batch: FileBatch,
  paths: readonly string[],
): Promise<{ file: ManifestFile; bytes: Buffer }[]> {
  const files = batch.files.map((file, j) => ({
    ...file,
    path: paths[j]!,
    name: Buffer.from(paths[j]!, 'utf8'),
  }));
  const written = await writer.addLaidOut(batch.bytes, files);
  batch.release();
  return written.map((file, j) => {
    const start = files[j]!.at + localHeaderSize(file.path);
    return { file, bytes: batch.bytes.subarray(start, start + file.size) };
  });
}

/** Each uploaded document as it was uploaded, beside the artifact recording it. */
async function writeUploads(
  writer: HashingZipWriter,
  store: EvidenceStore,
  refs: readonly ArtifactRef[],
): Promise<ManifestUpload[]> {
  const uploads: ManifestUpload[] = [];
  for (const ref of refs) {
    const { artifact } = await store.getArtifact(ref.key);
    if (artifact.status !== 'ok') continue;
    const upload = artifact.snapshot as ManualEvidenceSnapshot;
    const content = Buffer.from(upload.contentBase64, 'base64');
    const path = uploadPath(upload.control, ref.collectedAt, upload.fileName);
    const file = await writer.addBytes(path, content);
    if (file.sha256 !== upload.sha256)
      throw new IntegrityError(
        `${ref.key}: the uploaded file's SHA-256 is ${file.sha256}, its record says ${upload.sha256}`,
      );
    uploads.push({
      path,
      sha256: file.sha256,
      size: file.size,
      key: ref.key,
      control: upload.control,
      fileName: upload.fileName,
      mediaType: upload.mediaType,
      uploadedAt: ref.collectedAt,
    });
  }
  return uploads;
}

/** The store's signed digests, byte for byte under digests/, and the artifact entries they list. */
async function writeDigests(
  writer: HashingZipWriter,
  source: AsyncIterable<DigestObject | DigestBatch> | Iterable<DigestObject>,
): Promise<{ digests: { path: string; key: string }[]; digestEntries: DigestEntry[] }> {
  const digests: { path: string; key: string }[] = [];
  const digestEntries: DigestEntry[] = [];
  const written = (key: string, path: string, bytes: Uint8Array) => {
    digests.push({ path, key });
    try {
      digestEntries.push(...readJsonDigest(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    } catch {
      // An unreadable digest is reported by verify; the completeness table goes by the schedule alone.
    }
  };
  for await (const item of source) {
    if ('batch' in item) {
      const paths = item.keys.map(safeDigestPath);
      const files = await writeBatch(writer, item.batch, paths);
      for (const [j, { bytes }] of files.entries()) written(item.keys[j]!, paths[j]!, bytes);
      continue;
    }
    const path = safeDigestPath(item.key);
    await writer.addBytes(path, item.bytes);
    written(item.key, path, item.bytes);
  }
  return { digests, digestEntries };
}

function safeDigestPath(key: string): string {
  const path = digestArchivePath(key);
  if (!isSafeArchivePath(path)) throw new IntegrityError(`digest key is not a safe file path: ${key}`);
  return path;
}

/** The next of the period's evidence to write: one file (whole or as a stream), or a batch of files. */
type EvidencePiece = { readonly source: Uint8Array | Readable } | { readonly batch: FileBatch };

interface EvidenceReader {
  /** The next piece, in the evidence's order. */
  take(): Promise<EvidencePiece>;
  /** Releases what was opened but not written (an export that stopped half-way). */
  close(): void;
}

const readWhole = ({ size }: { size: number }) => size <= WHOLE_ENTRY_BYTES;

/**
 * How the evidence is read: from a store whose files are on this machine, by a worker thread in batches laid
 * out for the zip (unless asked to read each file on its turn); otherwise file by file, read ahead.
 */
function evidenceReader(
  store: EvidenceStore,
  refs: readonly { key: string; size: number }[],
  depth: number,
): EvidenceReader {
  const onDisk = store.artifactFile?.bind(store);
  return onDisk && depth > 0 ? readInBatches(store, refs, onDisk) : readAhead(store, refs, depth);
}

/**
 * Runs of files up to WHOLE_ENTRY_BYTES are read and hashed on a worker thread (fileBatches), so that work
 * runs on another core while this one judges the period; a larger file is streamed on its turn.
 */
function readInBatches(
  store: EvidenceStore,
  refs: readonly { key: string; size: number }[],
  fileOf: (key: string) => string,
): EvidenceReader {
  const files = refs.flatMap((ref, i) =>
    readWhole(ref)
      ? [
          {
            path: fileOf(ref.key),
            headerSize: localHeaderSize(ref.key),
            runStart: i === 0 || !readWhole(refs[i - 1]!),
          },
        ]
      : [],
  );
  const batches = files.length ? fileBatches(files) : undefined;
  let next = 0;
  return {
    async take() {
      const ref = refs[next]!;
      if (!readWhole(ref) || !batches) {
        next++;
        return { source: await openEvidence(store, ref.key) };
      }
      const batch = await batches.next();
      if ('error' in batch) return missingEvidence(ref.key, fileOf(ref.key))(batch.error);
      next += batch.files.length;
      return { batch };
    },
    close() {
      void batches?.close();
    },
  };
}

/**
 * Reads the evidence `depth` files ahead of the one being written, so a remote store's round trips overlap
 * the writing. A file up to WHOLE_ENTRY_BYTES is read whole (added as one buffer; in one read where the store
 * can, not through a stream each); a larger one is left open as a stream holding one buffer until it is read
 * (backpressure), so memory stays bounded either way.
 */
function readAhead(
  store: EvidenceStore,
  refs: readonly { key: string; size: number }[],
  depth: number,
): EvidenceReader {
  const opened: Promise<Uint8Array | Readable>[] = [];
  let next = 0;
  const open = (ref: { key: string; size: number }) => {
    const source =
      readWhole(ref) && store.readArtifactBytes
        ? store.readArtifactBytes(ref.key)
        : openEvidence(store, ref.key).then(async (readable) => {
            if (readWhole(ref)) return Buffer.concat(await readable.toArray());
            // Until its turn, an error is kept on the stream (`errored`) rather than thrown unheard.
            readable.on('error', () => {});
            return readable;
          });
    source.catch(() => {});
    return source;
  };
  const fill = () => {
    while (opened.length < depth && next < refs.length) opened.push(open(refs[next++]!));
  };
  return {
    async take() {
      const source = opened.shift() ?? open(refs[next++]!);
      fill();
      const taken = await source;
      if (taken instanceof Readable && taken.errored) throw taken.errored;
      return { source: taken };
    },
    close() {
      for (const source of opened.splice(0))
        source.then(
          (r) => r instanceof Readable && r.destroy(),
          () => {},
        );
    },
  };
}

/** What the archive covers: the judgeable period, its controls and requirements, the scopes and the evidence. */
interface ArchivePlan {
  readonly now: Date;
  readonly createdAt: string;
  readonly latest: readonly ArtifactRef[];
  /** The latest artifact of each collection (records aside). */
  readonly collections: readonly ArtifactRef[];
  readonly period: Period;
  /** Why the period asked for was clipped, if it was. */
  readonly clipped: string | undefined;
  readonly controls: readonly Control[];
  readonly requirements: readonly Requirement[];
  readonly controlsByRequirement: ReadonlyMap<string, readonly Control[]>;
  readonly scopes: readonly string[];
  readonly perControl: number | undefined;
  readonly selection: EvidenceSelection;
}

/** 1. The plan: the input checked, the period clipped to what can be judged, and the period's evidence chosen. */
async function planArchive(input: BuildArchiveInput): Promise<ArchivePlan> {
  const { store } = input;
  const now = input.now?.() ?? new Date();
  const latest = await store.latestArtifacts();
  const collections = latest.filter((r) => !RECORD_COLLECTORS.includes(r.collector));
  const lastCollection = collections
    .map((r) => r.collectedAt)
    .sort()
    .at(-1);
  const { period, clipped } = judgeablePeriod(input.from, input.to, lastCollection, now);
  const controls = chooseControls(input);
  const requirements = chooseRequirements(input, controls);
  if (requirements.length === 0)
    throw new ArchiveInputError(`no internal control maps to a ${input.framework} requirement`);
  const scopes = [...(input.scopes ?? [])];
  const perControl = input.sample?.perControl;
  if (perControl !== undefined && (!Number.isInteger(perControl) || perControl < 1))
    throw new ArchiveInputError(`sample size must be a positive integer, got ${perControl}`);

  const controlsByRequirement = new Map<string, Control[]>(requirements.map((r) => [r.id, []]));
  for (const control of controls)
    for (const id of mappedRequirements(control, input.framework))
      controlsByRequirement.get(id)?.push(control);

  const selection = await selectEvidence(store, {
    controls,
    framework: input.framework,
    collectorOfCheck: input.collectorOfCheck,
    period,
    scopes,
  });
  for (const { ref } of selection.artifacts) {
    if (!isSafeArchivePath(ref.key))
      throw new IntegrityError(`evidence key is not a safe file path: ${ref.key}`);
    expectedSha256(ref); // the index row must name the content its key names, or nothing is read
  }
  const createdAt = now.toISOString();
  return {
    now,
    createdAt,
    latest,
    collections,
    period,
    clipped,
    controls,
    requirements,
    controlsByRequirement,
    scopes,
    perControl,
    selection,
  };
}

type Judgement = Awaited<ReturnType<typeof judgeArchive>>;

/** 2. Each control judged over the period; its failed findings and the item populations behind it. */
async function judgeArchive(input: BuildArchiveInput, plan: ArchivePlan) {
  const { store } = input;
  const { controls, period, selection } = plan;
  const collectors = input.collectors ?? [];
  const exceptions = input.exceptions ?? [];
  const { status, expectedCollectors, transitions } = await judgePeriod({
    store,
    controls,
    period,
    selection,
    latest: plan.latest,
    collectors,
    collectorOfCheck: input.collectorOfCheck,
    ...(input.schedules ? { schedules: input.schedules } : {}),
    exceptions,
  });
  const checkInfo = new Map<string, CheckInfo>();
  for (const collector of new Map(collectors.map((c) => [c.id, c])).values())
    for (const check of collector.checks)
      checkInfo.set(check.id, { check, collector: collector.id, reads: collector.description });
  const { failed: findings, judged } = await judgedFindings({
    controls,
    artifacts: selection.artifacts,
    findingsOf: (key) => store.getFindings(key),
    severityOf: (check) => checkInfo.get(check)?.check.severity,
    exceptions,
  });
  const items = await itemPopulations({
    store,
    controls,
    period,
    collectors,
    collectorsOf: selection.collectorsOf,
    evidence: selection.byControl,
    judged,
    transitions,
  });
  return { status, expectedCollectors, checkInfo, findings, items, exceptions };
}

/** The signing key, and the sample's seed and sizes (the seed derives from the key unless one is given). */
interface ArchiveKey {
  readonly publicKeyPem: string;
  readonly fingerprint: string;
  readonly seed: string;
  readonly sizes: Readonly<Record<Frequency, number>>;
}

async function archiveKey(input: BuildArchiveInput, createdAt: string): Promise<ArchiveKey> {
  const publicKeyPem = await input.signer.publicKeyPem();
  const fingerprint = publicKeyFingerprint(publicKeyPem);
  const seed =
    input.sample?.seed ??
    createHash('sha256').update(`${createdAt}\n${fingerprint}`).digest('hex').slice(0, 16);
  return { publicKeyPem, fingerprint, seed, sizes: { ...DEFAULT_SAMPLE_SIZES, ...input.sampleSizes } };
}

/** What went in before the tables: the evidence, the uploaded documents and the store's digests. */
interface WrittenEvidence {
  readonly bytes: number;
  readonly uploads: readonly ManifestUpload[];
  readonly digests: readonly { path: string; key: string }[];
  readonly digestEntries: readonly DigestEntry[];
  /** The latest evidence of each collection in the period, as the governance files read it. */
  readonly latest: EvidenceView;
}

/** 3. The evidence (checked against the index as it is written), then the uploads and the store's digests. */
async function writeEvidenceFiles(
  writer: HashingZipWriter,
  input: BuildArchiveInput,
  plan: ArchivePlan,
  evidence: EvidenceReader,
): Promise<WrittenEvidence> {
  const artifacts = plan.selection.artifacts;
  const latest = latestPerCollection(
    artifacts.map((a) => a.ref),
    plan.period.end,
  );
  // The governance files read the latest evidence again: its bytes are kept as they go into the zip.
  const keep = new Set(latest.filter((r) => r.status === 'ok').map((r) => r.key));
  const { onProgress } = input;
  const { bytes, uploadRefs, kept } = await writeEvidence(writer, artifacts, evidence, { onProgress, keep });
  const uploads = await writeUploads(writer, input.store, uploadRefs);
  const { digests, digestEntries } = await writeDigests(writer, input.digests ?? []);
  return { bytes, uploads, digests, digestEntries, latest: storeEvidenceView(input.store, latest, kept) };
}

/** Whether each expected collection happened, against the schedule and the store's digests. */
function archiveCompleteness(
  input: BuildArchiveInput,
  plan: ArchivePlan,
  judgement: Judgement,
  digestEntries: readonly DigestEntry[],
) {
  const { store } = input;
  const { period } = plan;
  const inScope = scopeMatcher(plan.scopes);
  return completenessTable({
    period,
    collectors: [...judgement.expectedCollectors],
    scheduleOf: scheduleResolver(input.collectors ?? [], input.schedules),
    refs: plan.selection.artifacts.map((a) => a.ref),
    latest: plan.collections.filter((r) => inScope(r.scopeKey)),
    collectedBefore: async (collector, scopeKey) =>
      (await store.listArtifacts({ collector, scopeKey, to: period.start })).length > 0,
    digestEntries,
    inScope,
    stored: async (key) => (await store.getArtifactRef(key)) !== undefined,
  });
}

/** 4. The tables: controls, findings, checks, completeness, exceptions, populations and the sample. */
async function writeTables(
  writer: HashingZipWriter,
  input: BuildArchiveInput,
  plan: ArchivePlan,
  judgement: Judgement,
  key: ArchiveKey,
  digestEntries: readonly DigestEntry[],
): Promise<ReadonlyMap<string, readonly string[]>> {
  const { controls, period, selection, perControl } = plan;
  const { status, findings, exceptions } = judgement;
  const completeness = await archiveCompleteness(input, plan, judgement, digestEntries);
  const { sizes, seed } = key;
  const populations = populationFiles({ controls, status, items: judgement.items, sizes, perControl, seed });
  await writer.addBytes(
    FILES.controls,
    controlsCsv(
      plan.requirements,
      plan.controlsByRequirement,
      status,
      selection.byControl,
      findings,
      populations.itemFiles,
    ),
  );
  const checks = checkCatalog(input.collectors ?? []);
  const rows = archiveFindingRows(findings, { controls, framework: input.framework, checks });
  await writer.addBytes(FILES.findings, findingsCsv(rows));
  await writer.addBytes(FILES.checks, checksCsv(controls, input.framework, judgement.checkInfo));
  await writer.addBytes(FILES.completeness, completenessCsv(completeness));
  await writer.addBytes(FILES.exceptions, exceptionsCsv(exceptions, period.start, period.end));
  for (const file of populations.files)
    await writer.addBytes(file.path, populationCsv(file.control, file.rows));
  await writer.addBytes(FILES.samples, samplesCsv(populations.samples, seed));
  return populations.itemFiles;
}

/** 5. The statements about the period: SoA, OSCAL results, the public key and the report. True if an SoA went in. */
async function writeStatements(
  writer: HashingZipWriter,
  input: BuildArchiveInput,
  plan: ArchivePlan,
  { status, findings }: Judgement,
  key: ArchiveKey,
  uploads: readonly ManifestUpload[],
): Promise<boolean> {
  const { period, selection } = plan;
  const soaRows = input.soa?.(statusAtEnd(status));
  if (soaRows?.length) await writer.addBytes(FILES.soa, soaCsv(soaRows));
  for (const file of (await input.isms?.({ period, status, findings, now: plan.now })) ?? [])
    await writer.addBytes(file.path, file.text);
  await writer.add(FILES.oscal, () =>
    batched(
      oscalAssessmentResults({
        framework: input.framework,
        period,
        createdAt: plan.createdAt,
        generator: input.generator,
        keyFingerprint: key.fingerprint,
        scope: plan.scopes,
        requirements: plan.requirements,
        controlsByRequirement: plan.controlsByRequirement,
        status,
        artifacts: selection.artifacts,
        uploads,
      }),
    ),
  );
  await writer.addBytes(FILES.publicKey, key.publicKeyPem);
  if (input.report)
    await writer.addBytes(
      FILES.report,
      await input.report({ period, status, evidence: new Set(selection.artifacts.map((a) => a.ref.key)) }),
    );
  return !!soaRows?.length;
}

const statusAtEnd =
  (status: ReadonlyMap<string, ControlPeriodStatus>) =>
  (id: string): ControlStatus => {
    const end = status.get(id)?.statusAtEnd;
    return !end || end === 'not_evaluated' ? 'no_evidence' : end;
  };

/** 5b. The generated governance files; returns their paths. */
async function writeGovernanceFiles(
  writer: HashingZipWriter,
  input: BuildArchiveInput,
  plan: ArchivePlan,
  { status }: Judgement,
  written: WrittenEvidence,
  itemFiles: ReadonlyMap<string, readonly string[]>,
): Promise<{ paths: string[]; summaries: string[] }> {
  if (!input.governanceFiles) return { paths: [], summaries: [] };
  const { selection } = plan;
  const files = await input.governanceFiles({
    controls: plan.controls,
    statusAtEnd: statusAtEnd(status),
    evidence: written.latest,
    filesOf: (control) => [
      ...evidenceFolders(selection.byControl.get(control) ?? []),
      ...controlPopulationFiles(control, status.get(control), itemFiles),
      ...written.uploads.filter((u) => u.control === control).map((u) => u.path),
    ],
  });
  for (const file of files) await writer.addBytes(file.path, file.text);
  return { paths: files.map((f) => f.path), summaries: files.flatMap((f) => (f.summary ? [f.summary] : [])) };
}

/** 6. README.txt, the last file the manifest lists. */
async function writeReadme(
  writer: HashingZipWriter,
  input: BuildArchiveInput,
  plan: ArchivePlan,
  key: ArchiveKey,
  written: WrittenEvidence,
  hasSoa: boolean,
  governanceFiles: readonly string[],
): Promise<void> {
  await writer.addBytes(
    FILES.readme,
    readmeText({
      framework: input.framework,
      period: plan.period,
      ...(plan.clipped ? { clipped: plan.clipped } : {}),
      scope: plan.scopes,
      controls: plan.controls.length,
      requirements: plan.requirements.length,
      evidenceCount: plan.selection.artifacts.length,
      evidenceBytes: written.bytes,
      uploads: written.uploads.length,
      digests: written.digests.length,
      // This file is the last the manifest lists.
      archiveFiles: archiveFileCount(writer.written.length + 1),
      createdAt: plan.createdAt,
      generator: input.generator,
      keyId: input.signer.keyId,
      fingerprint: key.fingerprint,
      sample: { seed: key.seed, perControl: plan.perControl ?? null },
      hasSoa,
      governanceFiles,
    }),
  );
}

/** 7. The manifest: what the archive holds, every file written so far with its hash. */
function archiveManifest(
  input: BuildArchiveInput,
  plan: ArchivePlan,
  key: ArchiveKey,
  written: WrittenEvidence,
  files: readonly ManifestFile[],
): Manifest {
  const { period, clipped, selection } = plan;
  const total = selection.artifacts.length;
  return {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_FORMAT_VERSION,
    generator: input.generator,
    createdAt: plan.createdAt,
    framework: input.framework,
    period: {
      from: period.from,
      to: period.to,
      start: period.start,
      end: period.end,
      days: period.days.length,
      timeZone: 'UTC',
      ...(clipped ? { requested: { from: input.from, to: input.to }, clipped } : {}),
    },
    scope: plan.scopes,
    controls: plan.controls.map((c) => c.id),
    requirements: plan.requirements.map((r) => r.id),
    signing: { keyId: input.signer.keyId, fingerprint: key.fingerprint, algorithm: SIGNATURE_ALGORITHM },
    sample: { seed: key.seed, perControl: plan.perControl ?? null, sizes: key.sizes },
    evidence: { count: total, bytes: written.bytes, empty: total === 0 },
    files: [...files],
    artifacts: selection.artifacts.map(manifestArtifact),
    uploads: written.uploads,
    digests: written.digests,
  };
}

/**
 * Builds a signed evidence archive for one framework and period, streaming it to `output`. Evidence files are
 * streamed from the store into the zip and hashed on the way (each read once); a file whose bytes no longer
 * match the store's index stops the export with an IntegrityError rather than ship altered evidence.
 * Each control is judged per expected occurrence at its own cadence; what failed, the populations, the
 * completeness of the collections and the uploaded documents go in beside the evidence. An empty period gives
 * a complete archive that says so. In named phases: 1. plan, 2. judge and 3. evidence side by side (the
 * evidence goes into the zip while the controls are judged), 4. tables, 5. statements, 6. README, 7. manifest,
 * then the seal.
 */
export async function buildArchive(input: BuildArchiveInput): Promise<BuildArchiveResult> {
  const plan = await planArchive(input);
  const key = await archiveKey(input, plan.createdAt);
  const writer = new HashingZipWriter(input.output, { mtime: plan.now, compress: input.compress });
  const evidence = evidenceReader(
    input.store,
    plan.selection.artifacts.map(({ ref }) => ref),
    input.readAhead ?? READ_AHEAD,
  );
  try {
    // The evidence goes into the zip while each control is judged: neither needs the other.
    const [judgement, written] = await Promise.all([
      judgeArchive(input, plan),
      writeEvidenceFiles(writer, input, plan, evidence),
    ]);
    const itemFiles = await writeTables(writer, input, plan, judgement, key, written.digestEntries);
    const hasSoa = await writeStatements(writer, input, plan, judgement, key, written.uploads);
    const governance = await writeGovernanceFiles(writer, input, plan, judgement, written, itemFiles);
    await writeReadme(writer, input, plan, key, written, hasSoa, governance.paths);
    const manifest = archiveManifest(input, plan, key, written, writer.written);
    const manifestFile = await seal(writer, manifest, input.signer);
    return {
      manifest,
      manifestSha256: manifestFile.sha256,
      fingerprint: key.fingerprint,
      status: judgement.status,
      governance: governance.summaries,
    };
  } catch (error) {
    evidence.close();
    writer.abort(error as Error);
    throw error;
  }
}
