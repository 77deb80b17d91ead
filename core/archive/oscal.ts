import { EXCEPTION_COLLECTOR } from '../exceptions.ts';
import { MANUAL_EVIDENCE_COLLECTOR } from '../manual-evidence.ts';
import type { Control } from '../model.ts';
import { type ControlPeriodStatus, formatGaps } from './period-status.ts';
import type { SelectedArtifact } from './select.ts';
import { cadenceText } from './tables.ts';
import {
  FRAMEWORK_NAMES,
  type Framework,
  type ManifestUpload,
  type Period,
  type Requirement,
} from './types.ts';
import { uuidV5 } from './uuid.ts';

/** The OSCAL release the output is validated against (NIST's assessment-results JSON Schema). */
export const OSCAL_VERSION = '1.2.1';
/** Namespace of Proofline's own OSCAL properties. */
export const OSCAL_NS = 'urn:proofline:oscal';

export interface OscalInput {
  readonly framework: Framework;
  readonly period: Period;
  readonly createdAt: string;
  readonly generator: { readonly name: string; readonly version: string };
  readonly keyFingerprint: string;
  readonly scope: readonly string[];
  readonly requirements: readonly Requirement[];
  readonly controlsByRequirement: ReadonlyMap<string, readonly Control[]>;
  readonly status: ReadonlyMap<string, ControlPeriodStatus>;
  readonly artifacts: readonly SelectedArtifact[];
  /** Uploaded documents, each beside the artifact recording it. */
  readonly uploads: readonly ManifestUpload[];
}

/** OSCAL ids are tokens (start with a letter): `CC6.1` → `cc6.1`, `A.8.5` → `a.8.5`, clause `9.2` → `clause-9.2`. */
export function oscalControlId(requirementId: string): string {
  const id = requirementId.toLowerCase().replace(/[^\p{L}\p{N}._-]/gu, '-');
  return /^\p{L}/u.test(id) ? id : `clause-${id}`;
}

const prop = (name: string, value: string | number) => ({ name, ns: OSCAL_NS, value: String(value) });
const props = (entries: [string, string | number][]) =>
  entries.filter(([, v]) => String(v).trim() !== '').map(([n, v]) => prop(n, String(v).trim()));
const mediaType = (path: string) =>
  path.endsWith('.json') ? 'application/json' : 'application/octet-stream';

/**
 * How an artifact was obtained, in OSCAL's words: a collected snapshot is a TEST of the configuration; an
 * uploaded document or an exception record is documentation a person provided, EXAMINEd.
 */
function observed(ref: SelectedArtifact['ref'], upload: ManifestUpload | undefined) {
  if (ref.status !== 'ok') return { what: 'failed collection (a gap in evidence)', method: 'TEST' };
  if (ref.collector === MANUAL_EVIDENCE_COLLECTOR)
    return {
      what: `examined documentation: ${upload ? `${upload.fileName} (${upload.mediaType}), uploaded` : 'a document uploaded'} as manual evidence`,
      method: 'EXAMINE',
    };
  if (ref.collector === EXCEPTION_COLLECTOR)
    return {
      what: 'examined documentation: an exception record (owner, approver, reason, expiry)',
      method: 'EXAMINE',
    };
  return { what: 'configuration snapshot', method: 'TEST' };
}
const line = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The names each part of the document refers to the others by. */
interface OscalIds {
  readonly documentName: string;
  readonly observationUuid: readonly string[];
  readonly resourceUuid: readonly string[];
  readonly uploadOf: ReadonlyMap<string, ManifestUpload>;
  /** Requirement id → the observations evidencing it. */
  readonly observationsOf: ReadonlyMap<string, readonly string[]>;
}

function oscalIds(input: OscalInput): OscalIds {
  const { framework, period } = input;
  const observationUuid = input.artifacts.map((a) => uuidV5(`observation:${a.ref.sha256}:${a.ref.key}`));
  const observationsOf = new Map<string, string[]>();
  input.artifacts.forEach((a, i) => {
    for (const r of a.requirements) {
      const list = observationsOf.get(r) ?? [];
      list.push(observationUuid[i]!);
      observationsOf.set(r, list);
    }
  });
  return {
    documentName: `${framework}:${period.from}:${period.to}:${input.createdAt}:${input.keyFingerprint}`,
    observationUuid,
    resourceUuid: input.artifacts.map((a) => uuidV5(`resource:${a.ref.sha256}:${a.ref.key}`)),
    uploadOf: new Map(input.uploads.map((u) => [u.key, u])),
    observationsOf,
  };
}

