import type { Check } from '../collector.ts';
import { csvLines as csv } from '../csv.ts';
import type { ArtifactRef, Control } from '../model.ts';
import type { CompletenessRow } from './completeness.ts';
import type { FailedFinding } from './findings.ts';
import { mappedRequirements } from './period.ts';
import { type ControlPeriodStatus, failingLabels, formatGaps, occurrenceName } from './period-status.ts';
import type { PopulationRow } from './populations.ts';
import type { SampledItem } from './sample.ts';
import type { ArchiveException, Framework, Requirement } from './types.ts';

export const CONTROLS_HEADER = [
  'requirement',
  'requirement_title',
  'control',
  'control_title',
  'owner',
  'status_at_period_end',
  'cadence',
  'occurrences_expected',
  'occurrences_met',
  'pct_met',
  'occurrences_failing',
  'occurrences_excepted',
  'occurrences_missed',
  'failing',
  'gaps',
  'checks',
  'findings',
  'population',
  'evidence_files',
  'evidence_folders',
] as const;

/** Each evidence list's folders, made once: controls.csv names a control's on every requirement's row. */
const foldersOf = new WeakMap<readonly ArtifactRef[], readonly string[]>();

/** The folders (collector × scope) an artifact list lives in: compact, and exact for one control's evidence. */
export function evidenceFolders(refs: readonly ArtifactRef[]): readonly string[] {
  let folders = foldersOf.get(refs);
  if (!folders) {
    folders = [...new Set(refs.map((r) => r.key.split('/').slice(0, 4).join('/')))].sort();
    foldersOf.set(refs, folders);
  }
  return folders;
}

/** Where a control's population is listed in the archive. */
export const populationPath = (control: string) => `populations/${control}.csv`;

/** A control's population files: its occurrences (when any were expected), then its item populations. */
export const controlPopulationFiles = (
  control: string,
  s: Pick<ControlPeriodStatus, 'expected'> | undefined,
  itemFiles: ReadonlyMap<string, readonly string[]>,
): string[] => [...(s?.expected ? [populationPath(control)] : []), ...(itemFiles.get(control) ?? [])];

/** The cadences a control was judged against, in words. */
export const cadenceText = (s: ControlPeriodStatus): string =>
  s.feeds.map((f) => `${f.kind}: ${f.cadence}, ${f.expected} expected`).join('; ');

/**
 * controls.csv: requirement → internal control → owner → status over the period, counted per expected
 * occurrence at the control's own cadence → what failed (findings.csv rows), its checks (checks.csv), its
 * populations (occurrences, then items) and evidence. One row per requirement × control; a requirement no control meets has one row
 * saying so.
 */
export function controlsCsv(
  requirements: readonly Requirement[],
  controlsByRequirement: ReadonlyMap<string, readonly Control[]>,
  status: ReadonlyMap<string, ControlPeriodStatus>,
  evidence: ReadonlyMap<string, readonly ArtifactRef[]>,
  findings: readonly FailedFinding[],
  /** Each control's item populations (populations/<kind>/<control>.csv). */
  itemFiles: ReadonlyMap<string, readonly string[]> = new Map(),
): string[] {
  const findingRows = new Map<string, number>();
  for (const f of findings) findingRows.set(f.control, (findingRows.get(f.control) ?? 0) + 1);
  const rows: unknown[][] = [];
  for (const requirement of requirements) {
    const controls = controlsByRequirement.get(requirement.id) ?? [];
    if (controls.length === 0) {
      // Nothing meets it, so nothing evidences it.
      const row = [requirement.id, requirement.title, '', '', '', 'no internal control', '', 0, 0, '0.0'];
      rows.push([...row, 0, 0, 0, '', '', '', 0, '', 0, '']);
    }
    for (const control of controls) {
      const s = status.get(control.id)!;
      const refs = evidence.get(control.id) ?? [];
      rows.push([
        requirement.id,
        requirement.title,
        control.id,
        control.title,
        control.owner,
        s.statusAtEnd,
        cadenceText(s),
        s.expected,
        s.met,
        s.pctMet.toFixed(1),
        s.failing,
        s.excepted,
        s.missed,
        failingLabels(s),
        formatGaps(s.gaps),
        control.checks.join(' '),
        findingRows.get(control.id) ?? 0,
        controlPopulationFiles(control.id, s, itemFiles).join(' '),
        refs.length,
        evidenceFolders(refs).join(' '),
      ]);
    }
  }
  return csv(CONTROLS_HEADER, rows);
}

