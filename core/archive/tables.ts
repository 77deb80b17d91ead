import { stringify } from 'csv-stringify/sync';
import type { ArtifactRef, Control } from '../model.ts';
import { type ControlPeriodStatus, dayRanges, formatGaps } from './period-status.ts';
import type { SampledItem } from './sample.ts';
import type { ArchiveException, Requirement } from './types.ts';

const csv = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  stringify([header, ...rows], { eof: true, record_delimiter: 'unix' });

export const CONTROLS_HEADER = [
  'requirement',
  'requirement_title',
  'control',
  'control_title',
  'owner',
  'status_at_period_end',
  'days_in_period',
  'days_passing',
  'pct_days_passing',
  'days_failing',
  'days_excepted',
  'days_without_evidence',
  'failing_days',
  'collection_gaps',
  'evidence_files',
  'evidence_folders',
] as const;

/** The folders (collector × scope) an artifact list lives in: compact, and exact for one control's evidence. */
function evidenceFolders(refs: readonly ArtifactRef[]): string {
  const folders = new Set(refs.map((r) => r.key.split('/').slice(0, 4).join('/')));
  return [...folders].sort().join(' ');
}

/**
 * controls.csv: requirement → internal control → owner → status over the period → evidence. One row per
 * requirement × control; a requirement no control meets has one row saying so.
 */
export function controlsCsv(
  requirements: readonly Requirement[],
  controlsByRequirement: ReadonlyMap<string, readonly Control[]>,
  status: ReadonlyMap<string, ControlPeriodStatus>,
  evidence: ReadonlyMap<string, readonly ArtifactRef[]>,
  days: number,
): string {
  const rows: unknown[][] = [];
  for (const requirement of requirements) {
    const controls = controlsByRequirement.get(requirement.id) ?? [];
    if (controls.length === 0) {
      // Nothing meets it, so nothing evidences it: every day counts as a day without evidence.
      rows.push([
        requirement.id,
        requirement.title,
        '',
        '',
        '',
        'no internal control',
        days,
        0,
        '0.0',
        0,
        0,
        days,
        '',
        '',
        0,
        '',
      ]);
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
        days,
        s.passing,
        s.pctPassing.toFixed(1),
        s.failing,
        s.excepted,
        s.withoutEvidence,
        dayRanges(s.failingDays),
        formatGaps(s.gaps),
        refs.length,
        evidenceFolders(refs),
      ]);
    }
  }
  return csv(CONTROLS_HEADER, rows);
}

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
export function exceptionsCsv(exceptions: readonly ArchiveException[], start: string, end: string): string {
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
  'population',
  'sample_size',
  'seed',
  'draw',
  'file',
  'sha256',
  'collector',
  'scope',
  'collected_at',
  'status',
  'rank',
] as const;

/** samples.csv: per control, the items drawn, with the population they were drawn from. */
export function samplesCsv(
  samples: readonly { control: string; population: number; items: readonly SampledItem[] }[],
  seed: string,
): string {
  const rows: unknown[][] = [];
  for (const { control, population, items } of samples) {
    if (items.length === 0) rows.push([control, population, 0, seed, '', '', '', '', '', '', '', '']);
    for (const { draw, rank, ref } of items)
      rows.push([
        control,
        population,
        items.length,
        seed,
        draw,
        ref.key,
        ref.sha256,
        ref.collector,
        ref.scopeKey,
        ref.collectedAt,
        ref.status,
        rank,
      ]);
  }
  return csv(SAMPLES_HEADER, rows);
}

/** soa.csv: the Statement of Applicability rows as given, columns in the first row's order. */
