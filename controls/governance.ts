import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ZodType } from 'zod';
import * as z from 'zod';
import { sha256Hex } from '../core/canonical.ts';
import { ProoflineError } from '../core/errors.ts';
import type { Exclusion, Governance, GovernanceFile, Person, Risk } from '../core/governance.ts';
import type { Control } from '../core/model.ts';
import type { Frameworks } from '../core/requirements.ts';
import { issueLine } from '../core/validate.ts';
import { PACKAGE_ROOT } from './base.ts';

/** The example governance files shipped with Proofline; `--governance <dir>` points at your own. */
export const DEFAULT_GOVERNANCE_DIR = join(PACKAGE_ROOT, 'governance');
export const GOVERNANCE_FILES = ['owners.yaml', 'risks.yaml', 'applicability.yaml'] as const;

export class GovernanceError extends ProoflineError {
  override name = 'GovernanceError';
}

const text = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} must not be empty`);
const score = z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5');

const personSchema = z.strictObject({ name: text('name'), email: z.email('must be an e-mail address') });
const ownersSchema = z.strictObject({
  owners: z.record(
    z.string().regex(/^[a-z][a-z0-9-]*$/, 'a role looks like security-lead'),
    z.array(personSchema).min(1, 'a role needs at least one person'),
  ),
});
const riskSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]+-\d+$/, 'must look like R-01'),
  description: text('description'),
  likelihood: score,
  impact: score,
  treatment: z.enum(['mitigate', 'accept', 'transfer', 'avoid']),
  owner: text('owner'),
  controls: z.array(z.string()).default([]),
});
const justified = z.strictObject({
  control: z.string().regex(/^A\.[5-8]\.\d+$/, 'must be an Annex A control id like A.7.12'),
  justification: text('a justification'),
});
const statementSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]+-\d+$/, 'must look like S-01'),
  statement: text('the statement'),
  dataRegions: z
    .array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region like eu-west-1'))
    .optional(),
});
const applicabilitySchema = z.strictObject({
  exclusions: z.array(z.unknown()).default([]),
  inclusions: z.array(z.unknown()).default([]),
  statements: z.array(statementSchema).default([]),
});
const risksSchema = z.strictObject({ risks: z.array(z.unknown()) });

const issues = (where: string, label: string, error: z.ZodError) =>
  error.issues.map((i) => `${where}: ${label}: ${issueLine(i)}`);

/** Parses each entry of a list on its own, so one bad entry names itself and the others still load. */
function parseEntries<T>(
  where: string,
  list: readonly unknown[],
  schema: ZodType<T>,
  label: (raw: unknown, index: number) => string,
  errors: string[],
): { value: T; label: string }[] {
  const parsed: { value: T; label: string }[] = [];
  list.forEach((raw, index) => {
    const name = label(raw, index);
    const result = schema.safeParse(raw);
    if (result.success) parsed.push({ value: result.data, label: name });
    else errors.push(...issues(where, name, result.error));
  });
  return parsed;
}

async function readYaml(dir: string, name: string): Promise<{ file: GovernanceFile; data: unknown }> {
  const path = join(dir, name);
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    throw new GovernanceError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return { file: { name, sha256: sha256Hex(content), text: content }, data: parse(content) ?? {} };
  } catch (error) {
    throw new GovernanceError(`${path}: not valid YAML: ${(error as Error).message}`);
  }
}

const idOf = (prefix: string, key: string) => (raw: unknown, index: number) => {
  const id = (raw as Record<string, unknown> | null)?.[key];
  return typeof id === 'string' ? `${prefix} ${id}` : `${prefix} #${index + 1}`;
};

/**
 * Loads the governance files a person edits (owners, risk register, applicability) from a folder and checks
 * them against the catalog: a risk's controls must exist and its owner must be a role in owners.yaml; an
 * exclusion must name an Annex A control and say why. Every error names the file, the entry and the field.
 */
export async function loadGovernance(
  dir: string,
  catalog: { readonly controls: readonly Control[]; readonly frameworks: Frameworks },
): Promise<Governance> {
  // Read in parallel, but report the first failure in file order, so the error never depends on timing.
  const reads = await Promise.allSettled(GOVERNANCE_FILES.map((f) => readYaml(dir, f)));
  const failed = reads.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [owners, risks, applicability] = reads.map(
    (r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof readYaml>>>).value,
  );
  const errors: string[] = [];
  const where = (name: string) => join(dir, name);

  const ownersTop = ownersSchema.safeParse(owners!.data);
  if (!ownersTop.success) errors.push(...issues(where('owners.yaml'), 'owners', ownersTop.error));
  const roles: Record<string, readonly Person[]> = ownersTop.success ? ownersTop.data.owners : {};

  const controlIds = new Set(catalog.controls.map((c) => c.id));
  const riskList: Risk[] = [];
  const risksTop = risksSchema.safeParse(risks!.data);
  if (!risksTop.success) errors.push(...issues(where('risks.yaml'), 'risks', risksTop.error));
  else {
    const seen = new Set<string>();
    for (const { value: risk, label } of parseEntries(
      where('risks.yaml'),
      risksTop.data.risks,
      riskSchema,
      idOf('risk', 'id'),
      errors,
    )) {
      const at = `${where('risks.yaml')}: ${label}`;
      if (seen.has(risk.id)) errors.push(`${at}: id: duplicate risk id`);
      seen.add(risk.id);
      if (ownersTop.success && !roles[risk.owner])
        errors.push(`${at}: owner: role "${risk.owner}" is not in owners.yaml`);
      for (const control of risk.controls)
        if (!controlIds.has(control)) errors.push(`${at}: controls: unknown control "${control}"`);
      riskList.push(risk);
    }
  }

  const annexA = new Set(
    catalog.frameworks.iso27001.requirements.filter((r) => r.kind === 'control').map((r) => r.id),
  );
  const lists: Record<'exclusions' | 'inclusions', Exclusion[]> = { exclusions: [], inclusions: [] };
  const applicabilityTop = applicabilitySchema.safeParse(applicability!.data);
  if (!applicabilityTop.success)
    errors.push(...issues(where('applicability.yaml'), 'applicability', applicabilityTop.error));
  else {
    for (const list of ['exclusions', 'inclusions'] as const) {
      const seen = new Set<string>();
      for (const { value, label } of parseEntries(
        where('applicability.yaml'),
        applicabilityTop.data[list],
        justified,
        idOf(list === 'exclusions' ? 'exclusion' : 'inclusion', 'control'),
        errors,
      )) {
        const at = `${where('applicability.yaml')}: ${label}`;
        if (!annexA.has(value.control))
          errors.push(`${at}: control: "${value.control}" is not an ISO 27001:2022 Annex A control`);
        if (seen.has(value.control)) errors.push(`${at}: control: listed twice`);
        seen.add(value.control);
        lists[list].push(value);
      }
    }
    const excluded = new Set(lists.exclusions.map((e) => e.control));
    for (const inclusion of lists.inclusions)
      if (excluded.has(inclusion.control))
        errors.push(
          `${where('applicability.yaml')}: inclusion ${inclusion.control}: control: also listed as an exclusion`,
        );
  }

  if (errors.length > 0) throw new GovernanceError(errors.join('\n'));
  return {
    dir,
    risks: riskList,
    owners: roles,
    applicability: {
      ...lists,
      statements: applicabilityTop.success ? applicabilityTop.data.statements : [],
    },
    files: [owners!.file, risks!.file, applicability!.file],
  };
}