/** What checks.csv says about one check: its metadata and the collector whose data it reads. */
export interface CheckInfo {
  readonly check: Pick<Check<unknown>, 'id' | 'title' | 'severity' | 'procedure' | 'population'>;
  readonly collector: string;
  readonly reads: string;
}

export const CHECKS_HEADER = [
  'check',
  'title',
  'procedure',
  'reads',
  'collector',
  'severity',
  'control',
  'requirement',
  'rationale',
] as const;

/** The word checks.csv uses for a control's manual evidence. */
const MANUAL = 'manual';

/**
 * checks.csv: each check (and each control's manual evidence) as a test an auditor can read — what it tests,
 * the data it reads, its severity — once per control and requirement it evidences, with the catalog's
 * rationale for that link. A link naming its checks (`by`) limits the rows to those; one without names them all.
 */
export function checksCsv(
  controls: readonly Control[],
  framework: Framework,
  checks: ReadonlyMap<string, CheckInfo>,
): string[] {
  const rows: unknown[][] = [];
  for (const control of controls) {
    const evidencedBy = [...control.checks, ...(control.manualEvidence ? [MANUAL] : [])];
    for (const id of evidencedBy) {
      const info = checks.get(id);
      for (const requirement of mappedRequirements(control, framework)) {
        const link = control.links.find((l) => l.framework === framework && l.requirement === requirement);
        if (link?.by.length && !link.by.includes(id)) continue;
        if (id === MANUAL)
          rows.push([
            MANUAL,
            control.manualEvidence!.description,
            `Inspect the document uploaded for ${control.id} (under uploads/) and confirm it shows: ${control.manualEvidence!.description}; one is expected every ${control.manualEvidence!.everyDays} days.`,
            'a document uploaded by a person',
            'proofline.manual-evidence',
            '',
            control.id,
            requirement,
            link?.rationale ?? '',
          ]);
        else
          rows.push([
            id,
            info?.check.title ?? '',
            info?.check.procedure ?? info?.check.title ?? '',
            info?.reads ?? '',
            info?.collector ?? '',
            info?.check.severity ?? '',
            control.id,
            requirement,
            link?.rationale ?? '',
          ]);
      }
    }
  }
  return csv(CHECKS_HEADER, rows);
}

export const POPULATION_HEADER = [
  'control',
  'feed',
  'item',
  'at',
  'status',
  'detail',
  'attributes',
  'evidence',
] as const;

