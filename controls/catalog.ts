import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Control } from '../core/model.ts';

/** The package's own folder, found from this module whether it runs from source or from the dist/ bundle. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'controls', 'internal'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the built-in controls/internal folder');
    dir = parent;
  }
  return dir;
}

export const CONTROLS_DIR = join(packageRoot(), 'controls');
/** Internal controls: every *.yaml file in this folder (one per domain), loaded together. */
export const DEFAULT_CONTROLS_PATH = join(CONTROLS_DIR, 'internal');

const controlSchema = z.strictObject({
  id: z.string().regex(/^[A-Z]+-\d{2,}$/, 'must look like IAM-01'),
  title: z.string().min(1),
  objective: z.string().min(1),
  owner: z.string().min(1),
  type: z.enum(['automated', 'manual', 'hybrid']),
  checks: z.array(z.string()).default([]),
  manualEvidence: z
    .strictObject({ description: z.string().min(1), everyDays: z.number().int().positive() })
    .optional(),
  soc2: z.array(z.string()).default([]),
  iso27001: z.array(z.string()).default([]),
});
const fileSchema = z.strictObject({ controls: z.array(z.unknown()) });

export class CatalogError extends Error {
  override name = 'CatalogError';
}

async function loadControlFile(
  file: string,
  knownChecks: ReadonlySet<string>,
  seen: Set<string>,
  errors: string[],
): Promise<Control[]> {
  let data: unknown;
  try {
    data = parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new CatalogError(`${file}: ${(error as Error).message}`);
  }
  const top = fileSchema.safeParse(data);
  if (!top.success)
    throw new CatalogError(`${file}: expected a top-level "controls" list (${top.error.issues[0]?.message})`);
  const controls: Control[] = [];
  top.data.controls.forEach((raw, index) => {
    const name = (raw as { id?: unknown })?.id ?? `#${index + 1}`;
    const parsed = controlSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        errors.push(`${file}: control ${name}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      return;
    }
    const c = parsed.data;
    if (seen.has(c.id)) errors.push(`${file}: control ${c.id}: id: duplicate control id`);
    seen.add(c.id);
    for (const check of c.checks)
      if (!knownChecks.has(check))
        errors.push(`${file}: control ${c.id}: checks: unknown check id "${check}"`);
    if (c.type !== 'manual' && c.checks.length === 0)
      errors.push(`${file}: control ${c.id}: checks: an ${c.type} control needs at least one check`);
    if (c.type !== 'automated' && !c.manualEvidence)
      errors.push(
        `${file}: control ${c.id}: manualEvidence: a ${c.type} control needs a manual-evidence spec`,
      );
    controls.push(c);
  });
  return controls;
}

/**
 * Loads and validates the internal controls from a folder of YAML files (or one file). Every error names the
 * file, the control and the field; all errors are reported at once. `knownChecks` are the check ids of the
 * registered collectors: a control naming another is an error.
 */
export async function loadControls(path: string, knownChecks: ReadonlySet<string>): Promise<Control[]> {
  let files: string[];
  try {
    files = (await stat(path)).isDirectory()
      ? (await readdir(path))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (error) {
    throw new CatalogError(`${path}: ${(error as Error).message}`);
  }
  const errors: string[] = [];
  const seen = new Set<string>();
  const controls: Control[] = [];
  for (const file of files) controls.push(...(await loadControlFile(file, knownChecks, seen, errors)));
  if (errors.length > 0) throw new CatalogError(errors.join('\n'));
  return controls;
}
