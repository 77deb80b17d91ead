import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as z from 'zod';
import { sha256Hex } from '../canonical.ts';
import type { Control } from '../model.ts';
import { ConfigError, issueLine } from '../validate.ts';
import { isoDay, text, unknownControls } from './records.ts';

/** The ISMS data files kept beside the risk register in the governance folder. Both are optional. */
export const CONTEXT_FILE = 'context.yaml';
export const PROGRAMME_FILE = 'audit-programme.yaml';

const issueSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]+-\d+$/, 'must look like EXT-01'),
  kind: z.enum(['external', 'internal']),
  description: text,
});
const partySchema = z.strictObject({ party: text, requirements: z.array(text).min(1) });
const objectiveSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]+-\d+$/, 'must look like OBJ-01'),
  objective: text,
  owner: text,
  /** A control's operating effectiveness (share of the period it passed, percent), or a measure described in words. */
  measure: z.union([z.strictObject({ control: text }), z.strictObject({ description: text })]),
  /** Percent for a control measure; words for a described one. */
  target: z.union([z.number().min(0).max(100), text]),
});
export const contextSchema = z.strictObject({
  issues: z.array(issueSchema).default([]),
  interestedParties: z.array(partySchema).default([]),
  objectives: z.array(objectiveSchema).default([]),
});
export type IsmsContext = z.infer<typeof contextSchema>;
export type Objective = z.infer<typeof objectiveSchema>;

const plannedAuditSchema = z.strictObject({
  id: z.string().regex(/^IA-[A-Za-z0-9-]+$/, 'must look like IA-2026-1'),
  year: z.int().min(2000).max(2100),
  /** The day the audit is due by. */
  due: isoDay,
  title: text,
  /** What it covers: internal controls and/or ISO 27001 clauses and Annex A controls (their controls are in scope). */
  scope: z.strictObject({ controls: z.array(text).default([]), clauses: z.array(text).default([]) }),
  auditor: text,
  independence: text,
});
export const programmeSchema = z.strictObject({ audits: z.array(plannedAuditSchema).default([]) });
export type AuditProgramme = z.infer<typeof programmeSchema>;
export type PlannedAudit = z.infer<typeof plannedAuditSchema>;

/** One ISMS data file as read: its text (kept verbatim as evidence), hash and parsed data. */
export interface IsmsFile<T> {
  readonly name: string;
  readonly sha256: string;
  readonly text: string;
  readonly data: T;
}

/** Validates a data file's content; every problem names the file and the field, in one line. */
export function parseIsmsFile<T>(
  name: string,
  content: string,
  schema: z.ZodType<T>,
  where = name,
): IsmsFile<T> {
  let raw: unknown;
  try {
    raw = parse(content) ?? {};
  } catch (error) {
    throw new ConfigError(`${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new ConfigError(`${where}: ${result.error.issues.map((i) => issueLine(i)).join('; ')}`);
  return { name, sha256: sha256Hex(content), text: content, data: result.data };
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

export interface IsmsFiles {
  readonly context?: IsmsFile<IsmsContext>;
  readonly programme?: IsmsFile<AuditProgramme>;
}

/** Loads context.yaml and audit-programme.yaml from the governance folder; names of controls must exist. */
export async function loadIsmsFiles(dir: string, controls: readonly Control[]): Promise<IsmsFiles> {
  const [contextText, programmeText] = await Promise.all([
    readOptional(join(dir, CONTEXT_FILE)),
    readOptional(join(dir, PROGRAMME_FILE)),
  ]);
  const context =
    contextText === undefined
      ? undefined
      : parseIsmsFile(CONTEXT_FILE, contextText, contextSchema, join(dir, CONTEXT_FILE));
  const programme =
    programmeText === undefined
      ? undefined
      : parseIsmsFile(PROGRAMME_FILE, programmeText, programmeSchema, join(dir, PROGRAMME_FILE));
  const problems = [
    ...(context?.data.objectives ?? []).flatMap((o) =>
      'control' in o.measure
        ? unknownControls([o.measure.control], controls).map((p) => `objective ${o.id}: measure: ${p}`)
        : [],
    ),
    ...(programme?.data.audits ?? []).flatMap((a) =>
      unknownControls(a.scope.controls, controls).map((p) => `audit ${a.id}: scope: ${p}`),
    ),
  ];
  if (problems.length) throw new ConfigError(`${dir}: ${problems.join('; ')}`);
  return { ...(context ? { context } : {}), ...(programme ? { programme } : {}) };
}