const attributesText = (o: PopulationRow) =>
  Object.entries(o.attributes ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** Up to this many evidence files are named one by one in a population or sample row. */
const EVIDENCE_LISTED = 3;

/**
 * An occurrence's evidence in a CSV cell: the files themselves when there are few, else one folder pattern per
 * collector and day with the number of files in it (`evidence/source=aws/collector=C/scope=*∕dt=2026-03-04 (120
 * files)`), so a slot over many accounts stays one short line; manifest.json lists every file.
 */
export function evidenceCell(keys: readonly string[]): string {
  if (keys.length <= EVIDENCE_LISTED) return keys.join(' ');
  const folders = new Map<string, number>();
  for (const key of keys) {
    const parts = key.split('/');
    const folder =
      parts.length >= 6
        ? [...parts.slice(0, 3), 'scope=*', parts[4]].join('/')
        : parts.slice(0, -1).join('/');
    folders.set(folder, (folders.get(folder) ?? 0) + 1);
  }
  return [...folders].map(([folder, n]) => `${folder} (${n} file${n === 1 ? '' : 's'})`).join(' ');
}

/**
 * A population file: populations/<control>.csv lists every expected occurrence (collection slot, upload slot,
 * event); populations/<kind>/<control>.csv every item of one kind (resource judged, alert, account change,
 * reviewed account). Each row with its evidence.
 */
export const populationCsv = (control: string, rows: readonly PopulationRow[]): string[] =>
  csv(
    POPULATION_HEADER,
    rows.map((o) => [
      control,
      o.feed,
      o.label,
      o.at,
      o.status,
      o.detail,
      attributesText(o),
      evidenceCell(o.evidence),
    ]),
  );

export const COMPLETENESS_HEADER = [
  'collector',
  'scope',
  'schedule',
  'expected',
  'collected',
  'failed',
  'missing',
  'missing_slots',
  'failed_slots',
  'deleted_from_store',
] as const;

/** completeness.csv: expected collections (collector × scope × schedule slot) against what the store holds. */
export const completenessCsv = (rows: readonly CompletenessRow[]): string[] =>
  csv(
    COMPLETENESS_HEADER,
    rows.map((r) => [
      r.collector,
      r.scope,
      r.schedule,
      r.expected,
      r.collected,
      r.failed,
      r.missing.length,
      r.missing.join(' '),
      r.failedSlots.join(' '),
      r.deleted.join(' '),
    ]),
  );

export const EXCEPTIONS_HEADER = [
  'id',
  'control',
  'resource',
  'owner',
  'approved_by',
  'reason',
  'created_at',
  'expires_at',
  'revoked_at',
  'status_at_period_end',
] as const;

/** exceptions.csv: every exception in force at some time in the period; just the header when there are none. */
export function exceptionsCsv(exceptions: readonly ArchiveException[], start: string, end: string): string[] {
  const rows = exceptions
    .filter((e) => e.createdAt < end && e.expiresAt >= start && (!e.revokedAt || e.revokedAt >= start))
    .sort((a, b) => a.control.localeCompare(b.control) || a.createdAt.localeCompare(b.createdAt))
    .map((e) => [
      e.id,
      e.control,
      e.resource ?? '*',
      e.owner,
      e.approvedBy,
      e.reason,
      e.createdAt,
      e.expiresAt,
      e.revokedAt ?? '',
      e.revokedAt && e.revokedAt < end ? 'revoked' : e.expiresAt < end ? 'expired' : 'active',
    ]);
  return csv(EXCEPTIONS_HEADER, rows);
}

export const SAMPLES_HEADER = [
  'control',
  'frequency',
  'population',
  'population_file',
  'sample_size',
  'seed',
  'draw',
  'item',
  'at',
  'status',
  'detail',
  'evidence',
  'rank',
] as const;

/**
 * samples.csv: per control and population (its occurrences, populations/<control>.csv, and each item
 * population, populations/<kind>/<control>.csv), the items drawn and the file they came from.
 */
export function samplesCsv(
  samples: readonly {
    control: string;
    frequency: string;
    population: number;
    file: string;
    items: readonly SampledItem<PopulationRow>[];
  }[],
  seed: string,
): string[] {
  const rows: unknown[][] = [];
  for (const { control, frequency, population, file, items } of samples) {
    if (items.length === 0)
      rows.push([control, frequency, population, file, 0, seed, '', '', '', '', '', '', '']);
    for (const { draw, rank, item } of items)
      rows.push([
        control,
        frequency,
        population,
        file,
        items.length,
        seed,
        draw,
        occurrenceName(item),
        item.at,
        item.status,
        item.detail,
        evidenceCell(item.evidence),
        rank,
      ]);
  }
  return csv(SAMPLES_HEADER, rows);
}