const uploadUuid = (u: ManifestUpload) => uuidV5(`resource:${u.sha256}:${u.path}`);

/** The document's metadata and the one result's header, each as a JSON object to be continued. */
function documentHead(input: OscalInput, ids: OscalIds): string {
  const { framework, period, requirements } = input;
  const name = FRAMEWORK_NAMES[framework];
  const head = {
    uuid: uuidV5(`assessment-results:${ids.documentName}`),
    metadata: {
      title: `Proofline evidence for ${name}, ${period.from} to ${period.to}`,
      'last-modified': input.createdAt,
      version: input.generator.version,
      'oscal-version': OSCAL_VERSION,
      props: props([
        ['framework', framework],
        ['generator', `${input.generator.name} ${input.generator.version}`],
        ['signing-key-fingerprint', input.keyFingerprint],
      ]),
    },
    'import-ap': {
      href: `urn:proofline:assessment-plan:${framework}`,
      remarks:
        'Proofline assesses continuously from collected evidence; there is no separate OSCAL assessment plan. ' +
        'The period, scope and controls are stated in this result and in manifest.json.',
    },
  };
  const result = {
    uuid: uuidV5(`result:${ids.documentName}`),
    title: `${name}: evidence from ${period.from} to ${period.to}`,
    description:
      `Evidence collected automatically from ${period.from} to ${period.to} (UTC), ${input.artifacts.length} ` +
      `artifacts, ${input.scope.length ? `scope ${input.scope.join(', ')}` : 'every scope in the store'}.`,
    start: period.start,
    end: period.end,
    props: props([
      ['framework', framework],
      ['period-days', period.days.length],
      ['scope', input.scope.join(' ')],
    ]),
    'reviewed-controls': {
      'control-selections': [
        requirements.length
          ? { 'include-controls': requirements.map((r) => ({ 'control-id': oscalControlId(r.id) })) }
          : { 'include-all': {} },
      ],
    },
  };
  return `{"assessment-results":${JSON.stringify(head).slice(0, -1)},"results":[${JSON.stringify(result).slice(0, -1)}`;
}

/** One observation: the artifact, how it was obtained, and the resources holding its bytes. */
function observation(input: OscalInput, ids: OscalIds, i: number) {
  const { ref, controls } = input.artifacts[i]!;
  const upload = ids.uploadOf.get(ref.key);
  const { what, method } = observed(ref, upload);
  return {
    uuid: ids.observationUuid[i],
    title: line(`${ref.collector} ${ref.scopeKey} at ${ref.collectedAt}`),
    description: `${what} by collector ${ref.collector} for scope ${ref.scopeKey}, collected at ${ref.collectedAt}; evidence for ${controls.join(', ')}.`,
    props: props([
      ['collector', ref.collector],
      ['scope', ref.scopeKey],
      ['collection-status', ref.status],
      ['internal-controls', controls.join(' ')],
    ]),
    methods: [method],
    collected: ref.collectedAt,
    'relevant-evidence': [
      {
        href: `#${ids.resourceUuid[i]}`,
        description: `${ref.key} (SHA-256 ${ref.sha256}, ${ref.size} bytes)`,
      },
      ...(upload
        ? [
            {
              href: `#${uploadUuid(upload)}`,
              description: `${upload.path}: the document as uploaded (SHA-256 ${upload.sha256}, ${upload.size} bytes)`,
            },
          ]
        : []),
    ],
  };
}

