import * as z from 'zod';
import { canonicalJson } from '../canonical.ts';
import { csvText } from '../csv.ts';
import { type Risk, riskScore, risksByControl } from '../governance.ts';
import type { Control } from '../model.ts';
import type { EvidenceStore } from '../stores/store.ts';
import { appendIsmsRecord, isoTime, loadIsmsRecords, type Stored, text } from './records.ts';

/**
 * A version of a governance data file (risks.yaml, context.yaml, audit-programme.yaml): recorded whenever
 * the file differs from its last recorded version, so the register of any day is the version in force then.
 */
export const versionSchema = z.strictObject({
  kind: z.literal('version'),
  file: text,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  text: z.string(),
  /** The parsed content, as validated when it was recorded. */
  data: z.unknown(),
  recordedBy: text,
  recordedAt: isoTime,
});
export type FileVersion = z.infer<typeof versionSchema>;

export const RISKS_FILE = 'risks.yaml';

export interface VersionInput {
  readonly name: string;
  readonly sha256: string;
  readonly text: string;
  readonly data: unknown;
}

export const loadVersions = (store: EvidenceStore) => loadIsmsRecords(store, 'register', versionSchema);

/** Records each file whose content differs from its last recorded version; returns the files recorded. */
export async function recordVersions(
  store: EvidenceStore,
  files: readonly VersionInput[],
  recordedBy: string,
  now: Date,
): Promise<{ file: string; key: string }[]> {
  const versions = await loadVersions(store);
  const recorded: { file: string; key: string }[] = [];
  for (const file of files) {
    const last = versions.filter((v) => v.record.file === file.name).at(-1);
    if (last?.record.sha256 === file.sha256) continue;
    const { ref } = await appendIsmsRecord(
      store,
      'register',
      (at) => ({
        kind: 'version',
        file: file.name,
        sha256: file.sha256,
        text: file.text,
        data: file.data,
        recordedBy,
        recordedAt: at,
      }),
      now,
    );
    recorded.push({ file: file.name, key: ref.key });
  }
  return recorded;
}

/** The version of a file in force at `asOf` (the last recorded before it), if any. */
export const versionAt = (versions: readonly Stored<FileVersion>[], file: string, asOf: string) =>
  versions.filter((v) => v.record.file === file && v.record.recordedAt < asOf).at(-1);

const riskListSchema = z.looseObject({ risks: z.array(z.unknown()) });
const storedRiskSchema = z.looseObject({
  id: z.string(),
  description: z.string(),
  likelihood: z.number(),
  impact: z.number(),
  treatment: z.enum(['mitigate', 'accept', 'transfer', 'avoid']),
  owner: z.string(),
  controls: z.array(z.string()).default([]),
});

/** The risks of a recorded risks.yaml version (entries out of shape are left out). */
export function risksOf(version: FileVersion | undefined): Risk[] {
  const list = riskListSchema.safeParse(version?.data);
  if (!list.success) return [];
  return list.data.risks.flatMap((r) => {
    const risk = storedRiskSchema.safeParse(r);
    return risk.success ? [risk.data as Risk] : [];
  });
}

export interface RiskChange {
  readonly at: string;
  readonly by: string;
  readonly risk: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** For a change: the fields that differ. */
  readonly fields: readonly string[];
  readonly evidence: string;
}

const FIELDS = ['description', 'likelihood', 'impact', 'treatment', 'owner', 'controls'] as const;

/** Every change to the risk register recorded in [from, to): each version compared with the one before. */
export function riskChanges(
  versions: readonly Stored<FileVersion>[],
  from: string,
  to: string,
): RiskChange[] {
  const risks = versions.filter((v) => v.record.file === RISKS_FILE);
  const changes: RiskChange[] = [];
  risks.forEach((version, i) => {
    const { recordedAt: at, recordedBy: by } = version.record;
    if (at < from || at >= to) return;
    const before = new Map(risksOf(risks[i - 1]?.record).map((r) => [r.id, r]));
    const after = new Map(risksOf(version.record).map((r) => [r.id, r]));
    const base = { at, by, evidence: version.key };
    for (const [id, risk] of after) {
      const old = before.get(id);
      if (!old) changes.push({ ...base, risk: id, change: 'added', fields: [] });
      else {
        const fields = FIELDS.filter((f) => canonicalJson(old[f]) !== canonicalJson(risk[f]));
        if (fields.length) changes.push({ ...base, risk: id, change: 'changed', fields });
      }
    }
    for (const id of before.keys())
      if (!after.has(id)) changes.push({ ...base, risk: id, change: 'removed', fields: [] });
  });
  return changes;
}

/** A control's standing over a period, as the archive or the review judged it. */
export interface ControlStanding {
  readonly status: string;
  /** Share of expected occurrences met in the period, percent (absent when not judged per occurrence). */
  readonly pctMet?: number;
}
export type StandingOf = (control: string) => ControlStanding;

const standingText = (s: ControlStanding) =>
  `${s.status}${s.pctMet === undefined ? '' : ` (${s.pctMet}% met)`}`;

/** risk-register.csv: the register as of a day, each risk with its treating controls and their standing. */
export function riskRegisterCsv(risks: readonly Risk[], standingOf: StandingOf): string {
  return csvText(
    [
      'risk',
      'description',
      'likelihood',
      'impact',
      'score',
      'treatment',
      'owner',
      'treating_controls',
      'control_status',
    ],
    risks.map((r) => [
      r.id,
      r.description,
      r.likelihood,
      r.impact,
      riskScore(r),
      r.treatment,
      r.owner,
      r.controls.join(' '),
      r.controls.map((c) => `${c}: ${standingText(standingOf(c))}`).join('; '),
    ]),
  );
}

/** risk-history.csv: the register's changes in the period, each with who recorded it and when. */
export function riskHistoryCsv(changes: readonly RiskChange[]): string {
  return csvText(
    ['recorded_at', 'recorded_by', 'risk', 'change', 'fields', 'evidence'],
    changes.map((c) => [c.at, c.by, c.risk, c.change, c.fields.join(' '), c.evidence]),
  );
}

/** control-risks.csv: the way back, each control with the risks it treats and its standing. */
export function controlRisksCsv(
  controls: readonly Control[],
  risks: readonly Risk[],
  standingOf: StandingOf,
) {
  const treats = risksByControl(risks);
  return csvText(
    ['control', 'title', 'risks', 'status', 'pct_met'],
    controls.map((c) => {
      const s = standingOf(c.id);
      return [c.id, c.title, (treats.get(c.id) ?? []).map((r) => r.id).join(' '), s.status, s.pctMet ?? ''];
    }),
  );
}