/** One finding: satisfied only when every control meeting the requirement met every expected occurrence. */
function finding(input: OscalInput, ids: OscalIds, requirement: Requirement) {
  const { period } = input;
  const controls = input.controlsByRequirement.get(requirement.id) ?? [];
  const statuses = controls.map((c) => input.status.get(c.id)!);
  const satisfied = controls.length > 0 && statuses.every((s) => s.expected > 0 && s.met === s.expected);
  const failing = statuses.some((s) => s.failing > 0);
  const summary = controls.length
    ? controls
        .map((c, j) => {
          const s = statuses[j]!;
          return `${c.id} (${c.title}; owner ${c.owner}; judged ${cadenceText(s) || 'with nothing expected'}): ${s.met} of ${s.expected} expected occurrences met (${s.pctMet.toFixed(1)}%), ${s.failing} failing, ${s.excepted} excepted, ${s.missed} missed`;
        })
        .join('; ')
    : 'No internal control meets this requirement.';
  const gaps = statuses.map((s) => formatGaps(s.gaps)).filter(Boolean);
  const related = ids.observationsOf.get(requirement.id) ?? [];
  return {
    uuid: uuidV5(`finding:${ids.documentName}:${requirement.id}`),
    title: line(`${requirement.id}${requirement.title ? ` ${requirement.title}` : ''}`),
    description: `${requirement.id} over ${period.from} to ${period.to}: ${summary}.`,
    props: props([
      ['requirement-id', requirement.id],
      ['internal-controls', controls.map((c) => c.id).join(' ')],
    ]),
    target: {
      type: 'objective-id',
      'target-id': oscalControlId(requirement.id),
      status: {
        state: satisfied ? 'satisfied' : 'not-satisfied',
        reason: satisfied ? 'pass' : failing ? 'fail' : 'other',
        ...(gaps.length ? { remarks: `Collection gaps: ${gaps.join(' | ')}` } : {}),
      },
    },
    ...(related.length ? { 'related-observations': related.map((u) => ({ 'observation-uuid': u })) } : {}),
  };
}

/** A back-matter resource: a file of the archive by its path and SHA-256. */
const resource = (uuid: string, title: string, href: string, mediaType: string, sha256: string) => ({
  uuid,
  title: line(title),
  rlinks: [
    { href: `../${href}`, 'media-type': mediaType, hashes: [{ algorithm: 'SHA-256', value: sha256 }] },
  ],
});

/** Each of `items`, made into an object on its turn, as one JSON array element per chunk. */
function* jsonItems<T>(
  items: readonly T[],
  make: (item: T, i: number) => unknown,
  continues = false,
): Generator<string> {
  for (const [i, item] of items.entries())
    yield `${i || continues ? ',\n' : ''}${JSON.stringify(make(item, i))}`;
}

/** The back matter: the uploaded documents, then the evidence files. */
function* backMatter(input: OscalInput, ids: OscalIds): Generator<string> {
  yield ',"back-matter":{"resources":[\n';
  yield* jsonItems(input.uploads, (u) =>
    resource(uploadUuid(u), `${u.fileName}, uploaded for ${u.control}`, u.path, u.mediaType, u.sha256),
  );
  yield* jsonItems(
    input.artifacts,
    ({ ref }, i) => resource(ids.resourceUuid[i]!, ref.key, ref.key, mediaType(ref.key), ref.sha256),
    input.uploads.length > 0,
  );
  yield '\n]}';
}

/**
 * OSCAL assessment-results for the period, as JSON text in chunks (one array item per chunk, so a large archive
 * never holds the document in memory): one observation per artifact, whose relevant evidence points to a
 * back-matter resource carrying the file's path and SHA-256; one finding per requirement, satisfied only when
 * every internal control meeting it met every occurrence expected of it in the period. Collected snapshots are
 * TEST observations; uploaded documents and exception records are EXAMINEd documentation.
 */
export function* oscalAssessmentResults(input: OscalInput): Generator<string> {
  const ids = oscalIds(input);
  const { artifacts, requirements } = input;
  yield documentHead(input, ids);
  if (artifacts.length) {
    yield ',"observations":[\n';
    yield* jsonItems(artifacts, (_, i) => observation(input, ids, i));
    yield '\n]';
  }
  if (requirements.length) {
    yield ',"findings":[\n';
    yield* jsonItems(requirements, (r) => finding(input, ids, r));
    yield '\n]';
  }
  yield '}]';
  if (artifacts.length) yield* backMatter(input, ids);
  yield '}}\n';
}
